"""Walk Terraform resources against the AWS provider's schema.

The compact schema (``tests/data/aws_provider_schema.json``) comes from the
``cdktn-provider-aws`` jsii assembly through ``scripts/refresh_provider_schema.py``.
Each resource and data block of a file is checked: every argument and nested
block exists, no computed-only attribute is set, every required argument and
block is present, and ``lifecycle.ignore_changes`` names real attributes.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from terraform.references import parse_hcl

SCHEMA_PATH = Path(__file__).resolve().parents[1] / "data" / "aws_provider_schema.json"
REFRESH = "scripts/refresh_provider_schema.py"

META_ARGUMENTS = {"count", "for_each", "provider", "depends_on"}
META_BLOCKS = {"lifecycle", "provisioner", "connection"}
LIFECYCLE_KEYS = {
    "create_before_destroy",
    "prevent_destroy",
    "ignore_changes",
    "replace_triggered_by",
    "precondition",
    "postcondition",
}


@cache
def load_schema() -> dict[str, Any]:
    if not SCHEMA_PATH.is_file():
        pytest.fail(f"{SCHEMA_PATH.name} is missing: run {REFRESH}", pytrace=False)
    data: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return data


def _unquote(key: str) -> str:
    return key[1:-1] if len(key) >= 2 and key[0] == key[-1] == '"' else key


def _is_block_list(value: object) -> bool:
    return (
        isinstance(value, list)
        and bool(value)
        and all(isinstance(v, dict) and v.get("__is_block__") for v in value)
    )


def check_file(text: str, filename: str, schema: dict[str, Any] | None = None) -> list[str]:
    """Problems of every resource and data block of one ``.tf`` file."""
    schema = schema or load_schema()
    doc = parse_hcl(text)
    problems: list[str] = []
    for kind, section in (("resource", "resources"), ("data", "data_sources")):
        for entry in doc.get(kind, []):
            for raw_type, named in entry.items():
                if raw_type.startswith("__"):
                    continue
                type_ = _unquote(raw_type)
                for raw_name, body in named.items():
                    if raw_name.startswith("__"):
                        continue
                    address = f"{'data.' if kind == 'data' else ''}{type_}.{_unquote(raw_name)}"
                    where = f"{filename}: {address}"
                    type_schema = schema[section].get(type_)
                    if type_schema is None:
                        problems.append(f"{where}: {kind} type {type_} is not in the schema")
                        continue
                    problems.extend(_check_body(body, type_schema, where, top=True))
    return problems


def _check_body(body: dict[str, Any], schema: dict[str, Any], where: str, top: bool) -> list[str]:
    problems: list[str] = []
    attributes: dict[str, str] = schema.get("attributes", {})
    blocks: dict[str, Any] = schema.get("blocks", {})
    present: set[str] = set()
    for key, value in body.items():
        if key.startswith("__"):
            continue
        if top and key in META_ARGUMENTS:
            continue
        if top and key in META_BLOCKS:
            if key == "lifecycle":
                problems.extend(_check_lifecycle(value, attributes, blocks, where))
            continue
        if key == "dynamic" and isinstance(value, list):
            for dynamic in value:
                for raw_name, spec in dynamic.items():
                    if raw_name.startswith("__"):
                        continue
                    name = _unquote(raw_name)
                    present.add(name)
                    if name not in blocks:
                        problems.append(f"{where}: dynamic block {name!r} is not a block here")
                        continue
                    for content in spec.get("content", []):
                        problems.extend(
                            _check_body(content, blocks[name], f"{where}.{name}", False)
                        )
            continue
        present.add(key)
        if _is_block_list(value):
            if key not in blocks:
                kind = "an attribute, not a block" if key in attributes else "unknown"
                problems.append(f"{where}: block {key!r} is {kind}")
                continue
            block_schema = blocks[key]
            if block_schema.get("nesting") == "single" and len(value) > 1:
                problems.append(f"{where}: block {key!r} may appear once, found {len(value)}")
            for item in value:
                problems.extend(_check_body(item, block_schema, f"{where}.{key}", False))
        elif key in blocks:
            problems.append(f"{where}: {key!r} is a block, written as an attribute")
        elif key not in attributes:
            problems.append(f"{where}: argument {key!r} does not exist")
        elif attributes[key] == "computed":
            problems.append(f"{where}: argument {key!r} is computed only and cannot be set")
    for name, kind in attributes.items():
        if kind == "required" and name not in present:
            problems.append(f"{where}: required argument {name!r} is missing")
    for name, block in blocks.items():
        if block.get("required") and name not in present:
            problems.append(f"{where}: required block {name!r} is missing")
    return problems


def _check_lifecycle(
    value: Any, attributes: dict[str, str], blocks: dict[str, Any], where: str
) -> list[str]:
    problems: list[str] = []
    for item in value if isinstance(value, list) else [value]:
        for key, setting in item.items():
            if key.startswith("__"):
                continue
            if key not in LIFECYCLE_KEYS:
                problems.append(f"{where}: lifecycle has no {key!r}")
            if key == "ignore_changes" and isinstance(setting, list):
                for ref in setting:
                    name = str(ref).removeprefix("${").removesuffix("}").split(".")[0]
                    if name not in attributes and name not in blocks:
                        problems.append(f"{where}: ignore_changes names unknown {name!r}")
    return problems
