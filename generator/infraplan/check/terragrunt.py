"""Terragrunt units: where their state lives and what they pass to their module.

A ``terragrunt.hcl`` (or a root ``.hcl`` it includes) with ``remote_state`` is
the backend of the unit; its ``inputs`` set the variables of the module named by
``terraform { source = ... }``. A local source is read as a root with those
inputs; a well-known registry module is counted as the resources it creates.
See https://terragrunt.gruntwork.io/docs/reference/config-blocks-and-attributes/
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field, replace
from typing import Any

from infraplan.check.terraform_types import first_block

_PARENT = re.compile(r"find_in_parent_folders\(\s*(?:\"([^\"]+)\")?\s*\)")
_LINE = re.compile(r"^[ \t]*(remote_state|inputs|terraform|source)\b", re.M)


@dataclass(frozen=True)
class TerragruntUnit:
    path: str  # the .hcl file
    backend: str  # remote_state's backend ("" when the file has none)
    backend_config: dict[str, Any]
    source: str  # terraform { source }, "" when none
    inputs: dict[str, Any]
    lines: dict[str, int] = field(default_factory=dict)
    includes: tuple[str, ...] = ()  # file names of find_in_parent_folders(...) includes
    included: bool = False  # another unit includes this file: not a unit of its own

    @property
    def folder(self) -> str:
        return posixpath.dirname(self.path) or "."

    def where(self, key: str = "") -> str:
        return f"{self.path}:{self.lines.get(key, 1)}"

    def local_target(self) -> str | None:
        """The repository folder a local ``source`` names (``//`` subpaths joined)."""
        source = self.source.split("?")[0]
        if not source.startswith(("./", "../", "/")):
            return None
        return posixpath.normpath(posixpath.join(self.folder, source.replace("//", "/")))


def read_unit(path: str, values: dict[str, Any], text: str) -> TerragruntUnit:
    state = first_block(values.get("remote_state"))
    config = state.get("config")
    terraform = first_block(values.get("terraform"))
    inputs = values.get("inputs")
    includes: list[str] = []
    for entry in _blocks(values.get("include")):
        bodies = [entry] if "path" in entry else [b for b in entry.values() if isinstance(b, dict)]
        for body in bodies:
            found = _PARENT.search(str(body.get("path", "")))
            if found:
                includes.append(found.group(1) or "terragrunt.hcl")
    lines: dict[str, int] = {}
    for match in _LINE.finditer(text):
        lines.setdefault(match.group(1), text.count("\n", 0, match.start()) + 1)
    return TerragruntUnit(
        path,
        str(state.get("backend") or ""),
        config if isinstance(config, dict) else {},
        str(terraform.get("source") or ""),
        inputs if isinstance(inputs, dict) else {},
        lines,
        tuple(includes),
    )


def _blocks(value: Any) -> list[dict[str, Any]]:
    items = value if isinstance(value, list) else [value]
    return [i for i in items if isinstance(i, dict)]


def resolve_includes(units: list[TerragruntUnit]) -> list[TerragruntUnit]:
    """Each unit with what it includes from a parent folder's file merged in (the
    parent's source, state and inputs, the unit's own winning), and each included
    file marked as such. See Terragrunt's ``include`` and ``find_in_parent_folders``."""
    by_path = {u.path: u for u in units}
    parents: set[str] = set()
    out: list[TerragruntUnit] = []
    for unit in units:
        merged = unit
        for name in unit.includes:
            parent = _find_parent(unit.folder, name, by_path)
            if parent is None:
                continue
            parents.add(parent.path)
            merged = replace(
                merged,
                backend=merged.backend or parent.backend,
                backend_config=merged.backend_config or parent.backend_config,
                source=merged.source or _from(parent.source, parent.folder, unit.folder),
                inputs={**parent.inputs, **merged.inputs},
            )
        out.append(merged)
    return [replace(u, included=u.path in parents) for u in out]


def _find_parent(
    folder: str, name: str, by_path: dict[str, TerragruntUnit]
) -> TerragruntUnit | None:
    current = folder
    while current not in ("", "."):
        current = posixpath.dirname(current) or "."
        candidate = name if current == "." else f"{current}/{name}"
        if candidate in by_path:
            return by_path[candidate]
    return None


def _from(source: str, parent: str, unit: str) -> str:
    """A parent's source as seen from the unit: its folder functions made relative."""
    up = posixpath.relpath(parent, unit)
    text = re.sub(r"\$\{get_parent_terragrunt_dir\(\)\}", up, source)
    text = re.sub(r"\$\{get_terragrunt_dir\(\)\}", ".", text)
    return text
