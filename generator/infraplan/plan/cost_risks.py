"""Risks of what the plan's cost setup leaves open, as the risk table lists them: the
budgets see no cost until the ``Stack`` cost allocation tag is active, and Fargate Spot in
an environment that waits for approval.

Sources: "Activating user-defined cost allocation tags" and "Using user-defined cost
allocation tags", AWS Billing User Guide (a tag key appears up to 24 hours after it is
first applied, activation takes up to 24 hours more, only the management account or a
standalone account activates); ``aws ce update-cost-allocation-tags-status`` (AWS CLI
reference); "Amazon ECS clusters for Fargate", Amazon ECS Developer Guide (the two-minute
Spot warning, no on-demand replacement).
"""

from __future__ import annotations

from infraplan.catalogue import Lang
from infraplan.spec.model import Spec
from infraplan.spec.types import Level

ACTIVATE_TAG = (
    "aws ce update-cost-allocation-tags-status "
    "--cost-allocation-tags-status TagKey=Stack,Status=Active"
)

_COST_TAG: dict[Lang, tuple[str, str]] = {
    "es": (
        "AWS Budgets ve 0 USD para cada entorno hasta que la etiqueta de asignación de "
        "costes Stack esté activa: la clave aparece en la consola de Billing hasta 24 h "
        "después del primer apply y la activación tarda hasta 24 h más",
        "Un día después del primer apply, activarla desde la cuenta de administración (o una "
        f"cuenta independiente): {ACTIVATE_TAG} (paso 3 del README), o en Billing → Cost "
        "allocation tags",
    ),
    "en": (
        "AWS Budgets sees $0 for each environment until the Stack cost allocation tag is "
        "active: the key appears in the Billing console up to 24 h after the first apply, "
        "and activation takes up to 24 h more",
        "A day after the first apply, activate it from the management account (or a "
        f"standalone account): {ACTIVATE_TAG} (README step 3), or under Billing → Cost "
        "allocation tags",
    ),
}

_SPOT_PRODUCTION: dict[Lang, tuple[str, str]] = {
    "es": (
        "Fargate Spot en {environments}, que esperan aprobación (producción): AWS puede "
        "parar una tarea Spot con dos minutos de aviso y no la reemplaza con capacidad bajo "
        "demanda cuando falta Spot",
        "Una tarea sigue en Fargate bajo demanda en cada uno; el contenedor tiene 120 s tras "
        "el SIGTERM para terminar; dejar Spot para los entornos que no son producción "
        "(environments[].spot: false)",
    ),
    "en": (
        "Fargate Spot in {environments}, which wait for approval (production): AWS may stop "
        "a Spot task with two minutes' warning and does not replace it with on-demand "
        "capacity when Spot is short",
        "One task stays on on-demand Fargate in each; the container gets 120 s after SIGTERM "
        "to finish; keep Spot for environments that are not production "
        "(environments[].spot: false)",
    ),
}


def cost_risks(spec: Spec, lang: Lang) -> list[tuple[str, Level, Level, str]]:
    """(risk, probability, impact, mitigation) of the cost setup."""
    risk, mitigation = _COST_TAG[lang]
    rows: list[tuple[str, Level, Level, str]] = [(risk, "high", "medium", mitigation)]
    production_spot = [e.name for e in spec.environments if e.spot and e.approval]
    if production_spot:
        risk, mitigation = _SPOT_PRODUCTION[lang]
        rows.append(
            (risk.format(environments=", ".join(production_spot)), "medium", "high", mitigation)
        )
    return rows


# The risk column of those rows as templates: the Markdown importer leaves the rows
# infraplan adds itself.
COST_RISK_TEMPLATES: tuple[str, ...] = tuple(
    text for table in (_COST_TAG, _SPOT_PRODUCTION) for text, _ in table.values()
)
