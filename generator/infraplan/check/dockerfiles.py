"""Dockerfiles, read as instructions with their lines.

Only what the rules need: each instruction's keyword, arguments and line, with
line continuations joined and ``ARG`` defaults substituted into ``FROM``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from infraplan.check.conflicts import conflict_error, first_side
from infraplan.check.discovery import read_text
from infraplan.check.problems import FileProblem

_ARG = re.compile(r"\$\{?([A-Za-z_]\w*)(?::-([^}]*))?\}?")


@dataclass(frozen=True)
class Instruction:
    keyword: str  # upper-case
    args: str
    line: int


@dataclass
class Dockerfile:
    path: str
    instructions: list[Instruction] = field(default_factory=list)

    def all(self, keyword: str) -> list[Instruction]:
        return [i for i in self.instructions if i.keyword == keyword]


def parse_dockerfile(path: str, text: str) -> Dockerfile:
    out = Dockerfile(path)
    pending: list[str] = []
    start = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        if not pending and (not stripped or stripped.startswith("#")):
            continue
        if pending and stripped.startswith("#"):
            continue
        if not pending:
            start = number
        if stripped.endswith("\\"):
            pending.append(stripped[:-1])
            continue
        pending.append(stripped)
        joined = " ".join(pending).strip()
        pending = []
        keyword, _, args = joined.partition(" ")
        out.instructions.append(Instruction(keyword.upper(), args.strip(), start))
    return out


def load_dockerfiles(root: Path, paths: list[str]) -> tuple[list[Dockerfile], list[FileProblem]]:
    files: list[Dockerfile] = []
    errors: list[FileProblem] = []
    for rel in paths:
        text, problem = read_text(root, rel)
        if text is None:
            errors.append(FileProblem(rel, 1, problem or "unreadable"))
            continue
        text, conflict = first_side(text)
        if conflict is not None:
            errors.append(conflict_error(rel, conflict))
        files.append(parse_dockerfile(rel, text))
    return files, errors


def base_images(dockerfile: Dockerfile) -> list[tuple[str, Instruction]]:
    """External base images (``FROM x AS y`` where ``x`` is not an earlier stage), ARGs expanded."""
    args: dict[str, str] = {}
    stages: set[str] = set()
    out: list[tuple[str, Instruction]] = []
    for instruction in dockerfile.instructions:
        if instruction.keyword == "ARG":
            name, _, default = instruction.args.partition("=")
            args.setdefault(name.strip(), default.strip().strip('"'))
        elif instruction.keyword == "FROM":
            words = [w for w in instruction.args.split() if not w.startswith("--")]
            if not words:
                continue
            image = _ARG.sub(lambda m: args.get(m.group(1)) or m.group(2) or "", words[0])
            if len(words) >= 3 and words[1].lower() == "as":
                stages.add(words[2].lower())
            if image.lower() not in stages and image.lower() != "scratch":
                out.append((image, instruction))
    return out
