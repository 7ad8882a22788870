"""Rules about the network, the container platform and the Terraform state."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from infraplan.check.plan_context import PlanContext
from infraplan.check.repo_model import RepoModel
from infraplan.check.spot_rules import spot_against_plan, spot_note
from infraplan.check.terraform_types import Resource, is_expression
from infraplan.check.verdicts import (
    Verdict,
    against_plan,
    conflict,
    verdict,
    what_decides,
    worst,
)
from infraplan.findings import Advice, Finding


def _created(repo: RepoModel, rule: str, types: tuple[str, ...], what: str) -> Finding:
    made = repo.terraform.of_type(*types)
    if made:
        names = ", ".join(list(dict.fromkeys(r.address for r in made))[:3])
        return verdict(rule, "pass", f"{what} created ({names})", [r.where() for r in made])
    looked = repo.terraform.lookups(*types)
    if looked:
        return verdict(
            rule,
            "fail",
            f'{what} only looked up with data "{looked[0].type}", not created',
            [r.where() for r in looked],
        )
    return verdict(rule, "fail", f"no {what} is created ({' / '.join(types)})")


def truth(value: Any) -> bool | None:
    """True/False for a literal boolean (HCL accepts "true"), None for an expression."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    return None


def vpc(repo: RepoModel, plan: PlanContext) -> Finding:
    found = _created(repo, "vpc", ("aws_vpc",), "VPC")
    cidr = plan.stated("network", "cidr", written=True)
    if found.status != "pass" or cidr is None:
        return found
    verdicts = []
    for made in repo.terraform.of_type("aws_vpc"):
        block = made.attrs.get("cidr_block")
        if isinstance(block, str) and not is_expression(block) and block != cidr.value:
            verdicts.append(conflict(f"{made.address}: cidr_block", block, [made.where()], cidr))
        else:
            verdicts.append(Verdict("pass", found.reason, list(found.evidence)))
    return worst("vpc", verdicts, "")


def _tier(resource: Resource) -> str:
    tier = resource.attrs.get("tier")
    if isinstance(tier, str):
        return tier
    if truth(resource.attrs.get("map_public_ip_on_launch")):
        return "public"
    text = f"{resource.name} {resource.attrs.get('tags', '')}".lower()
    for tier in ("public", "private"):
        if tier in text:
            return tier
    return "unknown"


def _count(resource: Resource) -> int | None:
    for key in ("count", "for_each"):
        value = resource.attrs.get(key)
        if isinstance(value, bool):
            return int(value)
        if isinstance(value, int):
            return value
        if isinstance(value, (list, dict)):
            return len(value)
        if value is not None:
            return None
    return 1


def subnets(repo: RepoModel, plan: PlanContext) -> Finding:
    """Created subnets count; public and private tiers matter only when the plan writes
    ``network.nat`` (a NAT puts the tasks in private subnets behind public ones)."""
    made = repo.terraform.of_type("aws_subnet")
    if not made:
        return _created(repo, "subnets", ("aws_subnet", "aws_subnets"), "subnet")
    tiers: dict[str, list[Resource]] = {}
    for resource in made:
        tiers.setdefault(_tier(resource), []).append(resource)
    evidence = [r.where() for r in made]
    counts = [_count(r) for r in made]
    total = sum(c or 0 for c in counts) if None not in counts else None
    found = ", ".join(f"{len(v)} {k}" for k, v in sorted(tiers.items()) if k != "unknown")
    described = f"subnets are created ({found or 'tiers not named'})"
    zones = plan.stated("network", "az_count")
    nat = plan.stated("network", "nat", written=True)
    if nat is not None and nat.value != "none":
        missing = [t for t in ("public", "private") if t not in tiers]
        if missing and "unknown" not in tiers:
            return against_plan(
                "subnets",
                f"no {' or '.join(missing)} subnets; the plan's NAT ({nat.value}) puts tasks "
                f"in private subnets behind public ones ({nat.where})",
                evidence,
                nat,
            )
    if zones is not None:
        for tier, group in sorted(tiers.items()):
            tier_counts = [_count(r) for r in group]
            if None in tier_counts:
                continue
            size = sum(c or 0 for c in tier_counts)
            if size < zones.value:
                return against_plan(
                    "subnets",
                    f"{size} {tier} subnet(s); the plan spreads over {zones.value} zones "
                    f"({zones.where})",
                    [r.where("count") for r in group],
                    zones,
                )
    if total is not None and total < 2:
        return verdict(
            "subnets",
            "pass",
            described,
            evidence,
            advice=[
                Advice("one subnet is one availability zone: no zone redundancy", tuple(evidence))
            ],
        )
    return verdict("subnets", "pass", described, evidence)


def security_groups(repo: RepoModel, plan: PlanContext) -> Finding:
    found = _created(repo, "security_groups", ("aws_security_group",), "security group")
    made = repo.terraform.of_type("aws_security_group")
    if found.status == "pass" and len(made) == 1:
        return verdict(
            "security_groups",
            "pass",
            "one security group is created (load balancer and service share it)",
            found.evidence,
        )
    return found


