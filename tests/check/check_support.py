"""Helpers for check tests: build a small repository in tmp_path and judge it.

``tests/check`` is a package, so tests import these relatively under any pytest
import mode, and this folder's ``conftest.py`` never shadows the top-level one.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from infraplan.check import default_plan
from infraplan.findings import Finding, Report
from infraplan.spec.load import parse_spec
from infraplan.spec.model import Spec

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
