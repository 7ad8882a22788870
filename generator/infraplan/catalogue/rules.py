"""Every check rule, held once: id, summary, when it applies, judge, resources, advice.

Tasks, requirements and criteria (:mod:`infraplan.catalogue`) name rules by id
only; ``check`` runs each rule's judge, the manifest maps a task's files to the
resources its rules account for, and the unplanned list is every resource no
applicable rule accounts for. Adding a rule is one entry here, its judging
function and its fixtures (no plan, conforming plan, differing plan).

``judge`` names the function as ``module.function`` under :mod:`infraplan.check`;
it is imported when ``check`` runs, so rendering a plan never imports the checker.
``accounts`` are resource type prefixes: ``aws_lb`` accounts for ``aws_lb``,
``aws_lb_listener`` and ``aws_lb_target_group``; a prefix ending in ``_`` for
every type that starts with it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Literal

from infraplan.spec.model import Spec

Lang = Literal["es", "en"]
Condition = Callable[[Spec], bool]


def always(_: Spec) -> bool:
    return True


@dataclass(frozen=True)
class Rule:
    id: str
    summary: Mapping[Lang, str]
    judge: str  # "module.function" under infraplan.check
    advice: str  # what to change when the rule fails
    accounts: tuple[str, ...] = ()
    # With a plan: whether the plan asks for what the rule proves.
    applies: Condition = always
    # Without a plan.yaml, "judge" asks whether the capability is there; "skip" leaves
    # rules about choices only a plan makes (previews, the plan's own cost estimate).
    without_plan: Literal["judge", "skip"] = "judge"


def accounts_for(rule: Rule, resource_type: str) -> bool:
    for prefix in rule.accounts:
        if resource_type == prefix:
            return True
        if resource_type.startswith(prefix if prefix.endswith("_") else prefix + "_"):
            return True
    return False


def _rule(
    id: str,
    en: str,
    es: str,
    judge: str,
    advice: str,
    accounts: tuple[str, ...] = (),
    applies: Condition = always,
    without_plan: Literal["judge", "skip"] = "judge",
) -> Rule:
    return Rule(id, {"en": en, "es": es}, judge, advice, accounts, applies, without_plan)


TF, GHA, OBS, DOCKER = "terraform_rules", "workflow_rules", "observability_rules", "docker_rules"

RULES: tuple[Rule, ...] = (
    _rule(
        "vpc",
        "a VPC is created (not only looked up)",
        "se crea una VPC (no solo se consulta)",
        f"{TF}.vpc",
        'create the VPC with resource "aws_vpc" or the terraform-aws-modules/vpc module',
        (
            "aws_vpc",
            "aws_internet_gateway",
            "aws_egress_only_internet_gateway",
            "aws_nat_gateway",
            "aws_eip",
            "aws_route",
            "aws_flow_log",
            "aws_cloudwatch_log_group",  # the flow log's destination
            "aws_iam_role",  # the flow log's role
            "aws_default_route_table",
            "aws_default_network_acl",
            "aws_network_acl",
            "aws_default_vpc",
        ),
    ),
    _rule(
        "subnets",
        "subnets are created across availability zones",
        "se crean subnets en varias zonas de disponibilidad",
        f"{TF}.subnets",
        "create one subnet per availability zone (public and private when the plan says so)",
        ("aws_subnet",),
    ),
    _rule(
        "security_groups",
        "security groups for the load balancer and the service",
        "security groups para el balanceador y el servicio",
        f"{TF}.security_groups",
        'create the groups with resource "aws_security_group"',
        ("aws_security_group", "aws_vpc_security_group_", "aws_default_security_group"),
    ),
    _rule(
        "ecs_cluster",
        "an ECS cluster is created",
        "se crea un clúster de ECS",
        f"{TF}.ecs_cluster",
        'create the cluster with resource "aws_ecs_cluster"',
        ("aws_ecs_cluster",),
    ),
    _rule(
        "ecs_fargate_service",
        "an ECS service runs on Fargate",
        "un servicio de ECS corre en Fargate",
        f"{TF}.ecs_fargate_service",
        'set launch_type = "FARGATE" or a FARGATE capacity provider strategy',
        (
            "aws_ecs_service",
            "aws_ecs_task_definition",
            "aws_iam_role",
            "aws_iam_policy",
            "aws_lb",
            "aws_alb",
        ),
    ),
    _rule(
        "ecs_autoscaling",
        "the ECS service's task count scales by target tracking between a minimum and a "
        "maximum, and Terraform ignores desired_count drift",
        "el número de tareas del servicio de ECS escala con seguimiento de objetivo entre un "
        "mínimo y un máximo, y Terraform ignora la deriva de desired_count",
        "scaling_rules.ecs_autoscaling",
        'register the service with resource "aws_appautoscaling_target" '
        '(ecs:service:DesiredCount), add an "aws_appautoscaling_policy" of type '
        "TargetTrackingScaling (ECSServiceAverageCPUUtilization), and set "
        "lifecycle { ignore_changes = [desired_count] } on the service",
        ("aws_appautoscaling_",),
        applies=lambda spec: spec.service.autoscaling.enabled,
    ),
    _rule(
        "ecr_repository",
        "an ECR repository is created",
        "se crea un repositorio de ECR",
        f"{TF}.ecr_repository",
        'create the repository with resource "aws_ecr_repository" or the ecr module',
        ("aws_ecr_repository", "aws_ecr_lifecycle_policy", "aws_kms_"),
    ),
    _rule(
        "ecr_scan_on_push",
        "the ECR repository scans images on push",
        "el repositorio de ECR escanea las imágenes al subirlas",
        f"{TF}.ecr_scan_on_push",
        "set image_scanning_configuration { scan_on_push = true }",
        ("aws_ecr_registry_scanning_configuration",),
    ),
    _rule(
        "ecr_immutable_tags",
        "the ECR repository's tags are immutable",
        "los tags del repositorio de ECR son inmutables",
        f"{TF}.ecr_immutable_tags",
        'set image_tag_mutability = "IMMUTABLE" and tag images by commit',
    ),
    _rule(
        "alarm_cpu",
        "a CloudWatch alarm watches ECS CPU",
        "una alarma de CloudWatch vigila la CPU de ECS",
        f"{OBS}.alarm_cpu",
        "add an aws_cloudwatch_metric_alarm on CPUUtilization (AWS/ECS)",
        ("aws_cloudwatch_metric_alarm", "aws_sns_topic"),
    ),
    _rule(
        "alarm_5xx",
        "a CloudWatch alarm watches 5xx responses",
        "una alarma de CloudWatch vigila las respuestas 5xx",
        f"{OBS}.alarm_5xx",
        "add an aws_cloudwatch_metric_alarm on HTTPCode_Target_5XX_Count (AWS/ApplicationELB)",
        ("aws_cloudwatch_metric_alarm", "aws_sns_topic"),
    ),
    _rule(
        "alarm_outage",
        "CloudWatch alarms catch an outage: no healthy target (missing data breaching), the "
        "load balancer's own 5xx, running tasks",
        "alarmas de CloudWatch detectan una caída: ningún target sano (datos ausentes como "
        "incumplimiento), 5xx del propio balanceador, tareas en ejecución",
        f"{OBS}.alarm_outage",
        "alarm on HealthyHostCount (treat_missing_data = breaching), HTTPCode_ELB_5XX_Count "
        "and RunningTaskCount",
        # the alarms' topics, their Chatbot channel and its role
        ("aws_cloudwatch_metric_alarm", "aws_sns_topic", "aws_chatbot_", "aws_iam_role"),
    ),
    _rule(
        "secrets_manager",
        "the service reads its secrets from Secrets Manager",
        "el servicio lee sus secretos de Secrets Manager",
        f"{OBS}.secrets_manager",
        "pass secrets through the container definition's secrets (valueFrom a Secrets "
        "Manager ARN), never in environment",
        ("aws_secretsmanager_", "aws_kms_", "aws_iam_role_policy"),
        applies=lambda spec: bool(spec.secrets),
    ),
    _rule(
        "circuit_breaker_rollback",
        "the ECS deployment circuit breaker rolls back",
        "el circuit breaker de despliegue de ECS hace rollback",
        f"{TF}.circuit_breaker_rollback",
        "set deployment_circuit_breaker { enable = true, rollback = true }",
        ("aws_ecs_service",),
    ),
    _rule(
        "deploy_strategy",
        "the service deploys as the plan says (rolling, or blue/green with its second target "
        "group, listener rules and rollback), and a risk mitigation that claims blue/green "
        "is backed by the code",
        "el servicio se despliega como dice el plan (rolling, o blue/green con su segundo "
        "target group, reglas de listener y rollback), y una mitigación de riesgo que afirma "
        "blue/green tiene respaldo en el código",
        "deploy_rules.deploy_strategy",
        'set deployment_configuration { strategy = "BLUE_GREEN" } with load_balancer '
        "advanced_configuration (alternate target group, production listener rule, role), "
        "or change deploy.strategy and the risk table to what the code does",
        ("aws_lb_listener_rule", "aws_codedeploy_", "aws_iam_role"),
    ),
    _rule(
        "alb_health_check",
        "the target group health-checks the service",
        "el target group comprueba la salud del servicio",
        f"{TF}.alb_health_check",
        "set the target group's health_check path to the service's health endpoint",
        ("aws_lb_target_group", "aws_alb_target_group"),
    ),
    _rule(
        "gha_push_ecr",
        "a workflow pushes the image to ECR",
        "un workflow sube la imagen a ECR",
        f"{GHA}.gha_push_ecr",
        "log in with aws-actions/amazon-ecr-login and push to the ECR registry it returns",
    ),
    _rule(
        "gha_deploy_ecs",
        "a workflow deploys to ECS",
        "un workflow despliega en ECS",
        f"{GHA}.gha_deploy_ecs",
        "deploy with aws-actions/amazon-ecs-deploy-task-definition, aws ecs update-service, "
        "CodeDeploy or terraform apply of the service's root",
    ),
    _rule(
        "gha_oidc",
        "workflows get AWS credentials through GitHub OIDC",
        "los workflows obtienen credenciales de AWS con GitHub OIDC",
        f"{GHA}.gha_oidc",
        "use aws-actions/configure-aws-credentials with role-to-assume and "
        "permissions: id-token: write",
        ("aws_iam_openid_connect_provider", "aws_iam_role", "aws_iam_policy"),
    ),
    _rule(
        "gha_static_keys",
        "no workflow passes long-lived AWS keys",
        "ningún workflow usa claves de AWS de larga duración",
        f"{GHA}.gha_static_keys",
        "remove the access keys and assume a role through GitHub OIDC",
    ),
    _rule(
        "plaintext_credentials",
        "no credential-shaped value in the Terraform, workflows or Dockerfiles",
        "ningún valor con forma de credencial en Terraform, workflows o Dockerfiles",
        "secret_rules.plaintext_credentials",
        "remove the value, rotate it, and read it from Secrets Manager or a GitHub secret",
        applies=lambda spec: spec.requirements.no_plaintext_secrets,
    ),
    _rule(
        "gha_deploy_timeout",
        "the deploy job has a timeout (within R2 when the plan states it, plus the bake "
        "time and 2 minutes with blue/green)",
        "el job de despliegue tiene un timeout (dentro de R2 si el plan lo fija, más el bake "
        "time y 2 minutos con blue/green)",
        f"{GHA}.gha_deploy_timeout",
        "set timeout-minutes on the deploy job",
    ),
    _rule(
        "gha_terraform",
        "a workflow runs terraform plan and apply",
        "un workflow ejecuta terraform plan y apply",
        f"{GHA}.gha_terraform",
        "run terraform plan on pull requests and terraform apply on the main branch",
    ),
    _rule(
        "gha_preview",
        "a workflow deploys a preview per pull request",
        "un workflow despliega un preview por pull request",
        f"{GHA}.gha_preview",
        "deploy a preview environment from a pull_request workflow",
        applies=lambda spec: spec.ci.preview_environments,
        without_plan="skip",
    ),
    _rule(
        "gha_rollback",
        "a workflow redeploys an earlier task definition",
        "un workflow vuelve a desplegar una task definition anterior",
        f"{GHA}.gha_rollback",
        "add a workflow_dispatch workflow that redeploys a given task definition revision",
    ),
    _rule(
        "dockerfile",
        "a Dockerfile builds the service's image",
        "un Dockerfile construye la imagen del servicio",
        f"{DOCKER}.dockerfile",
        "add a Dockerfile with a pinned base image and a non-root USER",
    ),
    _rule(
        "dependency_updates",
        "Dependabot or Renovate proposes updates of base images and actions",
        "Dependabot o Renovate propone actualizar las imágenes base y las actions",
        "dependency_rules.dependency_updates",
        "add .github/dependabot.yml with the docker and github-actions ecosystems",
    ),
    _rule(
        "s3_backend",
        "Terraform state is kept in S3",
        "el estado de Terraform se guarda en S3",
        "state_rules.s3_backend",
        'use backend "s3" (or a Terragrunt remote_state) with use_lockfile = true',
        ("aws_s3_bucket", "aws_dynamodb_table", "aws_kms_"),
    ),
    _rule(
        "dashboard",
        "a CloudWatch dashboard exists",
        "existe un dashboard de CloudWatch",
        f"{OBS}.dashboard",
        'create resource "aws_cloudwatch_dashboard"',
        ("aws_cloudwatch_dashboard",),
        applies=lambda spec: spec.monitoring.dashboard,
    ),
    _rule(
        "budget",
        "an AWS budget alert (at the R4 amount when the plan states it)",
        "una alerta de presupuesto de AWS (al importe de R4 si el plan lo fija)",
        f"{OBS}.budget",
        'create resource "aws_budgets_budget" with a notification',
        ("aws_budgets_",),
    ),
    _rule(
        "https",
        "the load balancer serves HTTPS and redirects HTTP to it (with the plan's domain: an "
        "ACM certificate validated by DNS and an alias record)",
        "el balanceador sirve HTTPS y redirige HTTP (con el dominio del plan: certificado de "
        "ACM validado por DNS y registro alias)",
        "https_rules.https",
        "add an HTTPS listener on 443 with an ACM certificate (aws_acm_certificate validated "
        "by DNS with aws_acm_certificate_validation and aws_route53_record, or "
        "terraform-aws-modules/acm), an alias record of the name, and make port 80 redirect "
        "to HTTPS",
        ("aws_acm_", "aws_route53_record", "aws_lb_listener", "aws_alb_listener"),
        applies=lambda spec: spec.service.https,
    ),
    _rule(
        "budget_estimate",
        "the plan's monthly cost estimate is within R4",
        "la estimación de costo mensual del plan está dentro de R4",
        f"{OBS}.budget_estimate",
        "lower the plan's sizes or raise R4 (infraplan cost shows the cheapest changes)",
        without_plan="skip",
    ),
)

# --- Production capabilities (issue 10): health, ECS Exec, who is told, base images ---
RULES += (
    _rule(
        "container_health_check",
        "the task definition's container has a health check with a start period (ECS "
        "ignores a Dockerfile HEALTHCHECK)",
        "el contenedor de la task definition tiene un health check con periodo de arranque "
        "(ECS ignora el HEALTHCHECK del Dockerfile)",
        "service_rules.container_health_check",
        "add healthCheck { command, startPeriod } to the container definition: ECS runs only "
        "that check, never the image's Dockerfile HEALTHCHECK",
        ("aws_ecs_task_definition",),
    ),
    _rule(
        "ecs_exec",
        "ECS Exec is on only where the plan allows it, with the task role's ssmmessages "
        "permissions",
        "ECS Exec está activo solo donde el plan lo permite, con los permisos ssmmessages del "
        "rol de la tarea",
        "service_rules.ecs_exec",
        "set enable_execute_command as environments[].ecs_exec says; where on, let the task "
        "role open the ssmmessages Create/Open Control/Data channels",
        ("aws_ecs_service", "aws_iam_role_policy", "aws_iam_policy"),
    ),
    _rule(
        "alarm_notify",
        "the alarms tell someone: the plan's e-mails, SNS topics or Slack channel",
        "las alarmas avisan a alguien: los e-mails, temas SNS o canal de Slack del plan",
        "notify_rules.alarm_notify",
        "set alarm_actions to an SNS topic with a subscription (or the plan's existing "
        "topics, or an Amazon Q Developer chat channel)",
        ("aws_sns_topic", "aws_chatbot_"),
    ),
    _rule(
        "base_image_support",
        "every Dockerfile FROM image is a release still supported upstream",
        "toda imagen FROM del Dockerfile es una versión con soporte de su proyecto",
        "image_rules.base_image_support",
        "move each FROM to a supported release (the language and the OS its tag names)",
    ),
)

RULES_BY_ID: dict[str, Rule] = {rule.id: rule for rule in RULES}

# Plumbing from utility providers is never a plan item of its own.
NEVER_UNPLANNED = ("random_", "null_", "time_", "terraform_data", "tls_", "local_", "archive_")
