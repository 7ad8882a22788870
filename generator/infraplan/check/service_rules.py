"""Rules about the running service itself: the container health check and ECS Exec.

ECS runs only the health check of the task definition's container, never a
Dockerfile ``HEALTHCHECK`` ("Determine Amazon ECS task health using container
health checks", Amazon ECS Developer Guide:
https://docs.aws.amazon.com/AmazonECS/latest/developerguide/healthcheck.html). ECS
Exec needs ``enable_execute_command`` on the service and the SSM session channels
on the task role ("Using Amazon ECS Exec", same guide:
https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-exec.html).
"""

from __future__ import annotations

import re
from typing import Any

from infraplan.check.containers import ContainerDefinition
from infraplan.check.expressions import evaluate_literal
from infraplan.check.plan_context import PlanContext
from infraplan.check.repo_model import RepoModel
from infraplan.check.terraform_rules import truth
from infraplan.check.terraform_types import Resource, is_expression
from infraplan.check.verdicts import Verdict, conflict, verdict, what_decides, worst
from infraplan.findings import Advice, Finding

_URL_PATH = re.compile(r"https?://[^/\s\"'\\]+(/[^\s\"'\\?#]*)")


def _task_definitions(repo: RepoModel) -> list[Resource]:
    """Task definitions, and the services a registry module makes with their containers."""
    tf = repo.terraform
    return tf.of_type("aws_ecs_task_definition") + [
        r
        for r in tf.resources
        if r.type == "aws_ecs_service"
        and r.module_inputs is not None
        and "container_definitions" in r.attrs
    ]


def _command(value: Any) -> list[Any] | None:
    """The health check command as a list, evaluated when it is a function of literals
    (``concat(["CMD"], [...])``); None when only terraform can tell."""
    if isinstance(value, list):
        return value
    if is_expression(value):
        text = str(value)
        inner = text[2:-1] if text.startswith("${") and text.endswith("}") else text
        evaluated = evaluate_literal(inner)
        return evaluated if isinstance(evaluated, list) else None
    return None


def _dockerfile_checks(repo: RepoModel) -> list[str]:
    return [
        f"{d.path}:{i.line}"
        for d in repo.dockerfiles
        for i in d.all("HEALTHCHECK")
        if i.args.split()[:1] != ["NONE"]
    ]


def _container_check(
    repo: RepoModel, task: Resource, container: ContainerDefinition, plan: PlanContext
) -> tuple[Verdict, list[Advice]]:
    where = [task.where("container_definitions")]
    check = container.health_check or {}
    name = f"{task.address} container {container.name}"
    command = _command(check.get("command"))
    if command is not None and command[:1] == ["NONE"]:
        return Verdict("fail", f"{name}: the health check is disabled (NONE)", where), []
    advice: list[Advice] = []
    start = check.get("startPeriod", check.get("start_period"))
    if start is None or start == 0:
        said = f"{name} has no startPeriod: failed checks count from the container's first "
        said += "second, so a slow start is replaced before it serves"
        if plan.given:  # the generated code gives one; the plan's task 2.6 holds it
            return Verdict("fail", said, where), []
        advice.append(Advice(said, tuple(where)))
    wanted = plan.stated("service", "health_check_path")
    text = " ".join(str(part) for part in command or [])
    probed = _URL_PATH.search(text)
    if wanted is not None and probed and probed.group(1) != wanted.value:
        return conflict(f"{name}: the health check probes", probed.group(1), where, wanted), []
    shown = f" {probed.group(1)}" if probed else ""
    period = f", start period {start} s" if start else ""
    return Verdict("pass", f"{name} health-checks{shown}{period}", where), advice


def _task_check(repo: RepoModel, task: Resource, plan: PlanContext) -> tuple[Verdict, list[Advice]]:
    containers = task.containers()
    where = [task.where("container_definitions")]
    if not containers:
        what = f"{task.address}: the container definitions"
        value = task.attrs.get("container_definitions")
        return Verdict("unknown", what_decides(what, value, repo.terraform.variables()), where), []
    checked = [c for c in containers if c.health_check]
    if not checked:
        images = _dockerfile_checks(repo)
        reason = f"{task.address}: no container has a healthCheck"
        if images:
            reason += (
                f"; the Dockerfile HEALTHCHECK ({', '.join(images)}) is not one: ECS runs only "
                "the task definition's healthCheck"
            )
        return Verdict("fail", reason, [*where, *images]), []
    judged = [_container_check(repo, task, c, plan) for c in checked]
    advice = [a for _, items in judged for a in items]
    return worst_verdict([v for v, _ in judged]), advice


