"""What ``update`` does to each file: the per-file policy applied to base, yours and theirs.

One decision per path, from three facts: what the manifest remembers of it
(policy, the hash of what infraplan generated, whether you deleted it), what
is on disk now, and what the new render wants. Nothing here writes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import Enum
from pathlib import Path

from infraplan.errors import UserError
from infraplan.scaffold.bases import is_state_path
from infraplan.scaffold.manifest import FileRecord, Manifest, policy_for, sha256
from infraplan.scaffold.render import File
from infraplan.scaffold.repo import PLAN_PATH
from infraplan.scaffold.writer import safe_target
from infraplan.update.checkboxes import PlanVersions, merge_plan, untick
from infraplan.update.merge import (
    conflict_sides,
    has_any_conflict_markers,
    has_conflict_markers,
    merge_file,
    to_crlf,
    uses_crlf,
)

ReadBase = Callable[[str], bytes | None]  # sha256 -> the base copy, if kept


class Outcome(Enum):
    CREATED = "created"  # the plan needs a new file
    UPDATED = "updated"  # you had not edited it: it is now the new render
    MERGED = "merged"  # your edits and infraplan's change, merged cleanly
    CONFLICT = "conflict"  # your edits and infraplan's change touch the same lines
    REMOVED = "removed"  # the plan no longer needs it and you had not edited it
    KEPT_EDITED = "kept"  # the plan no longer needs it, but you edited it
    STAYS_DELETED = "deleted"  # you deleted it; it stays deleted
    SEEDED_CHANGED = "seeded"  # kept as it is, though the plan now renders it differently
    LINKED = "linked"  # a symlink stands where the plan has a file: left as it is
    UNCHANGED = "unchanged"  # nothing to do (seeded files, files nobody changed)


@dataclass(frozen=True)
class FileChange:
    path: str
    outcome: Outcome
    before: bytes | None  # on disk now
    after: bytes | None  # what to write; None: leave as is (or delete, for REMOVED)
    executable: bool = False
    conflicts: int = 0
    note: str = ""
    # SEEDED_CHANGED: the plan's last and new versions, for the user to port by hand.
    plan_change: tuple[bytes | None, bytes] | None = None

    @property
    def writes(self) -> bool:
        return self.after is not None and self.after != self.before


@dataclass(frozen=True)
class FileChanges:
    changes: tuple[FileChange, ...]
    seeded_sha: Mapping[str, str]  # seeded files kept: the hash of what was written then
    deleted: tuple[str, ...]  # files you deleted that the plan still has
    unresolved: tuple[str, ...]  # managed files still holding conflict markers
    kept: Mapping[str, FileRecord] = field(default_factory=dict)  # left as they were (symlinks)


def plan_file_changes(
    root: Path,
    manifest: Manifest,
    rendered: Sequence[File],
    bases: Mapping[str, bytes],
    *,
    theirs_label: str,
    plan: PlanVersions,
) -> FileChanges:
    """Decide, file by file, what ``update`` does; read the disk, never write."""
    new = {f.path: f for f in rendered if not is_state_path(f.path)}
    read_base: ReadBase = bases.get
    changes: list[FileChange] = []
    seeded_sha: dict[str, str] = {}
    deleted: list[str] = []
    unresolved: list[str] = []
    kept: dict[str, FileRecord] = {}
    for path in sorted(set(manifest.files) | set(new)):
        if policy_for(path) == "source" or is_state_path(path):
            continue
        record = manifest.files.get(path)
        file = new.get(path)
        link = symlink_on(root, path)
        if link is not None:
            if record is not None:
                kept[path] = record
            changes.append(_linked(root, path, link, new))
            continue
        disk = read_disk(root, path)
        if file is None:
            if record is not None:
                changes.append(_retired(path, record, disk, read_base))
            continue
        if record is None or (record.deleted and disk is not None):
            recorded = record.sha256 if record is not None else None
            changes.append(_arrived(file, disk, recorded, read_base, theirs_label, plan))
        elif record.deleted or disk is None:
            deleted.append(path)
            # Said when it happens and when the plan changes the file, not on every run.
            known = record.deleted and sha256(file.content) == record.sha256
            outcome = Outcome.UNCHANGED if known else Outcome.STAYS_DELETED
            changes.append(FileChange(path, outcome, None, None))
        elif policy_for(path) == "seeded":
            seeded_sha[path] = record.sha256
            changes.append(_seeded(file, record, disk, read_base))
        else:
            base = read_base(record.sha256)
            if base is None and sha256(file.content) == record.sha256:
                base = file.content  # the render did not change: it is the last one
            if sha256(disk) != record.sha256 and has_any_conflict_markers(disk):
                sides = _generated_sides(path, disk, record, bases)
                if sides is None or has_conflict_markers(disk):
                    unresolved.append(path)
                elif path != PLAN_PATH:
                    note = "a git conflict between two generated versions: rendered again"
                    changes.append(FileChange(path, Outcome.UPDATED, disk, file.content, note=note))
                    continue
                else:
                    change = _merged(file, base, sides[0], theirs_label, plan, sides[1])
                    after = change.after if change.after is not None else sides[0]
                    note = "a git conflict between two generated versions: merged again"
                    outcome = change.outcome
                    if outcome is Outcome.UNCHANGED:
                        outcome = Outcome.MERGED
                    change = replace(change, outcome=outcome, before=disk, after=after, note=note)
                    changes.append(change)
                    continue
            if base is None and _generated(disk, record.sha256, read_base):
                base = disk  # unedited: what is on disk is what infraplan generated
            changes.append(_merged(file, base, disk, theirs_label, plan))
    return FileChanges(tuple(changes), seeded_sha, tuple(deleted), tuple(unresolved), kept)


def symlink_on(root: Path, path: str) -> Path | None:
    """The first part of ``path`` under ``root`` that is a symlink, if any."""
    current = root
    for part in path.split("/"):
        current = current / part
        if current.is_symlink():
            return current
        if not current.exists():
            return None
    return None


def _linked(root: Path, path: str, link: Path, rendered: Mapping[str, File]) -> FileChange:
    """update follows no symlink: the path is reported and left as it is."""
    try:
        where: str | None = link.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        where = None
    name = link.relative_to(root).as_posix()
    kind = "a symlink" if name == path else f"under the symlink {name}"
    if where is None:
        note = f"{kind} out of the repo: left as it is, not updated"
    else:
        note = f"{kind} to {where}: left as it is"
        if where in rendered and name == path:
            note += f"; {where} itself is merged"
    return FileChange(path, Outcome.LINKED, None, None, note=note)


def _generated_sides(
    path: str, disk: bytes, record: FileRecord, bases: Mapping[str, bytes]
) -> tuple[bytes, bytes] | None:
    """Both sides of a file's git conflicts, when each is something infraplan generated
    (PLAN.md: but for its ticks); None when either holds an edit of yours."""
    sides = conflict_sides(disk)
    if path == PLAN_PATH:
        known = {sha256(untick(content)) for content in bases.values() if b"- [" in content}
        ok = all(sha256(untick(side)) in known for side in sides)
    else:
        ok = all(sha256(side) == record.sha256 or sha256(side) in bases for side in sides)
    return sides if ok else None


def read_disk(root: Path, path: str) -> bytes | None:
    target = safe_target(root, path)
    if target.is_dir():
        raise UserError(f"{target} is a folder; the plan has a file there")
    try:
        return target.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise UserError(f"{target}: cannot be read ({exc.strerror})") from None


def _seeded(file: File, record: FileRecord, disk: bytes, read_base: ReadBase) -> FileChange:
    """A seeded file is yours; if the plan's version of it moved on, say how."""
    if sha256(file.content) == record.last_render or file.content == disk:
        return FileChange(file.path, Outcome.UNCHANGED, disk, None)
    note = "written once, now yours: kept; the plan changed its version, port what you need"
    change = (read_base(record.last_render), file.content)
    return FileChange(file.path, Outcome.SEEDED_CHANGED, disk, None, note=note, plan_change=change)


