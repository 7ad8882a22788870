"""Rule deploy_strategy on the shapes real repositories take: ECS native blue/green, with
and without its advanced_configuration, CodeDeploy blue/green, a strategy from a variable,
and a plan whose own risk table claims blue/green (issue: production readiness, item 5)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from infraplan.findings import Finding
from infraplan.scaffold.render import render_code
from infraplan.spec.model import Spec

from .check_support import plan

Judge = Callable[..., dict[str, Finding]]

NATIVE = """
resource "aws_ecs_service" "api" {
  launch_type = "FARGATE"
  deployment_configuration {
    strategy             = "BLUE_GREEN"
    bake_time_in_minutes = 15
  }
  alarms {
    enable      = true
    rollback    = true
    alarm_names = ["api-5xx"]
  }
  load_balancer {
    target_group_arn = aws_lb_target_group.blue.arn
    container_name   = "api"
    container_port   = 8080
    advanced_configuration {
      alternate_target_group_arn = aws_lb_target_group.green.arn
      production_listener_rule   = aws_lb_listener_rule.live.arn
      role_arn                   = aws_iam_role.ecs_lb.arn
    }
  }
}
"""
NATIVE_WITHOUT_ADVANCED = """
resource "aws_ecs_service" "api" {
  launch_type = "FARGATE"
  deployment_configuration {
    strategy = "BLUE_GREEN"
  }
  load_balancer {
    target_group_arn = aws_lb_target_group.blue.arn
    container_name   = "api"
    container_port   = 8080
  }
}
"""
CODEDEPLOY = """
resource "aws_ecs_service" "api" {
  launch_type = "FARGATE"
  deployment_controller {
    type = "CODE_DEPLOY"
  }
}
resource "aws_codedeploy_deployment_group" "api" {
  app_name              = "api"
  deployment_group_name = "api"
  deployment_style {
    deployment_option = "WITH_TRAFFIC_CONTROL"
    deployment_type   = "BLUE_GREEN"
  }
  auto_rollback_configuration {
    enabled = true
    events  = ["DEPLOYMENT_FAILURE"]
  }
}
"""
CODEDEPLOY_WITHOUT_GROUP = """
resource "aws_ecs_service" "api" {
  launch_type = "FARGATE"
  deployment_controller {
    type = "CODE_DEPLOY"
  }
}
"""
ROLLING = """
resource "aws_ecs_service" "api" {
  launch_type = "FARGATE"
  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }
}
"""
FROM_VARIABLE = """
variable "strategy" {
  type = string
}
resource "aws_ecs_service" "api" {
  launch_type = "FARGATE"
  deployment_configuration {
    strategy = var.strategy
  }
}
"""
BLUE_GREEN_PLAN = "deploy: {strategy: blue_green}\n"
CLAIMING_RISKS = """
risks:
  - risk: Downtime during the first deployment
    mitigation: Use a Blue/Green deployment strategy for a seamless transition.
