"""The one place that writes to the user's disk: only inside the target, all or nothing, crash-safe.

One transactional writer serves ``new`` and ``update``. A write goes in
steps, under ``<root>/.infraplan/txn/``:

1. every new content is staged (``new/<n>``) and flushed to disk;
2. the journal (``journal.json``: each path, written or deleted, and the hash
   of what was there) is written and renamed into place: the commit point;
3. each target is moved aside (``old/<n>``) and its staged content moved in;
4. folders a deletion emptied are removed, the journal is deleted, then the
   folder.

A process killed anywhere (SIGKILL, power loss) leaves either no journal,
and then nothing of the user's was touched, or a journal, and then the
write can be completed. :func:`finish_interrupted_write`, which every command
that reads a repo calls before anything else, does exactly that: it rolls an
interrupted write forward, or removes a staging area that never reached its
commit point. SIGINT and SIGTERM received during a write are held until it is
complete. A Python error during step 3 puts every file back.

Each step calls the test hook of :mod:`.interrupts`, which can kill the
process right after step N.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import stat
import tempfile
from collections.abc import Callable, Collection, Mapping
from pathlib import Path
from typing import Any

from infraplan.errors import UserError
from infraplan.scaffold.interrupts import signals_held, step_hook
from infraplan.spec.schema import SCHEMA_FILE, schema_json

TXN_DIR = ".infraplan/txn"
JOURNAL = "journal.json"


def write_spec(path: Path, text: str) -> list[Path]:
    """Write a spec and, first, the JSON Schema its comment names (SCHEMA_FILE beside
    it); returns what was written. A spec sent to a device or a pipe (``-o /dev/null``)
    has no folder of its own: it gets no schema."""
    path = Path(path)
    if not path.parent.is_dir():
        raise UserError(f"{path}: folder {path.parent} does not exist")
    written = []
    if not path.exists() or path.is_file():
        schema_path = path.parent / SCHEMA_FILE
        schema_path.parent.mkdir(exist_ok=True)
        write_file(schema_path, schema_json().encode("utf-8"))
        written.append(schema_path)
    write_file(path, text.encode("utf-8"))
    return [path, *written]


def write_file(path: Path, content: bytes) -> None:
    """Write ``content`` to ``path`` atomically: a reader sees the old file or the new one.

    A symlink is written through (the link stays, its target gets the content), and a path
    that is not a regular file (``-o /dev/null``, a named pipe) is written to in place: an
    atomic rename would put a regular file where the device or pipe was.
    """
    path = Path(path)
    if path.is_symlink():
        path = Path(os.path.realpath(path))
    if path.exists() and not path.is_file():
        _write_in_place(path, content)
        return
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


def _write_in_place(path: Path, content: bytes) -> None:
    if path.is_dir():
        raise UserError(f"{path}: is a folder", hint="name a file to write")
    try:
        with open(path, "wb") as handle:
            handle.write(content)
    except OSError as exc:
        raise UserError(f"{path}: cannot be written ({exc.strerror})") from None


def _mode_for(path: Path) -> int:
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        return _default_mode()


def _default_mode() -> int:
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


def check_target(
    root: Path,
    files: Mapping[str, tuple[bytes, bool]],
    *,
    force: bool,
    replaceable: Collection[str] = (),
) -> list[str]:
    """Refuse a target that is a file or has no parent; return what writing
    ``files`` would overwrite (paths whose current content differs).

    Without ``force`` a folder may hold only files ``files`` would write with the
    same bytes (e.g. the plan.yaml ``init`` wrote), the ``replaceable`` ones (the
    spec ``new`` reads, when it is the one it writes), git's folder and init's
    schema: anything else is refused, named, and nothing is written.
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
        if path in _WELCOME:
            continue  # an earlier init's schema: infraplan's own, replaced by this one's
        if (target.exists() or target.is_symlink()) and _read(target) != content:
            changed.append(path)
    if force:
        return changed
    others = sorted(
        rel for rel in _existing_files(root) if rel not in files and rel not in _WELCOME
    )
    refused = [path for path in changed if path not in replaceable]
    if refused or others:
        held = ", ".join(_listed(sorted(refused) + others))
        hint = "pass --force to write into it; it names each file it replaces" + (
            f" ({len(refused)} here)" if refused else ""
        )
        if (root / ".infraplan" / "manifest.json").is_file():
            hint += f"; for a repo infraplan wrote, `infraplan update {root}` keeps your edits"
        raise UserError(f"{root} is not empty: {held}; nothing was written", hint=hint)
    return changed


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


