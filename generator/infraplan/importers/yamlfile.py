"""YAML files read with their line numbers, for importers that cite ``file:line``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from infraplan.errors import SpecError, SpecIssue, UserError
from infraplan.importers.common import Where


def load_yaml(path: Path, name: str) -> Any:
    """The YAML document at ``path`` (round-trip nodes keep their lines); a syntax
    error is bad input reported at its line."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"{name}: cannot be read ({exc})") from None
    try:
        return YAML(typ="rt").load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        problem = " ".join(str(exc.problem or exc).split())
        raise SpecError([SpecIssue(name, line, 1, "", f"invalid YAML: {problem}")]) from None
    except YAMLError as exc:
        raise SpecError([SpecIssue(name, 1, 1, "", f"invalid YAML: {exc}")]) from None


def where(node: Any, key: str | int, name: str) -> Where:
    """The line of ``key``'s value in ``node`` (a mapping or a sequence), 0 if unknown."""
    lc = getattr(node, "lc", None)
    try:
        if isinstance(key, int):
            line = lc.item(key)[0] if lc else -1
        else:
            line = lc.value(key)[0] if lc else -1
    except (KeyError, IndexError, TypeError):
        line = -1
    return Where(name, line + 1)


def key_where(node: Any, key: str, name: str) -> Where:
    lc = getattr(node, "lc", None)
    try:
        return Where(name, lc.key(key)[0] + 1) if lc else Where(name)
    except (KeyError, IndexError, TypeError):
        return Where(name)
