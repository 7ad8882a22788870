"""verify on a generated repo: names from its manifest, every format, --tick on PLAN.md."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from infraplan.plan.markdown import render_plan
from infraplan.scaffold.manifest import MANIFEST_PATH as MANIFEST
from infraplan.spec.naming import env_names
from infraplan.verify.command import verify_directory

if TYPE_CHECKING:
    from conftest import Stack


@pytest.fixture
def generated(stack: Stack, tmp_path: Path) -> Path:
    """The parts of a generated repo verify reads: plan.yaml, PLAN.md, the manifest's names."""
    out = tmp_path / "repo"
    (out / ".infraplan").mkdir(parents=True)
    (out / "plan.yaml").write_bytes((stack.repo_dir / "plan.yaml").read_bytes())
    (out / "PLAN.md").write_text(render_plan(stack.spec), encoding="utf-8")
    names = {
        env.name: {k: v for k, v in vars(env_names(stack.spec, env.name)).items()}
        for env in stack.spec.environments
    }
    manifest = {"infraplan_version": "0.1.0", "language": "es", "files": {}, "names": names}
    (out / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    return out


def test_names_come_from_the_manifest(stack: Stack, generated: Path) -> None:
    manifest = json.loads((generated / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["names"][stack.env]["alarm_cpu"] == stack.names.alarm_cpu
    result = verify_directory(
        generated, env=stack.env, endpoint_url=stack.url, session=stack.session()
    )
    assert {f.status for f in result.report.rules} == {"pass"}


def box(plan: str, text: str) -> str:
    line = next(line for line in plan.splitlines() if text in line)
    found = re.match(r"\s*- \[([ x])\]", line)
    assert found, line
    return found.group(1)


def test_tick_marks_live_criteria_only(
    stack: Stack, generated: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan_md = generated / "PLAN.md"
    before = plan_md.read_text(encoding="utf-8")
    assert box(before, "metrics are visible") == " "
    assert stack.command("json", directory=generated, tick=plan_md) == 0
    capsys.readouterr()
    after = plan_md.read_text(encoding="utf-8")
    assert box(after, "metrics are visible") == "x"  # AC4: the dashboard exists
    assert box(after, "runs successfully from start to finish") == "x"  # AC1
    assert box(after, "health checks in the `production`") == " "  # staging cannot prove it
    assert box(after, "No secrets are exposed") == " "  # not a live criterion
    # Only checkbox lines changed; tasks are check's business.
    changed = [
        (a, b) for a, b in zip(before.splitlines(), after.splitlines(), strict=True) if a != b
    ]
    assert len(changed) == 2
    assert all(a.replace("[ ]", "[x]", 1) == b for a, b in changed)


def test_tick_clears_a_failing_live_criterion(
    stack: Stack, generated: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan_md = generated / "PLAN.md"
    stack.command("json", directory=generated, tick=plan_md)
    stack.client("cloudwatch").delete_dashboards(DashboardNames=[stack.names.dashboard])
    assert stack.command("json", directory=generated, tick=plan_md) == 1
    capsys.readouterr()
    assert box(plan_md.read_text(encoding="utf-8"), "metrics are visible") == " "


def test_sarif_describes_live_rules(
    stack: Stack, generated: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    stack.client("cloudwatch").delete_alarms(AlarmNames=[stack.names.alarm_cpu])
    assert stack.command("sarif", directory=generated) == 1
    sarif = json.loads(capsys.readouterr().out)
    run_ = sarif["runs"][0]
    assert [r["ruleId"] for r in run_["results"]] == ["live_alarm_cpu"]
    rules = {r["id"]: r["shortDescription"]["text"] for r in run_["tool"]["driver"]["rules"]}
    assert rules["live_alarm_cpu"] == "the CPU alarm exists with the planned threshold"


def test_markdown_names_where_it_asked(
    stack: Stack, generated: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert stack.command("markdown", directory=generated) == 0
    out = capsys.readouterr().out
    assert out.startswith("# infraplan verify: environment staging, region eu-west-1")
    assert "| live_dashboard | pass |" in out


def test_the_table_says_it_is_about_aws(capsys: pytest.CaptureFixture[str]) -> None:
    from infraplan.findings import Finding, Report
    from infraplan.report_formats import render_report

    render_report(Report(rules=[Finding("live_ecs_cluster", "pass")]), "table", title="Plan vs AWS")
    assert "Plan vs AWS" in capsys.readouterr().out
