"""Helpers for check tests: build a small repository in tmp_path and judge it."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from infraplan.check import check_repository, default_plan
from infraplan.findings import Finding, Report
from infraplan.spec import Spec
from infraplan.specfile import parse_spec

FIXTURES = Path(__file__).resolve().parent.parent / "check_fixtures"

Files = dict[str, str | bytes]


def write_repo(root: Path, files: Files) -> Path:
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content), encoding="utf-8")
    return root


def plan(text: str = "") -> Spec:
    """The default plan, with ``text`` (YAML) on top."""
    if not text:
        return default_plan()
    ci = "" if "ci:" in text else "ci: {repository: owner/repo}\n"
    return parse_spec("project: plan\n" + ci + textwrap.dedent(text))


def findings(report: Report) -> dict[str, Finding]:
    return {f.rule: f for f in report.rules if f.rule != "parse"}


@pytest.fixture
def judge(tmp_path: Path) -> Callable[..., dict[str, Finding]]:
    """``judge(files, spec=None)`` -> findings by rule id for a repo made of ``files``."""
    counter = iter(range(1000))

    def run(files: Files, spec: Spec | None = None) -> dict[str, Finding]:
        root = write_repo(tmp_path / f"repo{next(counter)}", files)
        return findings(check_repository(root, spec, use_cache=False, progress=False))

    return run
