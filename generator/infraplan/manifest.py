"""``.infraplan/manifest.json``: the machine-readable map from plan to code.

For every task of the catalogue that applies: the files and the Terraform
resource addresses that carry it out. For every generated file: its policy
(``managed`` files are regenerated and merged by ``update``; ``seeded`` files
are written once and then belong to the user; ``source`` is the spec) and the
hash of what infraplan wrote. Also the AWS names per environment, which
``verify`` reads.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from infraplan import __version__

MANIFEST_PATH = ".infraplan/manifest.json"
MANIFEST_VERSION = 1

Policy = Literal["managed", "seeded", "source"]

# Files written once and then owned by the user: values they are expected to edit.
SEEDED_NAMES = ("terraform.tfvars", ".dockerignore")


def policy_for(path: str) -> Policy:
    if path == "plan.yaml":
        return "source"
    if path.rsplit("/", 1)[-1] in SEEDED_NAMES:
        return "seeded"
    return "managed"


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


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
) -> dict[str, Any]:
    owners: dict[str, list[str]] = {}
    for task in tasks:
        for path in task.files:
            owners.setdefault(path, []).append(task.id)
    return {
        "manifest_version": MANIFEST_VERSION,
        "infraplan_version": __version__,
        "spec_sha256": sha256(spec_text.encode("utf-8")),
        "language": language,
        "tasks": {t.id: {"files": list(t.files), "resources": list(t.resources)} for t in tasks},
        "files": {
            path: {
                "policy": policy_for(path),
                "sha256": sha256(content),
                "tasks": owners.get(path, []),
            }
            for path, content in sorted(files.items())
        },
        "names": {env: dict(values) for env, values in names.items()},
    }


def dump_manifest(manifest: Mapping[str, Any]) -> bytes:
    return (json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()
