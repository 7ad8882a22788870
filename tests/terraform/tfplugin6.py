"""The part of Terraform's provider protocol (tfplugin6) that ``terraform validate`` uses.

Terraform talks to a provider over gRPC with the messages of ``tfplugin6.proto``
(https://github.com/hashicorp/terraform/blob/main/docs/plugin-protocol/tfplugin6.proto,
protocol version 6). ``terraform validate`` calls only ``GetProviderSchema`` and the
three ``Validate*Config`` methods (and ``StopProvider``); those messages are declared
here with their field numbers, and the message classes built at import time, so no
generated code and no ``protoc`` is needed. Fields a message does not declare are
skipped by protobuf when decoding, so a newer Terraform works with this subset.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

_F = descriptor_pb2.FieldDescriptorProto
PACKAGE = "tfplugin6"
SERVICE = f"{PACKAGE}.Provider"

# (name, number, type, label, message or enum type)
Field = tuple[str, int, int, int, str]
STRING, BYTES, BOOL, INT64 = _F.TYPE_STRING, _F.TYPE_BYTES, _F.TYPE_BOOL, _F.TYPE_INT64
MESSAGE, ENUM = _F.TYPE_MESSAGE, _F.TYPE_ENUM
ONE, MANY = _F.LABEL_OPTIONAL, _F.LABEL_REPEATED


def _field(name: str, number: int, type_: int, ref: str = "", *, many: bool = False) -> Field:
    return (name, number, type_, MANY if many else ONE, ref)


def _message(
    name: str,
    fields: Sequence[Field] = (),
    nested: Sequence[descriptor_pb2.DescriptorProto] = (),
    enums: dict[str, list[str]] | None = None,
    oneof: str = "",
) -> descriptor_pb2.DescriptorProto:
    message = descriptor_pb2.DescriptorProto(name=name)
    if oneof:
        message.oneof_decl.add(name=oneof)
    for fname, number, type_, label, ref in fields:
        field = message.field.add(name=fname, number=number, type=type_, label=label)
        if ref:
            field.type_name = f".{PACKAGE}.{ref}"
        if oneof:
            field.oneof_index = 0
    for enum_name, values in (enums or {}).items():
        enum = message.enum_type.add(name=enum_name)
        for number, value in enumerate(values):
            enum.value.add(name=value, number=number)
    message.nested_type.extend(nested)
    return message


def _map_entry(name: str, value_ref: str) -> descriptor_pb2.DescriptorProto:
    entry = _message(name, [_field("key", 1, STRING), _field("value", 2, MESSAGE, value_ref)])
    entry.options.map_entry = True
    return entry


def _request_response(
    name: str,
    request: Sequence[Field],
    response: Sequence[Field],
    response_nested: Sequence[descriptor_pb2.DescriptorProto] = (),
) -> descriptor_pb2.DescriptorProto:
    return _message(
        name, nested=[_message("Request", request), _message("Response", response, response_nested)]
    )


def _diagnostics(number: int) -> Field:
    return _field("diagnostics", number, MESSAGE, "Diagnostic", many=True)


def _file() -> descriptor_pb2.FileDescriptorProto:
    entries = "GetProviderSchema.Response"
    config = _field("config", 2, MESSAGE, "DynamicValue")
    type_name = _field("type_name", 1, STRING)
    file = descriptor_pb2.FileDescriptorProto(
        name="infraplan_tfplugin6_subset.proto", package=PACKAGE, syntax="proto3"
    )
    file.message_type.extend(
        [
            _message("DynamicValue", [_field("msgpack", 1, BYTES), _field("json", 2, BYTES)]),
            _message(
                "AttributePath",
                [_field("steps", 1, MESSAGE, "AttributePath.Step", many=True)],
                nested=[
                    _message(
                        "Step",
                        [
                            _field("attribute_name", 1, STRING),
                            _field("element_key_string", 2, STRING),
                            _field("element_key_int", 3, INT64),
                        ],
                        oneof="selector",
                    )
                ],
            ),
            _message(
                "Diagnostic",
                [
                    _field("severity", 1, ENUM, "Diagnostic.Severity"),
                    _field("summary", 2, STRING),
                    _field("detail", 3, STRING),
                    _field("attribute", 4, MESSAGE, "AttributePath"),
                ],
                enums={"Severity": ["INVALID", "ERROR", "WARNING"]},
            ),
            _message(
                "Schema",
                [_field("version", 1, INT64), _field("block", 2, MESSAGE, "Schema.Block")],
                nested=[
                    _message(
                        "Block",
                        [
                            _field("version", 1, INT64),
                            _field("attributes", 2, MESSAGE, "Schema.Attribute", many=True),
                            _field("block_types", 3, MESSAGE, "Schema.NestedBlock", many=True),
                        ],
                    ),
                    _message(
                        "Attribute",
                        [
                            _field("name", 1, STRING),
                            _field("type", 2, BYTES),  # the type in Terraform's JSON notation
                            _field("required", 4, BOOL),
                            _field("optional", 5, BOOL),
                            _field("computed", 6, BOOL),
                        ],
                    ),
                    _message(
                        "NestedBlock",
                        [
                            _field("type_name", 1, STRING),
                            _field("block", 2, MESSAGE, "Schema.Block"),
                            _field("nesting", 3, ENUM, "Schema.NestedBlock.NestingMode"),
                            _field("min_items", 4, INT64),
                            _field("max_items", 5, INT64),
                        ],
                        enums={"NestingMode": ["INVALID", "SINGLE", "LIST", "SET", "MAP", "GROUP"]},
                    ),
                ],
            ),
            _request_response(
                "GetProviderSchema",
                [],
                [
                    _field("provider", 1, MESSAGE, "Schema"),
                    _field(
                        "resource_schemas", 2, MESSAGE, f"{entries}.ResourceSchemasEntry", many=True
                    ),
                    _field(
                        "data_source_schemas",
                        3,
                        MESSAGE,
                        f"{entries}.DataSourceSchemasEntry",
                        many=True,
                    ),
                    _diagnostics(4),
                ],
                [
                    _map_entry("ResourceSchemasEntry", "Schema"),
                    _map_entry("DataSourceSchemasEntry", "Schema"),
                ],
            ),
            _request_response("ValidateProviderConfig", [config], [_diagnostics(2)]),
            _request_response(
                "ValidateResourceConfig",
                [type_name, config],
                [_diagnostics(1)],
            ),
            _request_response(
                "ValidateDataResourceConfig",
                [type_name, config],
                [_diagnostics(1)],
            ),
            _request_response("StopProvider", [], [_field("Error", 1, STRING)]),
        ]
    )
    return file


_POOL = descriptor_pool.DescriptorPool()
_POOL.Add(_file())


def message(name: str) -> Any:
    """The message class ``tfplugin6.<name>``, e.g. ``message("GetProviderSchema.Response")``."""
    return message_factory.GetMessageClass(_POOL.FindMessageTypeByName(f"{PACKAGE}.{name}"))
