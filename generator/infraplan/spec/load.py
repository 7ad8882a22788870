"""Load ``plan.yaml``: parse with line numbers, validate, report every problem at once."""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from infraplan import PLAN_FILE
from infraplan.errors import SpecError, SpecIssue, UserError
from infraplan.spec.model import Spec
from infraplan.spec.semantics import Loc, Problem, check_spec
from infraplan.spec.types import (
    ACM_CERTIFICATE_ARN,
    BRANCH,
    EMAIL,
    HEALTH_PATH,
    PLAN_ID,
    REPOSITORY,
    SLUG,
    SNS_TOPIC_ARN,
)

REDACTED_FIELDS = ("secrets",)


@dataclass(frozen=True)
class LoadedSpec:
    spec: Spec
    path: Path
    text: str


def load_spec(path: str | Path) -> LoadedSpec:
    """Read, parse and validate a spec file; raise SpecError naming every problem."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise UserError(f"{path}: no such file", hint="create one with `infraplan init`") from None
    except OSError as exc:
        raise UserError(f"{path}: cannot be read ({exc.strerror})") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SpecError(
            [SpecIssue(str(path), 1, 1, "", f"is not UTF-8 text (byte {exc.start})")]
        ) from None
    return LoadedSpec(parse_spec(text, str(path)), path, text)


def parse_spec(text: str, filename: str = PLAN_FILE) -> Spec:
    doc = _parse_yaml(text, filename)
    if doc is None:  # nothing but blanks and comments
        raise SpecError(
            [
                SpecIssue(
                    filename, 1, 1, "", "the file is empty: a spec needs at least project and ci"
                )
            ],
            hint="run `infraplan init` to write a commented starter plan.yaml",
        )
    if not isinstance(doc, dict):
        raise SpecError(
            [SpecIssue(filename, 1, 1, "", "the spec must be a mapping of keys (project: ...)")]
        )
    bad_text = list(_bad_characters(doc, ()))
    if bad_text:
        raise SpecError(
            [
                _issue(
                    filename,
                    doc,
                    loc,
                    "holds a lone UTF-16 surrogate (a broken \\u escape)",
                    _NO_VALUE,
                    "text with whole characters, e.g. \\U0001F600 for an emoji",
                )
                for loc in bad_text
            ]
        )
    try:
        spec = Spec.model_validate(_plain(doc))
    except ValidationError as exc:
        issues = [_issue_from_pydantic(filename, doc, err) for err in exc.errors()]
        raise SpecError(sorted(set(issues), key=lambda i: (i.line, i.column, i.field))) from None
    problems = check_spec(spec)
    if problems:
        issues = [_issue(filename, doc, p.loc, p.message, p.value, p.accepted) for p in problems]
        raise SpecError(sorted(issues, key=lambda i: (i.line, i.column, i.field)))
    return spec


def located_error(text: str, filename: str, problems: list[Problem]) -> SpecError:
    """``problems`` of the spec ``text`` as a SpecError naming file, line and field."""
    doc = _parse_yaml(text, filename)
    issues = [_issue(filename, doc, p.loc, p.message, p.value, p.accepted) for p in problems]
    return SpecError(sorted(issues, key=lambda i: (i.line, i.column, i.field)))


def _parse_yaml(text: str, filename: str) -> Any:
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    yaml = YAML(typ="rt")
    try:
        return yaml.load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        column = mark.column + 1 if mark else 1
        problem = " ".join(str(exc.problem or exc).split())
        context = f" ({' '.join(str(exc.context).split())})" if exc.context else ""
        plain = _yaml_in_words(problem)
        message = f"invalid YAML: {plain or problem + context}"
        raise SpecError([SpecIssue(filename, line, column, "", message)]) from None
    except YAMLError as exc:
        raise SpecError([SpecIssue(filename, 1, 1, "", f"invalid YAML: {exc}")]) from None


# ruamel.yaml's words for the mistakes people make, and what to do instead.
_YAML_WORDS = (
    ("found character '\\t'", "a tab character; YAML indents with spaces only: use spaces"),
    (
        "mapping values are not allowed here",
        "bad indentation, or a value with ': ' that needs quotes: indent this key like the "
        "keys beside it (spaces only), or quote the value",
    ),
    (
        "expected <block end>",
        "bad indentation: this line is indented differently from the keys above it",
    ),
    ("could not find expected ':'", "a key without ':' (write key: value)"),
    ("found duplicate key", "a key appears twice in the same mapping: keep one (duplicate key)"),
)


def _yaml_in_words(problem: str) -> str | None:
    for words, plain in _YAML_WORDS:
        if words in problem:
            return plain
    return None


def _whole(text: str) -> str:
    """Join surrogate pairs a YAML ``\\ud83d\\ude00`` escape leaves split."""
    return text.encode("utf-16", "surrogatepass").decode("utf-16")


def _bad_characters(node: Any, loc: Loc) -> Iterator[Loc]:
    """Where a string holds a surrogate that is not part of a pair: no file can hold it."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _bad_characters(value, (*loc, str(key)))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _bad_characters(value, (*loc, index))
    elif isinstance(node, str):
        try:
            _whole(node)
        except UnicodeDecodeError:
            yield loc


