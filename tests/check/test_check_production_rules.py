"""The production rules on hand-written shapes: plain resources and terraform-aws-modules.

container_health_check, ecs_exec, alarm_notify and base_image_support, and the
target group matcher of alb_health_check. The verdict model's three fixtures for
each are in test_check_verdict_model.py; these are the shapes a real repository has.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from infraplan.findings import Finding

from .check_support import plan

Judge = Callable[..., dict[str, Finding]]

TASK = """
resource "aws_iam_role" "task" {}
resource "aws_iam_role" "execution" {}
resource "aws_ecs_task_definition" "app" {
  task_role_arn      = aws_iam_role.task.arn
  execution_role_arn = aws_iam_role.execution.arn
  container_definitions = jsonencode([{
    name  = "app"
    image = "app:1"
    %s
  }])
}
resource "aws_ecs_service" "app" {
  launch_type = "FARGATE"
  %s
}
"""
CHECK = 'healthCheck = { command = ["CMD", "wget", "-qO-", "http://127.0.0.1:8080/healthz"], %s }'


def _task(container: str = "", service: str = "") -> str:
    return TASK % (container, service)


# --- container_health_check -----------------------------------------------------------


def test_a_dockerfile_healthcheck_alone_fails_and_says_why(judge: Judge) -> None:
    found = judge(
        {
            "infra/main.tf": _task(),
            "Dockerfile": "FROM python:3.14-slim\nHEALTHCHECK CMD curl -f http://localhost/\n",
        }
    )["container_health_check"]
    assert found.status == "fail", found
    assert "Dockerfile:2" in found.evidence
    assert "ECS runs only the task definition's healthCheck" in found.reason


def test_a_container_health_check_passes_and_reports_its_path(judge: Judge) -> None:
    found = judge({"infra/main.tf": _task(CHECK % "startPeriod = 60")})["container_health_check"]
    assert found.status == "pass", found
    assert found.reason.endswith("health-checks /healthz, start period 60 s")


def test_no_start_period_is_advice_without_a_plan_and_fails_with_one(judge: Judge) -> None:
    files = {"infra/main.tf": _task(CHECK % "retries = 3")}
    alone = judge(files)["container_health_check"]
    assert alone.status == "pass" and "no startPeriod" in alone.advice[0].text
    held = judge(files, plan("service: {health_check_path: /healthz}\n"))["container_health_check"]
    assert held.status == "fail" and "no startPeriod" in held.reason


def test_a_disabled_health_check_fails(judge: Judge) -> None:
    container = 'healthCheck = { command = ["NONE"], startPeriod = 10 }'
    found = judge({"infra/main.tf": _task(container)})["container_health_check"]
    assert found.status == "fail" and "disabled" in found.reason


SERVICE_MODULE = """
module "svc" {
  source  = "terraform-aws-modules/ecs/aws//modules/service"
  version = "~> 5.0"
  enable_execute_command = %s
  container_definitions = {
    app = {
      image = "app:1"
      %s
    }
  }
}
"""


def test_the_ecs_service_module_health_check_input(judge: Judge) -> None:
    checked = 'health_check = { command = ["CMD-SHELL", "true"], startPeriod = 30 }'
    found = judge({"infra/main.tf": SERVICE_MODULE % ("false", checked)})
    assert found["container_health_check"].status == "pass", found["container_health_check"]
    assert found["container_health_check"].evidence == ("infra/main.tf:6",)  # the input
    missing = judge({"infra/main.tf": SERVICE_MODULE % ("false", "")})["container_health_check"]
    assert missing.status == "fail" and "no container has a healthCheck" in missing.reason


# --- alb_health_check: the matcher ------------------------------------------------------

GROUP = """
resource "aws_lb_target_group" "t" {
  port = 8080
  health_check {
    path    = "/healthz"
    %s
  }
}
"""


@pytest.mark.parametrize(
    "matcher", ["", 'matcher = "200"', 'matcher = "200-299"', 'matcher = "200,204"']
)
def test_a_2xx_matcher_passes(judge: Judge, matcher: str) -> None:
    found = judge({"infra/lb.tf": GROUP % matcher}, plan())["alb_health_check"]
    assert found.status == "pass", found
    assert not found.advice


def test_a_matcher_beyond_2xx_fails_with_a_plan_and_is_advice_without(judge: Judge) -> None:
    files = {"infra/lb.tf": GROUP % 'matcher = "200-399"'}
    held = judge(files, plan())["alb_health_check"]
    assert held.status == "fail" and "matcher 200-399" in held.reason
    alone = judge(files)["alb_health_check"]
    assert alone.status == "pass" and "matcher 200-399" in alone.advice[0].text


# --- ecs_exec ---------------------------------------------------------------------------

CHANNELS = """
resource "aws_iam_role_policy" "exec" {
  role = aws_iam_role.%s.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel",
                  "ssmmessages:OpenControlChannel", "ssmmessages:OpenDataChannel"]
      Resource = "*"
    }]
  })
}
"""


def test_exec_on_with_the_channels_on_the_task_role_passes(judge: Judge) -> None:
    files = {"infra/main.tf": _task(service="enable_execute_command = true") + CHANNELS % "task"}
    found = judge(files)["ecs_exec"]
    assert found.status == "pass", found
    assert "the task role opens the ssmmessages channels" in found.reason


def test_exec_on_with_the_channels_on_the_execution_role_fails(judge: Judge) -> None:
    files = {
        "infra/main.tf": _task(service="enable_execute_command = true") + CHANNELS % "execution"
    }
    found = judge(files)["ecs_exec"]
    assert found.status == "fail", found
    assert "granted to aws_iam_role.execution, not the task role aws_iam_role.task" in found.reason


def test_exec_on_without_the_channels_fails(judge: Judge) -> None:
    found = judge({"infra/main.tf": _task(service="enable_execute_command = true")})["ecs_exec"]
    assert found.status == "fail" and "sessions fail to start" in found.reason


def test_exec_from_a_variable_without_default_is_unknown(judge: Judge) -> None:
    files = {
        "infra/main.tf": _task(service="enable_execute_command = var.exec"),
        "infra/variables.tf": 'variable "exec" {\n  type = bool\n}\n',
    }
    found = judge(files)["ecs_exec"]
    assert found.status == "unknown" and "var.exec, which has no default" in found.reason


def test_the_ecs_service_module_grants_the_channels_itself(judge: Judge) -> None:
    found = judge({"infra/main.tf": SERVICE_MODULE % ("true", "")})["ecs_exec"]
    assert found.status == "pass" and "the module grants its tasks role" in found.reason


ENV_PLAN = "environments: [{name: staging, ecs_exec: true}, {name: production}]\n"


def _envs(staging: str, production: str) -> dict[str, str]:
    module = _task(service="enable_execute_command = var.exec") + CHANNELS % "task"
    module += 'variable "exec" {\n  type = bool\n}\n'
    call = 'module "app" {\n  source = "../../modules/app"\n  exec   = %s\n}\n'
    return {
        "infra/modules/app/main.tf": module,
        "infra/envs/staging/main.tf": call % staging,
        "infra/envs/production/main.tf": call % production,
    }


def test_each_environment_keeps_the_plans_switch(judge: Judge) -> None:
    assert judge(_envs("true", "false"), plan(ENV_PLAN))["ecs_exec"].status == "pass"
    found = judge(_envs("true", "true"), plan(ENV_PLAN))["ecs_exec"]
    assert found.status == "fail", found
    assert "(infra/envs/production): ECS Exec is on; the plan's default is off" in found.reason
    assert found.decided_at.startswith("plan.yaml:") and found.decided_at in found.evidence


def test_a_root_no_environment_names_is_unknown_when_environments_differ(judge: Judge) -> None:
    files = {"infra/main.tf": _task(service="enable_execute_command = true") + CHANNELS % "task"}
    found = judge(files, plan(ENV_PLAN))["ecs_exec"]
    assert found.status == "unknown" and "named after the plan's environment" in found.reason


# --- alarm_notify -----------------------------------------------------------------------

ALARM = """
resource "aws_cloudwatch_metric_alarm" "cpu" {
  metric_name = "CPUUtilization"
  %s
}
"""
TOPIC = 'resource "aws_sns_topic" "alarms" {}\n'
EMAIL = """
resource "aws_sns_topic_subscription" "ops" {
  topic_arn = aws_sns_topic.alarms.arn
  protocol  = "email"
  endpoint  = "ops@example.com"
}
"""
TO_TOPIC = "alarm_actions = [aws_sns_topic.alarms.arn]"


def test_an_alarm_without_actions_notifies_nobody(judge: Judge) -> None:
    found = judge({"infra/alarms.tf": ALARM % ""})["alarm_notify"]
    assert found.status == "fail" and "notify nobody: no alarm_actions" in found.reason


def test_a_topic_with_a_subscription_tells_its_subscriber(judge: Judge) -> None:
    files = {"infra/alarms.tf": ALARM % TO_TOPIC + TOPIC + EMAIL}
    found = judge(files)["alarm_notify"]
    assert found.status == "pass" and "ops@example.com (e-mail)" in found.reason
    assert (
        judge(files, plan("monitoring: {notify_emails: [ops@example.com]}\n"))[
            "alarm_notify"
        ].status
        == "pass"
    )


def test_a_topic_with_no_subscription_is_unknown_without_a_plan(judge: Judge) -> None:
    files = {"infra/alarms.tf": ALARM % TO_TOPIC + TOPIC}
    found = judge(files)["alarm_notify"]
    assert found.status == "unknown" and "made outside Terraform" in found.reason
    held = judge(files, plan("monitoring: {notify_emails: [ops@example.com]}\n"))["alarm_notify"]
    assert held.status == "fail" and "does not reach ops@example.com" in held.reason
    assert held.decided_at.startswith("plan.yaml:")


def test_the_plans_existing_topic_must_be_an_action(judge: Judge) -> None:
    arn = "arn:aws:sns:eu-west-1:123456789012:oncall"
    spec = plan(f"monitoring: {{notify_topic_arns: ['{arn}']}}\n")
    good = judge({"infra/alarms.tf": ALARM % f'alarm_actions = ["{arn}"]'}, spec)
    assert good["alarm_notify"].status == "pass", good["alarm_notify"]
    other = ALARM % 'alarm_actions = ["arn:aws:sns:eu-west-1:123456789012:other"]'
    found = judge({"infra/alarms.tf": other}, spec)["alarm_notify"]
    assert found.status == "fail" and f"does not reach {arn}" in found.reason


def test_a_slack_channel_through_amazon_q_developer(judge: Judge) -> None:
    chat = """
