"""Fargate Spot, as ``ecs_fargate_service`` judges it: which services run on Spot, and
whether the plan's ``environments[].spot`` finds one.

A service is on Spot when its capacity provider strategy names ``FARGATE_SPOT`` (a
``dynamic`` block counts with its literal content), or, with neither a launch type nor
a strategy of its own, when the cluster's default strategy does.
"""

from __future__ import annotations

from infraplan.check.plan_context import PlanContext, Stated
from infraplan.check.repo_model import RepoModel
from infraplan.check.terraform_types import Resource
from infraplan.check.verdicts import against_plan
from infraplan.findings import Finding

RULE = "ecs_fargate_service"


def on_spot(repo: RepoModel, service: Resource) -> bool:
    strategy = service.nested_all("capacity_provider_strategy")
    if any(s.get("capacity_provider") == "FARGATE_SPOT" for s in strategy):
        return True
    if strategy or service.attrs.get("launch_type") is not None:
        return False
    defaults = repo.terraform.of_type("aws_ecs_cluster_capacity_providers")
    return any(
        s.get("capacity_provider") == "FARGATE_SPOT"
        for d in defaults
        for s in d.nested_all("default_capacity_provider_strategy")
    )


def spot_against_plan(
    repo: RepoModel, plan: PlanContext, services: list[Resource]
) -> Finding | None:
    """A failure when the plan puts an environment on Fargate Spot and no service runs on
    it; None otherwise (the plan's line decides: ``environments[i].spot``). Only a plan
    that writes its environments is judged: the default staging's Spot is a starting
    point, not a choice a hand-written repository must share."""
    if plan.stated("environments", written=True) is None:
        return None
    planned = [(i, e.name) for i, e in enumerate(plan.spec.environments) if e.spot]
    if not planned or any(on_spot(repo, s) for s in services):
        return None
    index, name = planned[0]
    where = f"{plan.path}:{plan.line('environments', index, 'spot')}"
    stated = Stated(True, where)
    return against_plan(
        RULE,
        f"no ECS service runs on Fargate Spot (no FARGATE_SPOT capacity provider); the plan "
        f"puts {name} on it ({where})",
        [s.where() for s in services],
        stated,
    )


def spot_note(repo: RepoModel, services: list[Resource]) -> str:
    """What the reason adds when some service runs on Spot."""
    spot = [s.address for s in services if on_spot(repo, s)]
    return f"; on Fargate Spot: {', '.join(spot)}" if spot else ""
