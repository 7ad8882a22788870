"""verify's rules: stable ids, what each proves, and which catalogue rule it proves live.

``docs/verify.md`` documents the same table; a test keeps the two in step.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class LiveRule:
    id: str
    summary: str
    proves: tuple[str, ...]  # catalogue rule ids (infraplan.catalogue.RULES) proven live


LIVE_RULES: tuple[LiveRule, ...] = (
    LiveRule("live_aws_account", "credentials work and point at the planned account", ()),
    LiveRule("live_ecr_repository", "the ECR repository exists", ("ecr_repository",)),
    LiveRule("live_ecr_scan_on_push", "the repository scans images on push", ("ecr_scan_on_push",)),
    LiveRule(
        "live_ecr_immutable_tags", "the repository's tags are immutable", ("ecr_immutable_tags",)
    ),
    LiveRule("live_ecr_image", "the repository holds at least one image", ("gha_push_ecr",)),
    LiveRule("live_ecs_cluster", "the ECS cluster exists and is active", ("ecs_cluster",)),
    LiveRule(
        "live_ecs_service", "the ECS service exists, active, on Fargate", ("ecs_fargate_service",)
    ),
    LiveRule(
        "live_ecs_running",
        "the service runs as many tasks as it wants",
        ("ecs_fargate_service", "gha_deploy_ecs"),
    ),
    LiveRule(
        "live_ecs_deployment", "the service's latest deployment did not fail", ("gha_deploy_ecs",)
    ),
    LiveRule(
        "live_circuit_breaker_rollback",
        "the deployment circuit breaker rolls back",
        ("circuit_breaker_rollback",),
    ),
    LiveRule(
        "live_task_secrets",
        "the task definition takes each planned secret from Secrets Manager",
        ("secrets_manager",),
    ),
    LiveRule(
        "live_health_check_path",
        "the target group probes the planned health path",
        ("alb_health_check",),
    ),
    LiveRule("live_target_health", "the target group's targets are healthy", ("alb_health_check",)),
    LiveRule("live_alarm_cpu", "the CPU alarm exists with the planned threshold", ("alarm_cpu",)),
    LiveRule("live_alarm_5xx", "the 5xx alarm exists with the planned threshold", ("alarm_5xx",)),
    LiveRule("live_alarm_state", "no planned alarm is in ALARM", ()),
    LiveRule("live_dashboard", "the CloudWatch dashboard exists", ("dashboard",)),
    LiveRule("live_budget", "the AWS budget exists at the R4 amount", ("budget",)),
    LiveRule("live_secrets", "each planned secret exists in Secrets Manager", ("secrets_manager",)),
    LiveRule("live_deploy_role", "the GitHub OIDC deploy role exists", ("gha_oidc",)),
    LiveRule(
        "live_deploy_role_trust",
        "the deploy role trusts only the planned repository through GitHub OIDC",
        ("gha_oidc",),
    ),
)

LIVE_RULE_IDS: tuple[str, ...] = tuple(rule.id for rule in LIVE_RULES)


def live_rules_for(catalogue_rule: str) -> tuple[str, ...]:
    """The verify rules that prove ``catalogue_rule`` live (empty: verify cannot)."""
    return tuple(rule.id for rule in LIVE_RULES if catalogue_rule in rule.proves)
