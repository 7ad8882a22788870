"""Evaluate the few Terraform expressions a reader evaluates in their head.

After ``var.x`` and ``local.x`` are replaced by their literal values, an
expression such as ``format("%.2f", 100)`` or ``tostring(80)`` is as good as a
literal. Anything else is left to ``terraform plan``: :data:`UNKNOWN`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

UNKNOWN: Any = object()
# A map read at a key it does not have: an error terraform's try() and lookup() catch.
MISSING: Any = object()
MISSING_TEXT = "__infraplan_missing__"

_NUMBER = re.compile(r"-?\d+(\.\d+)?([eE][+-]?\d+)?")
_CALL = re.compile(r"([a-z]+)\((.*)\)", re.S)


def evaluate_literal(expression: str) -> Any:
    text = expression.strip()
    if text == MISSING_TEXT:
        return MISSING
    if text.startswith("(") and text.endswith(")") and _top_level(text[1:-1]):
        text = text[1:-1].strip()
    condition = _split_top(text, "?") if "?" in text else None
    if condition is not None:
        branches = _split_top(condition[1], ":")
        test = _evaluate_test(condition[0])
        if branches is None or not isinstance(test, bool):
            return UNKNOWN
        return evaluate_literal(branches[0] if test else branches[1])
    if text[:1] + text[-1:] in ("[]", "{}"):
        try:
            value = json.loads(text)
        except ValueError:
            return UNKNOWN
        return value
    if _NUMBER.fullmatch(text):
        number = float(text)
        return int(number) if number.is_integer() and "." not in text else number
    if text in ("true", "false"):
        return text == "true"
    if text == "null":
        return None
    if text.startswith('"') and text.endswith('"') and "${" not in text:
        try:
            value = json.loads(text)
        except ValueError:  # two strings, e.g. "a" == "b"
            value = UNKNOWN if not _COMPARE.fullmatch(text) else _compare(text)
        return value if isinstance(value, (str, bool)) else UNKNOWN
    call = _CALL.fullmatch(text)
    if call:
        args = [evaluate_literal(a) for a in _split_args(call.group(2))]
        if call.group(1) == "try":
            # the first argument that does not fail; an unknown one decides nothing
            first = next((a for a in args if a is not MISSING), UNKNOWN)
            return first
        if any(a is UNKNOWN or a is MISSING for a in args):
            return UNKNOWN
        return _call(call.group(1), args)
    if _COMPARE.fullmatch(text):  # a comparison on its own, e.g. a local's value
        return _compare(text)
    return UNKNOWN


_COMPARE = re.compile(r"(.+?)\s*(>=|<=|==|!=|>|<)\s*(.+)", re.S)


def _evaluate_test(text: str) -> Any:
    value = evaluate_literal(text)
    if value is not UNKNOWN:
        return value
    return _compare(text)


def _compare(text: str) -> Any:
    match = _COMPARE.fullmatch(text.strip())
    if not match:
        return UNKNOWN
    # An optional object attribute left out reads as null.
    left, right = (_null(evaluate_literal(match.group(n))) for n in (1, 3))
    if left is UNKNOWN or right is UNKNOWN:
        return UNKNOWN
    operator = match.group(2)
    try:
        if operator == "==":
            return bool(left == right)
        if operator == "!=":
            return bool(left != right)
        if operator == ">":
            return bool(left > right)
        if operator == "<":
            return bool(left < right)
        if operator == ">=":
            return bool(left >= right)
        return bool(left <= right)
    except TypeError:
        return UNKNOWN


def _null(value: Any) -> Any:
    return None if value is MISSING else value


def _top_level(text: str) -> bool:
    depth = 0
    for char in text:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


def _separators(text: str, separator: str) -> Iterator[int]:
    """Where ``separator`` occurs in ``text`` outside quotes and brackets."""
    depth, quoted = 0, False
    for index, char in enumerate(text):
        if char == '"' and (index == 0 or text[index - 1] != "\\"):
            quoted = not quoted
        elif not quoted and char in "([{":
            depth += 1
        elif not quoted and char in ")]}":
            depth -= 1
        elif not quoted and depth == 0 and char == separator:
            yield index


def _split_top(text: str, separator: str) -> tuple[str, str] | None:
    """``text`` split at the first ``separator`` outside quotes and brackets."""
    index = next(_separators(text, separator), None)
    return None if index is None else (text[:index], text[index + 1 :])


def _call(name: str, args: list[Any]) -> Any:
    try:
        if name == "length" and len(args) == 1 and isinstance(args[0], (list, dict, str)):
            return len(args[0])
        if name in ("toset", "tolist") and len(args) == 1 and isinstance(args[0], list):
            return list(dict.fromkeys(args[0])) if name == "toset" else args[0]
        if name == "format" and args and isinstance(args[0], str):
            return args[0].replace("%v", "%s") % tuple(args[1:])
        if name == "tostring" and len(args) == 1:
            value = args[0]
            return str(value).lower() if isinstance(value, bool) else str(value)
        if name == "tonumber" and len(args) == 1:
            return float(args[0]) if "." in str(args[0]) else int(args[0])
        if name == "lookup" and len(args) in (2, 3) and isinstance(args[0], dict):
            return args[0].get(args[1], args[2]) if len(args) == 3 else args[0][args[1]]
        if name == "concat" and all(isinstance(a, list) for a in args):
            return [item for a in args for item in a]
        if name == "merge" and all(isinstance(a, dict) for a in args):
            return {k: v for a in args for k, v in a.items()}
        if name == "coalesce" and args:
            return next((a for a in args if a not in (None, "")), UNKNOWN)
        if name in ("lower", "upper") and len(args) == 1 and isinstance(args[0], str):
            return args[0].lower() if name == "lower" else args[0].upper()
    except (TypeError, ValueError):
        return UNKNOWN
    return UNKNOWN


def _split_args(text: str) -> list[str]:
    """A call's arguments: ``text`` split at each top-level comma."""
    args: list[str] = []
    start = 0
    for index in _separators(text, ","):
        args.append(text[start:index])
        start = index + 1
    if text[start:].strip():
        args.append(text[start:])
    return args
