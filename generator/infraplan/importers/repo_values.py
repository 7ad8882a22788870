"""The values ``--from-repo`` reads from the repo model, one group at a time."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from infraplan.importers.common import Imported, Key, Where
from infraplan.spec.aws_facts import FARGATE_SIZES
from infraplan.spec.types import HEALTH_PATH, SECRET_NAME

_DEPLOY_ACTION = "aws-actions/amazon-ecs-deploy-task-definition"
_DEPLOY_RUN = re.compile(r"aws\s+ecs\s+(update-service|deploy)|ecs-deploy")
_VPC_MODULE = "terraform-aws-modules/vpc/aws"
_ECS_MODULE = "terraform-aws-modules/ecs/aws"
_ALB_MODULE = "terraform-aws-modules/alb/aws"


@dataclass
class Reader:
    model: Any  # infraplan.check.RepoModel
    imported: Imported

    @property
    def tf(self) -> Any:
        return self.model.terraform

    def put(self, key: Key, value: Any, file: str, line: int) -> None:
        """Set ``key`` unless an earlier root set it; a different value is reported."""
        current = self.imported.get(key)
        where = Where(file, line)
        if current is None:
            self.imported.set(key, value, where)
        elif current != value:
            first = self.imported.sources.get(key)
            self.imported.report(
                where, "differs", f"{'.'.join(map(str, key))} is {value} here, {current} at {first}"
            )

    def put_at(self, key: Key, value: Any, where: str) -> None:
        file, _, line = where.rpartition(":")
        self.put(key, value, file, int(line) if line.isdigit() else 0)

    def rank(self, root: str) -> float:
        from infraplan.importers.repo import env_rank

        return env_rank(root)

    def ordered(self, *types: str) -> list[Any]:
        """Resources of ``types``, production's root first: its values are the plan's,
        another environment's different value is reported."""
        from infraplan.importers.repo import env_rank

        return sorted(self.tf.of_type(*types), key=lambda r: -env_rank(r.root))

    def unread(self, where: str, text: str) -> None:
        file, _, line = where.rpartition(":")
        self.imported.report(Where(file, int(line) if line.isdigit() else 0), "unread", text)


def _int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and re.fullmatch(r"\d+", value.strip()):
        return int(value)
    return None


def _literal(value: Any) -> bool:
    return value is not None and not (isinstance(value, str) and "${" in value)


def _calls(reader: Reader, source: str) -> list[Any]:
    """Calls of a registry module, whatever host or git form the source takes."""
    wanted = source.rstrip("/")
    out = []
    for call in reader.tf.modules:
        text = call.source.split("?")[0].replace(
            "terraform-aws-modules/terraform-aws-", "terraform-aws-modules/"
        )
        text = re.sub(r"\.git(?=//|$)", "", text)
        if text.endswith(wanted):
            out.append(call)
    return out


# --- the service --------------------------------------------------------------------------


