"""The service's autoscaling: a scalable target on the ECS service's desired count, target
tracking policies on it, and a service that leaves its count to them.

A scalable target without a policy never changes the count; a service whose
``desired_count`` Terraform still manages is reset to it by every apply, undoing what
scaling did (terraform-aws-modules/ecs ignores it for that reason). With a plan, each
root is held to its environment's bounds (a root named like an environment, such as
``infra/envs/production``, to that one) and to the plan's tracked metrics. A minimum
that Terraform leaves alone (``ignore_changes = [min_capacity]``) is read from the
workflow step that sets it (``register-scalable-target --min-capacity N``).
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from typing import Any

from infraplan.check.plan_context import PlanContext, Stated
from infraplan.check.repo_model import RepoModel
from infraplan.check.terraform_types import Resource, first_block, is_expression
from infraplan.check.verdicts import Verdict, conflict, verdict, what_decides, worst
from infraplan.check.workflows import Job, Step
from infraplan.findings import Finding
from infraplan.spec.scaling import Scaling, env_scaling, service_scaling

RULE = "ecs_autoscaling"
CPU_METRIC = "ECSServiceAverageCPUUtilization"
REQUESTS_METRIC = "ALBRequestCountPerTarget"
_MIN_FLAG = re.compile(r"register-scalable-target\b[^\n]*?--min-capacity[ =](\d+)")


def _ecs_target(target: Resource) -> bool:
    namespace = target.attrs.get("service_namespace")
    dimension = target.attrs.get("scalable_dimension")
    return (
        namespace == "ecs"
        or dimension == "ecs:service:DesiredCount"
        or (is_expression(namespace) and is_expression(dimension))
    )


def _ignored(resource: Resource, attribute: str) -> bool:
    lifecycle = first_block(resource.attrs.get("lifecycle"))
    ignored = lifecycle.get("ignore_changes")
    if ignored == "all" or ignored == "${all}":
        return True
    return isinstance(ignored, list) and any(
        str(item).strip("${}") == attribute for item in ignored
    )


def _metrics(policy: Resource) -> list[tuple[str, Any]]:
    """(predefined metric, target value) of a target tracking policy."""
    out = []
    for config in policy.nested_all("target_tracking_scaling_policy_configuration"):
        metric = first_block(config.get("predefined_metric_specification"))
        name = metric.get("predefined_metric_type")
        if name is None and config.get("customized_metric_specification"):
            name = "a customized metric"
        out.append((str(name), config.get("target_value")))
    if not out and policy.attrs.get("policy_type") == "StepScaling":
        out.append(("step scaling", None))
    return out


def _planned(root: str, plan: PlanContext) -> tuple[int | None, Scaling] | None:
    """What the plan asks of a root: the environment its folder is named after (a root per
    environment, ``infra/envs/production``), else the service's own bounds (a repository
    with one root for every environment); None when the plan does not scale."""
    spec = plan.spec
    names = [env.name for env in spec.environments]
    base = posixpath.basename(root)
    if base in names:
        scaling = env_scaling(spec, base)
        return None if scaling is None else (names.index(base), scaling)
    service = service_scaling(spec)
    return None if service is None else (None, service)


def _stated(plan: PlanContext, index: int | None, field: str, value: Any) -> Stated:
    """The plan's bound ``field`` of environment ``index`` (None: the service's), where it
    is written: the environment's own key, else service.autoscaling's, else (a default that
    follows from the desired count) the desired count's."""
    spec = plan.spec
    env = spec.environments[index] if index is not None else None
    if env is not None and index is not None and field in env.model_fields_set:
        return Stated(value, f"{plan.path}:{plan.line('environments', index, field)}")
    written = plan.stated("service", "autoscaling", field)
    if written is not None and not written.default:
        return Stated(value, written.where)
    if field == "cpu_target_percent" or field == "requests_per_target":
        return Stated(value, written.where if written else f"{plan.path}:1", True)
    desired = plan.stated("service", "desired_count")
    return Stated(value, desired.where if desired else f"{plan.path}:1", True)


def _workflow_minimum(repo: RepoModel, env: str | None) -> tuple[int, str] | None:
    """A workflow step that sets the service's minimum, in the job of ``env`` when
    several jobs do."""
    found: list[tuple[Job, Step, int]] = []
    for job in repo.workflows.jobs:
        for step in job.steps:
            match = _MIN_FLAG.search(step.run.replace("\\\n", " "))
            if match:
                found.append((job, step, int(match.group(1))))
    if env is not None:
        mine = [f for f in found if env in (f[0].id, f[0].name) or f[0].id.endswith(f"-{env}")]
        found = mine or (found if len({f[2] for f in found}) == 1 else [])
    if not found:
        return None
    return found[0][2], found[0][1].where


def _count(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)) and float(value).is_integer():
        return int(value)
    return None


