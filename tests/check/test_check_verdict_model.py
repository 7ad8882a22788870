"""The verdict model, rule by rule: no plan, a plan the code conforms to, a plan it differs from.

Without a plan a rule judges the capability and reports the values it found;
with a plan, a value of the plan the code contradicts fails and names both
places (the plan's line is the deciding one); a plan whose capability the code
lacks fails too. Every rule of the table has the three fixtures below.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from infraplan.catalogue import RULES
from infraplan.findings import Finding

from .check_support import plan

Judge = Callable[..., dict[str, Finding]]

SERVICE = """
resource "aws_ecs_cluster" "c" {}
resource "aws_ecs_service" "s" {
  launch_type   = "FARGATE"
  desired_count = 2
  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }
  lifecycle {
    ignore_changes = [desired_count]
  }
}
resource "aws_appautoscaling_target" "s" {
  service_namespace  = "ecs"
  scalable_dimension = "ecs:service:DesiredCount"
  resource_id        = "service/c/s"
  min_capacity       = 2
  max_capacity       = 6
}
resource "aws_appautoscaling_policy" "cpu" {
  policy_type = "TargetTrackingScaling"
  resource_id = aws_appautoscaling_target.s.resource_id
  target_tracking_scaling_policy_configuration {
    target_value = 60
    predefined_metric_specification {
      predefined_metric_type = "ECSServiceAverageCPUUtilization"
    }
  }
}
resource "aws_lb_target_group" "t" {
  port = 8080
  health_check {
    path = "/health"
  }
}
"""
NETWORK = """
resource "aws_vpc" "v" {
  cidr_block = "10.0.0.0/16"
}
resource "aws_subnet" "public" {
  count                   = 2
  map_public_ip_on_launch = true
}
resource "aws_subnet" "private" {
  count = 2
}
resource "aws_security_group" "alb" {}
resource "aws_security_group" "svc" {}
"""
ECR = """
resource "aws_ecr_repository" "r" {
  image_tag_mutability = "IMMUTABLE"
  image_scanning_configuration {
    scan_on_push = true
  }
}
"""
MONITORING = """
resource "aws_sns_topic" "alarms" {}
resource "aws_sns_topic_subscription" "ops" {
  topic_arn = aws_sns_topic.alarms.arn
  protocol  = "email"
  endpoint  = "ops@example.com"
}
resource "aws_cloudwatch_metric_alarm" "cpu" {
  metric_name   = "CPUUtilization"
  threshold     = 70
  alarm_actions = [aws_sns_topic.alarms.arn]
}
resource "aws_cloudwatch_metric_alarm" "errors" {
  metric_name   = "HTTPCode_Target_5XX_Count"
  threshold     = 10
  alarm_actions = [aws_sns_topic.alarms.arn]
}
resource "aws_cloudwatch_metric_alarm" "no_healthy_target" {
  metric_name        = "HealthyHostCount"
  treat_missing_data = "breaching"
  alarm_actions      = [aws_sns_topic.alarms.arn]
}
resource "aws_cloudwatch_metric_alarm" "lb_errors" {
  metric_name   = "HTTPCode_ELB_5XX_Count"
  threshold     = 10
  alarm_actions = [aws_sns_topic.alarms.arn]
}
resource "aws_cloudwatch_metric_alarm" "tasks" {
  metric_name   = "RunningTaskCount"
  alarm_actions = [aws_sns_topic.alarms.arn]
}
resource "aws_cloudwatch_dashboard" "d" {}
resource "aws_budgets_budget" "b" {
  limit_amount = "250"
  notification {
    threshold = 80
  }
}
"""
SECRETS = """
resource "aws_secretsmanager_secret" "db" {}
resource "aws_ecs_task_definition" "t" {
  container_definitions = jsonencode([{
    name    = "app"
    secrets = [{ name = "DATABASE_URL", valueFrom = aws_secretsmanager_secret.db.arn }]
    healthCheck = {
      command     = ["CMD-SHELL", "curl -f http://localhost:8080/health || exit 1"]
      startPeriod = 30
    }
  }])
}
"""
HTTPS = """
resource "aws_acm_certificate" "api" {
  domain_name       = "api.example.com"
  validation_method = "DNS"
}
resource "aws_route53_record" "validation" {
  for_each = { for o in aws_acm_certificate.api.domain_validation_options : o.domain_name => o }
  name     = each.value.resource_record_name
}
resource "aws_acm_certificate_validation" "api" {
  certificate_arn = aws_acm_certificate.api.arn
}
resource "aws_route53_record" "api" {
  name = "api.example.com"
  type = "A"
  alias {
    name = "lb.example"
  }
}
resource "aws_lb_listener" "https" {
  port            = 443
  protocol        = "HTTPS"
  ssl_policy      = "ELBSecurityPolicy-TLS13-1-2-2021-06"
  certificate_arn = aws_acm_certificate_validation.api.certificate_arn
  default_action {
    type = "forward"
  }
}
resource "aws_lb_listener" "http" {
  port     = 80
  protocol = "HTTP"
  default_action {
    type = "redirect"
    redirect {
      port        = "443"
      protocol    = "HTTPS"
      status_code = "HTTP_301"
    }
  }
}
"""
BACKEND = 'terraform {\n  backend "s3" {\n    bucket       = "b"\n    use_lockfile = true\n  }\n}\n'
DEPLOY = """\
name: deploy
on:
  push:
    branches: [main]
  pull_request:
permissions:
  id-token: write
jobs:
  deploy:
    runs-on: ubuntu-latest
    timeout-minutes: 15
    steps:
      - uses: aws-actions/configure-aws-credentials@v4
        with:
          role-to-assume: arn:aws:iam::123456789012:role/deploy
          aws-region: eu-west-1
      - id: ecr
        uses: aws-actions/amazon-ecr-login@v2
      - run: docker push "${{ steps.ecr.outputs.registry }}/app:${{ github.sha }}"
      - uses: aws-actions/amazon-ecs-deploy-task-definition@v2
        with:
          task-definition: td.json
      - run: terraform plan -out tfplan && terraform apply tfplan
"""
ROLLBACK = """\
name: rollback
on: workflow_dispatch
jobs:
  rollback:
    runs-on: ubuntu-latest
    steps:
      - run: >-
          aws ecs update-service --cluster c --service s
          --task-definition "${{ inputs.revision }}"
"""
GOOD = {
    "infra/service.tf": SERVICE,
    "infra/network.tf": NETWORK,
    "infra/ecr.tf": ECR,
    "infra/monitoring.tf": MONITORING,
    "infra/secrets.tf": SECRETS,
    "infra/backend.tf": BACKEND,
    "infra/https.tf": HTTPS,
    ".github/workflows/deploy.yml": DEPLOY,
    ".github/workflows/rollback.yml": ROLLBACK,
    "Dockerfile": "FROM python:3.14-slim\nUSER 1000\n",
    ".github/dependabot.yml": (
        "version: 2\nupdates:\n"
        "  - {package-ecosystem: docker, directory: /, schedule: {interval: weekly}}\n"
        "  - {package-ecosystem: github-actions, directory: /, schedule: {interval: weekly}}\n"
    ),
}
# What the good repo's plan says: its own values, so every rule conforms.
CONFORMING: dict[str, Any] = {
    "service": {
        "port": 8080,
        "health_check_path": "/health",
        "domain": "api.example.com",
        "hosted_zone": "example.com",
        "autoscaling": {"max_count": 6, "cpu_target_percent": 60},
    },
    "monitoring": {
        "cpu_alarm_percent": 70,
        "http_5xx_alarm_count": 10,
        "notify_emails": ["ops@example.com"],
    },
    "requirements": {"deploy_minutes": 15, "monthly_budget_usd": 400},
    "network": {"cidr": "10.0.0.0/16", "az_count": 2},
    "secrets": ["DATABASE_URL"],
    "ci": {"repository": "acme/app", "preview_environments": True},
    "deploy": {"strategy": "rolling"},
}


def plan_text(changes: dict[str, Any] | None = None) -> str:
    """The conforming plan with ``changes`` on top, as YAML (JSON is YAML)."""
    merged = {k: (dict(v) if isinstance(v, dict) else v) for k, v in CONFORMING.items()}
    for key, value in (changes or {}).items():
        if isinstance(value, dict):
            merged[key].update(value)
        else:
            merged[key] = value
    return "".join(f"{k}: {json.dumps(v)}\n" for k, v in merged.items())


def _without(path: str, old: str, new: str) -> dict[str, str]:
    files = dict(GOOD)
    assert old in files[path], (path, old)
    files[path] = files[path].replace(old, new)
    return files


# rule -> (plan text the good repo differs from, or files that lack the capability
# under the conforming plan; words of the failure)
NO_ROLLBACK = {k: v for k, v in GOOD.items() if k != ".github/workflows/rollback.yml"}
DIFFERING: dict[str, tuple[dict[str, Any], dict[str, str] | None, str]] = {
    "vpc": ({"network": {"cidr": "10.9.0.0/16"}}, None, "plan says 10.9.0.0/16"),
    "subnets": ({"network": {"az_count": 3}}, None, "the plan spreads over 3 zones"),
    "security_groups": (
        {},
        _without("infra/network.tf", "aws_security_group", "aws_x"),
        "no security",
    ),
    "ecs_cluster": (
        {},
        _without("infra/service.tf", '"aws_ecs_cluster" "c"', '"aws_x" "c"'),
        "no ECS",
    ),
    "ecs_fargate_service": ({}, _without("infra/service.tf", '"FARGATE"', '"EC2"'), "runs on EC2"),
    "ecs_autoscaling": (
        {"service": {"autoscaling": {"max_count": 8}}},
        None,
        "the maximum is 6; the plan says 8",
    ),
    "ecr_repository": ({}, _without("infra/ecr.tf", "resource", "data"), "only looked up"),
    "ecr_scan_on_push": ({}, _without("infra/ecr.tf", "= true", "= false"), "does not scan"),
    "ecr_immutable_tags": ({}, _without("infra/ecr.tf", '"IMMUTABLE"', '"MUTABLE"'), "is MUTABLE"),
    "alarm_cpu": ({"monitoring": {"cpu_alarm_percent": 90}}, None, "the plan says 90"),
    "alarm_5xx": ({"monitoring": {"http_5xx_alarm_count": 3}}, None, "the plan says 3"),
    "alarm_outage": (
        {},
        _without("infra/monitoring.tf", '"breaching"', '"notBreaching"'),
        "treats missing data as notBreaching",
    ),
    "dependency_updates": (
        {},
        {k: v for k, v in GOOD.items() if k != ".github/dependabot.yml"},
        "no .github/dependabot.yml",
    ),
    "secrets_manager": (
        {"secrets": ["DATABASE_URL", "API_KEY"]},
        None,
        "API_KEY reach no container",
    ),
    "circuit_breaker_rollback": (
        {},
        _without("infra/service.tf", "rollback = true", "rollback = false"),
        "rollback = false",
    ),
    "deploy_strategy": (
        {"deploy": {"strategy": "blue_green"}},
        None,
        "the deployment strategy is rolling; the plan says blue_green",
    ),
    "alb_health_check": (
        {"service": {"health_check_path": "/healthz"}},
        None,
        "the plan says /healthz",
    ),
    "gha_push_ecr": (
        {},
        _without(
            ".github/workflows/deploy.yml",
            '"${{ steps.ecr.outputs.registry }}/app:${{ github.sha }}"',
            "ghcr.io/acme/app:${{ github.sha }}",
        ),
        "pushed to ghcr.io, not ECR",
    ),
    "gha_deploy_ecs": (
        {},
        {
            **NO_ROLLBACK,
            ".github/workflows/deploy.yml": DEPLOY.replace(
                "aws-actions/amazon-ecs-deploy-task-definition", "x/y"
            ).replace(" && terraform apply tfplan", ""),
        },
        "no workflow step deploys to ECS",
    ),
    "gha_oidc": (
        {},
        _without(".github/workflows/deploy.yml", "id-token: write", "contents: read"),
        "id-token",
    ),
    "gha_static_keys": (
        {},
        _without(
            ".github/workflows/deploy.yml",
            "role-to-assume: arn:aws:iam::123456789012:role/deploy",
            "aws-access-key-id: ${{ secrets.KEY }}",
        ),
        "access keys",
    ),
    "plaintext_credentials": (
        {},
        {**GOOD, "infra/keys.tf": 'locals {\n  key = "AKIA' + 'IOSFODNN7EXAMPLE"\n}\n'},
        "a plaintext credential (AWS Access Key) at infra/keys.tf:2",
    ),
    "gha_deploy_timeout": ({"requirements": {"deploy_minutes": 10}}, None, "the plan says 10"),
    "gha_terraform": (
        {},
        _without(".github/workflows/deploy.yml", "terraform plan -out tfplan && ", ""),
        "never run terraform plan",
    ),
    "gha_preview": (
        {},
        _without(".github/workflows/deploy.yml", "  pull_request:\n", ""),
        "no workflow deploys a preview",
    ),
    "gha_rollback": (
        {},
        NO_ROLLBACK,
        "no workflow redeploys",
    ),
    "dockerfile": ({}, _without("Dockerfile", "FROM python:3.14-slim", "# no base"), "no FROM"),
    "container_health_check": (
        {"service": {"health_check_path": "/healthz"}},
        None,
        "probes is /health; the plan says /healthz",
    ),
    "ecs_exec": (
        {"environments": [{"name": "production", "ecs_exec": True}]},
        None,
        "ECS Exec is off; the plan says on",
    ),
    "alarm_notify": (
        {"monitoring": {"notify_emails": ["oncall@example.com"]}},
        None,
        "does not reach oncall@example.com",
    ),
    "base_image_support": (
        {},
        _without("Dockerfile", "python:3.14-slim", "golang:1.23"),
        "Go 1.23 support ended 2025-08-12",
    ),
    "s3_backend": ({}, _without("infra/backend.tf", '"s3"', '"local"'), "not S3"),
    "dashboard": (
        {},
        _without("infra/monitoring.tf", "aws_cloudwatch_dashboard", "aws_x"),
        "no aws_cloudwatch_dashboard",
    ),
    "budget": ({"requirements": {"monthly_budget_usd": 200}}, None, "the plan says $200"),
    "budget_estimate": ({"requirements": {"monthly_budget_usd": 5}}, None, "over R4 ($5)"),
    "https": (
        {"service": {"domain": "shop.example.org", "hosted_zone": "example.org"}},
        None,
        "the certificate's name is api.example.com; the plan says shop.example.org",
    ),
}
# Without a plan these are not judged: only a plan asks for previews or has an estimate.
PLAN_ONLY = {"gha_preview", "budget_estimate"}


def test_every_rule_has_three_fixtures() -> None:
    assert set(DIFFERING) == {rule.id for rule in RULES}


@pytest.fixture(scope="module")
def no_plan(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Finding]:
    from infraplan.check import check_repository

    from .check_support import findings, write_repo

    root = write_repo(tmp_path_factory.mktemp("good"), GOOD)
    return findings(check_repository(root, None, use_cache=False, progress=False))


@pytest.fixture(scope="module")
def conforming(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Finding]:
    from infraplan.check import check_repository

    from .check_support import findings, write_repo

    root = write_repo(tmp_path_factory.mktemp("good"), GOOD)
    spec = plan(plan_text())
    return findings(check_repository(root, spec, use_cache=False, progress=False))


@pytest.mark.parametrize("rule", sorted(DIFFERING))
def test_rule_without_a_plan(no_plan: dict[str, Finding], rule: str) -> None:
    found = no_plan[rule]
    if rule in PLAN_ONLY:
        assert found.status == "skipped" and "no plan.yaml" in found.reason
    else:
        assert found.status == "pass", found
        assert not found.decided_at


@pytest.mark.parametrize("rule", sorted(DIFFERING))
def test_rule_with_a_conforming_plan(conforming: dict[str, Finding], rule: str) -> None:
    assert conforming[rule].status == "pass", conforming[rule]


@pytest.mark.parametrize("rule", sorted(DIFFERING))
def test_rule_with_a_differing_plan(judge: Judge, rule: str) -> None:
    extra, files, words = DIFFERING[rule]
    found = judge(files or GOOD, plan(plan_text(extra)))[rule]
    assert found.status == "fail", found
    assert words in found.reason, found
    if files is None:  # a value of the plan: both places, the plan's line decides
        assert found.decided_at.startswith("plan.yaml:"), found
        assert found.decided_at in found.evidence


def test_values_found_without_a_plan_are_reported_not_judged(no_plan: dict[str, Finding]) -> None:
    assert no_plan["alarm_cpu"].reason.endswith("(threshold 70)")
    assert no_plan["alb_health_check"].reason.endswith("health-checks /health")
    assert "timeout 15 min" in no_plan["gha_deploy_timeout"].reason
    assert "$250 a month" in no_plan["budget"].reason
    assert "DATABASE_URL" in no_plan["secrets_manager"].reason