def worst_verdict(verdicts: list[Verdict]) -> Verdict:
    order = {"fail": 0, "unknown": 1, "pass": 2}
    return min(verdicts, key=lambda v: order.get(v.status, 3))


def container_health_check(repo: RepoModel, plan: PlanContext) -> Finding:
    rule = "container_health_check"
    tasks = _task_definitions(repo)
    if not tasks:
        images = _dockerfile_checks(repo)
        reason = "no ECS task definition is created"
        if images:
            reason += f"; a Dockerfile HEALTHCHECK ({', '.join(images)}) is not run by ECS"
        return verdict(rule, "fail", reason, images)
    judged = [_task_check(repo, t, plan) for t in tasks]
    advice = [a for _, items in judged for a in items]
    return worst(rule, [v for v, _ in judged], "", advice=advice, settle=not plan.given)


# --- ECS Exec ------------------------------------------------------------------------

CHANNELS = (
    "ssmmessages:CreateControlChannel",
    "ssmmessages:CreateDataChannel",
    "ssmmessages:OpenControlChannel",
    "ssmmessages:OpenDataChannel",
)
_ACTION = re.compile(r"ssmmessages:[A-Za-z*]+", re.I)
# AWS managed policies that grant the channels (AmazonSSMManagedInstanceCore does).
_MANAGED = ("AmazonSSMManagedInstanceCore",)
_ROLE = re.compile(r"aws_iam_role\.([\w-]+)")
_DOCUMENT = re.compile(r"data\.aws_iam_policy_document\.([\w-]+)")
_POLICY = re.compile(r"aws_iam_policy\.([\w-]+)")


def _grants(text: str) -> bool:
    import fnmatch

    found = _ACTION.findall(text)
    return all(any(fnmatch.fnmatchcase(c.lower(), a.lower()) for a in found) for c in CHANNELS)


def _channel_roles(repo: RepoModel, root: str, prefix: str) -> dict[str, str]:
    """Role name (in ``prefix``) -> where a policy grants it the session channels."""
    tf = repo.terraform
    here = [r for r in tf.resources + tf.data if r.root == root and r.module_path == prefix]
    documents = {
        r.name: r for r in here if r.type == "aws_iam_policy_document" and _grants(str(r.attrs))
    }
    policies = {r.name: r for r in here if r.type == "aws_iam_policy" and _granting(r, documents)}
    out: dict[str, str] = {}
    for item in here:
        role = _ROLE.search(str(item.attrs.get("role", "")))
        if item.type == "aws_iam_role" and _granting_inline(item, documents):
            out[item.name] = item.where()
        elif role and item.type == "aws_iam_role_policy" and _granting(item, documents):
            out[role.group(1)] = item.where()
        elif role and item.type == "aws_iam_role_policy_attachment":
            arn = str(item.attrs.get("policy_arn", ""))
            named = _POLICY.search(arn)
            if any(m in arn for m in _MANAGED) or (named and named.group(1) in policies):
                out[role.group(1)] = item.where()
    return out


def _granting(item: Resource, documents: dict[str, Resource]) -> bool:
    text = str(item.attrs.get("policy", ""))
    return _grants(text) or any(d in documents for d in _DOCUMENT.findall(text))


def _granting_inline(role: Resource, documents: dict[str, Resource]) -> bool:
    text = str(role.attrs.get("inline_policy", "")) + str(role.attrs.get("managed_policy_arns", ""))
    return (
        _grants(text)
        or any(m in text for m in _MANAGED)
        or any(d in documents for d in _DOCUMENT.findall(text))
    )


def _task_role(repo: RepoModel, service: Resource) -> tuple[str | None, list[Resource]]:
    """The task role's name in the service's module (None when it cannot be told) and
    the task definitions of that module."""
    prefix = service.module_path
    tasks = [
        t
        for t in repo.terraform.of_type("aws_ecs_task_definition")
        if t.root == service.root and t.module_path == prefix
    ]
    for task in tasks:
        found = _ROLE.search(str(task.attrs.get("task_role_arn", "")))
        if found:
            return found.group(1), tasks
    return None, tasks


