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
from dataclasses import dataclass, field
from typing import Any

from infraplan.check.terraform_types import first_block

_LINE = re.compile(r"^[ \t]*(remote_state|inputs|terraform|source)\b", re.M)


@dataclass(frozen=True)
class TerragruntUnit:
    path: str  # the .hcl file
    backend: str  # remote_state's backend ("" when the file has none)
    backend_config: dict[str, Any]
    source: str  # terraform { source }, "" when none
    inputs: dict[str, Any]
    lines: dict[str, int] = field(default_factory=dict)

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
    )
