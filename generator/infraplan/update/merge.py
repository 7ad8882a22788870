"""Three-way merge of one file: base (last render), yours (on disk), theirs (new render).

The line merge is git's own (``git merge-file``), so conflicts look exactly
like git's and editors, ``git diff --check`` and pre-commit hooks see them.
Around it, what ``git merge-file`` does not do for us: a file you converted
to CRLF is merged in CRLF (not turned into one whole-file conflict), and a
binary file is never line-merged.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from infraplan.errors import InfraplanError, UserError

YOURS_LABEL = "yours"
THEIRS_PREFIX = "infraplan"
_START = re.compile(rb"^<<<<<<< " + re.escape(YOURS_LABEL.encode()) + rb"\r?$", re.M)
_END = re.compile(rb"^>>>>>>> " + re.escape(THEIRS_PREFIX.encode()) + rb"\b", re.M)
# Any conflict, ours or git's (`<<<<<<< HEAD`), in merge or diff3 style.
_ANY = re.compile(rb"^<<<<<<<(?: .*)?\r?\n(?:.*\n)*?=======\r?\n(?:.*\n)*?>>>>>>>(?: .*)?$", re.M)
_LONE_LF = re.compile(rb"(?<!\r)\n")


@dataclass(frozen=True)
class MergeResult:
    content: bytes
    conflicts: int  # 0 when clean
    binary: bool = False  # a binary conflict: your file is kept as it is


def is_binary(content: bytes) -> bool:
    """git's rule: a NUL byte in the first 8000 bytes."""
    return b"\0" in content[:8000]


def uses_crlf(content: bytes) -> bool:
    """Every line ends in CRLF (and there is at least one line break)."""
    return b"\r\n" in content and not _LONE_LF.search(content)


def to_crlf(content: bytes) -> bytes:
    return _LONE_LF.sub(b"\r\n", content)


def has_conflict_markers(content: bytes) -> bool:
    """Markers that an earlier ``update`` wrote and nobody resolved yet."""
    return bool(_START.search(content) and _END.search(content))


def has_any_conflict_markers(content: bytes) -> bool:
    """Conflict markers of any origin: an earlier update's, or git's own."""
    return bool(_ANY.search(content))


def conflict_sides(content: bytes) -> tuple[bytes, bytes]:
    """The file as each side of its conflicts had it (diff3's base section dropped)."""
    ours: list[bytes] = []
    theirs: list[bytes] = []
    section = "both"
    for line in content.splitlines(keepends=True):
        if line.startswith(b"<<<<<<<") and section == "both":
            section = "ours"
        elif line.startswith(b"|||||||") and section == "ours":
            section = "base"
        elif line.rstrip(b"\r\n") == b"=======" and section in ("ours", "base"):
            section = "theirs"
        elif line.startswith(b">>>>>>>") and section == "theirs":
            section = "both"
        else:
            if section in ("both", "ours"):
                ours.append(line)
            if section in ("both", "theirs"):
                theirs.append(line)
    return b"".join(ours), b"".join(theirs)


def merge_file(
    base: bytes | None, yours: bytes, theirs: bytes, *, theirs_label: str
) -> MergeResult:
    """Merge the change from ``base`` to ``theirs`` into ``yours``.

    ``base`` is ``None`` when no copy of the last render exists (a file both
    you and infraplan created): the merge then runs against an empty base, so
    what both sides have in common merges and only the rest conflicts.
    """
    if yours == theirs:
        return MergeResult(yours, 0)
    if base is not None and yours == base:
        return MergeResult(theirs, 0)
    if uses_crlf(yours):
        base = to_crlf(base) if base is not None and not uses_crlf(base) else base
        theirs = to_crlf(theirs) if not uses_crlf(theirs) else theirs
        if yours == theirs or (base is not None and yours == base):
            return MergeResult(theirs, 0)
    if base is not None and theirs == base:
        return MergeResult(yours, 0)
    if any(is_binary(c) for c in (base or b"", yours, theirs)):
        return MergeResult(yours, 1, binary=True)
    return _git_merge_file(base or b"", yours, theirs, theirs_label)


def _git_merge_file(base: bytes, yours: bytes, theirs: bytes, theirs_label: str) -> MergeResult:
    git = shutil.which("git")
    if git is None:
        raise UserError(
            "infraplan update needs git for the three-way merge, and git is not on PATH",
            hint="install git (the repo need not be a git repository)",
        )
    with tempfile.TemporaryDirectory(prefix="infraplan-merge-") as tmp:
        paths = [Path(tmp) / name for name in ("yours", "base", "theirs")]
        for path, content in zip(paths, (yours, base, theirs), strict=True):
            path.write_bytes(content)
        # Run outside any repository, with the conflict style pinned, so neither
        # the user's git config nor a .gitattributes changes what we write.
        env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
        env["GIT_CONFIG_NOSYSTEM"] = "1"
        env["GIT_CONFIG_GLOBAL"] = os.devnull
        done = subprocess.run(
            [
                git,
                "-c",
                "merge.conflictStyle=merge",
                "merge-file",
                "-p",
                "-L",
                YOURS_LABEL,
                "-L",
                "base",
                "-L",
                theirs_label,
                *map(str, paths),
            ],
            capture_output=True,
            cwd=tmp,
            env=env,
            check=False,
        )
    if done.returncode < 0 or done.returncode > 127:
        message = done.stderr.decode("utf-8", "replace").strip()
        raise InfraplanError(f"git merge-file failed ({done.returncode}): {message}")
    return MergeResult(done.stdout, done.returncode)