def _exec_on(repo: RepoModel, service: Resource) -> Verdict:
    """ECS Exec is on: the task role must open the session channels."""
    where = [service.where("enable_execute_command")]
    if service.module_inputs is not None:  # terraform-aws-modules/ecs grants them itself
        if "tasks_iam_role_arn" in service.attrs:
            return Verdict(
                "unknown",
                f"{service.address} enables ECS Exec with a task role made elsewhere "
                "(tasks_iam_role_arn); that role's ssmmessages permissions decide it",
                where,
            )
        return Verdict(
            "pass",
            f"{service.address} enables ECS Exec; the module grants its tasks role the "
            "ssmmessages channels",
            where,
        )
    roles = _channel_roles(repo, service.root, service.module_path)
    role, tasks = _task_role(repo, service)
    granted = roles.get(role) if role else next(iter(roles.values()), None)
    if granted:
        return Verdict(
            "pass",
            f"{service.address} enables ECS Exec; the task role opens the ssmmessages channels",
            [*where, granted],
        )
    if role and roles:
        others = ", ".join(f"aws_iam_role.{r}" for r in roles)
        return Verdict(
            "fail",
            f"{service.address} enables ECS Exec, but the ssmmessages channels are granted to "
            f"{others}, not the task role aws_iam_role.{role}",
            [*where, *roles.values()],
        )
    said = f"aws_iam_role.{role}" if role else "the task role"
    if not role and not tasks:
        said = "the task role (no task definition in this module)"
    return Verdict(
        "fail",
        f"{service.address} enables ECS Exec, but no policy lets {said} open the ssmmessages "
        "channels (CreateControlChannel, CreateDataChannel, OpenControlChannel, "
        "OpenDataChannel): sessions fail to start",
        [*where, *(t.where("task_role_arn") for t in tasks)],
    )


def _environment_of(root: str, names: list[str]) -> str | None:
    parts = root.split("/")
    matches = [n for n in names if n in parts]
    return matches[-1] if len(matches) == 1 else None


def _plan_switch(plan: PlanContext, env: str) -> Any:
    """The plan's ``ecs_exec`` for ``env`` as a Stated "on"/"off"."""
    from infraplan.check.plan_context import Stated

    for index, item in enumerate(plan.spec.environments):
        if item.name == env:
            written = "ecs_exec" in item.model_fields_set
            keys: tuple[Any, ...] = ("environments", index, "ecs_exec" if written else "name")
            line = plan.line(*keys)
            return Stated("on" if item.ecs_exec else "off", f"{plan.path}:{line}", not written)
    return None


def _service_exec(repo: RepoModel, service: Resource, plan: PlanContext) -> Verdict:
    value = service.attrs.get("enable_execute_command", False)
    where = [service.where("enable_execute_command")]
    flag = truth(value) if value is not None else False
    if flag is None:
        what = f"{service.address}: enable_execute_command"
        return Verdict("unknown", what_decides(what, value, repo.terraform.variables()), where)
    wanted = None
    if plan.given:
        names = [e.name for e in plan.spec.environments]
        env = _environment_of(service.root, names)
        values = {e.ecs_exec for e in plan.spec.environments}
        if env is None and len(values) > 1:
            return Verdict(
                "unknown",
                f"{service.address}: which environment {service.root} deploys is not in its "
                f"path; a root folder named after the plan's environment ({', '.join(names)}) "
                "decides whether ECS Exec may be on",
                where,
            )
        wanted = _plan_switch(plan, env or names[0])
    if wanted is not None and (wanted.value == "on") != flag:
        what = f"{service.address} ({service.root}): ECS Exec"
        return conflict(what, "on" if flag else "off", where, wanted)
    if flag:
        return _exec_on(repo, service)
    return Verdict("pass", f"{service.address}: ECS Exec is off", where)


def ecs_exec(repo: RepoModel, plan: PlanContext) -> Finding:
    services = repo.terraform.of_type("aws_ecs_service")
    return worst(
        "ecs_exec",
        [_service_exec(repo, s, plan) for s in services],
        "no ECS service is created",
        settle=not plan.given,
    )
