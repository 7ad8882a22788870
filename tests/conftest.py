"""Shared test helpers: run the CLI in-process and capture what a user sees."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import settings

from infraplan.cli import main

# Shared, noisy machines: no per-example deadline (speed is measured in benchmarks/),
# and in CI the same examples every run, so a red build always reproduces.
settings.register_profile("infraplan", deadline=None)
settings.register_profile("infraplan-ci", deadline=None, derandomize=True)
settings.load_profile("infraplan-ci" if os.environ.get("CI") else "infraplan")

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SPECS = Path(__file__).resolve().parent / "specs"


@dataclass
class Run:
    code: int
    out: str
    err: str


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., Run]:
    def run(*args: str) -> Run:
        code = main(list(args))
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


def tree_snapshot(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` with its bytes: compare before and after a command."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


# Names whose use makes a test slow: the real tools and the heavy harnesses. A test is slow
# when its own code or any fixture it uses refers to one of them, or when it is a property
# test; `make quick` (pytest -m "not slow") leaves those to `make test`.
SLOW_NAMES = frozenset(
    {
        "run_checkov",
        "checkov_executable",
        "terraform_fmt_check",
        "terraform_validate",
        "actionlint",
        "hadolint",
        "ThreadedMotoServer",
        "build_wheel",
        "moto_server",
        "subprocess",
    }
)


def _refers_to_slow(function: object) -> bool:
    code = getattr(function, "__code__", None)
    return code is not None and not SLOW_NAMES.isdisjoint(code.co_names)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if not isinstance(item, pytest.Function) or item.get_closest_marker("slow"):
            continue
        slow = getattr(item.function, "is_hypothesis_test", False) or _refers_to_slow(item.function)
        if not slow:
            definitions = item._fixtureinfo.name2fixturedefs
            slow = any(
                _refers_to_slow(d.func)
                for name in item.fixturenames
                for d in definitions.get(name, ())
            )
        if slow:
            item.add_marker(pytest.mark.slow)
