"""An update computed in full before anything is written.

``prepare_update`` loads and validates the spec, renders the new repo in
memory, decides what happens to every file and works out infraplan's own
bookkeeping (the manifest and the base copies); ``apply_update`` hands all of
it to the writer in one all-or-nothing step. ``--dry-run`` and ``--check``
stop after the first.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import infraplan
from infraplan.catalogue import LANGS, Lang
from infraplan.errors import UserError
from infraplan.scaffold.manifest import (
    BASE_DIR,
    MANIFEST_PATH,
    Manifest,
    base_path,
    dump_manifest,
    is_base_path,
    read_manifest,
    record_outcome,
    sha256,
)
from infraplan.scaffold.repo import SPEC_PATH, build_starter_repo
from infraplan.scaffold.writer import apply_changes, safe_target
from infraplan.spec.load import load_spec
from infraplan.spec.model import Spec
from infraplan.update.changes import FileChange, FileChanges, Outcome, plan_file_changes


@dataclass(frozen=True)
class PendingUpdate:
    root: Path
    files: FileChanges
    state_writes: Mapping[str, bytes]  # the manifest and new base copies
    state_deletions: tuple[str, ...]  # base copies nothing needs any more
    from_version: str
    to_version: str
    spec_changed: bool
    tasks_by_file: Mapping[str, list[str]] = field(default_factory=dict)

    def changes(self, *outcomes: Outcome) -> list[FileChange]:
        return [c for c in self.files.changes if not outcomes or c.outcome in outcomes]

    @property
    def conflicts(self) -> list[FileChange]:
        return self.changes(Outcome.CONFLICT)

    def writes(self) -> dict[str, tuple[bytes, bool]]:
        out = {
            c.path: (c.after, c.executable)
            for c in self.files.changes
            if c.after is not None and c.after != c.before
        }
        return {**out, **{p: (content, False) for p, content in self.state_writes.items()}}

    def deletions(self) -> list[str]:
        return [*(c.path for c in self.changes(Outcome.REMOVED)), *self.state_deletions]

    @property
    def behind(self) -> bool:
        """The repo is not what this plan and this infraplan would make of it."""
        return bool(self.writes() or self.deletions())


def prepare_update(root: Path) -> PendingUpdate:
    """Everything ``update`` would do to the repo at ``root``; writes nothing."""
    root = Path(root)
    if root.name == SPEC_PATH and root.is_file():
        root = root.parent  # `update path/to/plan.yaml` means its repo
    if not root.is_dir():
        raise UserError(f"{root}: not a folder", hint="point update at the repo `new` wrote")
    manifest = read_manifest(root)
    refuse_downgrade(manifest.infraplan_version, infraplan.__version__)
    loaded = load_spec(root / SPEC_PATH)
    language: Lang = next(
        (lang for lang in LANGS if lang == manifest.language), loaded.spec.language
    )
    repo = build_starter_repo(_pin_date(loaded.spec, manifest), loaded.text, language)
    version = infraplan.__version__
    files = plan_file_changes(
        root,
        manifest,
        repo.repo_files(),
        lambda digest: read_base(root, digest),
        theirs_label=f"infraplan {version}",
    )
    new_manifest = record_outcome(
        json.loads(repo.manifest()), written_once=files.seeded_sha, deleted=files.deleted
    )
    state_writes, stale = _bookkeeping(root, new_manifest, repo.by_path())
    return PendingUpdate(
        root=root,
        files=files,
        state_writes=state_writes,
        state_deletions=stale,
        from_version=manifest.infraplan_version,
        to_version=version,
        spec_changed=manifest.spec_sha256 != sha256(loaded.text.encode("utf-8")),
        tasks_by_file={p: list(e.get("tasks", [])) for p, e in new_manifest["files"].items()},
    )


def _pin_date(spec: Spec, manifest: Manifest) -> Spec:
    """A spec without ``date:`` keeps the date `new` gave its plan (and so its id)."""
    if "date" in spec.model_fields_set or not manifest.plan_date:
        return spec
    try:
        pinned = dt.date.fromisoformat(manifest.plan_date)
    except ValueError:
        return spec
    return spec.model_copy(update={"date": pinned})


def _bookkeeping(
    root: Path, new_manifest: dict[str, Any], rendered: Mapping[str, bytes]
) -> tuple[dict[str, bytes], tuple[str, ...]]:
    """The manifest and base copies to write, and the base copies nothing needs any more."""
    writes: dict[str, bytes] = {}
    manifest_bytes = dump_manifest(new_manifest)
    if _read(root, MANIFEST_PATH) != manifest_bytes:
        writes[MANIFEST_PATH] = manifest_bytes
    entries = [e for e in new_manifest["files"].values() if "base" in e]
    wanted = {e["base"] for e in entries}
    for path in sorted(wanted):
        if read_base(root, path[len(BASE_DIR) :]) is None:
            writes[path] = rendered[path]
    # A seeded file's written-once content stays kept too: it is the right base
    # should a later infraplan make that file managed.
    written = {base_path(e["sha256"]) for e in entries}
    stale = tuple(p for p in kept_base_copies(root) if p not in wanted | written)
    return writes, stale


def refuse_downgrade(recorded: str, installed: str) -> None:
    """An older infraplan would replace newer templates with older ones: refuse."""
    if _version_key(recorded) > _version_key(installed):
        raise UserError(
            f"this repo was last generated by infraplan {recorded}, newer than the installed "
            f"{installed}; nothing was changed",
            hint=f"install infraplan {recorded} or later, then run update again",
        )


def _version_key(version: str) -> tuple[int, ...]:
    parts: list[int] = []
    for part in version.split("."):
        digits = re.match(r"\d+", part)
        if digits is None:
            break
        parts.append(int(digits.group()))
        if digits.end() < len(part):
            break  # "0rc1": a pre-release; compare the numeric release only
    return tuple(parts)


def apply_update(pending: PendingUpdate) -> None:
    """Write the update, all or nothing."""
    apply_changes(pending.root, pending.writes(), pending.deletions())


def read_base(root: Path, digest: str) -> bytes | None:
    """The base copy with this hash, if it is kept and intact."""
    content = _read(root, base_path(digest))
    return content if content is not None and sha256(content) == digest else None


def kept_base_copies(root: Path) -> list[str]:
    folder = safe_target(root, BASE_DIR.rstrip("/"))
    if not folder.is_dir():
        return []
    names = sorted(p.name for p in folder.iterdir() if p.is_file())
    return [path for path in (f"{BASE_DIR}{name}" for name in names) if is_base_path(path)]


def _read(root: Path, path: str) -> bytes | None:
    try:
        return safe_target(root, path).read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise UserError(f"{root / path}: cannot be read ({exc.strerror})") from None
