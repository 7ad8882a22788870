"""``.infraplan/manifest.json``: the machine-readable map from plan to code.

For every task of the catalogue that applies: the files and the Terraform
resource addresses that carry it out. For every generated file: its policy
(``managed`` files are regenerated and merged by ``update``; ``seeded`` files
are written once and then belong to the user; ``source`` is the spec), the
hash of what infraplan generated for it last time and, for managed files, where
a copy of that content is kept (the merge base of the next ``update``). Also
the AWS names per environment, which ``verify`` reads.

The base copies live in ``.infraplan/base/`` named by their SHA-256 and
nothing else: no extension, no original name, so no tool that picks files by
name (``terraform fmt -recursive``, checkov, actionlint, hadolint, ``infraplan
check``) mistakes a copy for real code. Identical files share one copy.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import infraplan
from infraplan.errors import UserError

MANIFEST_PATH = ".infraplan/manifest.json"
MANIFEST_VERSION = 1
BASE_DIR = ".infraplan/base/"
# Keeps the base copies out of `git diff` and out of review (GitHub collapses generated files).
GITATTRIBUTES_PATH = ".infraplan/.gitattributes"
GITATTRIBUTES = b"base/* -diff -merge linguist-generated=true\n"

Policy = Literal["managed", "seeded", "source"]

# Files written once and then owned by the user: values they are expected to edit.
# (terraform.tfvars carries plan.yaml's values, so it is managed: a new secret or
# a third AZ must reach Terraform; the user's own values go in overrides.auto.tfvars.)
SEEDED_NAMES = ("overrides.auto.tfvars", ".dockerignore")

_DIGEST = re.compile(r"[0-9a-f]{64}")


def policy_for(path: str) -> Policy:
    if path == "plan.yaml":
        return "source"
    if path.rsplit("/", 1)[-1] in SEEDED_NAMES:
        return "seeded"
    return "managed"


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def base_path(digest: str) -> str:
    """Where the base copy of content with this SHA-256 is kept."""
    return f"{BASE_DIR}{digest}"


def is_base_path(path: str) -> bool:
    return path.startswith(BASE_DIR) and bool(_DIGEST.fullmatch(path[len(BASE_DIR) :]))


def is_state_path(path: str) -> bool:
    """infraplan's own bookkeeping: the manifest and the base copies, never the user's code."""
    return path == MANIFEST_PATH or is_base_path(path)


@dataclass(frozen=True)
class TaskMap:
    id: str
    files: tuple[str, ...]
    resources: tuple[str, ...]


def build_manifest(
    *,
    spec_text: str,
    language: str,
    tasks: Sequence[TaskMap],
    files: Mapping[str, bytes],
    names: Mapping[str, Mapping[str, str]],
    plan_date: str,
) -> dict[str, Any]:
    owners: dict[str, list[str]] = {}
    for task in tasks:
        for path in task.files:
            owners.setdefault(path, []).append(task.id)
    return {
        "manifest_version": MANIFEST_VERSION,
        "infraplan_version": infraplan.__version__,
        "spec_sha256": sha256(spec_text.encode("utf-8")),
        "language": language,
        # the plan's date (and so its id) when plan.yaml gives none: fixed by `new`,
        # so the plan does not change every day
        "plan_date": plan_date,
        "tasks": {t.id: {"files": list(t.files), "resources": list(t.resources)} for t in tasks},
        "files": {
            path: _file_entry(path, content, owners.get(path, []))
            for path, content in sorted(files.items())
        },
        "names": {env: dict(values) for env, values in names.items()},
    }


def _file_entry(path: str, content: bytes, tasks: list[str]) -> dict[str, Any]:
    policy = policy_for(path)
    digest = sha256(content)
    entry: dict[str, Any] = {"policy": policy, "sha256": digest, "tasks": tasks}
    if policy != "source":
        entry["base"] = base_path(digest)
    return entry


def dump_manifest(manifest: Mapping[str, Any]) -> bytes:
    return (json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()


@dataclass(frozen=True)
class FileRecord:
    """What the manifest remembers of one file from the last ``new`` or ``update``."""

    policy: Policy
    sha256: str  # of what infraplan generated (managed) or wrote once (seeded)
    base: str = ""  # hash of the last render (the base copy); for managed files, = sha256
    deleted: bool = False  # the user deleted it; it stays deleted

    @property
    def last_render(self) -> str:
        return self.base or self.sha256


@dataclass(frozen=True)
class Manifest:
    infraplan_version: str
    spec_sha256: str
    language: str
    files: Mapping[str, FileRecord]
    plan_date: str = ""


def read_manifest(root: Path) -> Manifest:
    """The manifest of the repo at ``root``; missing or unreadable is bad input."""
    path = root / MANIFEST_PATH
    try:
        raw = path.read_bytes()
        if b"\n<<<<<<< " in b"\n" + raw:
            raise UserError(
                f"{path}: git left merge conflicts in it",
                hint="take either side (git checkout --ours or --theirs), then run "
                "`infraplan update --allow-dirty`: the base copies of both sides are kept",
            )
        data = json.loads(raw)
    except FileNotFoundError:
        raise UserError(
            f"{path}: no such file; {root} was not made by `infraplan new`",
            hint="run `infraplan new plan.yaml -o DIR` first, or point update at that DIR",
        ) from None
    except (OSError, ValueError) as exc:
        raise UserError(
            f"{path}: cannot be read as JSON ({exc})",
            hint="restore it from version control; infraplan needs it to merge safely",
        ) from None
    try:
        files = {
            str(p): FileRecord(
                policy=_policy(entry["policy"]),
                sha256=str(entry["sha256"]),
                base=str(entry.get("base", ""))[len(BASE_DIR) :],
                deleted=bool(entry.get("deleted", False)),
            )
            for p, entry in data["files"].items()
        }
        return Manifest(
            infraplan_version=str(data.get("infraplan_version", "")),
            spec_sha256=str(data.get("spec_sha256", "")),
            language=str(data.get("language", "")),
            files=files,
            plan_date=str(data.get("plan_date", "")),
        )
    except (KeyError, TypeError, AttributeError, ValueError) as exc:
        raise UserError(
            f"{path}: not an infraplan manifest (missing or bad {exc})",
            hint="restore it from version control; infraplan needs it to merge safely",
        ) from None


def _policy(value: object) -> Policy:
    if value == "managed" or value == "seeded" or value == "source":
        return value
    raise ValueError(f"policy {value!r}")


def record_outcome(
    manifest: dict[str, Any],
    *,
    written_once: Mapping[str, str],
    deleted: Sequence[str],
) -> dict[str, Any]:
    """The new render's manifest, corrected for what ``update`` left as it was.

    ``written_once``: seeded files kept from earlier runs, with the hash of
    what was written then (their base copy is still the new render, so the
    next update can tell whether the plan changed them again). ``deleted``:
    files the user deleted, which stay deleted and need no base copy.
    """
    files: dict[str, Any] = manifest["files"]
    for path, digest in written_once.items():
        files[path]["sha256"] = digest
    for path in deleted:
        files[path].pop("base", None)
        files[path]["deleted"] = True
    return manifest
