"""Which plan, not applicable, live, unknown: how plan items take their status."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from infraplan.check import check_repository
from infraplan.check.command import load_plan, run_check_command
from infraplan.errors import SpecError, UserError
from infraplan.findings import Finding

from .check_support import FIXTURES, findings, plan, write_repo

Judge = Callable[..., dict[str, Finding]]


def test_without_a_plan_texts_are_english_and_state_no_default_value(tmp_path: Path) -> None:
    report = check_repository(tmp_path, None, use_cache=False, progress=False)
    texts = " ".join(t.text for t in report.tasks)
    assert "Write the Terraform that creates the VPC" in texts
    assert "Escribir" not in texts and "80%" not in texts and "$100" not in texts
    assert report.plan is not None and report.plan.to_dict() is None
    assert "no plan.yaml" in report.plan.describe()
    # secrets are looked for without a plan; previews only when a plan asks for them
    ids = [t.id for t in report.tasks]
    assert "3.1" in ids and "2.5" not in ids


def test_a_health_check_on_health_passes_without_a_plan(judge: Judge) -> None:
    source = (
        'resource "aws_lb_target_group" "t" {\n  health_check {\n    path = "/health"\n  }\n}\n'
    )
    assert judge({"main.tf": source})["alb_health_check"].status == "pass"
    written = judge({"main.tf": source}, plan("service: {health_check_path: /healthz}\n"))
    assert written["alb_health_check"].status == "fail"


def test_not_applicable_items_are_skipped_with_their_reason_and_never_fail(tmp_path: Path) -> None:
    root = write_repo(
        tmp_path / "repo", {"main.tf": 'data "aws_vpc" "default" {\n  default = true\n}\n'}
    )
    (root / "plan.yaml").write_text(
        "project: shop\nci: {repository: acme/shop}\nnot_applicable:\n"
        "  1.1: we run in the account's default VPC\n  R4: the budget is owned by finance\n",
        encoding="utf-8",
    )
    context = load_plan(root, None)
    report = check_repository(root, context, use_cache=False, progress=False)
    task = next(t for t in report.tasks if t.id == "1.1")
    assert (
        task.status == "skipped"
        and task.reason == "not applicable: we run in the account's default VPC"
    )
    found = findings(report)
    assert found["vpc"].status == "skipped" and "default VPC" in found["vpc"].reason
    assert found["subnets"].status == "skipped"
    assert next(r for r in report.requirements if r.id == "R4").status == "skipped"
    # budget is still used by task 3.4, so it is judged
    assert found["budget"].status == "fail"


def test_not_applicable_names_a_known_item(tmp_path: Path) -> None:
    (tmp_path / "plan.yaml").write_text(
        "project: shop\nci: {repository: acme/shop}\nnot_applicable: {'9.9': nope}\n",
        encoding="utf-8",
    )
    with pytest.raises(SpecError) as caught:
        load_plan(tmp_path, None)
    assert "not_applicable" in str(caught.value) and "plan.yaml:3" in str(caught.value)


def test_a_task_that_needs_a_live_account_is_live_not_pass() -> None:
    report = check_repository(FIXTURES / "handwritten_good", None, use_cache=False, progress=False)
    task = next(t for t in report.tasks if t.id == "1.3")
    assert task.status == "live" and task.live


def test_unknown_says_what_would_decide_it(judge: Judge) -> None:
    source = (
        'variable "launch_type" {\n  type = string\n}\n'
        'resource "aws_ecs_service" "s" {\n  launch_type = var.launch_type\n}\n'
    )
    found = judge({"main.tf": source})["ecs_fargate_service"]
    assert found.status == "unknown"
    assert "var.launch_type, which has no default" in found.reason
    assert "-var-file" in found.reason


def test_plan_yaml_that_is_a_folder_is_bad_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "plan.yaml").mkdir()
    with pytest.raises(UserError, match="is a folder"):
        run_check_command(tmp_path, plan=None, fmt="json", tick=None, use_cache=False)
    with pytest.raises(UserError, match="is a folder"):
        run_check_command(
            tmp_path, plan=tmp_path / "plan.yaml", fmt="json", tick=None, use_cache=False
        )
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize("given", ["demo/plan.yaml", "./demo/plan.yaml", "ABSOLUTE"])
def test_the_plan_line_shows_the_path_as_given(
    given: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    import shutil

    shutil.copytree(FIXTURES / "handwritten_traps", tmp_path / "demo")
    monkeypatch.chdir(tmp_path)
    plan = tmp_path / "demo" / "plan.yaml" if given == "ABSOLUTE" else Path(given)
    run_check_command(Path("demo"), plan=plan, fmt="table", tick=None, use_cache=False)
    assert "Plan: demo/plan.yaml (INFRA-" in capsys.readouterr().out
    # Evidence and machine formats stay relative to the repository.
    run_check_command(Path("demo"), plan=plan, fmt="json", tick=None, use_cache=False)
    assert json.loads(capsys.readouterr().out)["plan"]["path"] == "plan.yaml"


def test_every_format_says_which_plan_was_used(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = FIXTURES / "handwritten_traps"
    monkeypatch.chdir(root)  # the Plan: line shows the path relative to here
    run_check_command(root, plan=None, fmt="json", tick=None, use_cache=False)
    data = json.loads(capsys.readouterr().out)
    assert data["plan"] == {"path": "plan.yaml", "id": data["plan"]["id"]}
    assert data["plan"]["id"].startswith("INFRA-") and data["plan"]["id"].endswith("-SHOP")
    for fmt in ("table", "markdown"):
        run_check_command(root, plan=None, fmt=fmt, tick=None, use_cache=False)
        assert "Plan: plan.yaml (INFRA-" in capsys.readouterr().out
    run_check_command(root, plan=None, fmt="sarif", tick=None, use_cache=False)
    assert (
        json.loads(capsys.readouterr().out)["runs"][0]["properties"]["plan"]["path"] == "plan.yaml"
    )
    run_check_command(
        FIXTURES / "handwritten_good", plan=None, fmt="table", tick=None, use_cache=False
    )
    assert "Plan: no plan.yaml" in capsys.readouterr().out
