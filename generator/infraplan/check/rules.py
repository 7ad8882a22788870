"""Every check rule, by its stable id, in one explicit table.

A rule is a small function ``(RepoModel, Spec) -> Finding``. The ids are the
catalogue's (:data:`infraplan.catalogue.RULE_IDS`); a test keeps the two sets
equal. ``ACCOUNTS_FOR`` says which resource types each rule's task accounts
for, so resources no planned task explains can be listed as unplanned.
"""

from __future__ import annotations

from collections.abc import Callable

from infraplan.check import dependency_rules as deps
from infraplan.check import observability_rules as obs
from infraplan.check import terraform_rules as tf
from infraplan.check import workflow_rules as gha
from infraplan.check.repo_model import RepoModel
from infraplan.findings import Finding
from infraplan.spec.model import Spec

RuleFunction = Callable[[RepoModel, Spec], Finding]


def budget_estimate(repo: RepoModel, spec: Spec) -> Finding:
    """The plan's own cost estimate against R4: it reads the spec, not the code."""
    from infraplan.cost.rule import budget_estimate as estimate_rule

    return estimate_rule(spec, ("plan.yaml",))


RULES: dict[str, RuleFunction] = {
    "vpc": tf.vpc,
    "subnets": tf.subnets,
    "security_groups": tf.security_groups,
    "ecs_cluster": tf.ecs_cluster,
    "ecs_fargate_service": tf.ecs_fargate_service,
    "ecr_repository": tf.ecr_repository,
    "ecr_scan_on_push": tf.ecr_scan_on_push,
    "ecr_immutable_tags": tf.ecr_immutable_tags,
    "alarm_cpu": obs.alarm_cpu,
    "alarm_5xx": obs.alarm_5xx,
    "alarm_outage": obs.alarm_outage,
    "secrets_manager": obs.secrets_manager,
    "circuit_breaker_rollback": tf.circuit_breaker_rollback,
    "alb_health_check": tf.alb_health_check,
    "gha_push_ecr": gha.gha_push_ecr,
    "gha_deploy_ecs": gha.gha_deploy_ecs,
    "gha_oidc": gha.gha_oidc,
    "gha_static_keys": gha.gha_static_keys,
    "gha_deploy_timeout": gha.gha_deploy_timeout,
    "gha_terraform": gha.gha_terraform,
    "gha_preview": gha.gha_preview,
    "gha_rollback": gha.gha_rollback,
    "dockerfile": gha.dockerfile,
    "dependency_updates": deps.dependency_updates,
    "s3_backend": tf.s3_backend,
    "dashboard": obs.dashboard,
    "budget": obs.budget,
    "budget_estimate": budget_estimate,
}

# Resource type prefixes each rule's task accounts for (supporting resources included).
ACCOUNTS_FOR: dict[str, tuple[str, ...]] = {
    "vpc": (
        "aws_vpc",
        "aws_internet_gateway",
        "aws_egress_only_internet_gateway",
        "aws_nat_gateway",
        "aws_eip",
        "aws_route",
        "aws_flow_log",
        "aws_default_route_table",
        "aws_default_network_acl",
        "aws_network_acl",
        "aws_default_vpc",
    ),
    "subnets": ("aws_subnet",),
    "security_groups": (
        "aws_security_group",
        "aws_vpc_security_group_",
        "aws_default_security_group",
    ),
    "ecs_cluster": ("aws_ecs_cluster", "aws_ecs_cluster_capacity_providers"),
    "ecs_fargate_service": (
        "aws_ecs_service",
        "aws_ecs_task_definition",
        "aws_iam_role",
        "aws_iam_policy",
        "aws_cloudwatch_log_group",
        "aws_lb",
        "aws_alb",
        "aws_appautoscaling_",
    ),
    "ecr_repository": ("aws_ecr_repository", "aws_ecr_lifecycle_policy", "aws_kms_"),
    "ecr_scan_on_push": ("aws_ecr_registry_scanning_configuration",),
    "alarm_cpu": ("aws_cloudwatch_metric_alarm", "aws_sns_topic"),
    "alarm_5xx": ("aws_cloudwatch_metric_alarm", "aws_sns_topic"),
    "alarm_outage": ("aws_cloudwatch_metric_alarm", "aws_sns_topic", "aws_chatbot_"),
    "secrets_manager": ("aws_secretsmanager_", "aws_kms_"),
    "alb_health_check": ("aws_lb_target_group", "aws_alb_target_group"),
    "gha_oidc": ("aws_iam_openid_connect_provider", "aws_iam_role", "aws_iam_policy"),
    "circuit_breaker_rollback": ("aws_ecs_service",),
    "dashboard": ("aws_cloudwatch_dashboard",),
    "budget": ("aws_budgets_",),
    "s3_backend": ("aws_s3_bucket", "aws_dynamodb_table"),
}

# Plumbing from utility providers is never a plan item of its own.
NEVER_UNPLANNED = ("random_", "null_", "time_", "terraform_data", "tls_", "local_", "archive_")