def _plain(node: Any) -> Any:
    """Round-trip YAML nodes as plain Python values (str, not ScalarString)."""
    if isinstance(node, dict):
        return {_plain(k): _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    if isinstance(node, str):
        return _whole(str(node))
    if isinstance(node, bool):
        return bool(node)
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    return node


def locate(doc: Any, loc: Loc, *, at_key: bool = False) -> tuple[int, int]:
    """Line and column (1-based) of the deepest node of ``loc`` found in the document.

    A scalar value is pointed at itself, a key (``at_key``, e.g. an unknown key)
    at the key, a list item at the item, a missing key at its parent.
    """
    line, column = 1, 1
    node = doc
    for index, part in enumerate(loc):
        lc = getattr(node, "lc", None)
        if lc is None:
            break
        if isinstance(node, dict) and part in node:
            last = index == len(loc) - 1
            value = node[part]
            point_at_value = not at_key and last and not isinstance(value, dict | list)
            pos = lc.value(part) if point_at_value else lc.key(part)
            node = value
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            pos = lc.item(part)
            node = node[part]
        else:
            break
        line, column = pos[0] + 1, pos[1] + 1
    return line, column


def _field_name(loc: Loc) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


_NO_VALUE = object()


def _show(value: object, loc: Loc) -> str | None:
    if value is _NO_VALUE or (loc and loc[0] in REDACTED_FIELDS):
        return None  # never echo what may be a secret value
    if isinstance(value, dict | list):
        return None
    return repr(value)


def _issue(
    filename: str,
    doc: Any,
    loc: Loc,
    message: str,
    value: object,
    accepted: str | None = None,
    *,
    at_key: bool = False,
) -> SpecIssue:
    line, column = locate(doc, loc, at_key=at_key)
    return SpecIssue(filename, line, column, _field_name(loc), message, _show(value, loc), accepted)


def _model_at(loc: Loc) -> type[BaseModel] | None:
    """The pydantic model that holds the field at ``loc``, for 'accepted keys' hints."""
    model: Any = Spec
    for part in loc:
        if isinstance(part, int):
            continue
        field = model.model_fields.get(part) if hasattr(model, "model_fields") else None
        if field is None:
            return model if isinstance(model, type) else None
        model = _inner_model(field.annotation)
        if model is None:
            return None
    return model if isinstance(model, type) and issubclass(model, BaseModel) else None


def _inner_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def _issue_from_pydantic(filename: str, doc: Any, err: ErrorDetails) -> SpecIssue:
    loc: Loc = tuple(p for p in err["loc"] if isinstance(p, str | int))
    # pydantic adds the name of a function validator / union member to loc; drop them.
    loc = tuple(p for p in loc if not (isinstance(p, str) and ("[" in p or "function" in p)))
    kind = err["type"]
    ctx = err.get("ctx") or {}
    message = err["msg"]
    accepted: str | None = None
    value: object = err.get("input")
    if kind == "extra_forbidden":
        parent = _model_at(loc[:-1])
        known = sorted(parent.model_fields) if parent else []
        name = str(loc[-1])
        close = difflib.get_close_matches(name, known, n=1)
        message = "unknown key" + (f"; did you mean {close[0]!r}?" if close else "")
        accepted = ", ".join(known) if known else None
        value = _NO_VALUE
    elif kind == "missing":
        message = "required key is missing"
        value = _NO_VALUE
    elif kind == "value_error":
        message = str(ctx.get("error", message))
        if "; accepted: " in message:
            message, accepted = message.split("; accepted: ", 1)
    elif kind == "literal_error":
        message = "not one of the accepted values"
        accepted = str(ctx.get("expected", "")).replace("'", "")
    elif kind == "string_pattern_mismatch":
        message = "does not have the accepted form"
        accepted = _PATTERN_WORDS.get(str(ctx.get("pattern")), f"pattern {ctx.get('pattern')}")
    elif kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        message = "out of range"
        accepted = _bounds(loc)
    elif kind in _TYPE_WORDS:
        message, accepted = _TYPE_WORDS[kind]
        accepted = _FIELD_UNITS.get(_field_name(loc), accepted)
    elif kind in ("string_too_long", "string_too_short", "too_long", "too_short"):
        accepted = message.replace("String should have ", "").replace("List should have ", "")
        message = "has the wrong length"
    if kind == "value_error" and message.startswith("Value error, "):
        message = message[len("Value error, ") :]
    return _issue(filename, doc, loc, message, value, accepted, at_key=kind == "extra_forbidden")


# Type errors in plain words: (message, what is accepted); a field with units says them.
_TYPE_WORDS: dict[str, tuple[str, str]] = {
    "int_parsing": ("must be a whole number", "a whole number, e.g. 2"),
    "int_from_float": ("must be a whole number", "a whole number, e.g. 2"),
    "int_type": ("must be a whole number", "a whole number, e.g. 2"),
    "float_parsing": ("must be a number", "a number, e.g. 100"),
    "float_type": ("must be a number", "a number, e.g. 100"),
    "bool_parsing": ("must be true or false", "true or false"),
    "bool_type": ("must be true or false", "true or false"),
    "string_type": ("must be text", "text; quote it if YAML reads it as something else"),
    "list_type": ("must be a list", "a list, e.g. [a, b]"),
    "model_type": ("must be a mapping of keys", "keys under it, e.g. service: {port: 8080}"),
    "dict_type": ("must be a mapping of keys", "keys under it, e.g. service: {port: 8080}"),
    "date_from_datetime_parsing": ("must be a date", "a date as YYYY-MM-DD"),
    "date_parsing": ("must be a date", "a date as YYYY-MM-DD"),
    "date_type": ("must be a date", "a date as YYYY-MM-DD"),
}
_FIELD_UNITS: dict[str, str] = {
    "service.cpu": "CPU units as a whole number: 1024 = 1 vCPU, so 0.25 vCPU is 256 "
    "(256, 512, 1024, 2048, 4096, 8192 or 16384)",
    "service.memory": "MiB as a whole number, without a unit: 1 GB is 1024 (e.g. 512, 1024, 2048)",
    "secrets": "a list of names, e.g. secrets: [DATABASE_URL]",
    "owners": "a list, e.g. owners: [Platform team]",
    "monitoring.notify_emails": "a list, e.g. notify_emails: [ops@example.com]",
    "environments": "a list, e.g. environments: [{name: staging}]",
}


def _bounds(loc: Loc) -> str | None:
    parent = _model_at(loc[:-1])
    if parent is None or not loc or not isinstance(loc[-1], str):
        return None
    field = parent.model_fields.get(loc[-1])
    if field is None:
        return None
    low = high = None
    for meta in field.metadata:
        low = getattr(meta, "ge", None) if getattr(meta, "ge", None) is not None else low
        high = getattr(meta, "le", None) if getattr(meta, "le", None) is not None else high
        if getattr(meta, "gt", None) is not None:
            low = f"more than {meta.gt}"
    if low is not None and high is not None:
        return f"{low} to {high}"
    return None


_PATTERN_WORDS = {
    SLUG: "a lower-case slug: letters, digits and single hyphens, starting with a letter "
    "(e.g. checkout-api)",
    REPOSITORY: "a GitHub repository owner/name (e.g. acme/checkout)",
    EMAIL: "an e-mail address (e.g. ops@example.com)",
    HEALTH_PATH: "an HTTP path starting with / (e.g. /healthz)",
    BRANCH: "a git branch name (e.g. main)",
    PLAN_ID: "letters, digits, '.', '_' and '-' (e.g. INFRA-20261129-CHECKOUT)",
    SNS_TOPIC_ARN: "an SNS topic ARN (e.g. arn:aws:sns:eu-west-1:123456789012:on-call)",
    ACM_CERTIFICATE_ARN: "an ACM certificate ARN (e.g. "
    "arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-...)",
}
