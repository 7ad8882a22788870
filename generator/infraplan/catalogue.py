"""The task catalogue: the one table that links the plan to the code.

Every task of the plan has a stable id, a phase, its text in Spanish and
English, the condition under which it applies, the files that carry it out and
the check rules that prove it done. The Markdown plan, the generator, the
manifest and ``check`` all read this table; nothing else in the code lists
tasks. Requirements (R1-R4) and acceptance criteria map to rules the same way;
what only a live account can prove is marked ``live`` (``verify``'s job).

Texts are ``str.format`` templates; the fields they may use are the keys of
:func:`text_fields`. File paths may hold ``{env}``, expanded once per
environment. A task's resources are the Terraform resources of its files
whose type one of its rules accounts for.

Every check rule is held here once (:data:`RULES`): id, summary in both
languages, judge, advice, the resource types it accounts for and when it
applies. Tasks name rules by id only; ``check`` runs each rule's judge, the
manifest maps a task's files to the resources its rules account for, and the
unplanned list is every resource no applicable rule accounts for. Adding a rule
is one entry, its judging function and its fixtures (no plan, conforming plan,
differing plan).

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
            "aws_appautoscaling_",
        ),
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
        "gha_deploy_timeout",
        "the deploy job has a timeout (within R2 when the plan states it)",
        "el job de despliegue tiene un timeout (dentro de R2 si el plan lo fija)",
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
        "budget_estimate",
        "the plan's monthly cost estimate is within R4",
        "la estimación de costo mensual del plan está dentro de R4",
        f"{OBS}.budget_estimate",
        "lower the plan's sizes or raise R4 (infraplan cost shows the cheapest changes)",
        without_plan="skip",
    ),
)

RULES_BY_ID: dict[str, Rule] = {rule.id: rule for rule in RULES}

# Plumbing from utility providers is never a plan item of its own.
NEVER_UNPLANNED = ("random_", "null_", "time_", "terraform_data", "tls_", "local_", "archive_")


LANGS: tuple[Lang, ...] = ("es", "en")


@dataclass(frozen=True)
class Task:
    id: str
    phase: int
    text: Mapping[Lang, str]
    files: tuple[str, ...]
    rules: tuple[str, ...]
    applies: Condition = always
    # True when part of the task's text needs a live account to be proven (an apply
    # in an environment): static evidence alone never ticks it.
    live: bool = False

    def carries(self, resource_type: str) -> bool:
        """Whether a resource of ``resource_type`` in the task's files carries it out:
        one of its rules accounts for that type."""
        return any(accounts_for(RULES_BY_ID[rule], resource_type) for rule in self.rules)


@dataclass(frozen=True)
class Requirement:
    id: str  # R1..R4
    kind: Mapping[Lang, str]
    text: Mapping[Lang, str]
    text_off: Mapping[Lang, str]  # when the spec turns the requirement off
    rules: tuple[str, ...]
    live: bool
    enabled: Condition


@dataclass(frozen=True)
class Criterion:
    id: str  # AC1..
    text: Mapping[Lang, str]
    rules: tuple[str, ...]
    live: bool
    applies: Condition = always


@dataclass(frozen=True)
class Phase:
    number: int
    title: Mapping[Lang, str]


PHASES: tuple[Phase, ...] = (
    Phase(1, {"es": "Configuración del Entorno Base (IaC)", "en": "Base Environment Setup (IaC)"}),
    Phase(2, {"es": "Creación del Pipeline de CI/CD", "en": "CI/CD Pipeline"}),
    Phase(3, {"es": "Seguridad y Monitoreo", "en": "Security and Monitoring"}),
)

MODULES = "infra/modules"
WORKFLOWS = ".github/workflows"
ENV_ROOT = "infra/envs/{env}"


def module(name: str) -> str:
    return f"{MODULES}/{name}/main.tf"


TASKS: tuple[Task, ...] = (
    Task(
        "1.1",
        1,
        {
            "es": "Escribir los scripts de Terraform para crear la VPC, subnets públicas y "
            "privadas en {az_count} zonas de disponibilidad y security groups.",
            "en": "Write the Terraform that creates the VPC, public and private subnets in "
            "{az_count} availability zones, and security groups.",
        },
        (module("network"),),
        ("vpc", "subnets", "security_groups"),
    ),
    Task(
        "1.2",
        1,
        {
            "es": "Crear el clúster de ECS y el repositorio de ECR (escaneo al subir, tags "
            "inmutables).",
            "en": "Create the ECS cluster and the ECR repository (scan on push, immutable tags).",
        },
        (module("ecs"), module("ecr")),
        ("ecs_cluster", "ecr_repository", "ecr_scan_on_push", "ecr_immutable_tags"),
    ),
    Task(
        "1.3",
        1,
        {
            "es": "Crear los entornos ({environments}) con estado remoto en S3, y validar y "
            "aplicar los cambios de Terraform en el entorno de {first_env}.",
            "en": "Create the environments ({environments}) with remote state in S3, then "
            "validate and apply the Terraform changes in the {first_env} environment.",
        },
        (
            f"{ENV_ROOT}/main.tf",
            f"{ENV_ROOT}/backend.tf",
            f"{ENV_ROOT}/versions.tf",
            f"{ENV_ROOT}/terraform.tfvars",
            f"{WORKFLOWS}/terraform.yml",
        ),
        ("s3_backend", "gha_terraform"),
        # "validate and apply in the first environment" is proven by a live account only
        live=True,
    ),
    Task(
        "2.1",
        2,
        {
            "es": "Definir el workflow de GitHub Actions (`deploy.yml`).",
            "en": "Define the GitHub Actions workflow (`deploy.yml`).",
        },
        (f"{WORKFLOWS}/deploy.yml", f"{WORKFLOWS}/ci.yml"),
        ("gha_deploy_ecs", "gha_deploy_timeout"),
    ),
    Task(
        "2.2",
        2,
        {
            "es": "Crear el `Dockerfile` para la aplicación.",
            "en": "Create the `Dockerfile` for the application.",
        },
        ("Dockerfile", ".dockerignore"),
        ("dockerfile",),
    ),
    Task(
        "2.3",
        2,
        {
            "es": "Añadir los pasos de build, test y push de la imagen a ECR, con credenciales "
            "de GitHub OIDC.",
            "en": "Add the steps that build, test and push the image to ECR, with GitHub OIDC "
            "credentials.",
        },
        (f"{WORKFLOWS}/deploy.yml", module("ci_oidc")),
        ("gha_push_ecr", "gha_oidc", "gha_static_keys"),
    ),
    Task(
        "2.4",
        2,
        {
            "es": "Implementar el paso de despliegue a ECS Fargate.",
            "en": "Implement the deploy step to ECS Fargate.",
        },
        (module("ecs"), f"{WORKFLOWS}/deploy.yml"),
        ("ecs_fargate_service", "gha_deploy_ecs"),
    ),
    Task(
        "2.5",
        2,
        {
            "es": "Desplegar un entorno de preview por cada Pull Request.",
            "en": "Deploy a preview environment for each pull request.",
        },
        (f"{WORKFLOWS}/preview.yml",),
        ("gha_preview",),
        applies=lambda spec: spec.ci.preview_environments,
    ),
    Task(
        "2.6",
        2,
        {
            "es": "Configurar el rollback automático (circuit breaker de ECS) y el workflow de "
            "rollback manual.",
            "en": "Set up automatic rollback (ECS deployment circuit breaker) and the manual "
            "rollback workflow.",
        },
        (module("ecs"), f"{WORKFLOWS}/rollback.yml", "docs/runbooks/rollback.md"),
        ("circuit_breaker_rollback", "alb_health_check", "gha_rollback"),
    ),
    Task(
        "3.1",
        3,
        {
            "es": "Configurar la gestión de secretos usando AWS Secrets Manager ({secrets}).",
            "en": "Manage secrets with AWS Secrets Manager ({secrets}).",
        },
        (module("secrets"),),
        ("secrets_manager",),
        applies=lambda spec: bool(spec.secrets),
    ),
    Task(
        "3.2",
        3,
        {
            "es": "Crear un dashboard en CloudWatch para monitorear el servicio desplegado.",
            "en": "Create a CloudWatch dashboard to monitor the deployed service.",
        },
        (module("monitoring"),),
        ("dashboard",),
        applies=lambda spec: spec.monitoring.dashboard,
    ),
    Task(
        "3.3",
        3,
        {
            "es": "Implementar alertas en CloudWatch para picos de CPU (más del {cpu_alarm}%) o "
            "errores 5xx (más de {http_5xx_alarm} por minuto).",
            "en": "Implement CloudWatch alarms for CPU spikes (over {cpu_alarm}%) or 5xx errors "
            "(over {http_5xx_alarm} per minute).",
        },
        (module("monitoring"),),
        ("alarm_cpu", "alarm_5xx"),
    ),
    Task(
        "3.4",
        3,
        {
            "es": "Configurar una alerta de presupuesto de AWS en {budget} al mes.",
            "en": "Set up an AWS budget alert at {budget} a month.",
        },
        (module("budget"),),
        ("budget",),
    ),
)

REQUIREMENTS: tuple[Requirement, ...] = (
    Requirement(
        "R1",
        {"es": "Seguridad", "en": "Security"},
        {
            "es": "El pipeline no debe contener secretos en texto plano.",
            "en": "The pipeline must not contain plain-text secrets.",
        },
        {
            "es": "Sin requisito de gestión de secretos en este plan.",
            "en": "No secret-handling requirement in this plan.",
        },
        ("gha_static_keys", "gha_oidc", "secrets_manager"),
        live=False,
        enabled=lambda spec: spec.requirements.no_plaintext_secrets,
    ),
    Requirement(
        "R2",
        {"es": "Rendimiento", "en": "Performance"},
        {
            "es": "El despliegue completo debe tardar menos de {deploy_minutes} minutos.",
            "en": "A full deployment must take less than {deploy_minutes} minutes.",
        },
        {"es": "", "en": ""},
        ("gha_deploy_timeout",),
        live=True,
        enabled=always,
    ),
    Requirement(
        "R3",
        {"es": "Fiabilidad", "en": "Reliability"},
        {
            "es": "El pipeline debe incluir un rollback automático si el despliegue falla.",
            "en": "The pipeline must roll back automatically if the deployment fails.",
        },
        {
            "es": "Sin rollback automático; el rollback es manual (ver la estrategia de rollback).",
            "en": "No automatic rollback; rollback is manual (see the rollback strategy).",
        },
        ("circuit_breaker_rollback", "alb_health_check"),
        live=False,
        enabled=lambda spec: spec.requirements.auto_rollback,
    ),
    Requirement(
        "R4",
        {"es": "Costo", "en": "Cost"},
        {
            "es": "La nueva infraestructura no debe superar los {budget}/mes.",
            "en": "The new infrastructure must not cost more than {budget}/month.",
        },
        {"es": "", "en": ""},
        ("budget", "budget_estimate"),
        live=False,
        enabled=always,
    ),
)

CRITERIA: tuple[Criterion, ...] = (
    Criterion(
        "AC1",
        {
            "es": "El pipeline se ejecuta exitosamente de principio a fin.",
            "en": "The pipeline runs successfully from start to finish.",
        },
        ("gha_push_ecr", "gha_deploy_ecs"),
        live=True,
    ),
    Criterion(
        "AC2",
        {
            "es": "Un cambio en el código se ve reflejado en el entorno de {first_env} en menos "
            "de {deploy_minutes} minutos.",
            "en": "A code change reaches the {first_env} environment in less than "
            "{deploy_minutes} minutes.",
        },
        ("gha_deploy_timeout",),
        live=True,
    ),
    Criterion(
        "AC3",
        {
            "es": "Los health checks del servicio en el entorno de {last_env} pasan después del "
            "despliegue.",
            "en": "The service's health checks in the {last_env} environment pass after the "
            "deployment.",
        },
        ("alb_health_check",),
        live=True,
    ),
    Criterion(
        "AC4",
        {
            "es": "Las métricas de la aplicación son visibles en el dashboard de monitoreo.",
            "en": "The application's metrics are visible on the monitoring dashboard.",
        },
        ("dashboard",),
        live=True,
        applies=lambda spec: spec.monitoring.dashboard,
    ),
    Criterion(
        "AC5",
        {
            "es": "No hay secretos expuestos en el pipeline.",
            "en": "No secrets are exposed in the pipeline.",
        },
        ("gha_static_keys", "gha_oidc"),
        live=False,
    ),
)

RULE_IDS: frozenset[str] = frozenset(rule.id for rule in RULES)


def tasks_for(spec: Spec) -> list[Task]:
    """The catalogue tasks that apply to ``spec``, in plan order."""
    return [task for task in TASKS if task.applies(spec)]


def criteria_for(spec: Spec) -> list[Criterion]:
    return [criterion for criterion in CRITERIA if criterion.applies(spec)]


def expand_files(task: Task, spec: Spec) -> list[str]:
    """The task's file paths; those holding ``{env}`` are repeated for each
    environment, one environment's files after the other."""
    plain = [path for path in task.files if "{env}" not in path]
    per_env = [path for path in task.files if "{env}" in path]
    expanded = [path.format(env=env.name) for env in spec.environments for path in per_env]
    if not per_env:
        return plain
    first = task.files.index(per_env[0])
    before = [p for p in task.files[:first] if "{env}" not in p]
    return before + expanded + [p for p in plain if p not in before]


def format_budget(amount: float) -> str:
    return f"${amount:,.0f}" if float(amount).is_integer() else f"${amount:,.2f}"


def text_fields(spec: Spec) -> dict[str, str]:
    """Values the catalogue's texts may use. All are numbers or validated names."""
    names = [env.name for env in spec.environments]
    return {
        "az_count": str(spec.network.az_count),
        "environments": ", ".join(names),
        "first_env": names[0],
        "last_env": names[-1],
        "secrets": ", ".join(spec.secrets),
        "cpu_alarm": str(spec.monitoring.cpu_alarm_percent),
        "http_5xx_alarm": str(spec.monitoring.http_5xx_alarm_count),
        "budget": format_budget(spec.requirements.monthly_budget_usd),
        "deploy_minutes": str(spec.requirements.deploy_minutes),
    }
