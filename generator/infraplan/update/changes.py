"""What ``update`` does to each file: the per-file policy applied to base, yours and theirs.

One decision per path, from three facts: what the manifest remembers of it
(policy, the hash of what infraplan generated, whether you deleted it), what
is on disk now, and what the new render wants. Nothing here writes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from enum import Enum
from pathlib import Path

from infraplan.errors import UserError
from infraplan.plan.tick import checkbox_state, set_checkboxes
from infraplan.scaffold.manifest import FileRecord, Manifest, is_state_path, policy_for, sha256
from infraplan.scaffold.render import File
from infraplan.scaffold.repo import PLAN_PATH
from infraplan.scaffold.writer import safe_target
from infraplan.update.merge import (
    MergeResult,
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
    unresolved: tuple[str, ...]  # managed files still holding markers of an earlier update


def plan_file_changes(
    root: Path,
    manifest: Manifest,
    rendered: Sequence[File],
    read_base: ReadBase,
    *,
    theirs_label: str,
) -> FileChanges:
    """Decide, file by file, what ``update`` does; read the disk, never write."""
    new = {f.path: f for f in rendered if not is_state_path(f.path)}
    changes: list[FileChange] = []
    seeded_sha: dict[str, str] = {}
    deleted: list[str] = []
    unresolved: list[str] = []
    for path in sorted(set(manifest.files) | set(new)):
        if policy_for(path) == "source" or is_state_path(path):
            continue
        record = manifest.files.get(path)
        file = new.get(path)
        disk = read_disk(root, path)
        if file is None:
            if record is not None:
                changes.append(_retired(path, record, disk, read_base))
            continue
        if record is None or (record.deleted and disk is not None):
            recorded = record.sha256 if record is not None else None
            changes.append(_arrived(file, disk, recorded, read_base, theirs_label))
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
            if sha256(disk) != record.sha256 and has_conflict_markers(disk):
                unresolved.append(path)
            base = read_base(record.sha256)
            if base is None and _generated(disk, record.sha256, read_base):
                base = disk  # unedited: what is on disk is what infraplan generated
            changes.append(_merged(file, base, disk, theirs_label))
    return FileChanges(tuple(changes), seeded_sha, tuple(deleted), tuple(unresolved))


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
    file: File, disk: bytes | None, recorded: str | None, read_base: ReadBase, theirs_label: str
) -> FileChange:
    """A file new to the plan (or back in it)."""
    if disk is None:
        return FileChange(file.path, Outcome.CREATED, None, file.content, file.executable)
    if policy_for(file.path) == "seeded":
        return FileChange(file.path, Outcome.UNCHANGED, disk, None, note="yours already")
    base = disk if _generated(disk, recorded, read_base) else None
    change = _merged(file, base, disk, theirs_label)
    if change.outcome is Outcome.CONFLICT:
        note = "you and the plan both created it; the differences are marked"
        return FileChange(
            change.path, change.outcome, disk, change.after, conflicts=change.conflicts, note=note
        )
    return change


def _merged(file: File, base: bytes | None, disk: bytes, theirs_label: str) -> FileChange:
    if file.path == PLAN_PATH:
        result = _merge_plan(base, disk, file.content, theirs_label)
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


def _merge_plan(base: bytes | None, disk: bytes, theirs: bytes, theirs_label: str) -> MergeResult:
    """PLAN.md merged with its checkboxes set aside: a box you (or `check --tick`)
    ticked is state, not an edit, so a task whose text the plan changes does not
    conflict; each box is set again by task id and criterion position."""
    try:
        texts = [c.decode("utf-8") if c is not None else None for c in (base, disk, theirs)]
    except UnicodeDecodeError:
        return merge_file(base, disk, theirs, theirs_label=theirs_label)
    base_text, disk_text, theirs_text = texts
    assert disk_text is not None and theirs_text is not None
    state = checkbox_state(disk_text)
    result = merge_file(
        set_checkboxes(base_text).encode("utf-8") if base_text is not None else None,
        set_checkboxes(disk_text).encode("utf-8"),
        theirs_text.encode("utf-8"),
        theirs_label=theirs_label,
    )
    if result.binary:
        return result
    ticked = set_checkboxes(result.content.decode("utf-8"), state)
    return replace(result, content=ticked.encode("utf-8"))


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
