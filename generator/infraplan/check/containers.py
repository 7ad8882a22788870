"""Container definitions, read once: name, image, environment, secrets, health check.

A task definition's ``container_definitions`` comes as ``jsonencode([...])`` of
HCL objects (which python-hcl2 leaves as expression text), as a JSON document
(a heredoc or a literal string), or, from the terraform-aws-modules ECS module,
as a map of container name to definition. Each becomes a
:class:`ContainerDefinition`; a value only terraform can compute stays an
expression string (``${...}``).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

_TOKEN = re.compile(
    r'\s*(?:(?P<str>"(?:[^"\\]|\\.)*")|(?P<num>-?\d+(?:\.\d+)?)(?![\w.])'
    r"|(?P<word>true|false|null)(?![\w.])|(?P<punct>[\[\]{},=:]))"
)


@dataclass(frozen=True)
class ContainerDefinition:
    name: str
    image: Any
    environment: dict[str, Any] = field(default_factory=dict)  # plain values, by name
    secrets: dict[str, Any] = field(default_factory=dict)  # valueFrom, by name
    health_check: dict[str, Any] | None = None


def container_definitions(value: Any) -> list[ContainerDefinition]:
    """The containers a ``container_definitions`` value describes (empty when unreadable)."""
    data = _data(value)
    if isinstance(data, dict):  # the ECS module's map: name -> definition
        data = [{"name": k, **v} for k, v in data.items() if isinstance(v, dict)]
    if not isinstance(data, list):
        return []
    return [_definition(d) for d in data if isinstance(d, dict)]


def _data(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    text = value.strip()
    match = re.fullmatch(r"\$\{\s*jsonencode\((.*)\)\s*\}", text, re.S)
    if match:
        return parse_hcl_value(match.group(1))
    try:
        return json.loads(text)
    except ValueError:
        return None


def _definition(data: dict[str, Any]) -> ContainerDefinition:
    health = data.get("healthCheck", data.get("health_check"))
    return ContainerDefinition(
        str(data.get("name", "")),
        data.get("image"),
        _named(data.get("environment"), "value"),
        _named(data.get("secrets"), "valueFrom"),
        health if isinstance(health, dict) else None,
    )


def _named(entries: Any, key: str) -> dict[str, Any]:
    if not isinstance(entries, list):
        return {}
    return {str(e["name"]): e.get(key) for e in entries if isinstance(e, dict) and "name" in e}


def parse_hcl_value(text: str) -> Any:
    """An HCL (or JSON) literal: objects, lists, strings, numbers, booleans; any other
    expression in it is kept as ``${expression}``. None when the text is not one value."""
    try:
        value, end = _value(text, 0)
    except (ValueError, IndexError):
        return None
    return value if not text[end:].strip() else None


def _value(text: str, at: int) -> tuple[Any, int]:
    token = _TOKEN.match(text, at)
    if token and token.group("punct") == "[":
        return _sequence(text, token.end(), "]")
    if token and token.group("punct") == "{":
        return _object(text, token.end())
    if token and token.group("str") is not None:
        end = token.end()
        if _ends_value(text, end):
            return json.loads(token.group("str")), end
    elif token and token.group("num") is not None and _ends_value(text, token.end()):
        number = token.group("num")
        return (float(number) if "." in number else int(number)), token.end()
    elif token and token.group("word") and _ends_value(text, token.end()):
        return {"true": True, "false": False, "null": None}[token.group("word")], token.end()
    return _expression(text, at)


def _ends_value(text: str, at: int) -> bool:
    rest = text[at:].lstrip()
    return not rest or rest[0] in ",]}"


def _expression(text: str, at: int) -> tuple[str, int]:
    """Anything else, up to the next top-level ``,`` ``]`` or ``}``."""
    depth, quoted, index = 0, False, at
    while index < len(text):
        char = text[index]
        if char == "\\" and quoted:
            index += 2
            continue
        if char == '"':
            quoted = not quoted
        elif not quoted and char in "([{":
            depth += 1
        elif not quoted and char in ")]}":
            if depth == 0:
                break
            depth -= 1
        elif not quoted and depth == 0 and char == ",":
            break
        index += 1
    expression = text[at:index].strip()
    if not expression:
        raise ValueError("empty value")
    return f"${{{expression}}}", index


def _sequence(text: str, at: int, close: str) -> tuple[list[Any], int]:
    items: list[Any] = []
    while True:
        token = _TOKEN.match(text, at)
        if token and token.group("punct") == close:
            return items, token.end()
        item, at = _value(text, at)
        items.append(item)
        token = _TOKEN.match(text, at)
        if token and token.group("punct") == ",":
            at = token.end()


def _object(text: str, at: int) -> tuple[dict[str, Any], int]:
    out: dict[str, Any] = {}
    while True:
        token = _TOKEN.match(text, at)
        if token and token.group("punct") == "}":
            return out, token.end()
        key = re.compile(r'\s*(?:"((?:[^"\\]|\\.)*)"|([A-Za-z_][\w-]*))\s*[=:]').match(text, at)
        if not key:
            raise ValueError("not an object key")
        value, at = _value(text, key.end())
        out[key.group(1) if key.group(1) is not None else key.group(2)] = value
        token = _TOKEN.match(text, at)
        if token and token.group("punct") == ",":
            at = token.end()