resource "aws_chatbot_slack_channel_configuration" "ops" {
  slack_team_id    = "T0123ABC"
  slack_channel_id = "C07EZ1ABC23"
  sns_topic_arns   = [aws_sns_topic.alarms.arn]
}
"""
    spec = plan("monitoring: {slack: {team_id: T0123ABC, channel_id: C07EZ1ABC23}}\n")
    found = judge({"infra/alarms.tf": ALARM % TO_TOPIC + TOPIC + chat}, spec)["alarm_notify"]
    assert found.status == "pass" and "Slack channel C07EZ1ABC23" in found.reason


def test_scaling_alarms_are_not_asked_to_tell_anyone(judge: Judge) -> None:
    scaling = ALARM % "alarm_actions = [aws_appautoscaling_policy.up.arn]"
    files = {
        "infra/alarms.tf": scaling.replace('"cpu"', '"scale"') + ALARM % TO_TOPIC + TOPIC + EMAIL
    }
    found = judge(files)["alarm_notify"]
    assert found.status == "pass" and found.reason.startswith("1 alarm(s) tell")


def test_a_plan_that_names_no_one_is_told_who_hears(judge: Judge) -> None:
    found = judge({"infra/alarms.tf": ALARM % ""}, plan())["alarm_notify"]
    assert found.status == "skipped"
    assert "the plan names no one to notify" in found.reason
    assert found.reason.endswith("the alarms tell nobody")


# --- base_image_support -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("dockerfile", "status", "words"),
    [
        ("FROM golang:1.23 AS build\nFROM alpine:3.23.3\n", "fail", "Go 1.23 support ended"),
        ("FROM golang:1.26.4-alpine3.20 AS b\nFROM alpine:3.23\n", "fail", "Alpine Linux 3.20"),
        ("FROM node:20-alpine\n", "fail", "Node.js 20 support ended 2026-04-30"),
        ("FROM python:3.14.3-slim-trixie\n", "pass", "supported until 2028-08-09"),
        ("FROM python:3-slim\n", "pass", "moves with upstream"),
        ("FROM nginx:1.27\n", "unknown", "its upstream's end-of-support date decides it"),
        ("FROM eclipse-temurin:17-jre\n", "unknown", "Eclipse Temurin 17 is not in"),
        ("ARG BASE\nFROM ${BASE}\n", "unknown", "build argument"),
        ("FROM python@sha256:" + "a" * 64 + "\n", "unknown", "pinned by digest alone"),
    ],
)
def test_base_images_are_judged_by_the_support_table(
    tmp_path: Path, dockerfile: str, status: str, words: str
) -> None:
    from infraplan.check import build_repo_model
    from infraplan.check.cache import ParseCache
    from infraplan.check.image_rules import judge_images

    (tmp_path / "Dockerfile").write_text(dockerfile, encoding="utf-8")
    repo = build_repo_model(tmp_path, ParseCache(None), progress=False)
    found = judge_images(repo, dt.date(2026, 11, 30))
    assert found.status == status, found
    assert words in found.reason, found


def test_an_image_near_its_end_gets_advice(tmp_path: Path) -> None:
    from infraplan.check import build_repo_model
    from infraplan.check.cache import ParseCache
    from infraplan.check.image_rules import judge_images

    (tmp_path / "Dockerfile").write_text("FROM python:3.11-slim\n", encoding="utf-8")
    repo = build_repo_model(tmp_path, ParseCache(None), progress=False)
    found = judge_images(repo, dt.date(2027, 9, 1))
    assert found.status == "pass"
    assert "Python 3.11 support ends 2027-10-31" in found.advice[0].text
    assert judge_images(repo, dt.date(2027, 10, 31)).status == "fail"


def test_the_rule_reads_the_day_source_date_epoch_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Reproducible output (the docs pages, golden runs) pins the day the rule judges on."""
    from infraplan.check import build_repo_model
    from infraplan.check.cache import ParseCache
    from infraplan.check.image_rules import base_image_support
    from infraplan.check.plan_context import PlanContext

    (tmp_path / "Dockerfile").write_text("FROM python:3.11-slim\n", encoding="utf-8")
    repo = build_repo_model(tmp_path, ParseCache(None), progress=False)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1796083200")  # 2026-12-01
    assert base_image_support(repo, PlanContext.none()).status == "pass"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1827619200")  # 2027-12-01
    assert base_image_support(repo, PlanContext.none()).status == "fail"


def test_every_generated_image_is_in_the_table() -> None:
    from infraplan.check.image_rules import read_image
    from infraplan.scaffold.runtimes import RUNTIMES

    for runtime in RUNTIMES.values():
        for image in (runtime.build_image, runtime.run_image):
            read = read_image(image, "Dockerfile:1")
            assert not read.unknown and read.components, (runtime.name, image, read)