def write_tree(
    root: Path,
    files: Mapping[str, tuple[bytes, bool]],
    *,
    force: bool,
    replaceable: Collection[str] = (),
) -> list[str]:
    """Write ``files`` (path -> content, executable) under ``root``, a new or an
    existing folder, all or nothing; return the paths whose earlier, different
    content was replaced (see :func:`check_target` for what ``force`` and
    ``replaceable`` allow)."""
    root = Path(root)
    replaced = check_target(root, files, force=force, replaceable=replaceable)
    created = not root.exists()
    root.mkdir(exist_ok=True)
    try:
        apply_changes(root, files)
    except BaseException:
        if created and not (root / TXN_DIR / JOURNAL).exists():
            shutil.rmtree(root, ignore_errors=True)
        raise
    return replaced


def apply_changes(
    root: Path, writes: Mapping[str, tuple[bytes, bool]], deletions: Collection[str] = ()
) -> None:
    """Write and delete files under the existing folder ``root``, all or nothing.

    ``writes`` maps a path to its content and whether a new file is
    executable; a file that exists keeps its permissions. Every path is
    checked to stay inside ``root`` before anything is touched. Folders that a
    deletion leaves empty are removed.
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
    txn = root / TXN_DIR
    txn.parent.mkdir(exist_ok=True)
    try:
        txn.mkdir()
    except FileExistsError:
        raise UserError(
            f"{txn} exists: another infraplan is writing to {root}",
            hint="wait for it to finish; if none is running, run the command again: "
            "it completes the interrupted write first",
        ) from None
    step = step_hook()
    with signals_held():
        ops = _stage(root, txn, writes, deletions, targets, step)
        _commit(txn, ops, step)
        try:
            _roll_forward(root, txn, ops, step)
        except OSError as exc:
            _roll_back(root, txn, ops)
            raise UserError(
                f"{root}: cannot be written ({exc.strerror}); nothing was changed"
            ) from None
        except BaseException:
            _roll_back(root, txn, ops)
            raise
        _finish(root, txn, ops, step)


def finish_interrupted_write(root: Path) -> str:
    """Complete (or, before its commit point, undo) a write that was interrupted.

    Returns what was done ("" when there was nothing to do). Called by every
    command that reads a repo, before it reads anything else.
    """
    root = Path(root)
    txn = root / TXN_DIR
    if not txn.is_dir() or txn.is_symlink():
        return ""
    journal = txn / JOURNAL
    if not journal.is_file():
        shutil.rmtree(txn, ignore_errors=True)
        with contextlib.suppress(OSError):
            txn.parent.rmdir()  # only if it is empty: a `new` that never got that far
        return f"an interrupted write to {root} had changed nothing; its staging area is removed"
    try:
        ops: list[dict[str, Any]] = json.loads(journal.read_bytes())["ops"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise UserError(
            f"{journal}: an interrupted write's journal cannot be read ({exc})"
        ) from None
    for op in ops:  # a journal is data found on disk: it never writes outside the repo
        safe_target(root, str(op["path"]))
    changed = [op["path"] for i, op in enumerate(ops) if _moved_since(root, txn, i, op)]
    if changed:
        raise UserError(
            f"an interrupted write to {root} cannot be completed: {', '.join(changed)} "
            "changed since; nothing was changed",
            hint=f"move those files aside and run again, or delete {txn} to abandon the write "
            "(files already written stay written)",
        )
    with signals_held():
        _roll_forward(root, txn, ops, lambda: None)
        _finish(root, txn, ops, lambda: None)
    return f"an interrupted write to {root} was completed ({len(ops)} files)"


# -- the steps -----------------------------------------------------------------


def _stage(
    root: Path,
    txn: Path,
    writes: Mapping[str, tuple[bytes, bool]],
    deletions: Collection[str],
    targets: Mapping[str, Path],
    step: Callable[[], None],
) -> list[dict[str, Any]]:
    ops: list[dict[str, Any]] = []
    try:
        (txn / "new").mkdir()
        (txn / "old").mkdir()
        for index, (path, (content, executable)) in enumerate(writes.items()):
            staged = txn / "new" / str(index)
            with open(staged, "wb") as handle:
                handle.write(content)
                handle.flush()
                os.fsync(handle.fileno())
            target = targets[path]
            if target.is_file():
                staged.chmod(stat.S_IMODE(target.stat().st_mode))
            else:
                staged.chmod(0o755 if executable else _default_mode())
            ops.append({"path": path, "write": True, "before": _digest(target)})
            step()
        ops.extend(
            {"path": path, "write": False, "before": _digest(targets[path])} for path in deletions
        )
    except BaseException as exc:
        shutil.rmtree(txn, ignore_errors=True)
        if isinstance(exc, OSError):
            raise UserError(
                f"{root}: cannot be written ({exc.strerror}); nothing was changed"
            ) from None
        raise
    return ops


def _commit(txn: Path, ops: list[dict[str, Any]], step: Callable[[], None]) -> None:
    tmp = txn / f"{JOURNAL}.tmp"
    with open(tmp, "wb") as handle:
        handle.write(json.dumps({"version": 1, "ops": ops}, indent=1).encode("utf-8"))
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, txn / JOURNAL)
    _fsync_dir(txn)
    step()


def _roll_forward(
    root: Path, txn: Path, ops: list[dict[str, Any]], step: Callable[[], None]
) -> None:
    """Each move once, in order; a move already made is skipped (so this resumes)."""
    for index, op in enumerate(ops):
        target = root / op["path"]
        staged, saved = txn / "new" / str(index), txn / "old" / str(index)
        if op["write"] and not staged.exists():
            continue
        if (target.exists() or target.is_symlink()) and not saved.exists():
            os.replace(target, saved)
            step()
        if op["write"]:
            _make_parents(root, target.parent)
            os.replace(staged, target)
            step()


def _roll_back(root: Path, txn: Path, ops: list[dict[str, Any]]) -> None:
    """After a Python error in the moves: every file as it was."""
    for index, op in reversed(list(enumerate(ops))):
        target = root / op["path"]
        staged, saved = txn / "new" / str(index), txn / "old" / str(index)
        if op["write"] and not staged.exists() and (target.exists() or target.is_symlink()):
            target.unlink()
        if saved.exists() or saved.is_symlink():
            os.replace(saved, target)
        if op["write"] and op["before"] is None:
            _remove_empty_parents(root, target)
    shutil.rmtree(txn, ignore_errors=True)


def _finish(root: Path, txn: Path, ops: list[dict[str, Any]], step: Callable[[], None]) -> None:
    for op in ops:
        if not op["write"]:
            _remove_empty_parents(root, root / op["path"])
    (txn / JOURNAL).unlink()
    step()
    shutil.rmtree(txn, ignore_errors=True)
    step()


def _moved_since(root: Path, txn: Path, index: int, op: Mapping[str, Any]) -> bool:
    """Has the user changed a target the interrupted write had not reached yet?"""
    staged, saved = txn / "new" / str(index), txn / "old" / str(index)
    pending = staged.exists() if op["write"] else not saved.exists()
    if not pending or saved.exists():
        return False
    return (
        _digest(root / op["path"]) != str(op["before"])
        if op["before"]
        else (_digest(root / op["path"]) is not None)
    )


def _digest(target: Path) -> str | None:
    import hashlib

    if target.is_symlink():
        return "symlink:" + os.readlink(target)
    try:
        return hashlib.sha256(target.read_bytes()).hexdigest()
    except FileNotFoundError:
        return None


def _make_parents(root: Path, folder: Path) -> None:
    missing: list[Path] = []
    while not folder.exists() and folder != root:
        missing.append(folder)
        folder = folder.parent
    for item in reversed(missing):
        item.mkdir()


def _remove_empty_parents(root: Path, target: Path) -> None:
    folder = target.parent
    resolved_root = root.resolve()
    while folder.resolve() != resolved_root and folder.resolve().is_relative_to(resolved_root):
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):  # not every platform opens folders
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