def ecs_cluster(repo: RepoModel, plan: PlanContext) -> Finding:
    return _created(repo, "ecs_cluster", ("aws_ecs_cluster",), "ECS cluster")


def _fargate(repo: RepoModel, service: Resource) -> Verdict:
    launch = service.attrs.get("launch_type")
    providers = [
        s.get("capacity_provider") for s in service.nested_all("capacity_provider_strategy")
    ]
    if launch in ("FARGATE",) or any(p in ("FARGATE", "FARGATE_SPOT") for p in providers):
        return Verdict("pass", f"{service.address} runs on Fargate", [service.where("launch_type")])
    if isinstance(launch, str) and not is_expression(launch):
        return Verdict(
            "fail",
            f"{service.address} runs on {launch}, not Fargate",
            [service.where("launch_type")],
        )
    if launch is None and not providers:
        defaults = repo.terraform.of_type("aws_ecs_cluster_capacity_providers")
        strategies = [
            s for d in defaults for s in d.nested_all("default_capacity_provider_strategy")
        ]
        if any(s.get("capacity_provider") in ("FARGATE", "FARGATE_SPOT") for s in strategies):
            return Verdict(
                "pass",
                f"{service.address} uses the cluster's Fargate default",
                [service.where(), *(d.where() for d in defaults)],
            )
        from_module = any(
            c.module_inputs is not None for c in repo.terraform.of_type("aws_ecs_cluster")
        )
        if not defaults and not from_module:
            return Verdict(
                "fail",
                f"{service.address} sets no launch type or capacity provider: ECS runs it on EC2",
                [service.where()],
            )
    what = f"{service.address}: the launch type"
    return Verdict(
        "unknown", what_decides(what, launch, repo.terraform.variables()), [service.where()]
    )


def ecs_fargate_service(repo: RepoModel, plan: PlanContext) -> Finding:
    services = repo.terraform.of_type("aws_ecs_service")
    if not services:
        return _created(repo, "ecs_fargate_service", ("aws_ecs_service",), "ECS service")
    verdicts = [_fargate(repo, s) for s in services]
    if any(v.status == "pass" for v in verdicts):
        spot = spot_against_plan(repo, plan, services)
        if spot is not None:
            return spot
        found = worst("ecs_fargate_service", [v for v in verdicts if v.status == "pass"], "")
        return replace(found, reason=found.reason + spot_note(repo, services))
    return worst("ecs_fargate_service", verdicts, "no ECS service")


def ecr_repository(repo: RepoModel, plan: PlanContext) -> Finding:
    return _created(repo, "ecr_repository", ("aws_ecr_repository",), "ECR repository")


def _scan(repo: RepoModel, resource: Resource, registry_scan: list[Resource]) -> Verdict:
    value = resource.nested("image_scanning_configuration").get("scan_on_push")
    where = [resource.where("image_scanning_configuration", "scan_on_push")]
    flag = truth(value)
    if flag:
        return Verdict("pass", f"{resource.address} scans on push", where)
    if registry_scan:
        return Verdict(
            "pass",
            "the registry scanning configuration scans every push",
            [r.where() for r in registry_scan],
        )
    if flag is None and value is not None:
        what = f"{resource.address}: scan_on_push"
        return Verdict("unknown", what_decides(what, value, repo.terraform.variables()), where)
    return Verdict(
        "fail", f"{resource.address} does not scan on push (scan_on_push unset or false)", where
    )


def _scans_pushes(resource: Resource) -> bool:
    return (
        any(
            rule.get("scan_frequency") in ("SCAN_ON_PUSH", "CONTINUOUS_SCAN")
            for rule in resource.nested_all("rule")
        )
        or resource.attrs.get("scan_type") == "ENHANCED"
    )


def ecr_scan_on_push(repo: RepoModel, plan: PlanContext) -> Finding:
    registry_scan = [
        r
        for r in repo.terraform.of_type("aws_ecr_registry_scanning_configuration")
        if _scans_pushes(r)
    ]
    repos = repo.terraform.of_type("aws_ecr_repository")
    return worst(
        "ecr_scan_on_push",
        [_scan(repo, r, registry_scan) for r in repos],
        "no ECR repository is created",
        settle=not plan.given,
    )


def immutable(resource: Resource) -> bool | None:
    """Whether the repository's tags are immutable; None when it cannot be told."""
    value = resource.attrs.get("image_tag_mutability")
    if value in ("IMMUTABLE", "IMMUTABLE_WITH_EXCLUSION"):
        return True
    return None if is_expression(value) else False


def _immutable(repo: RepoModel, resource: Resource) -> Verdict:
    value = resource.attrs.get("image_tag_mutability")
    where = [resource.where("image_tag_mutability")]
    state = immutable(resource)
    if state:
        return Verdict("pass", f"{resource.address} has immutable tags", where)
    if state is None:
        what = f"{resource.address}: image_tag_mutability"
        return Verdict("unknown", what_decides(what, value, repo.terraform.variables()), where)
    said = "defaults to MUTABLE" if value is None else f"is {value}"
    unused = [
        b for b in repo.terraform.blocks_of("variable") if b.body.get("default") == "IMMUTABLE"
    ]
    if unused:
        said += f' (variable "{unused[0].labels[0]}" defaults to IMMUTABLE but is not used here)'
        where += [b.where() for b in unused]
    return Verdict("fail", f"{resource.address}: image_tag_mutability {said}", where)


