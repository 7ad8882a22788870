"""The one place that writes to the user's disk: atomically, and only inside the target."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from infraplan.errors import UserError


def write_file(path: Path, content: bytes) -> None:
    """Write ``content`` to ``path`` atomically: a reader sees the old file or the new one."""
    path = Path(path)
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise UserError(f"{path}: folder {parent} does not exist")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise UserError(f"{path}: cannot be written ({exc.strerror})") from None


def safe_target(root: Path, relative: str) -> Path:
    """``root / relative``, refusing any path that would land outside ``root``."""
    if not relative or relative.startswith(("/", "\\")) or "\\" in relative:
        raise UserError(f"refusing to write {relative!r}: not a relative POSIX path")
    parts = relative.split("/")
    if any(part in ("", ".", "..") for part in parts):
        raise UserError(f"refusing to write {relative!r}: it leaves the target folder")
    target = root / Path(*parts)
    resolved_root = root.resolve()
    # A symlink inside the target could point elsewhere: resolve what exists.
    if not target.resolve().is_relative_to(resolved_root):
        raise UserError(f"refusing to write {relative!r}: it resolves outside {root}")
    return target


def check_target(root: Path, *, force: bool) -> None:
    """Refuse a target that is a file, is not empty (unless ``force``), or has no parent."""
    if root.exists() and not root.is_dir():
        raise UserError(f"{root} exists and is not a folder")
    if root.is_dir() and any(root.iterdir()) and not force:
        raise UserError(
            f"{root} is not empty", hint="choose an empty folder, or pass --force to write into it"
        )
    if not root.resolve().parent.is_dir():
        raise UserError(f"{root}: folder {root.resolve().parent} does not exist")


def write_tree(root: Path, files: dict[str, tuple[bytes, bool]], *, force: bool) -> None:
    """Write ``files`` (path -> content, executable) under ``root``, all or nothing.

    Everything is first written to a staging folder beside ``root``; then a
    new ``root`` is renamed into place in one step, or, into an existing
    folder (``force``), each file replaces its old version, and any failure
    puts every replaced file back.
    """
    root = Path(root)
    check_target(root, force=force)
    parent = root.resolve().parent
    targets = {path: safe_target(root, path) for path in files} if root.is_dir() else {}
    staging = Path(tempfile.mkdtemp(prefix=f".{root.name}.infraplan-", dir=parent))
    try:
        for path, (content, executable) in files.items():
            staged = staging / "new" / path
            staged.parent.mkdir(parents=True, exist_ok=True)
            staged.write_bytes(content)
            if executable:
                staged.chmod(0o755)
        if not root.is_dir():
            os.replace(staging / "new", root)
            return
        _move_into(root, staging, targets)
    except OSError as exc:
        raise UserError(
            f"{root}: cannot be written ({exc.strerror}); nothing was changed"
        ) from None
    finally:
        _remove_tree(staging)


def _move_into(root: Path, staging: Path, targets: dict[str, Path]) -> None:
    backup = staging / "old"
    replaced: list[tuple[Path, Path | None]] = []
    try:
        for path, target in targets.items():
            saved: Path | None = None
            if target.exists() or target.is_symlink():
                if target.is_dir():
                    raise UserError(f"{target} is a folder; infraplan needs to write a file there")
                saved = backup / path
                saved.parent.mkdir(parents=True, exist_ok=True)
                os.replace(target, saved)
            target.parent.mkdir(parents=True, exist_ok=True)
            replaced.append((target, saved))
            os.replace(staging / "new" / path, target)
    except BaseException:
        for target, saved in reversed(replaced):
            if saved is not None:
                os.replace(saved, target)
            else:
                target.unlink(missing_ok=True)
        raise


def _remove_tree(path: Path) -> None:
    import shutil

    shutil.rmtree(path, ignore_errors=True)
