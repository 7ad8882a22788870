"""``.infraplan/manifest.json``: the machine-readable map from plan to code, as one model.

For every task that applies: the files and the Terraform resource addresses
that carry it out. For every generated file: its policy (``managed`` files are
regenerated and merged by ``update``; ``seeded`` files are written once and
then belong to the user; ``source`` is the spec) and the hash of what infraplan
generated for it last time, whose content is kept in the base store
(:mod:`infraplan.scaffold.bases`) as the merge base of the next ``update``. Also the
AWS names per environment (``verify``), the plan's language and date, and the
identity of every checkbox of ``PLAN.md`` in order (``update`` keeps ticks by
identity, never by position).

One model, one reader (:meth:`Manifest.load`) with one error path, one writer
(:meth:`Manifest.dump`). The format is versioned: version 1 (one multi-line
object per file, base copies in ``.infraplan/base/``) is read and upgraded.
Version 2 is compact: one line per file, task and environment, so a plan
change's diff shows one line per file it changed, and two branches that
changed different files merge without conflict.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

import infraplan
from infraplan import PLAN_FILE
from infraplan.errors import UserError

MANIFEST_PATH = ".infraplan/manifest.json"
MANIFEST_VERSION = 2
SPEC_PATH = PLAN_FILE  # the spec, the repo's source of truth (one constant for all stages)

Policy = Literal["managed", "seeded", "source"]

# Files written once and then owned by the user: values they are expected to edit.
# (terraform.tfvars carries plan.yaml's values, so it is managed: a new secret or
# a third AZ must reach Terraform; the user's own values go in overrides.auto.tfvars.)
SEEDED_NAMES = ("overrides.auto.tfvars", ".dockerignore")

_RESTORE = "restore it from version control; infraplan needs it to merge safely"


def policy_for(path: str) -> Policy:
    if path == SPEC_PATH:
        return "source"
    if path.rsplit("/", 1)[-1] in SEEDED_NAMES:
        return "seeded"
    return "managed"


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


class _Record(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class FileRecord(_Record):
    """What the manifest remembers of one file from the last ``new`` or ``update``."""

    policy: Policy
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")  # generated (managed) or written once (seeded)
    render: str = ""  # seeded: the latest render's hash, when it differs from sha256
    deleted: bool = False  # the user deleted it; it stays deleted

    @property
    def last_render(self) -> str:
        """The hash of the last render: the merge base of the next update."""
        return self.render or self.sha256


class TaskRecord(_Record):
    files: tuple[str, ...] = ()
    resources: tuple[str, ...] = ()


class Manifest(_Record):
    manifest_version: int = MANIFEST_VERSION
    infraplan_version: str
    language: Literal["es", "en"]  # of PLAN.md (`new --lang` may differ from plan.yaml's)
    spec_language: Literal["es", "en"] | None = None  # plan.yaml's, when PLAN.md was rendered
    # the plan's date (and so its id) when plan.yaml gives none: fixed by `new`,
    # so the plan does not change every day
    plan_date: str = ""
    plan_boxes: tuple[str, ...] = ()  # PLAN.md's checkboxes, in order: task and criterion ids
    names: dict[str, dict[str, str]] = Field(default_factory=dict)
    tasks: dict[str, TaskRecord] = Field(default_factory=dict)
    files: dict[str, FileRecord]

    @classmethod
    def build(
        cls,
        *,
        language: Literal["es", "en"],
        spec_language: Literal["es", "en"],
        tasks: Mapping[str, TaskRecord],
        files: Mapping[str, bytes],
        names: Mapping[str, Mapping[str, str]],
        plan_date: str,
        plan_boxes: Sequence[str] = (),
    ) -> Manifest:
        return cls(
            infraplan_version=infraplan.__version__,
            language=language,
            spec_language=spec_language,
            plan_date=plan_date,
            plan_boxes=tuple(plan_boxes),
            tasks=dict(tasks),
            files={
                path: FileRecord(policy=policy_for(path), sha256=sha256(content))
                for path, content in sorted(files.items())
            },
            names={env: dict(values) for env, values in names.items()},
        )

    @property
    def spec_sha256(self) -> str:
        """The hash of plan.yaml when the repo was last written."""
        record = self.files.get(SPEC_PATH)
        return record.sha256 if record is not None else ""

    def tasks_by_file(self) -> dict[str, list[str]]:
        owners: dict[str, list[str]] = {}
        for task_id, task in self.tasks.items():
            for path in task.files:
                owners.setdefault(path, []).append(task_id)
        return owners

    def with_outcome(
        self,
        *,
        written_once: Mapping[str, str],
        deleted: Sequence[str],
        kept: Mapping[str, FileRecord] | None = None,
    ) -> Manifest:
        """This (new render's) manifest, corrected for what ``update`` left as it was.

        ``written_once``: seeded files kept from earlier runs, with the hash of
        what was written then (the latest render stays recorded, so the next
        update can tell whether the plan changed them again). ``deleted``:
        files the user deleted, which stay deleted. ``kept``: files left as
        they were (a symlink in their place), whose old record stays.
        """
        files = dict(self.files)
        for path, digest in written_once.items():
            render = files[path].sha256
            files[path] = files[path].model_copy(
                update={"sha256": digest, "render": "" if render == digest else render}
            )
        for path in deleted:
            files[path] = files[path].model_copy(update={"deleted": True, "render": ""})
        files.update(kept or {})
        return self.model_copy(update={"files": files})

    def base_hashes(self) -> set[str]:
        """The hashes whose content the base store must keep."""
        return {
            digest
            for record in self.files.values()
            if record.policy != "source" and not record.deleted
            for digest in {record.sha256, record.last_render}
        }

    # -- reading and writing ------------------------------------------------

    @classmethod
    def load(cls, root: Path) -> Manifest:
        """The manifest of the repo at ``root``; missing or unreadable is bad input."""
        path = Path(root) / MANIFEST_PATH
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            raise UserError(
                f"{path}: no such file; {root} was not made by `infraplan new`",
                hint="run `infraplan new plan.yaml -o DIR` first, or point update at that DIR",
            ) from None
        except OSError as exc:
            raise UserError(f"{path}: cannot be read ({exc.strerror})", hint=_RESTORE) from None
        return cls.parse(raw, path)

    @classmethod
    def load_optional(cls, root: Path) -> Manifest | None:
        """The manifest of the repo at ``root``, or None when it has none."""
        if not (Path(root) / MANIFEST_PATH).exists():
            return None
        return cls.load(root)

    @classmethod
    def parse(cls, raw: bytes, path: Path) -> Manifest:
        if b"\n<<<<<<< " in b"\n" + raw:
            raise UserError(
                f"{path}: git left merge conflicts in it",
                hint="take either side (git checkout --ours or --theirs), then run "
                "`infraplan update --allow-dirty`: the base copies of both sides are kept",
            )
        try:
            data = json.loads(raw)
        except ValueError as exc:
            where = f":{exc.lineno}:{exc.colno}" if isinstance(exc, json.JSONDecodeError) else ""
            raise UserError(
                f"{path}{where}: cannot be read as JSON ({exc})", hint=_RESTORE
            ) from None
        if not isinstance(data, dict):
            raise UserError(f"{path}: not an infraplan manifest (not an object)", hint=_RESTORE)
        version = data.get("manifest_version", 1)
        if isinstance(version, int) and version > MANIFEST_VERSION:
            raise UserError(
                f"{path}: manifest version {version} is newer than this infraplan reads "
                f"({MANIFEST_VERSION})",
                hint="install the infraplan that wrote it, or a later one",
            )
        try:
            return cls.model_validate(_upgrade_v1(data) if version == 1 else data)
        except (ValidationError, TypeError, AttributeError, KeyError) as exc:
            raise UserError(
                f"{path}: not an infraplan manifest ({_first_error(exc)})", hint=_RESTORE
            ) from None

    def dump(self) -> bytes:
        """Compact JSON: one line per file, task and environment, in a stable order."""
        data = self.model_dump(mode="json")
        lines = ["{"]
        head = [k for k in data if k not in ("names", "tasks", "files")]
        for key in head:
            lines.append(f"  {_json(key)}: {_json(data[key])},")
        for key in ("names", "tasks", "files"):
            section: dict[str, Any] = data[key]
            if key == "files":
                section = {
                    p: self.files[p].model_dump(mode="json", exclude_defaults=True)
                    | {"policy": self.files[p].policy}
                    for p in sorted(section)
                }
            items = [f"    {_json(k)}: {_json(v)}" for k, v in section.items()]
            comma = "," if key != "files" else ""
            if not items:
                lines.append(f"  {_json(key)}: {{}}{comma}")
                continue
            lines.append(f"  {_json(key)}: {{")
            lines.append(",\n".join(items))
            lines.append(f"  }}{comma}")
        lines.append("}")
        return ("\n".join(lines) + "\n").encode("utf-8")


def _json(value: object) -> str:
    if isinstance(value, dict):
        return json.dumps(
            {k: value[k] for k in _key_order(value)}, ensure_ascii=False, separators=(", ", ": ")
        )
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))


def _key_order(value: Mapping[str, Any]) -> list[str]:
    first = [k for k in ("policy", "sha256", "render", "deleted", "files") if k in value]
    return first + sorted(k for k in value if k not in first)


def _upgrade_v1(data: Mapping[str, Any]) -> dict[str, Any]:
    """Version 1 (infraplan 0.1): per-file objects with their tasks and a base path."""
    files: dict[str, Any] = {}
    for path, entry in data["files"].items():
        record: dict[str, Any] = {"policy": entry["policy"], "sha256": entry["sha256"]}
        base = str(entry.get("base", "")).rsplit("/", 1)[-1]
        if base and base != entry["sha256"]:
            record["render"] = base
        if entry.get("deleted"):
            record["deleted"] = True
        files[str(path)] = record
    language = data.get("language")
    return {
        "manifest_version": MANIFEST_VERSION,
        "infraplan_version": data.get("infraplan_version", ""),
        "language": language if language in ("es", "en") else "es",
        "spec_language": language if language in ("es", "en") else "es",
        "plan_date": data.get("plan_date", ""),
        "names": data.get("names", {}),
        "tasks": data.get("tasks", {}),
        "files": files,
    }


def _first_error(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        error = exc.errors()[0]
        where = ".".join(str(part) for part in error["loc"])
        return f"{where}: {error['msg']}"
    return f"missing or bad {exc}"
