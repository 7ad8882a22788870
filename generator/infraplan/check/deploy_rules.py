"""The deployment strategy: rolling or blue/green, as the plan says and as its risk table
claims.

How a repository deploys blue/green, and how this rule judges each way:

- ECS native blue/green (``deployment_configuration { strategy = "BLUE_GREEN" }`` on the
  ECS deployment controller): blue/green when each ``load_balancer`` block carries an
  ``advanced_configuration`` with the alternate target group, the production listener rule
  and the role ECS moves them with ("Required resources for Amazon ECS blue/green
  deployments"); without them ECS has no second target group to start the new revision in,
  and the rule fails.
- CodeDeploy (``deployment_controller { type = "CODE_DEPLOY" }``): blue/green when an
  ``aws_codedeploy_deployment_group`` deploys BLUE_GREEN (``deployment_style`` or a
  ``blue_green_deployment_config``); a CODE_DEPLOY controller without one fails (nothing
  can deploy the service). It satisfies a plan that asks for blue/green: the strategy is
  the same, CodeDeploy runs it.
- anything else on the ECS controller (no ``deployment_configuration``, or ROLLING) is
  rolling. LINEAR and CANARY are reported as what they are, neither rolling nor blue/green.

Without a plan the rule reports the strategy it finds. With one, ``deploy.strategy``
(written or its default, rolling) must be what the code does, and a risk the plan writes
itself whose mitigation claims blue/green must be backed by a service that deploys
blue/green (the default risk table says what the generated code does, so it needs no
check of its own).
"""

from __future__ import annotations

import re
from typing import Any

from infraplan.check.plan_context import PlanContext, Stated
from infraplan.check.repo_model import RepoModel
from infraplan.check.terraform_types import Resource, first_block, is_expression
from infraplan.check.verdicts import Verdict, conflict, verdict, what_decides, worst
from infraplan.findings import Advice, Finding

RULE = "deploy_strategy"
# "Blue/Green", "blue-green", "blue green", "azul/verde" as a risk table writes them.
BLUE_GREEN_CLAIM = re.compile(r"\b(?:blue[\s/_-]*green|azul[\s/_-]*verde)\b", re.IGNORECASE)
ADVANCED = ("alternate_target_group_arn", "production_listener_rule", "role_arn")
SAID = {"rolling": "rolling", "blue_green": "blue/green", "codedeploy": "blue/green"}


def _codedeploy_blue_green(group: Resource) -> bool:
    style = group.nested("deployment_style")
    return style.get("deployment_type") == "BLUE_GREEN" or bool(
        group.nested("blue_green_deployment_config")
    )


def _strategy(repo: RepoModel, service: Resource) -> tuple[str, Verdict]:
    """(kind, verdict) of one service: kind is rolling, blue_green, codedeploy, other or
    unknown; the verdict passes when the service deploys that way coherently."""
    controller = service.nested("deployment_controller").get("type")
    if controller == "CODE_DEPLOY":
        groups = [
            g
            for g in repo.terraform.of_type("aws_codedeploy_deployment_group")
            if _codedeploy_blue_green(g)
        ]
        where = [service.where("deployment_controller"), *(g.where() for g in groups)]
        if not groups:
            return "other", Verdict(
                "fail",
                f"{service.address} has the CODE_DEPLOY controller but no CodeDeploy "
                "deployment group deploys it blue/green",
                where,
            )
        rollback = groups[0].nested("auto_rollback_configuration")
        rolls_back = rollback.get("enabled") is True or rollback.get("enabled") == "true"
        said = ", rolled back by its auto_rollback_configuration" if rolls_back else ""
        return "codedeploy", Verdict(
            "pass",
            f"{service.address} deploys blue/green through CodeDeploy ({groups[0].address}{said})",
            where,
        )
    if controller == "EXTERNAL" or is_expression(controller):
        return "unknown", Verdict(
            "unknown",
            f"{service.address}: the deployment controller ({controller}) decides how it "
            "deploys, which this check cannot see",
            [service.where("deployment_controller")],
        )
    config = service.nested("deployment_configuration")
    strategy: Any = config.get("strategy", "ROLLING")
    where = [service.where("deployment_configuration", "strategy")]
    if is_expression(strategy):
        what = f"{service.address}: the deployment strategy"
        return "unknown", Verdict(
            "unknown", what_decides(what, strategy, repo.terraform.variables()), where
        )
    if strategy == "ROLLING":
        return "rolling", Verdict("pass", f"{service.address} deploys rolling", where)
    if strategy != "BLUE_GREEN":
        return "other", Verdict("pass", f"{service.address} deploys {strategy}", where)
    missing = _missing_advanced(service)
    if missing:
        return "blue_green", Verdict(
            "fail",
            f"{service.address} deploys BLUE_GREEN but its load_balancer has no "
            f"advanced_configuration {' / '.join(missing)}: ECS has no second target group "
            "and listener rule to move traffic with",
            [*where, service.where("load_balancer")],
        )
    bake = config.get("bake_time_in_minutes")
    alarms = service.nested("alarms")
    said = f", {bake} minutes of bake time" if str(bake).isdigit() else ""
    if alarms.get("rollback") is True and alarms.get("enable") is True:
        said += ", rolled back by its alarms"
    return "blue_green", Verdict("pass", f"{service.address} deploys blue/green{said}", where)


