"""Values as a reader resolves them: ``var.x``, ``local.x`` and ``each.value`` in one scope.

A :class:`Scope` is one module instance's view: its variables (defaults, then
``.tfvars``, then the caller's inputs), its locals (each resolved once) and, in a
``for_each``, the current ``each``. What cannot be resolved statically stays an
expression string containing ``${``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace
from typing import Any

from infraplan.check.expressions import MISSING, MISSING_TEXT, UNKNOWN, evaluate_literal
from infraplan.check.terraform_types import is_expression

_PATH = r"([A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*|\[\"[^\"\]]*\"\])*)"
_REF = re.compile(r"\$\{\s*(var|local|each)\." + _PATH + r"\s*\}")
_BRACES = re.compile(r"[{}]")
_BARE = re.compile(r"(?<![\w.])(var|local|each)\." + _PATH + r"(?![\w.\[(])")
_SEGMENT = re.compile(r"\.?([A-Za-z_][\w-]*)|\[\"([^\"\]]*)\"\]")


@dataclass
class Scope:
    folder: str
    variables: dict[str, Any]
    locals: dict[str, Any]
    prefix: str  # "module.a.module.b." for addresses
    resolving: set[str] = field(default_factory=set)
    resolved: dict[str, Any] = field(default_factory=dict)  # locals, once each
    each: tuple[Any, Any] | None = None  # (each.key, each.value) inside a for_each

    def for_each(self, key: Any, value: Any) -> Scope:
        return replace(self, each=(key, value), resolving=set(), resolved=dict(self.resolved))

    def resolve(self, value: Any) -> Any:
        if isinstance(value, str) and "${" in value:
            return self._resolve_text(value)
        if isinstance(value, dict):
            return {k: self.resolve(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.resolve(v) for v in value]
        return value

    def _lookup(self, kind: str, dotted: str) -> tuple[bool, Any]:
        """(found, value); a name that exists without the key asked of it is
        (False, MISSING): ``try()`` and ``lookup()`` fall back on it, as terraform does."""
        name, *path = [a or b for a, b in _SEGMENT.findall(dotted)]
        if kind == "each":
            if self.each is None or name not in ("key", "value"):
                return (False, None)
            ok, value = True, self.each[0] if name == "key" else self.each[1]
        elif kind == "var":
            ok, value = name in self.variables, self.variables.get(name)
        elif name not in self.locals or name in self.resolving:
            return (False, None)
        elif name in self.resolved:
            ok, value = True, self.resolved[name]
        else:
            self.resolving.add(name)
            try:
                ok, value = True, self.resolve(self.locals[name])
            finally:
                self.resolving.discard(name)
            self.resolved[name] = value
        for key in path:
            if not ok or not isinstance(value, dict) or is_expression(value):
                return (False, None)
            if key not in value:
                return (False, MISSING)
            value = value[key]
        return (ok, value)

    def _resolve_text(self, text: str) -> Any:
        if not any(k in text for k in ("var.", "local.", "each.")):
            if not _single_expression(text) or "(" not in text:
                return text  # references to resources, data, modules: terraform's to compute
            value = evaluate_literal(text[2:-1])  # a function of literals: toset([...])
            return text if value is UNKNOWN or value is MISSING else value
        whole = _REF.fullmatch(text)
        if whole:
            ok, value = self._lookup(whole.group(1), whole.group(2))
            # An attribute written as null in a known object is null; a bare variable
            # that is null (no input, a null default) stays the caller's to decide.
            attribute = any(c in whole.group(2) for c in ".[")
            return value if ok and (value is not None or attribute) else text
        if _single_expression(text):
            inner = _BARE.sub(self._literal, text[2:-1])
            value = evaluate_literal(inner)
            if value is not UNKNOWN:
                return value
            # Still terraform's to compute, but with the literals a reader would put in
            # (concat([aws_sns_topic.a.arn], ["arn:..."]), a health check's command).
            return text if MISSING_TEXT in inner else "${" + inner + "}"

        def substitute(match: re.Match[str]) -> str:
            ok, value = self._lookup(match.group(1), match.group(2))
            if ok and isinstance(value, (str, int, float)) and not isinstance(value, bool):
                return str(value)
            return match.group(0)

        return _REF.sub(substitute, text)

    def _literal(self, match: re.Match[str]) -> str:
        ok, value = self._lookup(match.group(1), match.group(2))
        if value is MISSING:
            return MISSING_TEXT
        if ok and _plain_literal(value):
            return json.dumps(value)
        return match.group(0)


def _plain_literal(value: Any) -> bool:
    """Scalars, lists of scalars and maps of them, with nothing left for terraform to
    compute."""
    if isinstance(value, dict):
        return all(_plain_literal(v) for v in value.values())
    if isinstance(value, list):
        return all(_plain_literal(v) and not isinstance(v, list) for v in value)
    if value is None:
        return True  # null: json.dumps writes it as terraform does
    return isinstance(value, (str, int, float, bool)) and not is_expression(value)


def _single_expression(text: str) -> bool:
    """``${...}`` spanning the whole string (not a template like ``${a}-${b}``)."""
    if not (text.startswith("${") and text.endswith("}")):
        return False
    depth = 0
    for brace in _BRACES.finditer(text, 1):
        depth += 1 if brace.group() == "{" else -1
        if depth == 0:
            return brace.end() == len(text)
    return False
