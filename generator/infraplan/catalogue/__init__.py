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

The check rules are held once, in :mod:`infraplan.catalogue.rules`; tasks,
requirements and criteria name them by id.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Literal

from infraplan.catalogue.rules import (
    NEVER_UNPLANNED,
    RULES,
    RULES_BY_ID,
    Condition,
    Lang,
    Rule,
    accounts_for,
    always,
)
from infraplan.spec.model import Spec
from infraplan.spec.scaling import env_scaling

__all__ = [
    "CRITERIA",
    "ENV_ROOT",
    "LANGS",
    "MODULES",
    "NEVER_UNPLANNED",
    "PHASES",
    "REQUIREMENTS",
    "RULES",
    "RULES_BY_ID",
    "RULE_IDS",
    "TASKS",
    "WORKFLOWS",
    "Condition",
    "Criterion",
    "Lang",
    "Phase",
    "Requirement",
    "Rule",
    "Task",
    "accounts_for",
    "always",
    "criteria_for",
    "expand_files",
    "format_budget",
    "module",
    "scaling_fields",
    "tasks_for",
    "text_fields",
]

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
    # The environment the criterion is about ("first", "last" of the plan's list), or
    # None for every environment: verify judges it only there.
    env: Literal["first", "last"] | None = None


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
BOOTSTRAP = "infra/bootstrap"


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
            f"{BOOTSTRAP}/main.tf",
            module("stack"),
            f"{ENV_ROOT}/main.tf",
            f"{ENV_ROOT}/backend.tf",
            f"{ENV_ROOT}/versions.tf",
            f"{WORKFLOWS}/terraform.yml",
        ),
        ("s3_backend", "gha_terraform"),
        # "validate and apply in the first environment" is proven by a live account only
        live=True,
    ),
    Task(
        "1.4",
        1,
        {
            "es": "Configurar el autoescalado del servicio: seguimiento de objetivo "
            "({scaling_metrics}) entre {scaling_bounds} tareas; el primer despliegue arranca las "
            "tareas deseadas y fija el mínimo, y el servicio ignora la deriva de `desired_count`.",
            "en": "Set up the service's autoscaling: target tracking ({scaling_metrics}) between "
            "{scaling_bounds} tasks; the first deploy starts the desired tasks and sets the "
            "minimum, and the service ignores `desired_count` drift.",
        },
        (
            module("autoscaling"),
            module("ecs"),
            f"{ENV_ROOT}/main.tf",
            f"{WORKFLOWS}/deploy.yml",
        ),
        ("ecs_autoscaling",),
        applies=lambda spec: spec.service.autoscaling.enabled,
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
            "es": "Crear el `Dockerfile` para la aplicación, sobre imágenes base con soporte "
            "que Dependabot mantiene al día.",
            "en": "Create the `Dockerfile` for the application, on supported base images that "
            "Dependabot keeps current.",
        },
        ("Dockerfile", ".dockerignore", ".github/dependabot.yml"),
        ("dockerfile", "dependency_updates", "base_image_support"),
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
        (f"{WORKFLOWS}/deploy.yml", module("ci_oidc"), f"{BOOTSTRAP}/main.tf"),
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
        ("ecs_fargate_service", "gha_deploy_ecs", "deploy_strategy"),
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
            "es": "Configurar el rollback automático (circuit breaker de ECS, sobre el health "
            "check del contenedor en la task definition y el del target group, solo 2xx) y el "
            "workflow de rollback manual.",
            "en": "Set up automatic rollback (ECS deployment circuit breaker, on the container "
            "health check of the task definition and the target group's, 2xx only) and the "
            "manual rollback workflow.",
        },
        (module("ecs"), f"{WORKFLOWS}/rollback.yml", "docs/runbooks/rollback.md"),
        (
            "circuit_breaker_rollback",
            "alb_health_check",
            "container_health_check",
            "gha_rollback",
        ),
    ),
    Task(
        "2.7",
        2,
        {
            "es": "Habilitar ECS Exec solo en {exec_environments} (sesiones registradas y "
            "cifradas con KMS, permisos ssmmessages en el rol de la tarea); en los demás "
            "entornos queda apagado.",
            "en": "Enable ECS Exec only in {exec_environments} (sessions logged and encrypted "
            "with KMS, ssmmessages permissions on the task role); it stays off in the other "
            "environments.",
        },
        (module("ecs"), "infra/envs/{env}/main.tf"),
        ("ecs_fargate_service", "ecs_exec"),
        applies=lambda spec: any(e.ecs_exec for e in spec.environments),
    ),
    Task(
        "2.8",
        2,
        {
            "es": "Desplegar en modo blue/green nativo de ECS: un segundo target group, reglas "
            "de listener de tráfico real y de prueba (cabecera X-Test-Traffic: green) que ECS "
            "mueve con su propio rol IAM, {bake_minutes} minutos de bake time con rollback "
            "por las alarmas de 5xx del balanceador, y un workflow que espera el cambio de "
            "tráfico (R2) y luego el bake time.",
            "en": "Deploy with ECS native blue/green: a second target group, live and test "
            "listener rules (header X-Test-Traffic: green) that ECS moves with its own IAM "
            "role, {bake_minutes} minutes of bake time with rollback on the load balancer's "
            "5xx alarms, and a workflow that waits for the traffic shift (R2), then the bake "
            "time.",
        },
        (
            module("ecs"),
            f"{MODULES}/ecs/blue_green.tf",
            f"{MODULES}/monitoring/blue_green.tf",
            module("stack"),
            f"{WORKFLOWS}/deploy.yml",
            f"{BOOTSTRAP}/main.tf",
        ),
        ("deploy_strategy",),
        applies=lambda spec: spec.deploy.strategy == "blue_green",
    ),
    Task(
        "2.9",
        2,
        {
            "es": "Correr las tareas de {spot_environments} en Fargate Spot (estrategia de "
            "proveedores de capacidad; en un entorno con aprobación una tarea sigue bajo "
            "demanda): AWS avisa con SIGTERM dos minutos antes de reclamar una tarea Spot, y "
            "el contenedor tiene esos 120 segundos para terminar.",
            "en": "Run the tasks of {spot_environments} on Fargate Spot (a capacity provider "
            "strategy; in an environment with approval one task stays on demand): AWS sends "
            "SIGTERM two minutes before it reclaims a Spot task, and the container gets those "
            "120 seconds to finish.",
        },
        (module("ecs"), "infra/envs/{env}/main.tf"),
        ("ecs_fargate_service",),
        applies=lambda spec: any(e.spot for e in spec.environments),
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
            "errores 5xx (más de {http_5xx_alarm} por minuto), y para una caída: memoria (más "
            "del {memory_alarm}%), 5xx del propio balanceador (más de {lb_5xx_alarm} por "
            "minuto), ningún target sano, targets no sanos y menos tareas en ejecución que las "
            "deseadas.",
            "en": "Implement CloudWatch alarms for CPU spikes (over {cpu_alarm}%) or 5xx errors "
            "(over {http_5xx_alarm} per minute), and for an outage: memory (over "
            "{memory_alarm}%), the load balancer's own 5xx (over {lb_5xx_alarm} per minute), no "
            "healthy target, unhealthy targets and fewer running tasks than desired.",
        },
        (module("monitoring"),),
        ("alarm_cpu", "alarm_5xx", "alarm_outage", "alarm_notify"),
    ),
    Task(
        "3.4",
        3,
        {
            "es": "Configurar una alerta de presupuesto de AWS por entorno: su parte de "
            "{budget} al mes según su estimación, contando solo los recursos con su etiqueta de "
            "asignación de costes Stack.",
            "en": "Set up an AWS budget alert per environment: its share of {budget} a month by "
            "its estimate, counting only the resources with its Stack cost allocation tag.",
        },
        (module("budget"),),
        ("budget",),
    ),
    Task(
        "3.5",
        3,
        {
            "es": "Servir HTTPS en {https_names}: un certificado de ACM validado por DNS en la "
            "zona de Route 53 {hosted_zone}, un registro alias al balanceador de cada entorno y "
            "HTTP redirigido a HTTPS.",
            "en": "Serve HTTPS at {https_names}: an ACM certificate validated by DNS in the "
            "Route 53 zone {hosted_zone}, an alias record to each environment's load balancer, "
            "and HTTP redirected to HTTPS.",
        },
        (
            module("domain"),
            f"{MODULES}/stack/https.tf",
            module("ecs"),
            f"{ENV_ROOT}/main.tf",
            f"{BOOTSTRAP}/main.tf",
            f"{WORKFLOWS}/deploy.yml",
        ),
        ("https",),
        applies=lambda spec: spec.service.domain is not None,
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
        ("gha_static_keys", "gha_oidc", "secrets_manager", "plaintext_credentials"),
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
        env="first",
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
        env="last",
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
        "exec_environments": ", ".join(e.name for e in spec.environments if e.ecs_exec),
        "spot_environments": ", ".join(e.name for e in spec.environments if e.spot),
        "last_env": names[-1],
        "secrets": ", ".join(spec.secrets),
        "cpu_alarm": str(spec.monitoring.cpu_alarm_percent),
        "http_5xx_alarm": str(spec.monitoring.http_5xx_alarm_count),
        "memory_alarm": str(spec.monitoring.memory_alarm_percent),
        "lb_5xx_alarm": str(spec.monitoring.lb_5xx_alarm_count),
        "budget": format_budget(spec.requirements.monthly_budget_usd),
        "deploy_minutes": str(spec.requirements.deploy_minutes),
        "bake_minutes": str(spec.deploy.bake_minutes),
        "https_names": ", ".join(
            name for name in (spec.domain(env.name) for env in spec.environments) if name
        ),
        "hosted_zone": spec.service.hosted_zone or "",
        **scaling_fields(spec),
    }


def scaling_fields(spec: Spec, code: Callable[[str], str] = str) -> dict[str, str]:
    """The autoscaling task's fields: the tracked metrics and each environment's bounds
    (``code`` formats an environment's name)."""
    auto = spec.service.autoscaling
    metrics = f"CPU {auto.cpu_target_percent}%"
    if auto.requests_per_target is not None:
        metrics += f", ALBRequestCountPerTarget {auto.requests_per_target}"
    bounds = []
    for env in spec.environments:
        scaling = env_scaling(spec, env.name)
        if scaling is not None:
            bounds.append(f"{code(env.name)} {scaling.min_count}-{scaling.max_count}")
    return {"scaling_metrics": metrics, "scaling_bounds": ", ".join(bounds)}
