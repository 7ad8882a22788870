"""A file ``check`` could not read, parse or trust, as data: one finding each."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FileProblem:
    path: str
    line: int
    message: str
    conflict: bool = False  # left with merge conflict markers (read with its first side)

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}"