def ecr_immutable_tags(repo: RepoModel, plan: PlanContext) -> Finding:
    repos = repo.terraform.of_type("aws_ecr_repository")
    return worst(
        "ecr_immutable_tags",
        [_immutable(repo, r) for r in repos],
        "no ECR repository is created",
        settle=not plan.given,
    )


def _circuit_breaker(repo: RepoModel, service: Resource) -> Verdict:
    breaker = service.nested("deployment_circuit_breaker")
    if breaker:
        enable, rollback = truth(breaker.get("enable")), truth(breaker.get("rollback"))
        if enable and rollback:
            return Verdict(
                "pass",
                f"{service.address}: circuit breaker rolls back",
                [service.where("deployment_circuit_breaker")],
            )
        if enable is False or rollback is False:
            key = "rollback" if rollback is False else "enable"
            return Verdict(
                "fail",
                f"{service.address}: deployment circuit breaker has {key} = false",
                [service.where("deployment_circuit_breaker", key)],
            )
        value = breaker.get("rollback") if enable else breaker.get("enable")
        what = f"{service.address}: the circuit breaker's settings"
        return Verdict(
            "unknown",
            what_decides(what, value, repo.terraform.variables()),
            [service.where("deployment_circuit_breaker")],
        )
    controller = service.nested("deployment_controller").get("type")
    if controller == "CODE_DEPLOY":
        groups = repo.terraform.of_type("aws_codedeploy_deployment_group")
        return Verdict(
            "fail",
            f"{service.address}: CodeDeploy blue/green handles rollback, "
            "not the ECS deployment circuit breaker",
            [service.where("deployment_controller"), *(g.where() for g in groups)],
        )
    return Verdict(
        "fail", f"{service.address} has no deployment_circuit_breaker", [service.where()]
    )


def circuit_breaker_rollback(repo: RepoModel, plan: PlanContext) -> Finding:
    services = repo.terraform.of_type("aws_ecs_service")
    return worst(
        "circuit_breaker_rollback",
        [_circuit_breaker(repo, s) for s in services],
        "no ECS service is created",
        settle=not plan.given,
    )


def _health(repo: RepoModel, group: Resource, plan: PlanContext) -> Verdict:
    check = group.nested("health_check")
    if truth(check.get("enabled")) is False:
        return Verdict(
            "fail",
            f"{group.address}: health check disabled",
            [group.where("health_check", "enabled")],
        )
    path = check.get("path", "/")
    where = [group.where("health_check", "path") if check else group.where()]
    said = "the default /" if "path" not in check else path
    if is_expression(path):
        what = f"{group.address}: the health check path"
        return Verdict("unknown", what_decides(what, path, repo.terraform.variables()), where)
    wanted = plan.stated("service", "health_check_path")
    if wanted is not None and path != wanted.value:
        return conflict(f"{group.address}: the health check path", said, where, wanted)
    port = plan.stated("service", "port")
    code_port = group.attrs.get("port")
    if port is not None and isinstance(code_port, int) and code_port != port.value:
        return conflict(f"{group.address}: the target port", code_port, [group.where("port")], port)
    loose = _loose_matcher(group)
    if loose and plan.given:  # the plan's task 2.6: the target group's check, 2xx only
        return Verdict("fail", loose, [group.where("health_check", "matcher")])
    return Verdict("pass", f"{group.address} health-checks {said}", where)


def _loose_matcher(group: Resource) -> str:
    """Why the health check's matcher accepts more than 2xx, or "" (the HTTP default is
    200: "Health checks for Application Load Balancer target groups", ELB User Guide)."""
    check = group.nested("health_check")
    matcher = check.get("matcher", "200")
    if not isinstance(matcher, (str, int)) or is_expression(matcher):
        return ""
    if str(group.attrs.get("protocol_version", "")).upper() == "GRPC":
        return ""  # gRPC matchers are gRPC status codes
    for part in str(matcher).replace(" ", "").split(","):
        low, _, high = part.partition("-")
        if not (low.isdigit() and (high or low).isdigit()):
            return ""
        if int(low) < 200 or int(high or low) > 299:
            return (
                f"{group.address}: the health check's matcher {matcher} counts answers "
                "other than 2xx (a redirect, an error page) as healthy"
            )
    return ""


def alb_health_check(repo: RepoModel, plan: PlanContext) -> Finding:
    groups = repo.terraform.of_type("aws_lb_target_group", "aws_alb_target_group")
    # Without a plan a matcher beyond 2xx is advice: the check still runs.
    loose = [(_loose_matcher(g), g) for g in groups] if not plan.given else []
    advice = [
        Advice(why, (g.where("health_check", "matcher"),), "warning") for why, g in loose if why
    ]
    return worst(
        "alb_health_check",
        [_health(repo, g, plan) for g in groups],
        "no load balancer target group is created",
        advice=advice,
        settle=not plan.given,
    )
