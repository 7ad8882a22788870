"""The ecs_autoscaling rule on the shapes real repositories take: hand-written targets and
policies, the terraform-aws-modules/ecs service module, a service that fights its
autoscaling, and the generated repo's per-environment bounds with the minimum its deploy
workflow sets."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from infraplan.findings import Finding
from infraplan.scaffold.repo import build_starter_repo
from infraplan.spec.load import parse_spec

from .check_support import plan

Judge = Callable[..., dict[str, Finding]]

SERVICE = """
resource "aws_ecs_service" "api" {
  launch_type   = "FARGATE"
  desired_count = 2
  lifecycle {
    ignore_changes = [desired_count]
  }
}
"""
TARGET = """
resource "aws_appautoscaling_target" "api" {
  service_namespace  = "ecs"
  scalable_dimension = "ecs:service:DesiredCount"
  resource_id        = "service/c/api"
  min_capacity       = 2
  max_capacity       = 4
}
"""
CPU_POLICY = """
resource "aws_appautoscaling_policy" "cpu" {
  policy_type = "TargetTrackingScaling"
  resource_id = aws_appautoscaling_target.api.resource_id
  target_tracking_scaling_policy_configuration {
    target_value = 70
    predefined_metric_specification {
      predefined_metric_type = "ECSServiceAverageCPUUtilization"
    }
  }
}
"""


def _repo(*parts: str) -> dict[str, str]:
    return {"infra/main.tf": "".join(parts)}


def test_a_fixed_count_is_no_autoscaling(judge: Judge) -> None:
    found = judge(_repo(SERVICE))["ecs_autoscaling"]
    assert found.status == "fail"
    assert "runs a fixed desired_count of 2" in found.reason
    assert found.evidence == ("infra/main.tf:4",)


def test_a_target_without_a_policy_never_scales(judge: Judge) -> None:
    found = judge(_repo(SERVICE, TARGET))["ecs_autoscaling"]
    assert found.status == "fail" and "has no scaling policy" in found.reason


def test_a_service_that_manages_its_count_fights_autoscaling(judge: Judge) -> None:
    drifting = SERVICE.replace("ignore_changes = [desired_count]", "ignore_changes = []")
    found = judge(_repo(drifting, TARGET, CPU_POLICY))["ecs_autoscaling"]
    assert found.status == "fail"
    assert "aws_ecs_service.api sets desired_count without lifecycle" in found.reason
    assert "infra/main.tf:4" in found.evidence


def test_without_a_plan_the_values_are_reported(judge: Judge) -> None:
    found = judge(_repo(SERVICE, TARGET, CPU_POLICY))["ecs_autoscaling"]
    assert found.status == "pass", found
    assert found.reason == (
        "aws_appautoscaling_target.api scales 2..4 tasks on ECSServiceAverageCPUUtilization 70"
    )


def test_the_plan_holds_the_metric_it_asks_for(judge: Judge) -> None:
    spec = plan("service: {autoscaling: {requests_per_target: 500}}\n")
    found = judge(_repo(SERVICE, TARGET, CPU_POLICY), spec)["ecs_autoscaling"]
    assert found.status == "fail"
    assert "no policy tracks ALBRequestCountPerTarget; the plan says 500" in found.reason
    assert found.decided_at.startswith("plan.yaml:")


def test_a_plan_without_autoscaling_leaves_the_rule_out(judge: Judge) -> None:
    spec = plan("service: {autoscaling: {enabled: false}}\n")
    found = judge(_repo(SERVICE), spec)["ecs_autoscaling"]
    assert found.status == "skipped"


MODULE_CALL = """
module "api" {
  source  = "terraform-aws-modules/ecs/aws//modules/service"
  version = "~> 6.0"
  name    = "api"
%s}
"""


def test_the_ecs_service_module_scales_by_default(judge: Judge) -> None:
    found = judge(_repo(MODULE_CALL % ""))["ecs_autoscaling"]
    assert found.status == "pass", found
    assert "scales 1..10 tasks on ECSServiceAverageCPUUtilization 75" in found.reason
    # the plan's default bounds (2..4) are not the module's (1..10)
    held = judge(_repo(MODULE_CALL % ""), plan())["ecs_autoscaling"]
    assert held.status == "fail" and "the minimum is 1" in held.reason


def test_the_ecs_service_module_inputs_count(judge: Judge) -> None:
    inputs = (
        "  autoscaling_min_capacity = 2\n  autoscaling_max_capacity = 4\n"
        "  autoscaling_policies = {\n    cpu = {\n"
        '      policy_type = "TargetTrackingScaling"\n'
        "      target_tracking_scaling_policy_configuration = {\n"
        "        target_value = 70\n"
        "        predefined_metric_specification = {\n"
        '          predefined_metric_type = "ECSServiceAverageCPUUtilization"\n'
        "        }\n      }\n    }\n  }\n"
    )
    assert judge(_repo(MODULE_CALL % inputs), plan())["ecs_autoscaling"].status == "pass"
    off = judge(_repo(MODULE_CALL % "  enable_autoscaling = false\n"))["ecs_autoscaling"]
    assert off.status == "fail"


SPEC = {
    "project": "shop",
    "date": "2026-11-29",
    "ci": {"repository": "acme/shop"},
    "service": {"autoscaling": {"cpu_target_percent": 60}},
    "environments": [
        {"name": "staging", "desired_count": 1, "max_count": 2},
        {"name": "production", "approval": True, "min_count": 2, "max_count": 6},
    ],
}


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    text = json.dumps(SPEC)
    root = tmp_path_factory.mktemp("generated")
    for file in build_starter_repo(parse_spec(text), text).repo_files():
        path = root / file.path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(file.content)
    return root


def _check(root: Path, spec_text: str) -> Finding:
    from infraplan.check import check_repository

    from .check_support import findings

    return findings(check_repository(root, parse_spec(spec_text), use_cache=False))[
        "ecs_autoscaling"
    ]


def test_the_generated_repo_keeps_each_environments_bounds(generated: Path) -> None:
    found = _check(generated, json.dumps(SPEC))
    assert found.status == "pass", found
    assert "tasks on ECSServiceAverageCPUUtilization 60 (and 1 more)" in found.reason
    # production's maximum in the plan is 6; the code is held to 8 now
    other = json.loads(json.dumps(SPEC))
    other["environments"][1]["max_count"] = 8
    found = _check(generated, json.dumps(other))
    assert found.status == "fail", found
    assert "the maximum is 6; the plan says 8" in found.reason
    assert any(e.startswith("infra/modules/autoscaling/main.tf:") for e in found.evidence)
    assert found.decided_at == "plan.yaml:1"


def test_the_minimum_is_the_one_the_deploy_job_sets(generated: Path, tmp_path: Path) -> None:
    import shutil

    root = tmp_path / "repo"
    shutil.copytree(generated, root)
    deploy = root / ".github/workflows/deploy.yml"
    text = deploy.read_text(encoding="utf-8")
    assert text.count("--min-capacity 2") == 1 and text.count("--min-capacity 1") == 1
    deploy.write_text(text.replace("--min-capacity 2", "--min-capacity 3"), encoding="utf-8")
    found = _check(root, json.dumps(SPEC))
    assert found.status == "fail", found
    assert "the minimum is 3; the plan says 2" in found.reason
    assert any(e.startswith(".github/workflows/deploy.yml:") for e in found.evidence)
