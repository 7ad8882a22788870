"""The unified diff ``--dry-run`` prints: what would change, file by file, git-style."""

from __future__ import annotations

import difflib

from infraplan.update.merge import is_binary

NO_NEWLINE = "\\ No newline at end of file\n"


def unified_diff(path: str, before: bytes | None, after: bytes | None) -> str:
    """``before`` → ``after`` for ``path``; ``None`` is a missing file."""
    old_name = f"a/{path}" if before is not None else "/dev/null"
    new_name = f"b/{path}" if after is not None else "/dev/null"
    header = f"diff --git a/{path} b/{path}\n"
    if any(c is not None and is_binary(c) for c in (before, after)):
        return f"{header}Binary files {old_name} and {new_name} differ\n"
    lines = difflib.unified_diff(
        _lines(before), _lines(after), fromfile=old_name, tofile=new_name, n=3
    )
    body = []
    for line in lines:
        if line.endswith("\n"):
            body.append(line)
        else:
            body.append(line + "\n" + NO_NEWLINE)
    return header + "".join(body)


def _lines(content: bytes | None) -> list[str]:
    if content is None:
        return []
    # Split on LF only: CR, form feeds and Unicode line separators stay inside their line.
    parts = content.decode("utf-8", "replace").split("\n")
    lines = [part + "\n" for part in parts[:-1]]
    if parts[-1]:
        lines.append(parts[-1])
    return lines
