"""Live checks of what runs the service: ECR repository, ECS cluster and service, target group.

Each check asks AWS through :class:`~infraplan.aws.AwsAccess` and
returns findings; a call that gets no answer gives ``unknown`` findings that
say why, and the other checks go on.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable, Mapping
from typing import Any

from infraplan.aws import AwsAccess, Problem, Reply
from infraplan.findings import Finding
from infraplan.verify.plan import PlannedEnv
from infraplan.verify.rules import judged_by


def unknown(rules: Iterable[str], problem: Problem) -> list[Finding]:
    return [Finding(rule, "unknown", (), problem.message) for rule in rules]


def missing(rules: Iterable[str], what: str, evidence: tuple[str, ...] = ()) -> list[Finding]:
    return [Finding(rule, "fail", evidence, what) for rule in rules]


def apply_hint(plan: PlannedEnv) -> str:
    return f"run terraform apply in infra/envs/{plan.env}"


def first(
    reply: Reply, key: str, rules: Iterable[str], what: str, plan: PlannedEnv
) -> dict[str, Any] | list[Finding]:
    """The first resource a Describe call returned, or the findings of its absence."""
    if reply.not_found or (reply.ok and not reply.data.get(key)):
        return missing(rules, f"{what} not found in {plan.region}; {apply_hint(plan)}")
    if reply.problem:
        return unknown(rules, reply.problem)
    found: dict[str, Any] = reply.data[key][0]
    return found


ECR_RULES = judged_by("checks_service.check_ecr")


def check_ecr(plan: PlannedEnv, aws: AwsAccess) -> list[Finding]:
    name = plan.names.ecr_repository
    reply = aws.call("ecr", "describe_repositories", repositoryNames=[name])
    repo = first(reply, "repositories", ECR_RULES, f"ECR repository {name}", plan)
    if isinstance(repo, list):
        return repo
    arn = (str(repo.get("repositoryArn", name)),)
    out = [Finding("live_ecr_repository", "pass", arn, f"repository {name} exists")]
    out.append(_scan_on_push(repo, arn, aws))
    mutability = str(repo.get("imageTagMutability", "MUTABLE"))
    if mutability.startswith("IMMUTABLE"):
        out.append(Finding("live_ecr_immutable_tags", "pass", arn, f"tags are {mutability}"))
    else:
        out.append(
            Finding(
                "live_ecr_immutable_tags",
                "fail",
                arn,
                f'tags are {mutability}; set image_tag_mutability = "IMMUTABLE"',
            )
        )
    images = aws.call("ecr", "list_images", repositoryName=name, maxResults=1)
    if images.problem:
        out.extend(unknown(["live_ecr_image"], images.problem))
    elif images.data.get("imageIds"):
        image = images.data["imageIds"][0]
        ref = image.get("imageTag") or image.get("imageDigest", "")
        out.append(Finding("live_ecr_image", "pass", (f"{name}:{ref}",), "an image is pushed"))
    else:
        out.append(
            Finding(
                "live_ecr_image", "fail", arn, "no image in the repository; run the deploy workflow"
            )
        )
    return out


def _scan_on_push(repo: Mapping[str, Any], arn: tuple[str, ...], aws: AwsAccess) -> Finding:
    rule = "live_ecr_scan_on_push"
    if repo.get("imageScanningConfiguration", {}).get("scanOnPush"):
        return Finding(rule, "pass", arn, "the repository scans on push")
    # Scanning may instead be set for the whole registry (enhanced scanning rules).
    reply = aws.call("ecr", "get_registry_scanning_configuration")
    if reply.problem:
        return Finding(
            rule,
            "unknown",
            arn,
            f"scan on push is off for the repository; registry rules: {reply.problem.message}",
        )
    name = str(repo.get("repositoryName", ""))
    for scan_rule in reply.data.get("scanningConfiguration", {}).get("rules", []):
        if scan_rule.get("scanFrequency") not in ("SCAN_ON_PUSH", "CONTINUOUS_SCAN"):
            continue
        for flt in scan_rule.get("repositoryFilters", []):
            if fnmatch.fnmatchcase(name, str(flt.get("filter", ""))):
                return Finding(rule, "pass", arn, "a registry scanning rule scans on push")
    return Finding(
        rule,
        "fail",
        arn,
        "scan on push is off; set image_scanning_configuration { scan_on_push = true }",
    )


# the service's rules: every rule of check_ecs but the cluster's own
ECS_RULES = tuple(r for r in judged_by("checks_service.check_ecs") if r != "live_ecs_cluster")


def check_ecs(plan: PlannedEnv, aws: AwsAccess) -> list[Finding]:
    names = plan.names
    service_rules = [r for r in ECS_RULES if r != "live_task_secrets" or plan.secrets]
    if not plan.secrets:
        skipped = [Finding("live_task_secrets", "skipped", (), "the plan has no secrets")]
    else:
        skipped = []
    if not plan.spec.requirements.auto_rollback:
        service_rules.remove("live_circuit_breaker_rollback")
        skipped.append(
            Finding(
                "live_circuit_breaker_rollback",
                "skipped",
                (),
                "R3 automatic rollback is off in the plan",
            )
        )
    reply = aws.call("ecs", "describe_clusters", clusters=[names.cluster])
    clusters = [c for c in reply.data.get("clusters", []) if c.get("status") == "ACTIVE"]
    if reply.problem:
        return unknown(["live_ecs_cluster", *service_rules], reply.problem) + skipped
    if not clusters:
        return (
            missing(
                ["live_ecs_cluster", *service_rules],
                f"ECS cluster {names.cluster} not found or not active in {plan.region}; "
                f"{apply_hint(plan)}",
            )
            + skipped
        )
    out = [
        Finding(
            "live_ecs_cluster",
            "pass",
            (str(clusters[0].get("clusterArn")),),
            f"cluster {names.cluster} is active",
        )
    ]
    reply = aws.call("ecs", "describe_services", cluster=names.cluster, services=[names.service])
    services = [s for s in reply.data.get("services", []) if s.get("status") == "ACTIVE"]
    if reply.problem:
        return out + unknown(service_rules, reply.problem) + skipped
    if not services:
        return (
            out
            + missing(
                service_rules,
                f"ECS service {names.service} not found in cluster {names.cluster}; "
                f"{apply_hint(plan)}",
            )
            + skipped
        )
    service = services[0]
    arn = (str(service.get("serviceArn", names.service)),)
    out.append(_fargate(service, arn, plan))
    out.append(_running(service, arn, plan))
    out.append(_deployment(service, arn))
    if "live_circuit_breaker_rollback" in service_rules:
        out.append(_circuit_breaker(service, arn))
    if plan.secrets:
        out.append(check_task_secrets(plan, aws, str(service.get("taskDefinition", ""))))
    return out + skipped


def _fargate(service: Mapping[str, Any], arn: tuple[str, ...], plan: PlannedEnv) -> Finding:
    strategy = [s.get("capacityProvider") for s in service.get("capacityProviderStrategy", [])]
    if service.get("launchType") != "FARGATE" and not any(
        str(p).startswith("FARGATE") for p in strategy
    ):
        kind = service.get("launchType") or ", ".join(str(p) for p in strategy) or "unknown"
        return Finding(
            "live_ecs_service",
            "fail",
            arn,
            f'service runs on {kind}, not Fargate; set launch_type = "FARGATE" or a Fargate '
            "capacity provider strategy",
        )
    spot = "FARGATE_SPOT" in strategy
    if spot != plan.sizing.spot:
        planned = "on Fargate Spot" if plan.sizing.spot else "on on-demand Fargate"
        found = "on Fargate Spot" if spot else "on on-demand Fargate"
        return Finding(
            "live_ecs_service",
            "fail",
            arn,
            f"service runs {found}, the plan runs {plan.env} {planned} (environments[].spot); "
            f"{apply_hint(plan)}",
        )
    where = "Fargate Spot" if spot else "Fargate"
    return Finding("live_ecs_service", "pass", arn, f"service is active on {where}")


def _running(service: Mapping[str, Any], arn: tuple[str, ...], plan: PlannedEnv) -> Finding:
    running = int(service.get("runningCount", 0))
    desired = int(service.get("desiredCount", 0))
    planned = plan.sizing.desired_count  # this environment's own count
    text = f"{running} of {desired} tasks running (plan: {planned} in {plan.env})"
    if desired > 0 and running == desired:
        return Finding("live_ecs_running", "pass", arn, text)
    events = service.get("events") or []
    latest = f"; latest event: {events[0].get('message')}" if events else ""
    fix = "" if desired else f"; desired count is 0, deploy to set it to the plan's {planned}"
    return Finding("live_ecs_running", "fail", arn, f"{text}{fix}{latest}")


def _deployment(service: Mapping[str, Any], arn: tuple[str, ...]) -> Finding:
    rule = "live_ecs_deployment"
    deployments = service.get("deployments") or []
    primary = next((d for d in deployments if d.get("status") == "PRIMARY"), None)
    if primary is None:
        return Finding(rule, "unknown", arn, "the service has no primary deployment")
    state = primary.get("rolloutState")
    reason = primary.get("rolloutStateReason") or ""
    evidence = (*arn, str(primary.get("taskDefinition", "")))
    if state == "COMPLETED":
        return Finding(rule, "pass", evidence, "latest deployment completed")
    if state == "FAILED":
        return Finding(rule, "fail", evidence, f"latest deployment failed: {reason}")
    if state == "IN_PROGRESS":
        return Finding(
            rule,
            "unknown",
            evidence,
            "latest deployment is still in progress; run verify again when it ends",
        )
    return Finding(
        rule,
        "unknown",
        evidence,
        "the deployment reports no rollout state (not the ECS deployment controller)",
    )


def _circuit_breaker(service: Mapping[str, Any], arn: tuple[str, ...]) -> Finding:
    rule = "live_circuit_breaker_rollback"
    breaker = service.get("deploymentConfiguration", {}).get("deploymentCircuitBreaker", {})
    if breaker.get("enable") and breaker.get("rollback"):
        return Finding(rule, "pass", arn, "circuit breaker on, with rollback")
    state = "on without rollback" if breaker.get("enable") else "off"
    return Finding(
        rule,
        "fail",
        arn,
        f"circuit breaker is {state}; set deployment_circuit_breaker "
        "{ enable = true, rollback = true }",
    )


def check_task_secrets(plan: PlannedEnv, aws: AwsAccess, task_definition: str) -> Finding:
    rule = "live_task_secrets"
    reply = aws.call("ecs", "describe_task_definition", taskDefinition=task_definition)
    if reply.problem:
        return Finding(rule, "unknown", (task_definition,), reply.problem.message)
    definition = reply.data.get("taskDefinition", {})
    evidence = (str(definition.get("taskDefinitionArn", task_definition)),)
    containers = definition.get("containerDefinitions", [])
    container = next((c for c in containers if c.get("name") == plan.names.container), None)
    if container is None:
        return Finding(
            rule,
            "fail",
            evidence,
            f"no container named {plan.names.container} in the task definition",
        )
    sources = {
        str(s.get("name")): str(s.get("valueFrom", "")) for s in container.get("secrets", [])
    }
    plain = {str(e.get("name")) for e in container.get("environment", [])}
    problems: list[str] = []
    for secret in plan.secrets:
        value_from = sources.get(secret)
        expected = plan.names.secret(secret)
        if secret in plain:
            problems.append(f"{secret} is a plain environment variable")
        elif value_from is None:
            problems.append(f"{secret} is not among the container's secrets")
        elif ":ssm:" in value_from:
            problems.append(f"{secret} comes from SSM Parameter Store, not Secrets Manager")
        elif not is_secret_arn(value_from, expected):
            problems.append(f"{secret} comes from {value_from}, not secret {expected}")
    if problems:
        return Finding(rule, "fail", evidence, "; ".join(problems))
    return Finding(rule, "pass", evidence, f"{len(plan.secrets)} secrets come from Secrets Manager")


TARGET_RULES = judged_by("checks_service.check_targets")


def check_targets(plan: PlannedEnv, aws: AwsAccess) -> list[Finding]:
    name = plan.names.target_group
    reply = aws.call("elbv2", "describe_target_groups", Names=[name])
    group = first(reply, "TargetGroups", TARGET_RULES, f"target group {name}", plan)
    if isinstance(group, list):
        return group
    arn = str(group.get("TargetGroupArn", name))
    path = group.get("HealthCheckPath")
    planned = plan.spec.service.health_check_path
    out = [
        Finding("live_health_check_path", "pass", (arn,), f"health check probes {path}")
        if path == planned
        else Finding(
            "live_health_check_path",
            "fail",
            (arn,),
            f"health check probes {path}, the plan says {planned}",
        )
    ]
    health = aws.call("elbv2", "describe_target_health", TargetGroupArn=arn)
    if health.problem:
        return [*out, *unknown(["live_target_health"], health.problem)]
    targets = health.data.get("TargetHealthDescriptions", [])
    unhealthy = [t for t in targets if t.get("TargetHealth", {}).get("State") != "healthy"]
    if not targets:
        out.append(
            Finding(
                "live_target_health",
                "fail",
                (arn,),
                "no target is registered; is the service attached to the target group and running?",
            )
        )
    elif unhealthy:
        details = ", ".join(
            f"{t.get('Target', {}).get('Id')} {t.get('TargetHealth', {}).get('State')}"
            f" ({t.get('TargetHealth', {}).get('Reason', '')})"
            for t in unhealthy
        )
        out.append(
            Finding(
                "live_target_health",
                "fail",
                (arn,),
                f"{len(unhealthy)} of {len(targets)} targets not healthy: {details}",
            )
        )
    else:
        out.append(
            Finding(
                "live_target_health",
                "pass",
                (arn,),
                f"{len(targets)} of {len(targets)} targets healthy",
            )
        )
    return out


def is_secret_arn(value_from: str, name: str) -> bool:
    """``valueFrom`` names Secrets Manager secret ``name`` (ARN with or without AWS's
    random suffix, optionally a JSON key and version after it)."""
    pattern = rf"arn:[\w-]+:secretsmanager:[\w-]+:\d+:secret:{re.escape(name)}(-\w{{6}})?(:.*)?"
    return re.fullmatch(pattern, value_from) is not None
