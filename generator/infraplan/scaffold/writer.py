"""The one place that writes to the user's disk: atomically, and only inside the target."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Collection, Mapping
from pathlib import Path

from infraplan.errors import UserError
from infraplan.spec.schema import SCHEMA_FILE


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
        # mkstemp makes the file private (0600): keep the old file's mode, or
        # give a new one the mode any other new file would get
        os.chmod(tmp, _mode_for(path))
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise UserError(f"{path}: cannot be written ({exc.strerror})") from None


def _mode_for(path: Path) -> int:
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


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


# What may already be in a folder before ``new`` writes into it without --force:
# git's own folder, and what ``infraplan init`` left there (the schema beside the spec).
_WELCOME = (".git", SCHEMA_FILE)
_LISTED = 8  # names shown in a message before "and N more"


def check_target(root: Path, files: Mapping[str, tuple[bytes, bool]], *, force: bool) -> list[str]:
    """Refuse a target that is a file or has no parent; return what writing
    ``files`` would overwrite (paths whose current content differs).

    Without ``force`` a folder may hold only files ``files`` would write with the
    same bytes (e.g. the plan.yaml ``init`` wrote), git's folder and init's schema:
    anything else is refused, named, and nothing is written.
    """
    if root.exists() and not root.is_dir():
        raise UserError(f"{root} exists and is not a folder")
    if not root.resolve().parent.is_dir():
        raise UserError(f"{root}: folder {root.resolve().parent} does not exist")
    if not root.is_dir():
        return []
    changed = []
    for path, (content, _) in files.items():
        target = safe_target(root, path)
        if target.is_dir() and not target.is_symlink():
            raise UserError(f"{target} is a folder; infraplan needs to write a file there")
        if (target.exists() or target.is_symlink()) and _read(target) != content:
            changed.append(path)
    if force:
        return changed
    others = sorted(
        rel for rel in _existing_files(root) if rel not in files and rel not in _WELCOME
    )
    if changed or others:
        held = ", ".join(_listed(sorted(changed) + others))
        hint = "pass --force to write into it; it names each file it replaces" + (
            f" ({len(changed)} here)" if changed else ""
        )
        if (root / ".infraplan" / "manifest.json").is_file():
            hint += f"; for a repo infraplan wrote, `infraplan update {root}` keeps your edits"
        raise UserError(f"{root} is not empty: {held}; nothing was written", hint=hint)
    return []


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def _existing_files(root: Path) -> list[str]:
    found = []
    for folder, dirs, names in os.walk(root):
        if Path(folder) == root and _WELCOME[0] in dirs:
            dirs.remove(_WELCOME[0])  # git's objects are not ours to list
        found += [(Path(folder) / name).relative_to(root).as_posix() for name in names]
    return found


def _listed(paths: list[str]) -> list[str]:
    if len(paths) <= _LISTED:
        return paths
    return [*paths[:_LISTED], f"and {len(paths) - _LISTED} more"]


def write_tree(root: Path, files: dict[str, tuple[bytes, bool]], *, force: bool) -> list[str]:
    """Write ``files`` (path -> content, executable) under ``root``, all or nothing;
    return the paths whose earlier, different content was replaced (see
    :func:`check_target` for what ``force`` allows).

    Everything is first written to a staging folder beside ``root``; then a
    new ``root`` is renamed into place in one step, or, into an existing
    folder (``force``), each file replaces its old version, and any failure
    puts every replaced file back.
    """
    root = Path(root)
    replaced = check_target(root, files, force=force)
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
            return replaced
        _move_into(root, staging, targets)
    except OSError as exc:
        raise UserError(
            f"{root}: cannot be written ({exc.strerror}); nothing was changed"
        ) from None
    finally:
        _remove_tree(staging)
    return replaced


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


def apply_changes(
    root: Path,
    writes: Mapping[str, tuple[bytes, bool]],
    deletions: Collection[str] = (),
    *,
    staging_parent: str = ".infraplan",
) -> None:
    """Write and delete files under the existing folder ``root``, all or nothing.

    ``writes`` maps a path to its content and whether a new file is
    executable; a file that exists keeps its permissions. Every path is
    checked to stay inside ``root`` before anything is touched; new contents
    are staged inside ``root`` (under ``staging_parent``, so renames stay on
    one file system) and moved into place; on any failure every file is put
    back as it was. Folders that a deletion leaves empty are removed.
    """
    root = Path(root)
    if not root.is_dir():
        raise UserError(f"{root} is not a folder")
    overlap = set(writes) & set(deletions)
    if overlap:
        raise ValueError(f"both written and deleted: {sorted(overlap)}")
    targets = {path: safe_target(root, path) for path in [*writes, *deletions]}
    for target in targets.values():
        if target.is_dir() and not target.is_symlink():
            raise UserError(f"{target} is a folder; infraplan needs a file there")
    if not writes and not deletions:
        return
    holder = safe_target(root, staging_parent)
    holder.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=holder))
    try:
        for path, (content, executable) in writes.items():
            staged = staging / "new" / path
            staged.parent.mkdir(parents=True, exist_ok=True)
            staged.write_bytes(content)
            target = targets[path]
            if target.is_file():
                staged.chmod(target.stat().st_mode & 0o7777)
            elif executable:
                staged.chmod(0o755)
        _swap_in(root, staging, {p: targets[p] for p in writes}, [targets[p] for p in deletions])
    except OSError as exc:
        raise UserError(
            f"{root}: cannot be written ({exc.strerror}); nothing was changed"
        ) from None
    finally:
        _remove_tree(staging)
    for target in (targets[p] for p in deletions):
        _remove_empty_parents(root, target)


def _swap_in(root: Path, staging: Path, writes: dict[str, Path], deletions: list[Path]) -> None:
    steps: list[tuple[Path, Path | None]] = [
        *((target, staging / "new" / path) for path, target in writes.items()),
        *((target, None) for target in deletions),
    ]
    done: list[tuple[Path, Path | None, bool]] = []  # target, its saved copy, new file in place
    created_dirs: list[Path] = []
    try:
        for index, (target, staged) in enumerate(steps):
            saved: Path | None = None
            if target.exists() or target.is_symlink():
                saved = staging / "old" / str(index)
                saved.parent.mkdir(parents=True, exist_ok=True)
                os.replace(target, saved)
            done.append((target, saved, False))
            if staged is not None:
                created_dirs.extend(_make_parents(root, target.parent))
                os.replace(staged, target)
                done[-1] = (target, saved, True)
    except BaseException:
        for target, saved, placed in reversed(done):
            if placed:
                target.unlink()
            if saved is not None:
                os.replace(saved, target)
        for folder in reversed(created_dirs):
            with contextlib.suppress(OSError):
                folder.rmdir()
        raise


def _make_parents(root: Path, folder: Path) -> list[Path]:
    missing: list[Path] = []
    while not folder.exists() and folder != root:
        missing.append(folder)
        folder = folder.parent
    for item in reversed(missing):
        item.mkdir()
    return list(reversed(missing))


def _remove_empty_parents(root: Path, target: Path) -> None:
    folder = target.parent
    resolved_root = root.resolve()
    while folder.resolve() != resolved_root and folder.resolve().is_relative_to(resolved_root):
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent


def _remove_tree(path: Path) -> None:
    import shutil

    shutil.rmtree(path, ignore_errors=True)