def service(reader: Reader) -> None:
    for svc in reader.ordered("aws_ecs_service"):
        name = svc.attrs.get("name")
        if isinstance(name, str) and re.fullmatch(r"[a-z][a-z0-9-]{1,27}", name):
            reader.put_at(("service", "name"), name, svc.where("name"))
        count = _int(svc.attrs.get("desired_count"))
        if count is not None and count >= 1:
            reader.put_at(("service", "desired_count"), count, svc.where("desired_count"))
        elif svc.module_inputs is None:
            reader.unread(svc.where("desired_count"), f"{svc.address}: desired_count not literal")
    for task in reader.ordered("aws_ecs_task_definition"):
        _size(
            reader,
            task.attrs.get("cpu"),
            task.attrs.get("memory"),
            task.where("cpu"),
            task.where("memory"),
        )
        text = str(task.attrs.get("container_definitions", ""))
        port = re.search(r"containerPort\W+(\d{2,5})", text)
        if port and 1024 <= int(port.group(1)) <= 65535:
            reader.put_at(
                ("service", "port"), int(port.group(1)), task.where("container_definitions")
            )
    for call in _calls(reader, f"{_ECS_MODULE}//modules/service"):
        _size(
            reader,
            call.inputs.get("cpu"),
            call.inputs.get("memory"),
            call.block.where("cpu"),
            call.block.where("memory"),
        )
        count = _int(call.inputs.get("desired_count"))
        if count:
            reader.put_at(("service", "desired_count"), count, call.block.where("desired_count"))
        name = call.inputs.get("name")
        if isinstance(name, str) and re.fullmatch(r"[a-z][a-z0-9-]{1,27}", name):
            reader.put_at(("service", "name"), name, call.block.where("name"))
    for call in _calls(reader, _ALB_MODULE):
        groups = call.inputs.get("target_groups")
        for group in groups.values() if isinstance(groups, dict) else groups or []:
            number = _int(group.get("port")) if isinstance(group, dict) else None
            if number and 1024 <= number <= 65535:
                reader.put_at(("service", "port"), number, call.block.where("target_groups"))
    for group in reader.ordered("aws_lb_target_group", "aws_alb_target_group"):
        number = _int(group.attrs.get("port"))
        if number and 1024 <= number <= 65535 and group.module_inputs is None:
            reader.put_at(("service", "port"), number, group.where("port"))
        for check in group.attrs.get("health_check") or []:
            path = check.get("path") if isinstance(check, dict) else None
            if isinstance(path, str) and re.fullmatch(HEALTH_PATH, path):
                reader.put_at(("service", "health_check_path"), path, group.where("health_check"))
            elif isinstance(check, dict) and "path" not in check:
                reader.put_at(("service", "health_check_path"), "/", group.where("health_check"))


def _size(reader: Reader, cpu: Any, memory: Any, where: str, memory_where: str) -> None:
    cpu_units, mib = _int(cpu), _int(memory)
    if cpu_units is None or mib is None:
        if cpu is not None or memory is not None:
            reader.unread(where, f"cpu {cpu} / memory {memory}: not literal numbers")
        return
    if mib not in FARGATE_SIZES.get(cpu_units, ()):
        reader.unread(where, f"cpu {cpu_units} / memory {mib} is not a Fargate size")
        return
    reader.put_at(("service", "cpu"), cpu_units, where)
    reader.put_at(("service", "memory"), mib, memory_where)


# --- network ------------------------------------------------------------------------------


def network(reader: Reader) -> None:
    tf = reader.tf
    vpcs = tf.of_type("aws_vpc")
    defaults = [d for d in tf.lookups("aws_vpc") if d.attrs.get("default") is True]
    if not vpcs and defaults:
        where = defaults[0].where("default")
        reader.imported.values.setdefault("not_applicable", {})["1.1"] = (
            f"the service runs in the account's default VPC ({where}); no VPC is created"
        )
        reader.imported.sources[("not_applicable",)] = _where(where)
        reader.unread(where, "default VPC: CIDR, zones and NAT are the account's, not in the code")
        return
    for vpc in vpcs:
        cidr = vpc.attrs.get("cidr_block")
        if isinstance(cidr, str) and _literal(cidr):
            reader.put_at(("network", "cidr"), cidr, vpc.where("cidr_block"))
        elif cidr is not None:
            reader.unread(vpc.where("cidr_block"), f"{vpc.address}: cidr_block is {cidr}")
    public = [
        s
        for s in tf.of_type("aws_subnet")
        if ("public" in s.address or s.attrs.get("tier") == "public") and s.module_inputs is None
    ]
    for root in sorted({s.root for s in public}, key=lambda r: -reader.rank(r)):
        _zones_and_nat(reader, [s for s in public if s.root == root], root)
    for call in _calls(reader, _VPC_MODULE):
        _vpc_module(reader, call)


def _zones_and_nat(reader: Reader, public: list[Any], root: str) -> None:
    """One root's zone count (its public subnets) and NAT mode (its NAT gateways)."""
    counts = [_int(s.attrs.get("count", 1)) for s in public]
    if None in counts or not 2 <= sum(c or 0 for c in counts) <= 6:
        reader.unread(public[0].where("count"), f"public subnets: count is {counts}")
        return
    zones = sum(c or 0 for c in counts)
    reader.put_at(("network", "az_count"), zones, public[0].where("count"))
    nats = [n for n in reader.tf.of_type("aws_nat_gateway") if n.root == root]
    total = sum(_int(n.attrs.get("count", 1)) or 0 for n in nats)
    nat = {0: "none", 1: "single", zones: "per_az"}.get(total)
    if nat:
        reader.put_at(
            ("network", "nat"), nat, nats[0].where("count") if nats else public[0].where()
        )


