"""Checks that need several fields of a valid spec at once.

Each returns problems as data, with the path of the field to blame, so the
loader can point at its line; pydantic has already checked every field alone.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from infraplan.spec.addressing import layout_subnets
from infraplan.spec.aws_facts import (
    ALB_NAME_MAX,
    EIP_QUOTA,
    FARGATE_SIZES,
    VPC_QUOTA,
    describe_memory_choices,
)
from infraplan.spec.deploy import OLD_REVISION_MINUTES
from infraplan.spec.model import Spec
from infraplan.spec.scaling import env_scaling

Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class Problem:
    loc: Loc
    message: str
    value: object
    accepted: str | None = None


def check_spec(spec: Spec) -> list[Problem]:
    return [
        *_fargate_pair(spec),
        *_env_fargate_pairs(spec),
        *_network_room(spec),
        *_regional_quotas(spec),
        *_repository_ids(spec),
        *_environment_names(spec),
        *_unique_secrets(spec),
        *_bake_within_job_limit(spec),
        *_https_names(spec),
        *_autoscaling_bounds(spec),
        *_requests_follow_one_target_group(spec),
    ]


def _fargate_pair(spec: Spec) -> Iterator[Problem]:
    cpu, memory = spec.service.cpu, spec.service.memory
    if memory not in FARGATE_SIZES[cpu]:
        yield Problem(
            ("service", "memory"),
            f"Fargate does not run {memory} MiB with {cpu} CPU units",
            memory,
            f"with cpu {cpu}: {describe_memory_choices(cpu)}",
        )


def generation_problems(spec: Spec) -> list[Problem]:
    """What a valid plan may ask for but ``new`` and ``update`` do not generate."""
    if not spec.ci.preview_environments:
        return []
    return [
        Problem(
            ("ci", "preview_environments"),
            "infraplan does not generate preview environments: a preview isolated from the "
            "release images, the roles and the traffic of the other environments needs its "
            "own registry, role and listener rule",
            True,
            "false (deploy pull requests to an environment of their own, e.g. dev, or add "
            "your own preview workflow and keep true for `infraplan check`)",
        )
    ]


def _env_fargate_pairs(spec: Spec) -> Iterator[Problem]:
    for index, env in enumerate(spec.environments):
        if env.cpu is None and env.memory is None:
            continue
        size = spec.sizing(env.name)
        if size.memory not in FARGATE_SIZES[size.cpu]:
            field = "memory" if env.memory is not None else "cpu"
            yield Problem(
                ("environments", index, field),
                f"Fargate does not run {size.memory} MiB with {size.cpu} CPU units "
                f"in environment {env.name}",
                getattr(env, field),
                f"with cpu {size.cpu}: {describe_memory_choices(size.cpu)}",
            )


def nat_gateways(spec: Spec, env: str) -> int:
    nat = spec.sizing(env).nat
    return 0 if nat == "none" else 1 if nat == "single" else spec.network.az_count


def _regional_quotas(spec: Spec) -> Iterator[Problem]:
    """Every environment lives in one account and region: their NAT gateways share the
    Elastic IP quota, their VPCs the VPC quota (Amazon VPC quotas, default values)."""
    region = spec.aws.region
    total = 0
    for index, env in enumerate(spec.environments):
        total += nat_gateways(spec, env.name)
        if total > EIP_QUOTA.default:
            loc: Loc = ("environments", index, "nat") if env.nat is not None else ("network", "nat")
            value = env.nat if env.nat is not None else spec.network.nat
            yield Problem(
                loc,
                f"the environments need {total} Elastic IPs for NAT gateways in {region} by "
                f"environment {env.name!r}; the quota {EIP_QUOTA.name!r} ({EIP_QUOTA.code}) "
                f"is {EIP_QUOTA.default} per account and region by default, so this apply fails",
                value,
                "nat: single, or per_az only in the environments that need it "
                "(environments[].nat), fewer availability zones, or a quota increase "
                "requested before the first apply",
            )
            break
    if len(spec.environments) > VPC_QUOTA.default:
        yield Problem(
            ("environments",),
            f"{len(spec.environments)} environments need {len(spec.environments)} VPCs in "
            f"{region}; the quota {VPC_QUOTA.name!r} ({VPC_QUOTA.code}) is "
            f"{VPC_QUOTA.default} per account and region by default (the default VPC counts too)",
            len(spec.environments),
            f"at most {VPC_QUOTA.default - 1} environments per account and region, "
            "or a quota increase requested before the first apply",
        )


def _repository_ids(spec: Spec) -> Iterator[Problem]:
    ci = spec.ci
    if (ci.repository_owner_id is None) != (ci.repository_id is None):
        missing = "repository_id" if ci.repository_id is None else "repository_owner_id"
        given = "repository_owner_id" if missing == "repository_id" else "repository_id"
        yield Problem(
            ("ci", given),
            f"the immutable OIDC subject needs both ids; {missing} is missing",
            getattr(ci, given),
            f"both ci.repository_owner_id and ci.repository_id "
            f"(gh api repos/{ci.repository} --jq '.owner.id, .id'), or neither",
        )


# A GitHub-hosted job runs at most 6 hours (https://docs.github.com/actions/reference/
# limits): a blue/green deploy job waits R2, then the bake time and the minutes for the old
# revision to go (Spec.deploy_job_minutes).
JOB_MINUTES_MAX = 360


def _bake_within_job_limit(spec: Spec) -> Iterator[Problem]:
    deploy = spec.deploy
    total = spec.deploy_job_minutes
    if deploy.strategy == "blue_green" and total > JOB_MINUTES_MAX:
        r2 = spec.requirements.deploy_minutes
        yield Problem(
            ("deploy", "bake_minutes"),
            f"the deploy job would wait R2 ({r2} min), the bake time and "
            f"{OLD_REVISION_MINUTES} minutes, {total} in all; a GitHub-hosted job stops after "
            f"{JOB_MINUTES_MAX}",
            deploy.bake_minutes,
            f"at most {JOB_MINUTES_MAX - OLD_REVISION_MINUTES - r2} with this R2",
        )


def _network_room(spec: Spec) -> Iterator[Problem]:
    try:
        layout_subnets(spec.network.cidr, spec.network.az_count)
    except ValueError as exc:
        yield Problem(
            ("network", "cidr"),
            str(exc),
            spec.network.cidr,
            "a larger block (smaller prefix) or fewer availability zones",
        )


def _environment_names(spec: Spec) -> Iterator[Problem]:
    seen: set[str] = set()
    for index, env in enumerate(spec.environments):
        if env.name in seen:
            yield Problem(
                ("environments", index, "name"),
                "environment names must be unique",
                env.name,
            )
        seen.add(env.name)
        # The load balancer and target group are named "<project>-<environment>".
        alb_name = f"{spec.project}-{env.name}"
        if len(alb_name) > ALB_NAME_MAX:
            yield Problem(
                ("environments", index, "name"),
                f"the load balancer name {alb_name!r} would be {len(alb_name)} characters; "
                f"AWS allows {ALB_NAME_MAX}",
                env.name,
                f"a project and environment name of at most {ALB_NAME_MAX - 1} characters together",
            )


def _unique_secrets(spec: Spec) -> Iterator[Problem]:
    seen: set[str] = set()
    for index, name in enumerate(spec.secrets):
        if name in seen:
            yield Problem(("secrets", index), "secret names must be unique", name)
        seen.add(name)


# ACM takes at most 64 characters in a certificate's first name, its common name (RFC 5280;
# RequestCertificate, DomainName, AWS Certificate Manager API Reference).
ACM_DOMAIN_MAX = 64


def _https_names(spec: Spec) -> Iterator[Problem]:
    """service.domain, service.hosted_zone, service.certificate_arn and each environment's
    name, together."""
    service = spec.service
    if service.hosted_zone is not None and service.domain is None:
        yield Problem(
            ("service", "hosted_zone"),
            "a hosted zone without service.domain names nothing",
            service.hosted_zone,
            "service.domain as well (the name users reach, e.g. api.example.com), or no "
            "hosted_zone",
        )
    if service.domain is not None and service.hosted_zone is None:
        yield Problem(
            ("service", "domain"),
            "needs service.hosted_zone: the public Route 53 zone that holds the name's alias "
            "record and its certificate's validation records",
            service.domain,
            "service.hosted_zone: the id (Z...) or the name (e.g. example.com) of an existing "
            "public hosted zone; without a zone, service.certificate_arn alone serves HTTPS "
            "at the load balancer's address",
        )
    if service.certificate_arn is not None:
        yield from _certificate_place(spec, service.certificate_arn)
    seen: dict[str, tuple[str, Loc]] = {}
    for index, env in enumerate(spec.environments):
        loc: Loc = ("environments", index, "domain") if env.domain else ("service", "domain")
        if env.domain is not None and service.domain is None:
            yield Problem(
                loc,
                f"environment {env.name} has a domain but service.domain is not set",
                env.domain,
                "service.domain and service.hosted_zone (the names of every environment "
                "follow from them), or no environments[].domain",
            )
            continue
        name = spec.domain(env.name)
        if name is None:
            continue
        zone = service.hosted_zone
        if zone is not None and not zone.startswith("Z") and not _within(name, zone):
            yield Problem(
                loc,
                f"environment {env.name} would answer at {name}, outside the hosted zone {zone}",
                name,
                f"a name that ends in .{zone}",
            )
        if name in seen:
            first, first_loc = seen[name]
            # blame the name written for an environment, not the default it collides with
            blamed = first_loc if env.domain is None else loc
            yield Problem(
                blamed,
                f"environments {first} and {env.name} would answer at the same name "
                f"{name}; each environment's load balancer needs its own record",
                name,
                "a distinct environments[].domain",
            )
        seen.setdefault(name, (env.name, loc))
        if service.certificate_arn is None and len(name) > ACM_DOMAIN_MAX:
            yield Problem(
                loc,
                f"environment {env.name} would answer at {name} ({len(name)} characters); "
                f"ACM certifies a first name of at most {ACM_DOMAIN_MAX}",
                name,
                "a shorter name (environments[].domain), or a certificate made elsewhere in "
                "service.certificate_arn",
            )


def _within(name: str, zone: str) -> bool:
    return name == zone or name.endswith("." + zone)


def _certificate_place(spec: Spec, arn: str) -> Iterator[Problem]:
    """An ACM certificate serves only a load balancer of its own region and account."""
    _, _, _, region, account, _ = arn.split(":", 5)
    if region != spec.aws.region:
        yield Problem(
            ("service", "certificate_arn"),
            f"the certificate is in {region}; the load balancer in {spec.aws.region} can use "
            "only certificates of its own region",
            arn,
            f"a certificate requested or imported in {spec.aws.region}",
        )
    if spec.aws.account_id is not None and account != spec.aws.account_id:
        yield Problem(
            ("service", "certificate_arn"),
            f"the certificate belongs to account {account}, not aws.account_id "
            f"{spec.aws.account_id}",
            arn,
            f"a certificate of account {spec.aws.account_id}",
        )


def _autoscaling_bounds(spec: Spec) -> Iterator[Problem]:
    """Each environment's desired count sits within its autoscaling bounds: the first
    deploy starts it and the cost estimate assumes it. A default bound follows from the
    desired count, so the bound to blame is always one the author wrote."""
    auto = spec.service.autoscaling
    problems: dict[Loc, Problem] = {}  # a service-level bound is blamed once
    for index, env in enumerate(spec.environments):
        scaling = env_scaling(spec, env.name)
        if scaling is None:
            continue

        def bound(field: str, index: int = index) -> tuple[Loc, object]:
            own = getattr(spec.environments[index], field)
            if own is not None:
                return ("environments", index, field), own
            return ("service", "autoscaling", field), getattr(auto, field)

        low, high, desired = scaling.min_count, scaling.max_count, scaling.desired_count
        where = f"in environment {env.name}"
        if low > high:
            loc, value = bound("max_count")
            problems.setdefault(
                loc,
                Problem(
                    loc,
                    f"autoscaling's max_count {high} is below its min_count {low} {where}",
                    value,
                    f"a max_count of at least {low}",
                ),
            )
        elif desired < low:
            loc, value = bound("min_count")
            problems.setdefault(
                loc,
                Problem(
                    loc,
                    f"autoscaling's min_count {low} is above the desired_count {desired} {where}: "
                    "the first deploy starts desired_count tasks, the cost estimate assumes them",
                    value,
                    f"a min_count from 1 to {desired}, or a desired_count of at least {low}",
                ),
            )
        elif desired > high:
            loc, value = bound("max_count")
            problems.setdefault(
                loc,
                Problem(
                    loc,
                    f"autoscaling's max_count {high} is below the desired_count {desired} {where}",
                    value,
                    f"a max_count of at least {desired}, or a desired_count of at most {high}",
                ),
            )
    yield from problems.values()


def _requests_follow_one_target_group(spec: Spec) -> Iterator[Problem]:
    """ALBRequestCountPerTarget reads one target group (its resource label); blue/green
    moves production traffic to the other group at every deploy, so the count would
    track an idle group half of the time."""
    auto = spec.service.autoscaling
    blue_green = spec.deploy.strategy == "blue_green"
    if auto.enabled and auto.requests_per_target is not None and blue_green:
        yield Problem(
            ("service", "autoscaling", "requests_per_target"),
            "requests per target tracks one target group, and blue/green moves the "
            "traffic to the other one at every deploy",
            auto.requests_per_target,
            "no requests_per_target with deploy.strategy blue_green (CPU tracking "
            "still scales), or deploy.strategy rolling",
        )
