"""An update computed in full before anything is written.

``prepare_update`` loads and validates the spec, renders the new repo in
memory, decides what happens to every file and works out infraplan's own
bookkeeping (the manifest and the base copies); ``apply_update`` hands all of
it to the writer in one all-or-nothing step. ``--dry-run`` and ``--check``
stop after the first.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import infraplan
from infraplan.catalogue import Lang
from infraplan.errors import UserError
from infraplan.scaffold.bases import BASES_PATH, legacy_copies, read_bases, store_for, unpack
from infraplan.scaffold.manifest import MANIFEST_PATH, SPEC_PATH, Manifest, sha256
from infraplan.scaffold.repo import PLAN_PATH, StarterRepo, build_starter_repo
from infraplan.scaffold.writer import apply_changes, finish_interrupted_write, safe_target
from infraplan.spec.load import load_spec
from infraplan.spec.model import Spec
from infraplan.spec.schema import SCHEMA_FILE, schema_json
from infraplan.update.changes import FileChange, FileChanges, Outcome, plan_file_changes
from infraplan.update.checkboxes import PlanVersions


@dataclass(frozen=True)
class PendingUpdate:
    root: Path
    files: FileChanges
    state_writes: Mapping[str, bytes]  # the manifest, the base store, the spec's schema
    state_deletions: tuple[str, ...]  # version 1's base copies, now in the store
    from_version: str
    to_version: str
    spec_changed: bool
    tasks_by_file: Mapping[str, list[str]] = field(default_factory=dict)
    language_change: tuple[str, str] | None = None  # (from, to)
    recovered: str = ""  # what was done about an interrupted earlier write

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
    """Everything ``update`` would do to the repo at ``root``; writes nothing
    (but first completes a write that an earlier run could not finish)."""
    root = Path(root)
    if root.name == SPEC_PATH and root.is_file():
        root = root.parent  # `update path/to/plan.yaml` means its repo
    if not root.is_dir():
        raise UserError(f"{root}: not a folder", hint="point update at the repo `new` wrote")
    recovered = finish_interrupted_write(root)
    manifest = Manifest.load(root)
    refuse_downgrade(manifest.infraplan_version, infraplan.__version__)
    loaded = load_spec(root / SPEC_PATH)
    spec = _pin_date(loaded.spec, manifest)
    language = _language(spec, manifest)
    repo = build_starter_repo(spec, loaded.text, language)
    old_language = None
    if language != manifest.language:
        old_language = _plan_in(build_starter_repo(spec, loaded.text, manifest.language))
    bases = read_bases(root)
    version = infraplan.__version__
    files = plan_file_changes(
        root,
        manifest,
        repo.repo_files(),
        bases,
        theirs_label=f"infraplan {version}",
        plan=PlanVersions(manifest.plan_boxes, repo.manifest.plan_boxes, old_language),
    )
    new_manifest = repo.manifest.with_outcome(
        written_once=files.seeded_sha, deleted=files.deleted, kept=files.kept
    )
    wanted = _bases_to_keep(root, manifest, new_manifest)
    state_writes, stale = _bookkeeping(root, new_manifest, wanted, {**bases, **repo.rendered()})
    return PendingUpdate(
        root=root,
        files=files,
        state_writes=state_writes,
        state_deletions=stale,
        from_version=manifest.infraplan_version,
        to_version=version,
        spec_changed=manifest.spec_sha256 != sha256(loaded.text.encode("utf-8")),
        tasks_by_file=new_manifest.tasks_by_file(),
        language_change=(manifest.language, language) if old_language is not None else None,
        recovered=recovered,
    )


def _language(spec: Spec, manifest: Manifest) -> Lang:
    """PLAN.md keeps its language (``new --lang`` may have chosen it) until plan.yaml's
    ``language:`` changes."""
    if manifest.spec_language is not None and spec.language != manifest.spec_language:
        return spec.language
    return manifest.language


def _plan_in(repo: StarterRepo) -> bytes:
    return next(f.content for f in repo.files if f.path == PLAN_PATH)


def _pin_date(spec: Spec, manifest: Manifest) -> Spec:
    """A spec without ``date:`` keeps the date `new` gave its plan (and so its id)."""
    if "date" in spec.model_fields_set or not manifest.plan_date:
        return spec
    try:
        pinned = dt.date.fromisoformat(manifest.plan_date)
    except ValueError:
        return spec
    return spec.model_copy(update={"date": pinned})


def _bases_to_keep(root: Path, old: Manifest, new: Manifest) -> set[str]:
    """The bases of this render and of the one before (see :func:`_bookkeeping`); a run
    that changes no record keeps the store as it is, so a second update is a no-op."""
    stored = root / BASES_PATH
    kept = set(unpack(stored.read_bytes())) if stored.is_file() else set()
    if new.base_hashes() == old.base_hashes() and new.base_hashes() <= kept:
        return kept
    return new.base_hashes() | old.base_hashes()


def _bookkeeping(
    root: Path, new_manifest: Manifest, wanted: set[str], available: Mapping[str, bytes]
) -> tuple[dict[str, bytes], tuple[str, ...]]:
    """The manifest, base store and schema to write, and version 1's copies to remove.

    The store keeps the bases of this render and of the one before: a branch
    that updated once more than another deletes none of the bases the other
    still refers to, so git's union merge of the store keeps every one of them.
    """
    writes: dict[str, bytes] = {}
    manifest_bytes = new_manifest.dump()
    if _read(root, MANIFEST_PATH) != manifest_bytes:
        writes[MANIFEST_PATH] = manifest_bytes
    store = store_for(wanted, available)
    if _read(root, BASES_PATH) != store:
        writes[BASES_PATH] = store
    schema = schema_json().encode("utf-8")  # this infraplan's keys, for plan.yaml's editor
    if _read(root, SCHEMA_FILE) != schema:
        writes[SCHEMA_FILE] = schema
    return writes, tuple(legacy_copies(root))


def refuse_downgrade(recorded: str, installed: str) -> None:
    """An older infraplan would replace newer templates with older ones: refuse.

    Versions compare as PEP 440 versions (``packaging.version``): 0.2.0rc1 < 0.2.0 < 0.10.0.
    """
    from packaging.version import InvalidVersion, Version

    if not recorded:  # a manifest that records no version: nothing to compare
        return
    try:
        newer = Version(recorded) > Version(installed)
    except InvalidVersion:
        raise UserError(
            f"the manifest records infraplan version {recorded!r}, which is not a version",
            hint="regenerate with infraplan new, or fix infraplan_version in the manifest",
        ) from None
    if newer:
        raise UserError(
            f"this repo was last generated by infraplan {recorded}, newer than the installed "
            f"{installed}; nothing was changed",
            hint=f"install infraplan {recorded} or later, then run update again",
        )


def apply_update(pending: PendingUpdate) -> None:
    """Write the update, all or nothing."""
    apply_changes(pending.root, pending.writes(), pending.deletions())


def _read(root: Path, path: str) -> bytes | None:
    try:
        return safe_target(root, path).read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise UserError(f"{root / path}: cannot be read ({exc.strerror})") from None
