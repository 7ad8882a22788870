"""A stand-in ``hashicorp/aws`` provider that serves the real schema to Terraform.

``terraform validate`` needs the provider's schema, and ``terraform init`` would
download the provider from a registry the test machines cannot reach. This stub
serves the schema of ``tests/data/aws_provider_schema.json`` (from the provider's
jsii assembly, see ``scripts/refresh_provider_schema.py``) over Terraform's
provider protocol (:mod:`terraform.tfplugin6`), so real Terraform core checks every
argument, block, reference and value type of the generated configuration.

It runs as a gRPC server in a thread of the test process, on a Unix socket, and
Terraform attaches to it through ``TF_REATTACH_PROVIDERS`` (the mechanism provider
developers use to debug a provider: Terraform neither installs nor starts it, see
https://developer.hashicorp.com/terraform/plugin/debugging#running-terraform-with-a-provider-in-debug-mode).
It answers the calls ``validate`` makes and nothing else: it never plans, applies
or reads. Like the real provider (terraform-plugin-sdk's "Value for unconfigurable
attribute"), it reports a computed-only attribute set in the configuration; it does
not know the provider's own value checks (allowed values, conflicting arguments).
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator
from concurrent import futures
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import grpc
import msgpack

from terraform.schema import load_schema
from terraform.tfplugin6 import SERVICE, message

ADDRESS = "registry.terraform.io/hashicorp/aws"
_Schema = message("Schema")
_Block = message("Schema.Block")
_Attribute = message("Schema.Attribute")
_NestedBlock = message("Schema.NestedBlock")
_Diagnostic = message("Diagnostic")
_AttributePath = message("AttributePath")
_Step = message("AttributePath.Step")


def block(schema: dict[str, Any]) -> Any:
    """A protocol ``Schema.Block`` from one struct of the schema snapshot.

    A block jsii models as a single struct (``single``) is what the provider
    declares as a list of at most one (terraform-plugin-sdk's ``MaxItems: 1``),
    which is also how a reference reads it: ``aws_x.y.block[0].attr``.
    """
    types: dict[str, Any] = schema.get("types", {})
    attributes = [
        _Attribute(
            name=name,
            type=json.dumps(types.get(name, "dynamic")).encode(),
            required=kind == "required",
            optional=kind == "optional",
            computed=kind == "computed",
        )
        for name, kind in sorted(schema.get("attributes", {}).items())
    ]
    blocks = [
        _NestedBlock(
            type_name=name,
            block=block(nested),
            nesting=_NestedBlock.LIST,
            min_items=1 if nested.get("required") else 0,
            max_items=1 if nested.get("nesting") == "single" else 0,
        )
        for name, nested in sorted(schema.get("blocks", {}).items())
    ]
    return _Block(attributes=attributes, block_types=blocks)


def provider_schema(schema: dict[str, Any]) -> Any:
    response = message("GetProviderSchema.Response")()
    response.provider.CopyFrom(_Schema(block=block(schema["provider_config"])))
    for type_, body in schema["resources"].items():
        response.resource_schemas[type_].CopyFrom(_Schema(block=block(body)))
    for type_, body in schema["data_sources"].items():
        response.data_source_schemas[type_].CopyFrom(_Schema(block=block(body)))
    return response


def unconfigurable(
    config: Any, schema: dict[str, Any], path: tuple[str | int, ...] = ()
) -> list[Any]:
    """A diagnostic for each computed-only attribute the configuration sets.

    ``config`` is the msgpack-decoded object Terraform sends: an attribute not
    set is nil; a block is a list of objects (or unknown, an ExtType, when a
    ``dynamic`` block iterates over a value known only at apply).
    """
    if not isinstance(config, dict):
        return []
    found: list[Any] = []
    for name, kind in schema.get("attributes", {}).items():
        if kind == "computed" and config.get(name) is not None:
            steps = [_step(part) for part in (*path, name)]
            found.append(
                _Diagnostic(
                    severity=_Diagnostic.ERROR,
                    summary="Value for unconfigurable attribute",
                    detail=f"Can't configure a value for {name!r}: its value will be decided "
                    "automatically based on the result of applying this configuration.",
                    attribute=_AttributePath(steps=steps),
                )
            )
    for name, nested in schema.get("blocks", {}).items():
        items = config.get(name)
        for index, item in enumerate(items if isinstance(items, list) else []):
            found += unconfigurable(item, nested, (*path, name, index))
    return found


def _step(part: str | int) -> Any:
    return _Step(element_key_int=part) if isinstance(part, int) else _Step(attribute_name=part)


def _decode(value: Any) -> Any:
    return msgpack.unpackb(value.msgpack, raw=False, strict_map_key=False) if value.msgpack else {}


class _Provider:
    def __init__(self, schema: dict[str, Any]) -> None:
        self.schema = schema
        self.calls: list[str] = []
        self._schema_response = provider_schema(schema)

    def handlers(self) -> grpc.GenericRpcHandler:
        methods = {
            "GetProviderSchema": ("GetProviderSchema", self.get_provider_schema),
            "ValidateProviderConfig": ("ValidateProviderConfig", self.validate_provider),
            "ValidateResourceConfig": ("ValidateResourceConfig", self.validate_resource),
            "ValidateDataResourceConfig": ("ValidateDataResourceConfig", self.validate_data),
            "StopProvider": ("StopProvider", self.stop),
        }
        return grpc.method_handlers_generic_handler(
            SERVICE,
            {
                name: grpc.unary_unary_rpc_method_handler(
                    self._counted(name, function),
                    request_deserializer=message(f"{kind}.Request").FromString,
                    response_serializer=message(f"{kind}.Response").SerializeToString,
                )
                for name, (kind, function) in methods.items()
            },
        )

    def _counted(self, name: str, function: Any) -> Any:
        def call(request: Any, context: grpc.ServicerContext) -> Any:
            self.calls.append(name)
            return function(request)

        return call

    def get_provider_schema(self, request: Any) -> Any:
        return self._schema_response

    def validate_provider(self, request: Any) -> Any:
        return message("ValidateProviderConfig.Response")()

    def validate_resource(self, request: Any) -> Any:
        schema = self.schema["resources"].get(request.type_name, {})
        found = unconfigurable(_decode(request.config), schema)
        return message("ValidateResourceConfig.Response")(diagnostics=found)

    def validate_data(self, request: Any) -> Any:
        schema = self.schema["data_sources"].get(request.type_name, {})
        found = unconfigurable(_decode(request.config), schema)
        return message("ValidateDataResourceConfig.Response")(diagnostics=found)

    def stop(self, request: Any) -> Any:
        return message("StopProvider.Response")()


@dataclass(frozen=True)
class RunningProvider:
    reattach: str  # the value of TF_REATTACH_PROVIDERS
    calls: list[str]  # the protocol methods Terraform called, in order


@contextmanager
def stub_provider(schema: dict[str, Any] | None = None) -> Iterator[RunningProvider]:
    """Serve the AWS provider's schema until the block ends."""
    provider = _Provider(schema or load_schema())
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
    server.add_generic_rpc_handlers((provider.handlers(),))
    with tempfile.TemporaryDirectory(prefix="infraplan-aws-stub-") as tmp:
        socket = Path(tmp) / "provider.sock"
        server.add_insecure_port(f"unix://{socket}")
        server.start()
        try:
            reattach = {
                ADDRESS: {
                    "Protocol": "grpc",
                    "ProtocolVersion": 6,
                    "Pid": os.getpid(),
                    "Test": True,  # Terraform leaves the process alone when it is done
                    "Addr": {"Network": "unix", "String": str(socket)},
                }
            }
            yield RunningProvider(json.dumps(reattach), provider.calls)
        finally:
            server.stop(grace=None)
