"""Fixtures for check tests; the helpers live in ``check_support``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from infraplan.check import check_repository
from infraplan.findings import Finding
from infraplan.spec.model import Spec

from .check_support import Files, findings, write_repo


@pytest.fixture
def judge(tmp_path: Path) -> Callable[..., dict[str, Finding]]:
    """``judge(files, spec=None)`` -> findings by rule id for a repo made of ``files``."""
    counter = iter(range(1000))

    def run(files: Files, spec: Spec | None = None) -> dict[str, Finding]:
        root = write_repo(tmp_path / f"repo{next(counter)}", files)
        return findings(check_repository(root, spec, use_cache=False, progress=False))

    return run
