"""verify's live rules, held once, in the shape of check's rule table.

Each record: the stable id, the summary in both languages, the judge (the
``module.function`` under :mod:`infraplan.verify` that asks AWS for it; one
judge answers several rules from one reply, and runs once), and the catalogue
rules (:data:`infraplan.catalogue.RULES`) it proves live. The judges run in the
table's order, and each judge's rules are this table's, not a list of its own.
``docs/verify.md`` documents the same table; a test keeps the two in step.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from infraplan.catalogue.rules import Lang

ECR, ECS = "checks_service.check_ecr", "checks_service.check_ecs"
TARGETS = "checks_service.check_targets"
ALARMS, ROLE = "checks_ops.check_alarms", "checks_ops.check_deploy_role"


@dataclass(frozen=True)
class LiveRule:
    id: str
    summary: Mapping[Lang, str]
    judge: str  # "module.function" under infraplan.verify
    proves: tuple[str, ...]  # catalogue rule ids proven live


def _rule(id: str, en: str, es: str, judge: str, proves: tuple[str, ...] = ()) -> LiveRule:
    return LiveRule(id, {"en": en, "es": es}, judge, proves)


LIVE_RULES: tuple[LiveRule, ...] = (
    _rule(
        "live_aws_account",
        "credentials work and point at the planned account",
        "las credenciales funcionan y son de la cuenta del plan",
        "run.check_account",
    ),
    _rule(
        "live_ecr_repository",
        "the ECR repository exists",
        "el repositorio de ECR existe",
        ECR,
        ("ecr_repository",),
    ),
    _rule(
        "live_ecr_scan_on_push",
        "the repository scans images on push",
        "el repositorio escanea las imágenes al subirlas",
        ECR,
        ("ecr_scan_on_push",),
    ),
    _rule(
        "live_ecr_immutable_tags",
        "the repository's tags are immutable",
        "los tags del repositorio son inmutables",
        ECR,
        ("ecr_immutable_tags",),
    ),
    _rule(
        "live_ecr_image",
        "the repository holds at least one image",
        "el repositorio tiene al menos una imagen",
        ECR,
        ("gha_push_ecr",),
    ),
    _rule(
        "live_ecs_cluster",
        "the ECS cluster exists and is active",
        "el clúster de ECS existe y está activo",
        ECS,
        ("ecs_cluster",),
    ),
    _rule(
        "live_ecs_service",
        "the ECS service exists, active, on Fargate",
        "el servicio de ECS existe, activo, en Fargate",
        ECS,
        ("ecs_fargate_service",),
    ),
    _rule(
        "live_ecs_running",
        "the service runs as many tasks as it wants",
        "el servicio ejecuta tantas tareas como desea",
        ECS,
        ("ecs_fargate_service", "gha_deploy_ecs"),
    ),
    _rule(
        "live_ecs_deployment",
        "the service's latest deployment did not fail",
        "el último despliegue del servicio no falló",
        ECS,
        ("gha_deploy_ecs",),
    ),
    _rule(
        "live_circuit_breaker_rollback",
        "the deployment circuit breaker rolls back",
        "el circuit breaker de despliegue hace rollback",
        ECS,
        ("circuit_breaker_rollback",),
    ),
    _rule(
        "live_task_secrets",
        "the task definition takes each planned secret from Secrets Manager",
        "la task definition toma cada secreto del plan de Secrets Manager",
        ECS,
        ("secrets_manager",),
    ),
    _rule(
        "live_health_check_path",
        "the target group probes the planned health path",
        "el target group comprueba la ruta de salud del plan",
        TARGETS,
        ("alb_health_check",),
    ),
    _rule(
        "live_target_health",
        "the target group's targets are healthy",
        "los targets del target group están sanos",
        TARGETS,
        ("alb_health_check",),
    ),
    _rule(
        "live_alarm_cpu",
        "the CPU alarm exists with the planned threshold",
        "la alarma de CPU existe con el umbral del plan",
        ALARMS,
        ("alarm_cpu",),
    ),
    _rule(
        "live_alarm_5xx",
        "the 5xx alarm exists with the planned threshold",
        "la alarma de 5xx existe con el umbral del plan",
        ALARMS,
        ("alarm_5xx",),
    ),
    _rule(
        "live_alarm_state",
        "no planned alarm is in ALARM",
        "ninguna alarma del plan está en ALARM",
        ALARMS,
    ),
    _rule(
        "live_dashboard",
        "the CloudWatch dashboard exists",
        "el dashboard de CloudWatch existe",
        "checks_ops.check_dashboard",
        ("dashboard",),
    ),
    _rule(
        "live_budget",
        "the AWS budget exists at the R4 amount",
        "el presupuesto de AWS existe con el importe de R4",
        "checks_ops.check_budget",
        ("budget",),
    ),
    _rule(
        "live_secrets",
        "each planned secret exists in Secrets Manager",
        "cada secreto del plan existe en Secrets Manager",
        "checks_ops.check_secrets",
        ("secrets_manager",),
    ),
    _rule(
        "live_deploy_role",
        "the GitHub OIDC deploy role exists",
        "el rol de despliegue con GitHub OIDC existe",
        ROLE,
        ("gha_oidc",),
    ),
    _rule(
        "live_deploy_role_trust",
        "the deploy role trusts only the planned repository through GitHub OIDC",
        "el rol de despliegue solo confía en el repositorio del plan vía GitHub OIDC",
        ROLE,
        ("gha_oidc",),
    ),
)

LIVE_RULE_IDS: tuple[str, ...] = tuple(rule.id for rule in LIVE_RULES)
# Each judge once, in the table's order (the account's comes first: the others need it).
JUDGES: tuple[str, ...] = tuple(dict.fromkeys(rule.judge for rule in LIVE_RULES))


def judged_by(judge: str) -> tuple[str, ...]:
    """The ids of the live rules ``judge`` answers, in the table's order."""
    return tuple(rule.id for rule in LIVE_RULES if rule.judge == judge)


def live_rules_for(catalogue_rule: str) -> tuple[str, ...]:
    """The verify rules that prove ``catalogue_rule`` live (empty: verify cannot)."""
    return tuple(rule.id for rule in LIVE_RULES if catalogue_rule in rule.proves)
