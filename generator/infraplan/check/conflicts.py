"""Leftover merge conflict markers: one clear finding, and the file still read.

A file with ``<<<<<<<`` / ``=======`` / ``>>>>>>>`` lines is read with the first
side of each conflict only (blank lines stand in for the rest, so every line
number stays right): the rules judge what the file says on that side and the
conflict is reported once, at its first marker, instead of as a parser error
that hides the whole file.
"""

from __future__ import annotations

import re

from infraplan.check.problems import FileProblem

_START = re.compile(r"^<{7}(?: |$)")
_MIDDLE = re.compile(r"^={7}$")
_BASE = re.compile(r"^\|{7}(?: |$)")
_END = re.compile(r"^>{7}(?: |$)")

CONFLICT_MESSAGE = "unresolved merge conflict"


def first_side(text: str) -> tuple[str, int | None]:
    """``text`` with each conflict reduced to its first side, and the line of the
    first marker (None when the file has no conflict)."""
    if "<<<<<<<" not in text:
        return text, None
    lines = text.split("\n")
    out: list[str] = []
    first: int | None = None
    state = "plain"  # plain | ours | other
    for number, line in enumerate(lines, start=1):
        bare = line.rstrip("\r")
        if state == "plain" and _START.match(bare):
            state, first = "ours", first or number
            out.append("")
        elif state == "ours" and (_MIDDLE.match(bare) or _BASE.match(bare)):
            state = "other"
            out.append("")
        elif state == "other" and _END.match(bare):
            state = "plain"
            out.append("")
        else:
            out.append(line if state != "other" else "")
    return "\n".join(out), first


def conflict_error(path: str, line: int) -> FileProblem:
    return FileProblem(path, line, f"{CONFLICT_MESSAGE} (read with its first side only)", True)