def _judge(
    repo: RepoModel, plan: PlanContext, target: Resource, policies: list[Resource]
) -> Iterator[Verdict]:
    """Every verdict about one scalable target; the caller keeps the worst."""
    where = [target.where(), *(p.where() for p in policies)]
    metrics = [m for p in policies for m in _metrics(p)]
    if not policies:
        yield Verdict(
            "fail",
            f"{target.address} has no scaling policy: the task count never changes",
            [target.where()],
        )
        return
    minimum, maximum = target.attrs.get("min_capacity"), target.attrs.get("max_capacity")
    min_where = target.where("min_capacity")
    if _ignored(target, "min_capacity"):
        planned = _planned(target.root, plan) if plan.given else None
        index = planned[0] if planned else None
        env = plan.spec.environments[index].name if index is not None else None
        step = _workflow_minimum(repo, env)
        if step is not None:
            minimum, min_where = step
    shown = ", ".join(f"{name} {value}" if value is not None else name for name, value in metrics)
    found = f"{target.address} scales {_bound(minimum)}..{_bound(maximum)} tasks on {shown}"
    yield Verdict("pass", found, where)
    if not plan.given:
        return
    planned = _planned(target.root, plan)
    if planned is None:
        return
    index, scaling = planned
    yield from _bounds(repo, plan, target, index, scaling, (minimum, min_where), maximum)
    yield from _tracking(plan, policies, metrics, index, scaling, where)


def _bound(value: Any) -> str:
    return str(_count(value)) if _count(value) is not None else "?"


def _bounds(
    repo: RepoModel,
    plan: PlanContext,
    target: Resource,
    index: int | None,
    scaling: Scaling,
    minimum: tuple[Any, str],
    maximum: Any,
) -> Iterator[Verdict]:
    for field, code, code_where, planned in (
        ("min_count", minimum[0], minimum[1], scaling.min_count),
        ("max_count", maximum, target.where("max_capacity"), scaling.max_count),
    ):
        what = f"{target.address}: the {'minimum' if field == 'min_count' else 'maximum'}"
        count = _count(code)
        if count is None:
            variables = repo.terraform.variables()
            yield Verdict("unknown", what_decides(what, code, variables), [code_where])
        elif count != planned:
            yield conflict(what, count, [code_where], _stated(plan, index, field, planned))


def _tracking(
    plan: PlanContext,
    policies: list[Resource],
    metrics: list[tuple[str, Any]],
    index: int | None,
    scaling: Scaling,
    where: list[str],
) -> Iterator[Verdict]:
    wanted = [("cpu_target_percent", CPU_METRIC, scaling.cpu_target_percent)]
    if scaling.requests_per_target is not None:
        wanted.append(("requests_per_target", REQUESTS_METRIC, scaling.requests_per_target))
    for field, metric, planned in wanted:
        stated = _stated(plan, index, field, planned)
        values = [value for name, value in metrics if name == metric]
        if not values:
            yield Verdict(
                "fail",
                f"no policy tracks {metric}; {stated.said()} ({stated.where})",
                [*where, stated.where],
                stated.where,
            )
            continue
        policy = next(p for p in policies if any(m == metric for m, _ in _metrics(p)))
        value = values[0]
        number = value if isinstance(value, (int, float)) and not isinstance(value, bool) else None
        at = [policy.where("target_tracking_scaling_policy_configuration")]
        if number is None:
            what = f"{policy.address}: the {metric} target"
            yield Verdict("unknown", what_decides(what, value, {}), at)
        elif float(number) != float(planned):
            yield conflict(f"{policy.address}: the {metric} target", number, at, stated)


def _drifting_services(repo: RepoModel, root: str) -> list[Resource]:
    """Services of ``root`` whose desired_count Terraform manages: each apply resets it."""
    return [
        s
        for s in repo.terraform.of_type("aws_ecs_service")
        if s.root == root and "desired_count" in s.attrs and not _ignored(s, "desired_count")
    ]


def ecs_autoscaling(repo: RepoModel, plan: PlanContext) -> Finding:
    targets = [t for t in repo.terraform.of_type("aws_appautoscaling_target") if _ecs_target(t)]
    if not targets:
        services = repo.terraform.of_type("aws_ecs_service")
        fixed = [s for s in services if _count(s.attrs.get("desired_count")) is not None]
        if fixed:
            return verdict(
                RULE,
                "fail",
                f"no aws_appautoscaling_target scales {fixed[0].address}: it runs a fixed "
                f"desired_count of {_count(fixed[0].attrs.get('desired_count'))}",
                [s.where("desired_count") for s in fixed],
            )
        return verdict(
            RULE, "fail", "no ECS service autoscaling (aws_appautoscaling_target) is created"
        )
    policies = repo.terraform.of_type("aws_appautoscaling_policy")
    verdicts: list[Verdict] = []
    for target in targets:
        mine = [p for p in policies if p.root == target.root]
        verdicts.extend(_judge(repo, plan, target, mine))
        for service in _drifting_services(repo, target.root):
            verdicts.append(
                Verdict(
                    "fail",
                    f"{service.address} sets desired_count without lifecycle "
                    "ignore_changes = [desired_count]: every apply resets the count "
                    "autoscaling set",
                    [service.where("desired_count")],
                )
            )
    return worst(RULE, verdicts, "no ECS service autoscaling", settle=not plan.given)
