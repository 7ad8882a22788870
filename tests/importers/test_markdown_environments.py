"""init --from PLAN.md keeps what each environment runs: its task count and size, its NAT
mode, Fargate Spot and ECS Exec, from the plan's "Environments" line (or, in a plan
without it, from the ECS Exec and Fargate Spot tasks)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Run
from infraplan.plan.markdown import render_plan
from infraplan.spec.load import load_spec, parse_spec

SPEC = {
    "project": "shop",
    "ci": {"repository": "acme/shop"},
    "service": {"cpu": 512, "memory": 1024, "desired_count": 3},
    "network": {"nat": "per_az", "az_count": 2},
    "environments": [
        {"name": "dev", "nat": "none", "desired_count": 1, "spot": True, "ecs_exec": True},
        {"name": "staging", "cpu": 256, "memory": 512, "nat": "single", "ecs_exec": True},
        {"name": "production", "approval": True, "spot": True},
    ],
}


def _import(run_cli: Callable[..., Run], markdown: str, tmp_path: Path) -> Run:
    source = tmp_path / "PLAN.md"
    source.write_text(markdown, encoding="utf-8")
    return run_cli("init", "--from", str(source), "-o", str(tmp_path / "plan.yaml"))


@pytest.mark.parametrize("lang", ["es", "en"])
def test_every_environments_own_fields_come_back(
    lang: str, tmp_path: Path, run_cli: Callable[..., Run]
) -> None:
    original = parse_spec(json.dumps({**SPEC, "language": lang}))
    markdown = render_plan(original)
    result = _import(run_cli, markdown, tmp_path)
    assert result.code == 0, result.err
    spec = load_spec(tmp_path / "plan.yaml").spec
    assert spec.environments == original.environments
    assert (spec.service.cpu, spec.service.memory, spec.service.desired_count) == (512, 1024, 3)
    assert spec.network.nat == "per_az"
    assert render_plan(spec) == markdown


def test_without_the_environments_line_the_tasks_say_exec_and_spot(
    tmp_path: Path, run_cli: Callable[..., Run]
) -> None:
    """An older or edited plan: no "Environments" line, but the tasks 2.7 and 2.9."""
    markdown = render_plan(parse_spec(json.dumps({**SPEC, "language": "en"})))
    edited = re.sub(r"^- \*\*Environments:\*\*.*\n", "", markdown, flags=re.M)
    assert edited != markdown
    result = _import(run_cli, edited, tmp_path)
    assert result.code == 0, result.err
    spec = load_spec(tmp_path / "plan.yaml").spec
    assert [e.ecs_exec for e in spec.environments] == [True, True, False]
    assert [e.spot for e in spec.environments] == [True, False, True]