def _generated(disk: bytes, recorded: str | None, read_base: ReadBase) -> bool:
    """Is ``disk`` exactly something infraplan generated (so nobody edited it)?

    True when it matches the manifest's hash, or any base copy kept: after a
    git merge of two branches that both ran ``update``, a file may come from
    the branch whose manifest was not kept.
    """
    digest = sha256(disk)
    return digest == recorded or read_base(digest) is not None


def _arrived(
    file: File,
    disk: bytes | None,
    recorded: str | None,
    read_base: ReadBase,
    theirs_label: str,
    plan: PlanVersions,
) -> FileChange:
    """A file new to the plan (or back in it)."""
    if disk is None:
        return FileChange(file.path, Outcome.CREATED, None, file.content, file.executable)
    if policy_for(file.path) == "seeded":
        return FileChange(file.path, Outcome.UNCHANGED, disk, None, note="yours already")
    base = disk if _generated(disk, recorded, read_base) else None
    change = _merged(file, base, disk, theirs_label, plan)
    if change.outcome is Outcome.CONFLICT:
        note = "you and the plan both created it; the differences are marked"
        return FileChange(
            change.path, change.outcome, disk, change.after, conflicts=change.conflicts, note=note
        )
    return change


def _merged(
    file: File,
    base: bytes | None,
    disk: bytes,
    theirs_label: str,
    plan: PlanVersions,
    other: bytes | None = None,
) -> FileChange:
    if file.path == PLAN_PATH:
        result = merge_plan(base, disk, file.content, plan, theirs_label, other=other)
    else:
        result = merge_file(base, disk, file.content, theirs_label=theirs_label)
    if result.binary:
        note = "binary file: yours is kept as it is; infraplan's new version differs"
        return FileChange(file.path, Outcome.CONFLICT, disk, None, conflicts=1, note=note)
    if result.conflicts:
        count = result.conflicts
        note = f"{count} conflict{'s' if count > 1 else ''} marked"
        return FileChange(
            file.path, Outcome.CONFLICT, disk, result.content, conflicts=count, note=note
        )
    if result.content == disk:
        return FileChange(file.path, Outcome.UNCHANGED, disk, None)
    if result.content in (file.content, to_crlf(file.content)):
        return FileChange(file.path, Outcome.UPDATED, disk, result.content)
    return FileChange(file.path, Outcome.MERGED, disk, result.content, note="your edits kept")


def _retired(path: str, record: FileRecord, disk: bytes | None, read_base: ReadBase) -> FileChange:
    """A file the new plan no longer needs: removed only if you never edited it."""
    if disk is None or record.deleted:
        return FileChange(path, Outcome.UNCHANGED, disk, None, note="gone already")
    if _unedited(disk, record, read_base):
        return FileChange(path, Outcome.REMOVED, disk, None, note="no longer in the plan")
    note = "no longer in the plan, but you edited it: kept; delete it yourself if it is obsolete"
    return FileChange(path, Outcome.KEPT_EDITED, disk, None, note=note)


def _unedited(disk: bytes, record: FileRecord, read_base: ReadBase) -> bool:
    if sha256(disk) == record.sha256:
        return True
    base = read_base(record.sha256)
    return base is not None and uses_crlf(disk) and to_crlf(base) == disk
