"""Is the repo under git, and does it have changes ``update`` would mix with its own?

``update`` refuses a dirty tree (unless told) so that ``git diff`` shows
exactly what it did. ``plan.yaml`` is left out of the test: editing it is how
an update starts, and ``update`` never writes it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
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


def uncommitted_changes(root: Path, *, spec_name: str) -> list[str]:
    """Paths under ``root`` with uncommitted changes, untracked files included."""
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
    paths: list[str] = []
    entries = done.stdout.split(b"\0")
    index = 0
    while index < len(entries):
        entry = entries[index]
        index += 1
        if not entry:
            continue
        paths.append(entry[3:].decode("utf-8", "replace"))
        if entry[:1] in (b"R", b"C"):
            index += 1  # a rename's source path follows
    return paths


def refuse_dirty_tree(root: Path, *, spec_name: str) -> None:
    if not in_git_repo(root):
        return
    dirty = uncommitted_changes(root, spec_name=spec_name)
    if not dirty:
        return
    shown = ", ".join(dirty[:SHOWN]) + (
        f" and {len(dirty) - SHOWN} more" if len(dirty) > SHOWN else ""
    )
    raise UserError(
        f"{root} has uncommitted changes ({shown}); update would mix its changes with yours",
        hint="commit them first so `git diff` shows what update did, or pass --allow-dirty",
    )
