"""Risks the generated code carries, as the plan's risk section lists them: the checkov
checks the generated Terraform skips, and what its identity setup leaves open.

Each skip is written inline beside the resource with its reason; ``checkov_skips.json``
holds the same list in English (a test keeps the two equal), ``checkov_skips.es.json``
the Spanish reasons by check id (English where one is missing).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from infraplan.catalogue import Lang
from infraplan.package_data import package_data
from infraplan.plan.words import DEFAULT_RISKS
from infraplan.spec.model import Spec
from infraplan.spec.types import Level


@dataclass(frozen=True)
class CheckovSkip:
    id: str  # e.g. CKV_AWS_91
    resource: str  # e.g. module.ecs.aws_lb.this
    reason: str  # in the plan's language


def checkov_skips(lang: Lang) -> list[CheckovSkip]:
    """Every skipped check, in the order of ``checkov_skips.json``, reasons in ``lang``."""
    path = package_data("checkov_skips.json")
    if not path.is_file():
        return []
    skips = json.loads(path.read_text(encoding="utf-8"))
    translated: dict[str, str] = {}
    if lang != "en" and package_data(f"checkov_skips.{lang}.json").is_file():
        translated = json.loads(package_data(f"checkov_skips.{lang}.json").read_text("utf-8"))
    return [
        CheckovSkip(skip["id"], skip["resource"], translated.get(skip["id"], skip["reason"]))
        for skip in skips
    ]


_OIDC_NAME_FORM: dict[Lang, tuple[str, str]] = {
    "es": (
        "Los roles confían en el sujeto OIDC por nombre (repo:{repository}:...): un "
        "repositorio creado o renombrado desde el 15-07-2026 recibe el sujeto inmutable con "
        'ids y todos sus jobs fallan con "Not authorized to perform '
        'sts:AssumeRoleWithWebIdentity"',
        "Añadir ci.repository_owner_id y ci.repository_id a plan.yaml (gh api "
        "repos/{repository} --jq '.owner.id, .id'), infraplan update y aplicar bootstrap y "
        "entornos",
    ),
    "en": (
        "The roles trust the name form of the OIDC subject (repo:{repository}:...): a "
        "repository created or renamed since 2026-07-15 gets the immutable subject with ids, "
        'and every job fails with "Not authorized to perform sts:AssumeRoleWithWebIdentity"',
        "Add ci.repository_owner_id and ci.repository_id to plan.yaml (gh api "
        "repos/{repository} --jq '.owner.id, .id'), run infraplan update, apply the "
        "bootstrap and the environments",
    ),
}

_APPLY_ROLE: dict[Lang, tuple[str, str]] = {
    "es": (
        "El rol de apply de Terraform de un entorno tiene PowerUserAccess en la cuenta que "
        "comparten los entornos: el apply de un entorno sin revisores (staging, tras un merge "
        "a la rama principal) puede leer o cambiar recursos de otro (el servicio o los "
        "secretos de producción)",
        "Solo lo asume el job de su entorno de GitHub; crea roles solo con el límite de "
        "permisos de su entorno y escribe solo su propio estado (la política del bucket niega "
        "el resto). Exigir revisión en la rama principal, que es la puerta del Terraform de "
        "todos los entornos; para aislarlos, una cuenta de AWS por entorno",
    ),
    "en": (
        "An environment's Terraform apply role has PowerUserAccess in the account the "
        "environments share: the apply of an environment without reviewers (staging, after a "
        "merge to the main branch) can read or change another environment's resources "
        "(production's service or secrets)",
        "Only the job of its GitHub environment assumes it; it creates roles only within its "
        "environment's permissions boundary and writes only its own state (the bucket policy "
        "denies the rest). Require reviews on the main branch, the gate of every "
        "environment's Terraform; to isolate environments, one AWS account per environment",
    ),
}


_PLAN_ROLE: dict[Lang, tuple[str, str]] = {
    "es": (
        "El rol de plan de Terraform (pull requests) tiene ReadOnlyAccess: el Terraform de "
        "una pull request lee la configuración de toda la cuenta (políticas, etiquetas, "
        "metadatos de secretos, nombres de parámetros) y lo que un servicio no cubierto por "
        "la denegación explícita devuelva como dato",
        "Denegación explícita de lecturas de datos (objetos S3 salvo el estado, valores de "
        "secretos y parámetros SSM, ítems DynamoDB, eventos de logs, kms:Decrypt salvo la "
        "clave del estado); solo el repositorio, no sus forks, asume el rol",
    ),
    "en": (
        "The Terraform plan role (pull requests) has ReadOnlyAccess: a pull request's "
        "Terraform reads the whole account's configuration (policies, tags, secret metadata, "
        "parameter names) and whatever data a service outside the explicit deny returns",
        "An explicit deny of data reads (S3 objects but the state, secret and SSM parameter "
        "values, DynamoDB items, log events, kms:Decrypt but the state key); only the "
        "repository, not its forks, assumes the role",
    ),
}

_ENVIRONMENTS: dict[Lang, tuple[str, str]] = {
    "es": (
        "GitHub crea sin protección un entorno que un workflow nombra y que aún no existe: "
        "el primer push llegaría a los roles de AWS sin revisores ni regla de ramas",
        "Paso 0 del README: crear los entornos con sus revisores y limitar sus ramas de "
        "despliegue a la rama principal antes del primer push",
    ),
    "en": (
        "GitHub creates an environment a workflow names and that does not exist yet without "
        "protection: the first push would reach the AWS roles with no reviewer and no branch "
        "rule",
        "README step 0: create the environments with their reviewers and restrict their "
        "deployment branches to the main branch before the first push",
    ),
}


def identity_risks(spec: Spec, lang: Lang) -> list[tuple[str, Level, Level, str]]:
    """(risk, probability, impact, mitigation) of what the generated identity setup
    leaves open: the name-form OIDC subject without the repository ids, and the reach of
    the Terraform apply roles."""
    rows: list[tuple[str, Level, Level, str]] = []
    if not spec.ci.immutable_subject:
        risk, mitigation = (
            text.format(repository=spec.ci.repository) for text in _OIDC_NAME_FORM[lang]
        )
        rows.append((risk, "medium", "high", mitigation))
    risk, mitigation = _APPLY_ROLE[lang]
    rows.append((risk, "medium", "high", mitigation))
    risk, mitigation = _PLAN_ROLE[lang]
    rows.append((risk, "medium", "medium", mitigation))
    risk, mitigation = _ENVIRONMENTS[lang]
    rows.append((risk, "medium", "high", mitigation))
    return rows


# The seed's first risk, downtime in the first deployment, is mitigated in its own table by
# "a Blue/Green deployment strategy". The plan says what the generated code does instead,
# for the strategy and R3 of the spec; `check` holds the code to it (rule deploy_strategy).
_DEPLOY_MITIGATION: dict[tuple[str, bool], dict[Lang, str]] = {
    ("rolling", True): {
        "es": "Despliegue rolling de ECS: las tareas nuevas arrancan junto a las antiguas "
        "(máximo 200 %, mínimo sano 100 %) y las antiguas se retiran solo cuando las nuevas "
        "pasan sus health checks; el circuit breaker de despliegue revierte un despliegue "
        "cuyas tareas fallan. El servicio no corre tareas hasta la primera imagen.",
        "en": "ECS rolling deployment: new tasks start beside the old ones (200% maximum, "
        "100% healthy minimum) and the old ones go only once the new ones pass their health "
        "checks; the deployment circuit breaker rolls back a deployment whose tasks fail. "
        "The service runs no task until the first image.",
    },
    ("rolling", False): {
        "es": "Despliegue rolling de ECS: las tareas nuevas arrancan junto a las antiguas "
        "(máximo 200 %, mínimo sano 100 %) y las antiguas se retiran solo cuando las nuevas "
        "pasan sus health checks; el circuit breaker detiene un despliegue cuyas tareas "
        "fallan, sin rollback automático (R3 desactivado): el workflow de rollback "
        "redespliega una revisión anterior.",
        "en": "ECS rolling deployment: new tasks start beside the old ones (200% maximum, "
        "100% healthy minimum) and the old ones go only once the new ones pass their health "
        "checks; the circuit breaker stops a deployment whose tasks fail, with no automatic "
        "rollback (R3 is off): the rollback workflow redeploys an earlier revision.",
    },
    ("blue_green", True): {
        "es": "Despliegue blue/green nativo de ECS: la revisión nueva arranca en un segundo "
        "target group, se puede probar con la cabecera de prueba y recibe todo el tráfico "
        "de una vez; durante {bake} minutos la anterior sigue en marcha y las alarmas de 5xx "
        "del balanceador o el circuit breaker le devuelven el tráfico.",
        "en": "ECS native blue/green deployment: the new revision starts in a second target "
        "group, can be tried with the test header, then takes all traffic at once; for "
        "{bake} minutes the old revision keeps running and the load balancer's 5xx alarms "
        "or the circuit breaker send traffic back to it.",
    },
    ("blue_green", False): {
        "es": "Despliegue blue/green nativo de ECS: la revisión nueva arranca en un segundo "
        "target group, se puede probar con la cabecera de prueba y recibe todo el tráfico "
        "de una vez; durante {bake} minutos la anterior sigue en marcha y las alarmas de 5xx "
        "o el circuit breaker marcan el despliegue como fallido, sin rollback automático "
        "(R3 desactivado): el workflow de rollback redespliega una revisión anterior.",
        "en": "ECS native blue/green deployment: the new revision starts in a second target "
        "group, can be tried with the test header, then takes all traffic at once; for "
        "{bake} minutes the old revision keeps running and the 5xx alarms or the circuit "
        "breaker fail the deployment, with no automatic rollback (R3 is off): the rollback "
        "workflow redeploys an earlier revision.",
    },
}


def deploy_mitigation(spec: Spec, lang: Lang) -> str:
    """The mitigation of the seed's first-deployment downtime risk: what the generated
    code does for the spec's deploy.strategy and R3."""
    key = (spec.deploy.strategy, spec.requirements.auto_rollback)
    return _DEPLOY_MITIGATION[key][lang].format(bake=spec.deploy.bake_minutes)


def default_risks(spec: Spec, lang: Lang) -> list[tuple[str, str, str, str]]:
    """The seed's three risks, the first mitigated by what the code really does."""
    rows = list(DEFAULT_RISKS[lang])
    risk, probability, impact, _ = rows[0]
    rows[0] = (risk, probability, impact, deploy_mitigation(spec, lang))
    return rows


# The mitigations above as templates ({bake} is the one field): the Markdown importer takes
# a plan whose risks are these for the default risks.
DEPLOY_MITIGATION_TEMPLATES: tuple[str, ...] = tuple(
    text for table in _DEPLOY_MITIGATION.values() for text in table.values()
)


# The risk column of those rows as templates ({repository} is the one field): the
# Markdown importer reads a plan back and leaves the rows infraplan adds itself.
IDENTITY_RISK_TEMPLATES: tuple[str, ...] = tuple(
    text
    for table in (_OIDC_NAME_FORM, _APPLY_ROLE, _PLAN_ROLE, _ENVIRONMENTS)
    for text, _ in table.values()
)
