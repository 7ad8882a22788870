"""Is the repo under git, and does it have changes ``update`` would mix with its own?

``update`` refuses a dirty tree (unless told) so that ``git diff`` shows
exactly what it did. ``plan.yaml`` is left out of the test: editing it is how
an update starts, and ``update`` never writes it; so are untracked files that
``update`` does not write.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Collection
from pathlib import Path

from infraplan.errors import UserError

SHOWN = 10


def _git_env() -> dict[str, str]:
    # Ask about the folder we were given, not about a repository named by the caller's env.
    hidden = ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_PREFIX", "GIT_COMMON_DIR")
    return {k: v for k, v in os.environ.items() if k not in hidden}


def _git(root: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    git = shutil.which("git")
    assert git is not None
    return subprocess.run(
        [git, "-C", str(root), *args], capture_output=True, env=_git_env(), check=False
    )


def in_git_repo(root: Path) -> bool:
    if shutil.which("git") is None:
        return False
    done = _git(root, "rev-parse", "--is-inside-work-tree")
    if done.returncode != 0 and b"safe.directory" in done.stderr:
        raise UserError(
            f"{root}: git refuses to read this repository (dubious ownership)",
            hint="run the `git config --global --add safe.directory` command git suggests",
        )
    return done.returncode == 0 and done.stdout.strip() == b"true"


def uncommitted_changes(root: Path, *, spec_name: str) -> list[tuple[str, str]]:
    """(status, path) of every uncommitted change under ``root``; paths relative to ``root``."""
    prefix = _git(root, "rev-parse", "--show-prefix").stdout.decode("utf-8").strip()
    done = _git(
        root,
        "status",
        "--porcelain=v1",
        "-z",
        "--untracked-files=all",
        "--",
        ".",
        f":(exclude){spec_name}",
    )
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip()
        raise UserError(f"{root}: git status failed: {message}")
    changes: list[tuple[str, str]] = []
    entries = done.stdout.split(b"\0")
    index = 0
    while index < len(entries):
        entry = entries[index]
        index += 1
        if not entry:
            continue
        status = entry[:2].decode("ascii", "replace")
        path = entry[3:].decode("utf-8", "replace")  # relative to the repository's top
        changes.append((status, path[len(prefix) :] if path.startswith(prefix) else path))
        if status[0] in "RC":
            index += 1  # a rename's source path follows
    return changes


def refuse_dirty_tree(root: Path, *, spec_name: str, touched: Collection[str]) -> None:
    """Refuse uncommitted changes to tracked files, and untracked files update would write.

    Other untracked files (``.terraform/``, scratch files) do not blur what
    ``git diff`` shows after the update, so they do not count.
    """
    if not in_git_repo(root):
        return
    dirty = [
        path
        for status, path in uncommitted_changes(root, spec_name=spec_name)
        if status != "??" or path in touched
    ]
    if not dirty:
        return
    shown = ", ".join(dirty[:SHOWN])
    if len(dirty) > SHOWN:
        shown += f" and {len(dirty) - SHOWN} more"
    raise UserError(
        f"{root} has uncommitted changes ({shown}); update would mix its changes with yours",
        hint="commit them first so `git diff` shows what update did, or pass --allow-dirty",
    )