def _vpc_module(reader: Reader, call: Any) -> None:
    inputs = call.inputs
    if isinstance(inputs.get("cidr"), str) and _literal(inputs["cidr"]):
        reader.put_at(("network", "cidr"), inputs["cidr"], call.block.where("cidr"))
    azs = inputs.get("azs")
    if isinstance(azs, list) and 2 <= len(azs) <= 6:
        reader.put_at(("network", "az_count"), len(azs), call.block.where("azs"))
    elif azs is not None:
        reader.unread(call.block.where("azs"), f"module {call.name}: azs is {azs}")
    if inputs.get("enable_nat_gateway") is not True:
        reader.put_at(("network", "nat"), "none", call.block.where("enable_nat_gateway"))
    elif inputs.get("single_nat_gateway") is True:
        reader.put_at(("network", "nat"), "single", call.block.where("single_nat_gateway"))
    else:
        key = (
            "one_nat_gateway_per_az" if "one_nat_gateway_per_az" in inputs else "enable_nat_gateway"
        )
        reader.put_at(("network", "nat"), "per_az", call.block.where(key))


def _where(text: str) -> Where:
    file, _, line = text.rpartition(":")
    return Where(file, int(line) if line.isdigit() else 0)


# --- rollback, secrets, alarms, budget --------------------------------------------------------


def rollback(reader: Reader) -> None:
    tf = reader.tf
    for svc in tf.of_type("aws_ecs_service"):
        controllers = svc.attrs.get("deployment_controller") or []
        kinds = [c.get("type") for c in controllers if isinstance(c, dict)]
        if "CODE_DEPLOY" in kinds:
            where = svc.where("deployment_controller")
            reader.imported.values.setdefault("not_applicable", {})["2.6"] = (
                f"deployments and rollback are CodeDeploy's blue/green ({where}), "
                "not the ECS circuit breaker"
            )
            groups = tf.of_type("aws_codedeploy_deployment_group")
            enabled = any(
                isinstance(c, dict) and c.get("enabled") is True
                for g in groups
                for c in g.attrs.get("auto_rollback_configuration") or []
            )
            at = groups[0].where("auto_rollback_configuration") if groups else where
            reader.put_at(("requirements", "auto_rollback"), enabled, at)
            continue
        breakers = svc.attrs.get("deployment_circuit_breaker") or []
        on = any(isinstance(b, dict) and b.get("rollback") is True for b in breakers)
        where = svc.where("deployment_circuit_breaker") if breakers else svc.where()
        reader.put_at(("requirements", "auto_rollback"), on, where)


def secrets(reader: Reader) -> None:
    names: list[str] = []
    for task in reader.tf.of_type("aws_ecs_task_definition"):
        text = str(task.attrs.get("container_definitions", ""))
        block = re.search(r"secrets\W+\[(.*?)\]", text, re.S)
        # only names written as strings; `name = name` in a for expression is not one
        for name in re.findall(r'name\W+"([A-Za-z_]\w*)"', block.group(1) if block else ""):
            if re.fullmatch(SECRET_NAME, name) and name not in names:
                names.append(name)
                reader.imported.sources[("secrets", len(names) - 1)] = _where(
                    task.where("container_definitions")
                )
    for secret in reader.ordered("aws_secretsmanager_secret"):
        name = str(secret.attrs.get("name", "")).rsplit("/", 1)[-1]
        each = secret.attrs.get("for_each")
        found = [name]
        if re.fullmatch(r"\$\{each\.(key|value)\}", name) and isinstance(each, list | dict):
            found = [str(k) for k in each]
        for item in found:
            if re.fullmatch(SECRET_NAME, item) and item not in names:
                names.append(item)
                reader.imported.sources[("secrets", len(names) - 1)] = _where(secret.where("name"))
    if names:
        reader.imported.values["secrets"] = names


