"""The spec's JSON Schema and its Markdown reference (``docs/spec.md``)."""

from __future__ import annotations

import json
import re
from typing import Any

# Where infraplan writes the schema, beside the spec (init, init --from, new, update).
SCHEMA_FILE = ".infraplan/plan.schema.json"

# The comment editors read the schema from; a relative path is relative to the YAML
# file itself (https://github.com/redhat-developer/yaml-language-server#using-inlined-schema).
SCHEMA_MODELINE = f"# yaml-language-server: $schema=./{SCHEMA_FILE}"
_MODELINE = re.compile(r"^#\s*yaml-language-server:\s*\$schema=(\S+)[^\n]*$", re.MULTILINE)
_URL = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)


def point_at_local_schema(text: str) -> str:
    """``text`` whose schema comment names the schema written beside it (SCHEMA_FILE).

    A spec copied from elsewhere (an example's ``../../docs/plan.schema.json``) would
    otherwise name a file that is not there. A URL is kept: it does not depend on where
    the file is. A spec with no schema comment is left as it is.
    """

    def local(match: re.Match[str]) -> str:
        return match.group(0) if _URL.match(match.group(1)) else SCHEMA_MODELINE

    return _MODELINE.sub(local, text)


def spec_schema() -> dict[str, Any]:
    from infraplan.spec.model import Spec

    schema = Spec.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "infraplan plan.yaml"
    return schema


def schema_json() -> str:
    return json.dumps(spec_schema(), indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def spec_reference() -> str:
    """``docs/spec.md``: every key of plan.yaml with its type, default and meaning."""
    schema = spec_schema()
    defs = schema.get("$defs", {})
    lines = [
        "# plan.yaml reference",
        "",
        "Generated from the spec's JSON Schema by `make docs` (`infraplan schema` prints the",
        "schema itself). Every key is optional unless marked required.",
        "",
    ]
    lines += _table("(top level)", schema, defs)
    for name in sorted(defs):
        if "properties" in defs[name]:
            lines += _table(name, defs[name], defs)
    return "\n".join(lines).rstrip() + "\n"


def _table(title: str, node: dict[str, Any], defs: dict[str, Any]) -> list[str]:
    required = set(node.get("required", []))
    out = [f"## {title}", ""]
    if node.get("description") and title != "(top level)":
        out += [" ".join(node["description"].split()), ""]
    out += ["| key | type | default | description |", "|---|---|---|---|"]
    for key, prop in node.get("properties", {}).items():
        default = "required" if key in required else _default(prop)
        description = " ".join(str(prop.get("description", "")).split()).replace("|", "\\|")
        out.append(f"| `{key}` | {_type(prop, defs)} | {default} | {description} |")
    out.append("")
    return out


def _default(prop: dict[str, Any]) -> str:
    if "default" not in prop:
        return "derived"
    return f"`{json.dumps(prop['default'], ensure_ascii=False)}`"


def _type(prop: dict[str, Any], defs: dict[str, Any]) -> str:
    if "$ref" in prop:
        return f"[{prop['$ref'].rsplit('/', 1)[-1]}](#{prop['$ref'].rsplit('/', 1)[-1].lower()})"
    if "enum" in prop:
        return " \\| ".join(f"`{v}`" for v in prop["enum"])
    if "const" in prop:
        return f"`{prop['const']}`"
    if "anyOf" in prop:
        return " or ".join(_type(p, defs) for p in prop["anyOf"])
    kind = prop.get("type", "any")
    if kind == "array":
        return f"list of {_type(prop.get('items', {}), defs)}"
    return str(kind)
