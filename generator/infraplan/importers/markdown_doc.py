"""A Markdown plan split into the seed's sections, Spanish or English, whatever
its headings look like (with or without the emoji, numbered or not, bracketed
placeholder titles), with unfilled ``[placeholders]`` found and reported.

The inverse of :mod:`infraplan.escape`'s ``md_inline``/``md_block`` lives here
too, so a plan infraplan wrote reads back to the very text it was written from.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from infraplan.importers.common import Imported
from infraplan.importers.textfile import SourceText

Line = tuple[int, str]  # index into SourceText.lines, text


@dataclass
class Section:
    key: str  # header, s1, objective, context, requirements, s2, diagram, ...
    heading: int | None  # index of the heading line; None for the header
    title: str
    lines: list[Line] = field(default_factory=list)
    phase: int = 0


# First match wins: section headings before the sub-headings their words contain.
_HEADINGS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (key, re.compile(pattern))
    for key, pattern in (
        ("title", r"planificacion de infraestructura|infrastructure plan"),
        ("s1", r"objetivos y contexto|objectives and context"),
        ("objective", r"^objetivo|objective"),
        ("context", r"^contexto|context$|^context|background"),
        ("requirements", r"requisitos|requirements"),
        ("s2", r"arquitectura de la solucion|solution architecture|^arquitectura$|^architecture$"),
        ("diagram", r"diagrama|diagram"),
        ("components", r"componentes|components|tecnologias|technologies"),
        ("flow", r"flujo|process flow|^flow|workflow"),
        ("s3", r"plan de implementacion|implementation plan|^implementacion|^implementation"),
        ("phase", r"^(fase|phase) ?\d"),
        ("s4", r"verificacion y rollback|verification and rollback"),
        ("criteria", r"criterios de aceptacion|acceptance criteria|definition of done"),
        ("rollback", r"rollback|reversion"),
        ("s5", r"riesgos|risks"),
    )
)
# CommonMark: an optional closing run of # needs a space before it (`\#` is text).
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)(?:\s+#+)?\s*$")
_SPANISH = re.compile(r"objetivos|requisitos|arquitectura|fase|riesgos|planificaci", re.I)


def fold(text: str) -> str:
    """Lower case, no accents, no emoji or numbering, no brackets: for matching headings."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    plain = re.sub(r"[\[\]*_`]", "", plain).lower()
    plain = re.sub(r"^[^a-z0-9]+", "", plain)  # emoji, symbols
    plain = re.sub(r"^(\d+|[ivx]+)[.)]?\s+", "", plain)  # 1. / 1) / IV.
    return " ".join(plain.split())


def heading_key(title: str) -> str | None:
    folded = fold(title)
    for key, pattern in _HEADINGS:
        if pattern.search(folded):
            return key
    return None


def split_sections(source: SourceText, imported: Imported) -> list[Section]:
    """The plan's sections in file order; lines inside code blocks stay with their section."""
    sections = [Section("header", None, "")]
    fence: str | None = None
    for index, text in enumerate(source.lines):
        stripped = text.strip()
        if fence is None and stripped.startswith(("```", "~~~")):
            fence = stripped[:3]
        elif fence is not None and stripped.startswith(fence):
            fence = None
            sections[-1].lines.append((index, text))
            continue
        match = _HEADING.match(stripped) if fence is None else None
        if match is None:
            sections[-1].lines.append((index, text))
            continue
        title = match.group(2)
        key = heading_key(title)
        if key == "title" and len(match.group(1)) == 1:
            sections[0].title = title
            sections[0].heading = index
            continue
        if key is None:
            # an unknown heading: its text joins the notes with the section it sits in
            sections[-1].lines.append((index, text))
            continue
        section = Section(key, index, title)
        if key == "phase":
            found = re.search(r"(\d)", fold(title))
            section.phase = int(found.group(1)) if found else 0
        sections.append(section)
    return sections


def language_of(source: SourceText) -> str:
    """es when the headings are the seed's Spanish ones, else en."""
    headings = " ".join(t for t in source.lines if t.lstrip().startswith("#"))
    return "es" if _SPANISH.search(headings) else "en"


# --- placeholders -----------------------------------------------------------------

_CHECKBOX = re.compile(r"^(\s*[-*+]\s+)\[([ xX])\]\s*")
# An unescaped [...] that is not a link ([text](url)) nor a footnote/reference.
_PLACEHOLDER = re.compile(r"(?<!\\)\[(?P<body>(?:\\.|[^\]\\])*?)(?<!\\)\](?![(\[])")


def placeholders(text: str) -> list[str]:
    """The bracketed placeholders of one line (a task's checkbox is not one)."""
    body = _CHECKBOX.sub(r"\1", text)
    return [m.group(0) for m in _PLACEHOLDER.finditer(body)]


def strip_placeholders(text: str) -> str:
    return " ".join(_PLACEHOLDER.sub(" ", _CHECKBOX.sub(r"\1", text)).split())


def only_placeholders(text: str) -> bool:
    """A line whose only content is placeholders (and list or bold marks around them)."""
    body = _CHECKBOX.sub(r"\1", text)
    return bool(placeholders(text)) and not _PLACEHOLDER.sub("", body).strip("-*+:. \t")


def open_placeholder(text: str) -> bool:
    """A line that opens a ``[`` it does not close: a placeholder over several lines."""
    body = _CHECKBOX.sub(r"\1", text)
    body = _PLACEHOLDER.sub("", body)
    return bool(re.search(r"(?<!\\)\[", body))


# --- the inverse of escape.md_inline / md_block ----------------------------------

_UNESCAPE = re.compile(r"\\([\\`*_\[\]|~#>+=.)-])")
_ENTITY = re.compile(r"&(lt|gt|amp);")
_ENTITIES = {"lt": "<", "gt": ">", "amp": "&"}


def unescape(text: str) -> str:
    """Text as typed before ``md_inline``: ``<br>`` is a newline, ``\\*`` is ``*``."""
    value = re.sub(r"<br\s*/?>", "\n", text)
    value = _UNESCAPE.sub(r"\1", value)
    return _ENTITY.sub(lambda m: _ENTITIES[m.group(1)], value)


def unescape_block(lines: list[str]) -> str:
    """A block of paragraphs as typed before ``md_block``.

    Lines ending in ``<br>`` or two spaces are hard breaks (kept as newlines);
    other line ends inside a paragraph are Markdown soft breaks (a space)."""
    paragraphs: list[list[str]] = [[]]
    for line in lines:
        if not line.strip():
            if paragraphs[-1]:
                paragraphs.append([])
            continue
        paragraphs[-1].append(line)
    out = []
    for paragraph in (p for p in paragraphs if p):
        text = ""
        for index, line in enumerate(paragraph):
            hard = bool(re.search(r"<br\s*/?>\s*$", line)) or line.endswith("  ")
            piece = re.sub(r"<br\s*/?>\s*$", "", line).strip()
            text += piece + ("" if index == len(paragraph) - 1 else ("\n" if hard else " "))
        out.append(unescape(text))
    return "\n\n".join(out)


def code_spans(text: str) -> list[str]:
    """The contents of the inline code spans of ``text``."""
    return [m.group(2).strip() for m in re.finditer(r"(`+)(.+?)\1", text)]


def field_line(text: str) -> tuple[str, str] | None:
    """``**Label:** value`` or ``Label: value`` (a bullet allowed before it)."""
    body = re.sub(r"^\s*[-*+]\s+", "", text.strip())
    match = re.match(r"^\*\*(.+?):?\*\*:?\s*(.*)$", body) or re.match(
        r"^([^:`]{2,40}):\s+(.*)$", body
    )
    if match is None:
        return None
    label = match.group(1).strip().rstrip(":").strip()
    return label, match.group(2).strip()
