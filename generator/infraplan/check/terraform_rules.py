"""Rules about the network, the container platform and the Terraform state."""

from __future__ import annotations

from typing import Any

from infraplan.check.repo_model import RepoModel
from infraplan.check.terraform_model import Resource, first_block, is_expression
from infraplan.check.verdicts import verdict, worst
from infraplan.findings import Finding, Status
from infraplan.spec.model import Spec

Verdict = tuple[Status, str, list[str]]


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


def _true(value: Any) -> bool | None:
    """True/False for a literal boolean (HCL accepts "true"), None for an expression."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    return None


def vpc(repo: RepoModel, spec: Spec) -> Finding:
    return _created(repo, "vpc", ("aws_vpc",), "VPC")


def _tier(resource: Resource) -> str:
    tier = resource.attrs.get("tier")
    if isinstance(tier, str):
        return tier
    if _true(resource.attrs.get("map_public_ip_on_launch")):
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


def subnets(repo: RepoModel, spec: Spec) -> Finding:
    made = repo.terraform.of_type("aws_subnet")
    if not made:
        return _created(repo, "subnets", ("aws_subnet", "aws_subnets"), "subnet")
    tiers: dict[str, list[Resource]] = {}
    for resource in made:
        tiers.setdefault(_tier(resource), []).append(resource)
    evidence = [r.where() for r in made]
    missing = [t for t in ("public", "private") if t not in tiers]
    if missing and "unknown" in tiers:
        return verdict(
            "subnets",
            "unknown",
            "subnets are created but which are public and which private cannot be told",
            evidence,
        )
    if missing:
        return verdict(
            "subnets", "fail", f"no {' or '.join(missing)} subnets are created", evidence
        )
    for tier in ("public", "private"):
        counts = [_count(r) for r in tiers[tier]]
        if None not in counts and sum(c or 0 for c in counts) < spec.network.az_count:
            total = sum(c or 0 for c in counts)
            return verdict(
                "subnets",
                "fail",
                f"{total} {tier} subnet(s); the plan spreads over {spec.network.az_count} zones",
                [r.where("count") for r in tiers[tier]],
            )
    return verdict("subnets", "pass", "public and private subnets are created", evidence)


def security_groups(repo: RepoModel, spec: Spec) -> Finding:
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


def ecs_cluster(repo: RepoModel, spec: Spec) -> Finding:
    return _created(repo, "ecs_cluster", ("aws_ecs_cluster",), "ECS cluster")


def _fargate(repo: RepoModel, service: Resource) -> Verdict:
    launch = service.attrs.get("launch_type")
    strategies = service.attrs.get("capacity_provider_strategy") or []
    providers = [first_block(s).get("capacity_provider") for s in _blocks(strategies)]
    if launch in ("FARGATE",) or any(p in ("FARGATE", "FARGATE_SPOT") for p in providers):
        return ("pass", f"{service.address} runs on Fargate", [service.where("launch_type")])
    if isinstance(launch, str) and not is_expression(launch):
        return (
            "fail",
            f"{service.address} runs on {launch}, not Fargate",
            [service.where("launch_type")],
        )
    if launch is None and not providers:
        defaults = repo.terraform.of_type("aws_ecs_cluster_capacity_providers")
        if any(
            "FARGATE" in str(d.attrs.get("default_capacity_provider_strategy")) for d in defaults
        ):
            return (
                "pass",
                f"{service.address} uses the cluster's Fargate default",
                [service.where(), *(d.where() for d in defaults)],
            )
    return (
        "unknown",
        f"{service.address}: the launch type cannot be told statically",
        [service.where()],
    )


def _blocks(value: Any) -> list[dict[str, Any]]:
    items = value if isinstance(value, list) else [value]
    return [i for i in items if isinstance(i, dict)]


def ecs_fargate_service(repo: RepoModel, spec: Spec) -> Finding:
    services = repo.terraform.of_type("aws_ecs_service")
    if not services:
        return _created(repo, "ecs_fargate_service", ("aws_ecs_service",), "ECS service")
    verdicts = [_fargate(repo, s) for s in services]
    if any(v[0] == "pass" for v in verdicts):
        return worst("ecs_fargate_service", [v for v in verdicts if v[0] == "pass"], "")
    return worst("ecs_fargate_service", verdicts, "no ECS service")


def ecr_repository(repo: RepoModel, spec: Spec) -> Finding:
    return _created(repo, "ecr_repository", ("aws_ecr_repository",), "ECR repository")


def _scan(repo_: Resource, registry_scan: list[Resource]) -> Verdict:
    config = first_block(repo_.attrs.get("image_scanning_configuration"))
    value = config.get("scan_on_push")
    where = [repo_.where("image_scanning_configuration", "scan_on_push")]
    flag = _true(value)
    if flag:
        return ("pass", f"{repo_.address} scans on push", where)
    if registry_scan:
        return (
            "pass",
            "the registry scanning configuration scans every push",
            [r.where() for r in registry_scan],
        )
    if flag is None and value is not None:
        return ("unknown", f"{repo_.address}: scan_on_push is {value}", where)
    return ("fail", f"{repo_.address} does not scan on push (scan_on_push unset or false)", where)


def ecr_scan_on_push(repo: RepoModel, spec: Spec) -> Finding:
    registry_scan = [
        r
        for r in repo.terraform.of_type("aws_ecr_registry_scanning_configuration")
        if any(f in str(r.attrs) for f in ("SCAN_ON_PUSH", "CONTINUOUS_SCAN"))
    ]
    repos = repo.terraform.of_type("aws_ecr_repository")
    return worst(
        "ecr_scan_on_push", [_scan(r, registry_scan) for r in repos], "no ECR repository is created"
    )


def _immutable(repo: RepoModel, resource: Resource) -> Verdict:
    value = resource.attrs.get("image_tag_mutability")
    where = [resource.where("image_tag_mutability")]
    if value in ("IMMUTABLE", "IMMUTABLE_WITH_EXCLUSION"):
        return ("pass", f"{resource.address} has immutable tags", where)
    if is_expression(value):
        return ("unknown", f"{resource.address}: image_tag_mutability is {value}", where)
    said = "defaults to MUTABLE" if value is None else f"is {value}"
    unused = [
        b for b in repo.terraform.blocks_of("variable") if b.body.get("default") == "IMMUTABLE"
    ]
    if unused:
        said += f' (variable "{unused[0].labels[0]}" defaults to IMMUTABLE but is not used here)'
        where += [b.where() for b in unused]
    return ("fail", f"{resource.address}: image_tag_mutability {said}", where)


def ecr_immutable_tags(repo: RepoModel, spec: Spec) -> Finding:
    repos = repo.terraform.of_type("aws_ecr_repository")
    return worst(
        "ecr_immutable_tags", [_immutable(repo, r) for r in repos], "no ECR repository is created"
    )


def _circuit_breaker(repo: RepoModel, service: Resource) -> Verdict:
    breaker = first_block(service.attrs.get("deployment_circuit_breaker"))
    if breaker:
        enable, rollback = _true(breaker.get("enable")), _true(breaker.get("rollback"))
        if enable and rollback:
            return (
                "pass",
                f"{service.address}: circuit breaker rolls back",
                [service.where("deployment_circuit_breaker")],
            )
        if enable is False or rollback is False:
            key = "rollback" if rollback is False else "enable"
            return (
                "fail",
                f"{service.address}: deployment circuit breaker has {key} = false",
                [service.where("deployment_circuit_breaker", key)],
            )
        return (
            "unknown",
            f"{service.address}: circuit breaker settings are expressions",
            [service.where("deployment_circuit_breaker")],
        )
    controller = first_block(service.attrs.get("deployment_controller")).get("type")
    if controller == "CODE_DEPLOY":
        groups = repo.terraform.of_type("aws_codedeploy_deployment_group")
        return (
            "fail",
            f"{service.address}: CodeDeploy blue/green handles rollback, "
            "not the ECS deployment circuit breaker",
            [service.where("deployment_controller"), *(g.where() for g in groups)],
        )
    return ("fail", f"{service.address} has no deployment_circuit_breaker", [service.where()])


def circuit_breaker_rollback(repo: RepoModel, spec: Spec) -> Finding:
    services = repo.terraform.of_type("aws_ecs_service")
    return worst(
        "circuit_breaker_rollback",
        [_circuit_breaker(repo, s) for s in services],
        "no ECS service is created",
    )


def _health(group: Resource, wanted: str) -> Verdict:
    check = first_block(group.attrs.get("health_check"))
    if _true(check.get("enabled")) is False:
        return (
            "fail",
            f"{group.address}: health check disabled",
            [group.where("health_check", "enabled")],
        )
    path = check.get("path", "/")
    where = [group.where("health_check", "path") if check else group.where()]
    if is_expression(path):
        return ("unknown", f"{group.address}: health check path is {path}", where)
    if path == wanted:
        return ("pass", f"{group.address} health-checks {path}", where)
    said = "the default /" if "path" not in check else path
    return ("fail", f"{group.address} health-checks {said}; the plan's path is {wanted}", where)


def alb_health_check(repo: RepoModel, spec: Spec) -> Finding:
    groups = repo.terraform.of_type("aws_lb_target_group", "aws_alb_target_group")
    return worst(
        "alb_health_check",
        [_health(g, spec.service.health_check_path) for g in groups],
        "no load balancer target group is created",
    )


_LOCK_KEYS = ("use_lockfile", "dynamodb_table")


def _locked(body: dict[str, Any]) -> bool:
    return _true(body.get("use_lockfile")) is True or bool(body.get("dynamodb_table"))


def s3_backend(repo: RepoModel, spec: Spec) -> Finding:
    backends = repo.terraform.backends
    s3 = [(root, body, block) for root, kind, body, block in backends if kind == "s3"]
    if not s3:
        if backends:
            kinds = sorted({kind for _, kind, _, _ in backends})
            return verdict(
                "s3_backend",
                "fail",
                f"state is kept in {', '.join(kinds)}, not S3",
                [b.where("backend") for *_, b in backends],
            )
        return verdict("s3_backend", "fail", "no backend: Terraform state stays on local disk")
    locked = [(root, block) for root, body, block in s3 if _locked(body)]
    if locked:
        roots = ", ".join(sorted({r for r, _ in locked})[:3])
        return verdict(
            "s3_backend",
            "pass",
            f"S3 backend with locking in {roots}",
            [b.where("backend") for _, b in locked],
        )
    configs = [path for path, values in repo.backend_configs.items() if _locked(values)]
    init_flags = [
        step.where
        for job in repo.workflows.jobs
        for step in job.steps
        if "-backend-config" in step.run and any(k in step.run for k in _LOCK_KEYS)
    ]
    if configs or init_flags:
        return verdict(
            "s3_backend",
            "pass",
            "S3 backend; locking set in its backend config",
            [b.where("backend") for _, _, b in s3] + [f"{p}:1" for p in configs] + init_flags,
        )
    return verdict(
        "s3_backend",
        "fail",
        "S3 backend without locking (use_lockfile or dynamodb_table)",
        [b.where("backend") for _, _, b in s3],
    )
