"""A task is named the same in PLAN.md and in the terminal.

PLAN.md numbers the tasks of each phase 1, 2, 3... as a reader counts, with the
stable id in a ``<!-- task X -->`` comment wherever the two differ; ``check``,
``verify`` and ``new`` show that number, followed by the stable id where it differs,
and ``--tick`` still goes by the stable id.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Run
from infraplan.plan.tick import checkbox_state

# Previews off (2.5 is not in the plan, so 2.6 is shown as 2.5) and a task of the
# user's in phase 3 (U3.1, shown after the catalogue's).
SPEC = """\
project: shop
date: 2026-11-29
language: en
ci: {repository: acme/shop, repository_owner_id: 1, repository_id: 2}
aws: {account_id: "123456789012"}
tasks:
  - {phase: 3, text: Review the IAM policies with security}
"""

TASK_LINE = re.compile(r"^- \[[ x]\] Task (\d+\.\d+): .*?(?: <!-- task (\S+) -->)?$")


def plan_md_numbers(plan_md: str) -> dict[str, str]:
    """Stable id -> the number PLAN.md shows."""
    out = {}
    for line in plan_md.splitlines():
        match = TASK_LINE.match(line)
        if match:
            out[match.group(2) or match.group(1)] = match.group(1)
    return out


@pytest.fixture
def repo(tmp_path: Path, run_cli: Callable[..., Run]) -> tuple[Path, Run]:
    spec = tmp_path / "plan.yaml"
    spec.write_text(SPEC, encoding="utf-8")
    out = tmp_path / "repo"
    result = run_cli("new", str(spec), "-o", str(out))
    assert result.code == 0, result.err
    return out, result


def test_check_and_new_name_each_task_as_plan_md_does(
    repo: tuple[Path, Run], run_cli: Callable[..., Run]
) -> None:
    root, new = repo
    numbers = plan_md_numbers((root / "PLAN.md").read_text("utf-8"))
    assert numbers["2.6"] == "2.5" and numbers["U3.1"].startswith("3.")  # what this test needs
    assert numbers["1.1"] == "1.1"

    def label(stable: str) -> str:
        shown = numbers[stable]
        return shown if shown == stable else f"{shown} (id {stable})"

    # new's progress lines
    listed = re.findall(r"^  task (.+?): \d+ files", new.err, re.MULTILINE)
    catalogue = [i for i in numbers if not i.startswith("U")]
    assert sorted(listed) == sorted(label(i) for i in catalogue)
    assert "task 2.5 (id 2.6)" in new.err and "task 2.6:" not in new.err

    # check's table: each task row starts with PLAN.md's number
    table = run_cli("check", str(root), "--format", "table", "--no-cache").out
    rows = [line.split("│")[1].strip() for line in table.splitlines() if line.startswith("│ ")]
    task_rows = [r for r in rows if re.match(r"\d+\.\d+", r)]
    assert sorted(task_rows) == sorted(label(i) for i in catalogue)

    # check's Markdown and JSON: the same label; JSON keeps the stable id for scripts
    markdown = run_cli("check", str(root), "--format", "markdown", "--no-cache").out
    assert "| 2.5 (id 2.6) |" in markdown and "| 2.6 |" not in markdown
    report = json.loads(run_cli("check", str(root), "--format", "json", "--no-cache").out)
    assert {t["id"]: t["number"] for t in report["tasks"]} == {i: numbers[i] for i in catalogue}


def test_tick_still_goes_by_the_stable_id(
    repo: tuple[Path, Run], run_cli: Callable[..., Run]
) -> None:
    root, _ = repo
    plan_md = root / "PLAN.md"
    run_cli("check", str(root), "--tick", str(plan_md), "--no-cache")
    report = json.loads(run_cli("check", str(root), "--format", "json", "--no-cache").out)
    passed = {t["id"] for t in report["tasks"] if t["status"] == "pass"}
    assert "2.6" in passed  # the rollback task, shown as 2.5
    ticked = checkbox_state(plan_md.read_text("utf-8"))
    assert all(ticked[("task", i)] == "x" for i in passed)
    line = next(x for x in plan_md.read_text("utf-8").splitlines() if "<!-- task 2.6 -->" in x)
    assert line.startswith("- [x] Task 2.5: ")
