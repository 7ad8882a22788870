"""Escape user text for each language infraplan writes.

Free-text fields of a spec may hold anything a person types: quotes, ``${``,
``{{``, ``${{ }}``, pipes and newlines. Every value that reaches generated
output goes through one of these functions (templates reach them as jinja
filters through :class:`EscapeExtension`).
"""

from __future__ import annotations

import json
import re
from typing import Any

from jinja2 import Environment
from jinja2.ext import Extension

_HCL_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def hcl_string(text: object) -> str:
    """A quoted HCL string literal whose value is exactly ``text``.

    ``${`` and ``%{`` start interpolations and directives in HCL. The sigil is
    written as a unicode escape (``\\u0024{``, ``\\u0025{``), which HCL decodes
    to the literal characters without starting a template sequence; the
    doubled-sigil form (``$${``) trips python-hcl2 when no ``}`` follows.
    """
    out = []
    for char in str(text):
        if char in _HCL_ESCAPES:
            out.append(_HCL_ESCAPES[char])
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    body = "".join(out).replace("${", "\\u0024{").replace("%{", "\\u0025{")
    return f'"{body}"'


def _yaml_printable(char: str) -> bool:
    code = ord(char)
    if 0x20 <= code <= 0x7E:
        return True
    return (
        code >= 0xA0
        and code not in (0x2028, 0x2029, 0xFEFF, 0xFFFE, 0xFFFF)
        and not (0xD800 <= code <= 0xDFFF)
    )


def yaml_string(text: object) -> str:
    """A double-quoted YAML scalar whose value is exactly ``text``.

    JSON's escapes are valid in YAML's double-quoted style; characters YAML
    forbids or reads as line breaks (NEL, LS, PS) are written as ``\\u`` escapes.
    """
    quoted = json.dumps(str(text), ensure_ascii=False)
    return "".join(c if _yaml_printable(c) else f"\\u{ord(c):04x}" for c in quoted)


_GHA_OPEN = "${{"
_GHA_LITERAL_OPEN = "${{ '${{' }}"


def gha_string(text: object) -> str:
    """A YAML scalar for a GitHub Actions workflow that can never become an expression.

    GitHub evaluates ``${{ ... }}`` inside any string of a workflow; there is no
    escape character, so each literal ``${{`` is written as an expression whose
    value is the string ``${{``.
    """
    value = str(text).replace(_GHA_OPEN, _GHA_LITERAL_OPEN)
    return yaml_string(value)


# Characters that are Markdown syntax anywhere in a line. Line-start markers
# (#, -, +, 1.) only matter at the start of a line: md_block handles those.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~])")
_MD_ENTITY = re.compile(r"&(?=#?\w+;)")
_MD_LINE_START = re.compile(r"^([#>+=-])")
_MD_ORDERED = re.compile(r"^(\d+)([.)])")
# CommonMark reads a final run of # after a space as a heading's closing sequence.
_MD_CLOSING = re.compile(r"(\s)(#+)$")


def md_inline(text: object) -> str:
    """Markdown for ``text`` inside a line: a list item, a heading, a table cell.

    Characters Markdown could read as syntax are backslash-escaped, HTML and
    entities are neutralised, and newlines become ``<br>`` so a list item or a
    table row stays on its line.
    """
    value = str(text).replace("\r\n", "\n").replace("\r", "\n")
    value = _MD_ENTITY.sub("&amp;", value).replace("<", "&lt;").replace(">", "&gt;")
    value = _MD_SPECIAL.sub(r"\\\1", value)
    lines = [line.strip() for line in value.split("\n")]
    joined = _MD_CLOSING.sub(r"\1\\\2", "<br>".join(line for line in lines if line))
    return _escape_line_start(joined)


def _escape_line_start(line: str) -> str:
    """Escape what would start a heading, list, quote or rule at the start of a line."""
    return _MD_ORDERED.sub(r"\1\\\2", _MD_LINE_START.sub(r"\\\1", line))


def md_block(text: object) -> str:
    """Markdown paragraphs for ``text``: blank lines separate paragraphs, other
    newlines are kept as hard line breaks, and nothing can start a heading,
    list, quote, table or code block."""
    value = str(text).replace("\r\n", "\n").replace("\r", "\n").strip()
    paragraphs = [p for p in re.split(r"\n\s*\n", value) if p.strip()]
    rendered = []
    for paragraph in paragraphs:
        lines = [md_inline(line) for line in paragraph.split("\n") if line.strip()]
        rendered.append("<br>\n".join(lines))
    return "\n\n".join(rendered)


def md_code(text: object) -> str:
    """Inline code span for ``text`` (a path, a name), safe whatever backticks it holds."""
    value = " ".join(str(text).replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    fence = "`"
    while fence in value:
        fence += "`"
    pad = " " if value.startswith("`") or value.endswith("`") else ""
    return f"{fence}{pad}{value}{pad}{fence}"


def dockerfile_string(text: object) -> str:
    """A double-quoted Dockerfile value (LABEL, ENV) that expands no variable."""
    value = json.dumps(str(text), ensure_ascii=True)
    return value.replace("$", "\\$")


def shell_quote(text: object) -> str:
    """A single-quoted POSIX shell word whose value is exactly ``text``."""
    return "'" + str(text).replace("'", "'\"'\"'") + "'"


FILTERS: dict[str, Any] = {
    "hcl": hcl_string,
    "yaml_str": yaml_string,
    "gha": gha_string,
    "md": md_inline,
    "md_block": md_block,
    "md_code": md_code,
    "docker_str": dockerfile_string,
    "sh": shell_quote,
}


class EscapeExtension(Extension):
    """Adds infraplan's escaping filters to a jinja2 environment.

    Listed in each template's ``cookiecutter.json`` under ``_extensions`` so
    plain ``cookiecutter`` renders the templates the same way infraplan does.
    """

    def __init__(self, environment: Environment) -> None:
        super().__init__(environment)
        environment.filters.update(FILTERS)
