"""What every importer shares: the values found with where each came from, the
messages for the user, and the writer of a ``plan.yaml`` whose values carry a
``# file:line`` comment.

An importer fills an :class:`Imported`; :func:`write_imported` validates the
spec it describes (a bad value is reported at the source's file and line, exit
2, nothing written) and writes it atomically.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from infraplan.errors import SpecError, SpecIssue, UserError
from infraplan.escape import yaml_string

Key = tuple[str | int, ...]


@dataclass(frozen=True)
class Where:
    """A place in a source file (1-based line; 0 when the whole file is meant)."""

    file: str
    line: int = 0

    def __str__(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file


@dataclass(frozen=True)
class Message:
    """One line for stderr: what the importer could not place, repaired, inferred or mapped."""

    where: Where
    kind: str  # unplaced | unfilled | not-generated | repaired | inferred | mapped | unread
    text: str

    def render(self) -> str:
        return f"{self.where}: {self.kind}: {self.text}"


@dataclass
class Imported:
    """A spec under construction: nested values, their sources, messages and notes."""

    values: dict[str, Any] = field(default_factory=dict)
    sources: dict[Key, Where] = field(default_factory=dict)
    messages: list[Message] = field(default_factory=list)

    def set(self, key: Key, value: Any, where: Where | None = None) -> None:
        """Set the value at ``key`` (e.g. ``("service", "port")``), remembering its source."""
        node: dict[str, Any] = self.values
        for part in key[:-1]:
            node = node.setdefault(str(part), {})
        node[str(key[-1])] = value
        if where is not None:
            self.sources[key] = where

    def get(self, key: Key, default: Any = None) -> Any:
        node: Any = self.values
        for part in key:
            if not isinstance(node, dict) or str(part) not in node:
                return default
            node = node[str(part)]
        return node

    def drop(self, key: Key) -> None:
        """Forget the value at ``key`` (e.g. one equal to the spec's default)."""
        node: Any = self.values
        for part in key[:-1]:
            node = node.get(str(part), {})
        node.pop(str(key[-1]), None)
        self.sources.pop(key, None)

    def report(self, where: Where, kind: str, text: str) -> None:
        self.messages.append(Message(where, kind, text))

    def note(self, where: Where, kind: str, text: str) -> None:
        """Report ``text`` and keep it in the spec's notes, so no text is lost."""
        self.report(where, kind, text)
        self.values.setdefault("notes", []).append(f"{where}: {text}")


def render_imported(imported: Imported, header: str) -> str:
    """The ``plan.yaml`` text: every key in spec order, each value with its source."""
    lines = [f"# {line}" if line else "#" for line in header.splitlines()]
    from infraplan.spec import Spec

    values = dict(imported.values)
    values.setdefault("version", 1)
    fields = list(Spec.model_fields)  # the spec model's order, as `infraplan init` writes
    order = [k for k in fields if k in values] + sorted(k for k in values if k not in fields)
    for key in order:
        lines.extend(_emit((key,), values[key], 0, imported.sources))
    return "\n".join(lines) + "\n"


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if value is None:
        return "null"
    if isinstance(value, list):
        return "[" + ", ".join(_scalar(item) for item in value) + "]"
    return yaml_string(value)


def _comment(key: Key, sources: dict[Key, Where]) -> str:
    where = sources.get(key)
    return f"  # {where}" if where else ""


def _emit(key: Key, value: Any, indent: int, sources: dict[Key, Where]) -> Iterator[str]:
    pad = "  " * indent
    name = key[-1] if re.fullmatch(r"[A-Za-z_]\w*", str(key[-1])) else yaml_string(key[-1])
    if isinstance(value, dict):
        yield f"{pad}{name}:{_comment(key, sources)}"
        for sub, item in sorted(value.items(), key=lambda kv: _field_index(key, kv[0])):
            yield from _emit((*key, sub), item, indent + 1, sources)
    elif isinstance(value, list):
        if not value:
            yield f"{pad}{name}: []{_comment(key, sources)}"
            return
        yield f"{pad}{name}:{_comment(key, sources)}"
        for index, item in enumerate(value):
            text = (
                "{" + ", ".join(f"{k}: {_scalar(v)}" for k, v in item.items()) + "}"
                if isinstance(item, dict)
                else _scalar(item)
            )
            yield f"{pad}  - {text}{_comment((*key, index), sources)}"
    else:
        yield f"{pad}{name}: {_scalar(value)}{_comment(key, sources)}"


def _field_index(key: Key, name: str) -> int:
    """Where ``name`` comes among the fields of the model at ``key`` (spec order)."""
    from infraplan.spec import Spec

    model: Any = Spec
    for part in key:
        field_info = model.model_fields.get(str(part))
        annotation = getattr(field_info, "annotation", None)
        model = next(
            (
                a
                for a in (annotation, *getattr(annotation, "__args__", ()))
                if hasattr(a, "model_fields")
            ),
            None,
        )
        if model is None:
            return 0
    names = list(model.model_fields)
    return names.index(name) if name in names else len(names)


def _source_of_line(text: str, line: int) -> Where | None:
    """The source named in the comment of line ``line`` of the rendered spec."""
    lines = text.splitlines()
    if not 1 <= line <= len(lines):
        return None
    _, sep, comment = lines[line - 1].partition("  # ")
    if not sep or ":" not in comment:
        return None
    file, _, number = comment.rpartition(":")
    return Where(file, int(number)) if number.isdigit() else None


def validate_imported(text: str, output: Path) -> None:
    """Validate the rendered spec; a bad value is reported at the source it came from."""
    from infraplan.spec.load import parse_spec

    try:
        parse_spec(text, str(output))
    except SpecError as exc:
        issues = []
        for issue in exc.issues:
            source = _source_of_line(text, issue.line)
            if source is None:
                issues.append(issue)
                continue
            issues.append(
                SpecIssue(
                    source.file,
                    source.line,
                    1,
                    issue.field,
                    f"{issue.message} (imported into {output})",
                    issue.value,
                    issue.accepted,
                )
            )
        raise SpecError(issues) from None


def write_imported(imported: Imported, output: Path, header: str, *, force: bool) -> str:
    """Validate and write the spec; return its text. Nothing is written on an error."""
    from infraplan.scaffold.writer import write_spec
    from infraplan.spec.schema import SCHEMA_MODELINE

    if output.exists() and not force:
        raise UserError(f"{output} already exists", hint="pass --force to overwrite it")
    text = SCHEMA_MODELINE + "\n" + render_imported(imported, header)
    validate_imported(text, output)
    write_spec(output, text)
    return text


def slug(text: str) -> str:
    """A spec slug from a name (``Checkout API`` -> ``checkout-api``), or '' if none fits."""
    value = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    value = re.sub(r"^[^a-z]+", "", value)[:28].strip("-")
    return value if len(value) >= 2 else ""
