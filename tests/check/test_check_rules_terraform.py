"""Each Terraform rule with a pass and a fail fixture (small repos built in the test)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from infraplan.findings import Finding

from .check_support import plan

Judge = Callable[..., dict[str, Finding]]

CASES: list[tuple[str, str, str, str, str]] = [
    # rule, status, main.tf, plan extras, words the reason must contain
    ("vpc", "pass", 'resource "aws_vpc" "x" {\n  cidr_block = "10.0.0.0/16"\n}\n', "", "created"),
    ("vpc", "fail", 'data "aws_vpc" "x" {\n  default = true\n}\n', "", "looked up"),
    (
        "subnets",
        "pass",
        'resource "aws_subnet" "public" {\n  count = 2\n  map_public_ip_on_launch = true\n}\n'
        'resource "aws_subnet" "private" {\n  count = 2\n}\n',
        "",
        "subnets are created (1 private, 1 public)",
    ),
    (
        "subnets",
        "fail",
        'resource "aws_subnet" "public" {\n  count = 3\n}\n'
        'resource "aws_subnet" "private" {\n  count = 1\n}\n',
        "network: {az_count: 3}",
        "1 private subnet",
    ),
    (
        "security_groups",
        "pass",
        'resource "aws_security_group" "a" {}\nresource "aws_security_group" "b" {}\n',
        "",
        "created",
    ),
    (
        "security_groups",
        "fail",
        'resource "aws_default_security_group" "d" {}\n',
        "",
        "no security",
    ),
    ("ecs_cluster", "pass", 'resource "aws_ecs_cluster" "c" {\n  name = "c"\n}\n', "", "created"),
    (
        "ecs_cluster",
        "fail",
        'data "aws_ecs_cluster" "c" {\n  cluster_name = "c"\n}\n',
        "",
        "looked up",
    ),
    (
        "ecs_fargate_service",
        "pass",
        'resource "aws_ecs_service" "s" {\n  capacity_provider_strategy {\n'
        '    capacity_provider = "FARGATE_SPOT"\n  }\n}\n',
        "",
        "Fargate",
    ),
    (
        "ecs_fargate_service",
        "fail",
        'resource "aws_ecs_service" "s" {\n  launch_type = "EC2"\n}\n',
        "",
        "runs on EC2",
    ),
    (
        "ecr_repository",
        "pass",
        'resource "aws_ecr_repository" "r" {\n  name = "r"\n}\n',
        "",
        "created",
    ),
    (
        "ecr_repository",
        "fail",
        'data "aws_ecr_repository" "r" {\n  name = "r"\n}\n',
        "",
        "looked up",
    ),
    (
        "ecr_scan_on_push",
        "pass",
        'resource "aws_ecr_repository" "r" {\n  image_scanning_configuration {\n'
        "    scan_on_push = true\n  }\n}\n",
        "",
        "scans on push",
    ),
    (
        "ecr_scan_on_push",
        "fail",
        'resource "aws_ecr_repository" "r" {\n  name = "r"\n}\n',
        "",
        "does not scan",
    ),
    (
        "ecr_immutable_tags",
        "pass",
        'locals {\n  mode = "IMMUTABLE"\n}\nresource "aws_ecr_repository" "r" {\n'
        "  image_tag_mutability = local.mode\n}\n",
        "",
        "immutable",
    ),
    (
        "ecr_immutable_tags",
        "fail",
        'resource "aws_ecr_repository" "r" {\n  image_tag_mutability = "MUTABLE"\n}\n',
        "",
        "is MUTABLE",
    ),
    (
        "circuit_breaker_rollback",
        "pass",
        'resource "aws_ecs_service" "s" {\n  deployment_circuit_breaker {\n    enable = true\n'
        "    rollback = true\n  }\n}\n",
        "",
        "rolls back",
    ),
    (
        "circuit_breaker_rollback",
        "fail",
        'resource "aws_ecs_service" "s" {\n  name = "s"\n}\n',
        "",
        "no deployment_circuit_breaker",
    ),
    (
        "alb_health_check",
        "pass",
        'resource "aws_lb_target_group" "t" {\n  health_check {\n    path = "/ready"\n  }\n}\n',
        "service: {health_check_path: /ready}",
        "/ready",
    ),
    (
        "alb_health_check",
        "fail",
        'resource "aws_alb_target_group" "t" {\n  health_check {\n    enabled = false\n  }\n}\n',
        "",
        "disabled",
    ),
    (
        "s3_backend",
        "pass",
        'terraform {\n  backend "s3" {\n    bucket = "b"\n    use_lockfile = true\n  }\n}\n',
        "",
        "locking",
    ),
    ("s3_backend", "fail", 'terraform {\n  backend "local" {}\n}\n', "", "not S3"),
    (
        "alarm_cpu",
        "pass",
        'resource "aws_cloudwatch_metric_alarm" "a" {\n  metric_name = "CPUUtilization"\n'
        "  threshold = 80\n}\n",
        "",
        "CPUUtilization",
    ),
    (
        "alarm_cpu",
        "fail",
        'resource "aws_cloudwatch_metric_alarm" "a" {\n  metric_name = "MemoryUtilization"\n}\n',
        "",
        "no CloudWatch alarm",
    ),
    (
        "alarm_5xx",
        "pass",
        'resource "aws_cloudwatch_metric_alarm" "a" {\n  metric_query {\n    id = "m"\n'
        '    metric {\n      metric_name = "HTTPCode_Target_5XX_Count"\n    }\n  }\n}\n',
        "",
        "5XX",
    ),
    (
        "alarm_5xx",
        "fail",
        'resource "aws_cloudwatch_metric_alarm" "a" {\n  metric_name = "CPUUtilization"\n}\n',
        "",
        "5xx",
    ),
    (
        "alarm_outage",
        "pass",
        'resource "aws_cloudwatch_metric_alarm" "h" {\n  metric_name = "HealthyHostCount"\n'
        '  treat_missing_data = "breaching"\n}\n'
        'resource "aws_cloudwatch_metric_alarm" "e" {\n'
        '  metric_name = "HTTPCode_ELB_5XX_Count"\n}\n'
        'resource "aws_cloudwatch_metric_alarm" "r" {\n  metric_name = "RunningTaskCount"\n}\n',
        "",
        "missing data breaching",
    ),
    (
        "alarm_outage",
        "fail",
        'resource "aws_cloudwatch_metric_alarm" "h" {\n  metric_name = "HealthyHostCount"\n'
        '  treat_missing_data = "notBreaching"\n}\n'
        'resource "aws_cloudwatch_metric_alarm" "e" {\n'
        '  metric_name = "HTTPCode_ELB_5XX_Count"\n}\n'
        'resource "aws_cloudwatch_metric_alarm" "r" {\n  metric_name = "RunningTaskCount"\n}\n',
        "",
        "treats missing data as notBreaching",
    ),
    (
        "alarm_outage",
        "fail",
        'resource "aws_cloudwatch_metric_alarm" "c" {\n  metric_name = "CPUUtilization"\n}\n'
        'resource "aws_cloudwatch_metric_alarm" "t" {\n'
        '  metric_name = "HTTPCode_Target_5XX_Count"\n}\n',
        "",
        "no alarm on no healthy target",
    ),
    ("dashboard", "pass", 'resource "aws_cloudwatch_dashboard" "d" {}\n', "", "dashboard"),
    ("dashboard", "fail", 'resource "aws_cloudwatch_metric_alarm" "d" {}\n', "", "no aws_"),
    (
        "budget",
        "pass",
        'resource "aws_budgets_budget" "b" {\n  limit_amount = "100.0"\n  notification {\n'
        "    threshold = 80\n  }\n}\n",
        "",
        "$100",
    ),
    (
        "budget",
        "fail",
        'resource "aws_budgets_budget" "b" {\n  limit_amount = "250.0"\n}\n',
        "",
        "the limit is $250; the plan's default is $150",
    ),
    (
        "secrets_manager",
        "pass",
        'resource "aws_secretsmanager_secret" "s" {\n  name = "s"\n}\n',
        "secrets: [API_KEY]",
        "Secrets Manager",
    ),
    (
        "secrets_manager",
        "fail",
        'resource "aws_ssm_parameter" "s" {\n  name = "s"\n  type = "SecureString"\n}\n',
        "secrets: [API_KEY]",
        "SSM Parameter Store",
    ),
]


@pytest.mark.parametrize(
    ("rule", "status", "source", "extra", "words"),
    CASES,
    ids=[f"{c[0]}-{c[1]}-{i}" for i, c in enumerate(CASES)],
)
def test_terraform_rule(
    judge: Judge, rule: str, status: str, source: str, extra: str, words: str
) -> None:
    found = judge({"infra/main.tf": source}, plan(extra))[rule]
    assert found.status == status, found
    assert words in found.reason
    if status == "pass":
        assert all(e.startswith("infra/main.tf:") for e in found.evidence), found.evidence


def test_evidence_points_at_the_deciding_attribute(judge: Judge) -> None:
    source = (
        'resource "aws_ecs_service" "s" {\n'  # 1
        '  name = "s"\n'  # 2
        "  deployment_circuit_breaker {\n"  # 3
        "    enable   = true\n"  # 4
        "    rollback = false\n"  # 5
        "  }\n}\n"
    )
    found = judge({"infra/main.tf": source})["circuit_breaker_rollback"]
    assert found.evidence == ("infra/main.tf:5",)


def test_expression_the_code_cannot_resolve_is_unknown(judge: Judge) -> None:
    source = (
        'variable "mode" {\n  type = string\n}\n'
        'resource "aws_ecr_repository" "r" {\n  image_tag_mutability = var.mode\n}\n'
    )
    assert judge({"infra/main.tf": source})["ecr_immutable_tags"].status == "unknown"


def test_budget_above_r4_fails_and_below_passes(judge: Judge) -> None:
    source = (
        'resource "aws_budgets_budget" "b" {\n  limit_amount = format("%.2f", var.limit)\n'
        "  notification {\n    threshold = 80\n  }\n}\n"
        'variable "limit" {\n  default = 250\n}\n'
    )
    assert (
        judge({"main.tf": source}, plan("requirements: {monthly_budget_usd: 200}"))["budget"].status
        == "fail"
    )
    assert (
        judge({"main.tf": source}, plan("requirements: {monthly_budget_usd: 300}"))["budget"].status
        == "pass"
    )


@pytest.mark.parametrize(
    ("for_each", "rollback", "status"),
    [
        ("[1]", "true", "pass"),
        ("[]", "true", "fail"),
        ("var.breaker", "deployment_circuit_breaker.value.rollback", "unknown"),
    ],
)
def test_dynamic_blocks_count_as_the_block_they_write(
    judge: Judge, for_each: str, rollback: str, status: str
) -> None:
    source = (
        'variable "breaker" {}\n'
        'resource "aws_ecs_service" "s" {\n'
        '  dynamic "deployment_circuit_breaker" {\n'
        f"    for_each = {for_each}\n"
        f"    content {{\n      enable = true\n      rollback = {rollback}\n    }}\n"
        "  }\n}\n"
    )
    found = judge({"main.tf": source})["circuit_breaker_rollback"]
    assert found.status == status
    if status != "fail":
        assert found.evidence == ("main.tf:3",)


def test_vpc_module_with_computed_subnets_creates_subnets(judge: Judge) -> None:
    source = (
        'module "vpc" {\n  source = "terraform-aws-modules/vpc/aws"\n'
        "  public_subnets  = [for k, v in local.azs : cidrsubnet(local.cidr, 8, k)]\n"
        "  private_subnets = [for k, v in local.azs : cidrsubnet(local.cidr, 8, k + 10)]\n}\n"
    )
    found = judge({"main.tf": source})
    assert found["subnets"].status == "pass"
    assert found["vpc"].status == "pass"