def alarms(reader: Reader) -> None:
    found: list[tuple[str, Any, str]] = []
    for alarm in reader.tf.of_type("aws_cloudwatch_metric_alarm"):
        found.append(
            (
                str(alarm.attrs.get("metric_name")),
                alarm.attrs.get("threshold"),
                alarm.where("threshold"),
            )
        )
    for call in reader.tf.modules:
        if "metric-alarm" in call.source:
            found.append(
                (
                    str(call.inputs.get("metric_name")),
                    call.inputs.get("threshold"),
                    call.block.where("threshold"),
                )
            )
    for metric, threshold, where in found:
        value = _int(threshold)
        key = _ALARM_KEYS.get(metric)
        if key is None:
            continue
        if value is None:
            reader.unread(where, f"alarm on {metric}: threshold {threshold} not literal")
        elif value >= (0 if key == "lb_5xx_alarm_count" else 1) and (
            value <= 100 or not key.endswith("percent")
        ):
            reader.put_at(("monitoring", key), value, where)


# CloudWatch metric -> the monitoring threshold of plan.yaml it sets.
_ALARM_KEYS = {
    "CPUUtilization": "cpu_alarm_percent",
    "MemoryUtilization": "memory_alarm_percent",
    "HTTPCode_Target_5XX_Count": "http_5xx_alarm_count",
    "HTTPCode_ELB_5XX_Count": "lb_5xx_alarm_count",
}


def budget_and_dashboard(reader: Reader) -> None:
    tf = reader.tf
    # Each environment's budget is its share of R4 (infraplan cost): R4 is their sum.
    total, first = 0.0, ""
    for item in tf.of_type("aws_budgets_budget"):
        limit = item.attrs.get("limit_amount")
        try:
            amount = float(str(limit))
        except ValueError:
            reader.unread(item.where("limit_amount"), f"{item.address}: limit is {limit}")
            continue
        total += amount
        first = first or item.where("limit_amount")
    if first:
        total = round(total, 2)
        value = int(total) if total.is_integer() else total
        reader.put_at(("requirements", "monthly_budget_usd"), value, first)
    boards = tf.of_type("aws_cloudwatch_dashboard")
    if boards:
        reader.put_at(("monitoring", "dashboard"), True, boards[0].where())
    else:
        reader.imported.set(("monitoring", "dashboard"), False)
        reader.imported.report(Where("."), "absent", "no aws_cloudwatch_dashboard: dashboard false")


# --- workflows -------------------------------------------------------------------------------


def workflows(reader: Reader) -> None:
    deploys = [
        job
        for job in reader.model.workflows.jobs
        if any(s.action == _DEPLOY_ACTION or _DEPLOY_RUN.search(s.run) for s in job.steps)
    ]
    for job in deploys:
        minutes = _int(job.timeout)
        if minutes is not None and 1 <= minutes <= 360:
            reader.put_at(("requirements", "deploy_minutes"), minutes, job.where)
        elif job.timeout is None:
            reader.unread(job.where, f"job {job.id} has no timeout-minutes: R2 left at its default")
        else:
            reader.unread(job.where, f"job {job.id}: timeout-minutes is {job.timeout}")
        _branch(reader, job)
    if not deploys:
        reader.imported.report(Where(".github/workflows"), "unread", "no workflow deploys to ECS")


def _branch(reader: Reader, job: Any) -> None:
    from infraplan.importers.yamlfile import load_yaml, where

    path = reader.model.root / job.workflow
    doc = load_yaml(path, job.workflow)
    triggers = doc.get("on") if isinstance(doc, dict) else None
    push = triggers.get("push") if isinstance(triggers, dict) else None
    branches = push.get("branches") if isinstance(push, dict) else None
    if isinstance(branches, list) and branches and re.fullmatch(r"[\w./-]+", str(branches[0])):
        at = where(branches, 0, job.workflow)
        reader.put(("ci", "branch"), str(branches[0]), at.file, at.line)