"""


def _rule(judge: Judge, tf: str, spec: Spec | None = None) -> Finding:
    return judge({"infra/main.tf": tf}, spec)["deploy_strategy"]


def test_native_blue_green_is_reported_with_its_bake_time_and_alarm_rollback(
    judge: Judge,
) -> None:
    found = _rule(judge, NATIVE)
    assert found.status == "pass", found
    assert "aws_ecs_service.api deploys blue/green, 15 minutes of bake time" in found.reason
    assert "rolled back by its alarms" in found.reason
    assert found.evidence[0].startswith("infra/main.tf:")


def test_native_blue_green_passes_a_blue_green_plan_and_fails_a_rolling_one(
    judge: Judge,
) -> None:
    assert _rule(judge, NATIVE, plan(BLUE_GREEN_PLAN)).status == "pass"
    found = _rule(judge, NATIVE, plan("deploy: {strategy: rolling}\n"))
    assert found.status == "fail"
    assert "the deployment strategy is blue/green; the plan says rolling" in found.reason
    assert found.decided_at.startswith("plan.yaml:")
    # the plan's default (rolling, what its risk table then says) holds the code too
    assert _rule(judge, NATIVE, plan()).status == "fail"


def test_blue_green_without_advanced_configuration_fails_with_or_without_a_plan(
    judge: Judge,
) -> None:
    for spec in (None, plan(BLUE_GREEN_PLAN)):
        found = _rule(judge, NATIVE_WITHOUT_ADVANCED, spec)
        assert found.status == "fail", found
        assert "no advanced_configuration alternate_target_group_arn" in found.reason


def test_codedeploy_blue_green_counts_as_blue_green_with_advice(judge: Judge) -> None:
    found = _rule(judge, CODEDEPLOY, plan(BLUE_GREEN_PLAN))
    assert found.status == "pass", found
    assert "through CodeDeploy (aws_codedeploy_deployment_group.api" in found.reason
    assert "auto_rollback_configuration" in found.reason
    assert any("CodeDeploy runs this blue/green" in a.text for a in found.advice)
    rolling_plan = _rule(judge, CODEDEPLOY, plan())
    assert rolling_plan.status == "fail"
    assert "blue/green through CodeDeploy; the plan's default is rolling" in rolling_plan.reason


def test_codedeploy_controller_without_a_deployment_group_fails(judge: Judge) -> None:
    found = _rule(judge, CODEDEPLOY_WITHOUT_GROUP)
    assert found.status == "fail"
    assert "no CodeDeploy deployment group" in found.reason


def test_rolling_fails_a_blue_green_plan(judge: Judge) -> None:
    found = _rule(judge, ROLLING, plan(BLUE_GREEN_PLAN))
    assert found.status == "fail"
    assert "is rolling; the plan says blue_green" in found.reason


def test_a_strategy_from_a_variable_without_default_is_unknown(judge: Judge) -> None:
    found = _rule(judge, FROM_VARIABLE, plan(BLUE_GREEN_PLAN))
    assert found.status == "unknown", found
    assert "var.strategy" in found.reason


def test_a_risk_mitigation_claiming_blue_green_needs_blue_green_code(judge: Judge) -> None:
    found = _rule(judge, ROLLING, plan(CLAIMING_RISKS))
    assert found.status == "fail", found
    assert "the plan's risk table claims blue/green" in found.reason
    assert "aws_ecs_service.api deploys rolling" in found.reason
    # the claim is kept when the code backs it
    assert _rule(judge, NATIVE, plan(CLAIMING_RISKS + BLUE_GREEN_PLAN)).status == "pass"
    # a mitigation that does not claim blue/green is the author's to word
    honest = CLAIMING_RISKS.replace("a Blue/Green deployment strategy", "rolling deployments")
    assert _rule(judge, ROLLING, plan(honest)).status == "pass"


@pytest.mark.parametrize("strategy", ["rolling", "blue_green"])
def test_generated_repo_passes_its_own_plan(strategy: str, judge: Judge) -> None:
    spec = plan(f"deploy: {{strategy: {strategy}, bake_minutes: 7}}\n")
    files: dict[str, str | bytes] = {
        f.path: f.content.decode("utf-8")
        for f in render_code(spec)
        if f.path.endswith(".tf") or f.path.endswith(".tfvars")
    }
    found = judge(files, spec)["deploy_strategy"]
    assert found.status == "pass", found
    said = (
        "blue/green, 7 minutes of bake time, rolled back" if strategy == "blue_green" else "rolling"
    )
    assert said in found.reason
    other = "rolling" if strategy == "blue_green" else "blue_green"
    assert judge(files, plan(f"deploy: {{strategy: {other}}}\n"))["deploy_strategy"].status == (
        "fail"
    )


def test_the_rendered_plan_risk_states_what_the_code_does(tmp_path: Path) -> None:
    from infraplan.plan.markdown import render_plan

    rolling = render_plan(plan("language: en\n"))
    blue_green = render_plan(plan("language: en\ndeploy: {strategy: blue_green}\n"))
    assert "Blue/Green deployment strategy" not in rolling
    assert "ECS rolling deployment" in rolling and "circuit breaker rolls back" in rolling
    assert "ECS native blue/green deployment" in blue_green
    assert "for 5 minutes the old revision keeps running" in blue_green
    assert "2.8" in blue_green and "2.8" not in rolling.split("## 4")[0].split("Phase 3")[0]
