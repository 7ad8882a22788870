"""GitHub Actions `if:` expressions and path filters, evaluated for tests.

Only what the generated workflows use: ``==``, ``!=``, ``&&``, ``||``, ``!``,
parentheses, '...' strings, the ``github`` and ``needs`` contexts and the status
function ``cancelled()``; anything else fails to parse rather than pass
(https://docs.github.com/actions/reference/evaluate-expressions-in-workflows-and-actions).
Path filters follow GitHub's glob rules: ``*`` stops at ``/``, ``**`` does not
(https://docs.github.com/actions/reference/workflows-and-actions/workflow-syntax#filter-pattern-cheat-sheet).
"""

from __future__ import annotations

import ast
import re
from typing import Any


class _Ctx(dict[str, Any]):
    """A context read with dots (github.event.workflow_run.event); a missing key is ''."""

    def __getattr__(self, name: str) -> Any:
        value = self.get(name, "")
        return _Ctx(value) if isinstance(value, dict) else value

    def __getitem__(self, name: str) -> Any:
        return self.__getattr__(name)


_ALLOWED = (
    ast.Expression,
    ast.BoolOp,
    ast.UnaryOp,
    ast.Not,
    ast.Compare,
    ast.Attribute,
    ast.Name,
    ast.Constant,
    ast.Call,
    ast.And,
    ast.Or,
    ast.Eq,
    ast.NotEq,
    ast.Load,
    ast.Subscript,
)


def evaluate(
    expression: str,
    github: dict[str, Any],
    needs: dict[str, Any] | None = None,
    *,
    cancelled: bool = False,
) -> bool:
    """The value of a job's ``if`` for these contexts."""
    text = expression.strip()
    if text.startswith("${{") and text.endswith("}}"):
        text = text[3:-2]
    python = text.replace("&&", " and ").replace("||", " or ").replace("\n", " ")
    python = re.sub(r"!(?!=)", " not ", python).strip()
    # job ids may hold hyphens (needs.deploy-staging.result): read them as keys
    python = re.sub(r"\bneeds\.([A-Za-z0-9_-]+)", r"needs['\1']", python)
    tree = ast.parse(python, mode="eval")
    for node in ast.walk(tree):
        assert isinstance(node, _ALLOWED), (type(node).__name__, python)
        if isinstance(node, ast.Call):
            assert isinstance(node.func, ast.Name) and node.func.id == "cancelled", python
    code = compile(tree, "<if>", "eval")
    names = {"github": _Ctx(github), "needs": _Ctx(needs or {}), "cancelled": lambda: cancelled}
    return bool(eval(code, {"__builtins__": {}}, names))


def _glob(pattern: str) -> re.Pattern[str]:
    out = ""
    i = 0
    while i < len(pattern):
        if pattern.startswith("**", i):
            out += ".*"
            i += 2
        elif pattern[i] == "*":
            out += "[^/]*"
            i += 1
        elif pattern[i] == "?":
            out += "[^/]"
            i += 1
        else:
            out += re.escape(pattern[i])
            i += 1
    return re.compile(out + r"\Z")


def triggers(filters: dict[str, Any] | None, changed: list[str]) -> bool:
    """Does a push of ``changed`` files start a workflow with these push filters?
    ``paths``: any file matches; ``paths-ignore``: not every file matches."""
    filters = filters or {}
    if "paths" in filters:
        return any(_glob(p).match(f) for p in filters["paths"] for f in changed)
    if "paths-ignore" in filters:
        return not all(any(_glob(p).match(f) for p in filters["paths-ignore"]) for f in changed)
    return True