def _missing_advanced(service: Resource) -> list[str]:
    blocks = service.nested_all("load_balancer")
    if not blocks:
        return list(ADVANCED)
    missing: list[str] = []
    for block in blocks:
        body = first_block(block.get("advanced_configuration")) or _dynamic(
            block, "advanced_configuration"
        )
        missing += [key for key in ADVANCED if not body.get(key) and key not in missing]
    return missing


def _dynamic(block: dict[str, Any], name: str) -> dict[str, Any]:
    """The content of ``dynamic "name"`` nested in ``block``, unless its for_each is known
    to be empty (the model hoists only a resource's own dynamic blocks)."""
    for entry in block.get("dynamic") or []:
        body = first_block(entry.get(name)) if isinstance(entry, dict) else {}
        for_each = body.get("for_each")
        if body and not (isinstance(for_each, (list, dict)) and not for_each):
            return first_block(body.get("content"))
    return {}


def _claims(plan: PlanContext) -> list[Stated]:
    """The risks the plan writes itself whose mitigation claims blue/green."""
    if not plan.given or plan.spec.risks is None:
        return []
    return [
        Stated(risk.mitigation, f"{plan.path}:{plan.line('risks', index, 'mitigation')}")
        for index, risk in enumerate(plan.spec.risks)
        if BLUE_GREEN_CLAIM.search(risk.mitigation)
    ]


def deploy_strategy(repo: RepoModel, plan: PlanContext) -> Finding:
    services = repo.terraform.of_type("aws_ecs_service")
    if not services:
        return verdict(RULE, "fail", "no ECS service is created")
    judged = [_strategy(repo, s) for s in services]
    broken = [v for _, v in judged if v.status == "fail"]
    if broken:
        return worst(RULE, broken, "")
    wanted = plan.stated("deploy", "strategy")
    verdicts = [_against(kind, found, wanted) for kind, found in judged]
    kinds = {kind for kind, _ in judged}
    claims = _claims(plan)
    if claims and not kinds & {"blue_green", "codedeploy", "unknown"}:
        claim = claims[0]
        code = [v.evidence[0] for _, v in judged]
        verdicts.append(
            Verdict(
                "fail",
                f"the plan's risk table claims blue/green ({claim.where}) but "
                f"{services[0].address} deploys {', '.join(sorted(kinds))}",
                [claim.where, *code],
                claim.where,
            )
        )
    advice = []
    if "codedeploy" in kinds and plan.given:
        advice.append(
            Advice(
                "CodeDeploy runs this blue/green; infraplan generates ECS's own (no "
                "CodeDeploy application, the deploy job follows the ECS service deployment)",
                tuple(v.evidence[0] for k, v in judged if k == "codedeploy"),
            )
        )
    return worst(RULE, verdicts, "", advice=advice, settle=not plan.given)


def _against(kind: str, found: Verdict, wanted: Stated | None) -> Verdict:
    if wanted is None or kind == "unknown":
        return found
    if SAID.get(kind) == SAID[wanted.value]:
        return found
    what = found.reason.split(" deploys ")[0] + ": the deployment strategy"
    return conflict(what, _shown(kind, found), found.evidence, wanted)


def _shown(kind: str, found: Verdict) -> str:
    if kind in SAID:
        return SAID[kind] if kind != "codedeploy" else "blue/green through CodeDeploy"
    return found.reason.rsplit(" deploys ", 1)[-1]
