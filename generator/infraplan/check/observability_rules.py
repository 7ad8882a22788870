"""Rules about alarms, the dashboard, the budget and secrets."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from typing import Any

from infraplan.catalogue import format_budget
from infraplan.check.plan_context import PlanContext, Stated
from infraplan.check.repo_model import RepoModel
from infraplan.check.terraform_types import Resource
from infraplan.check.verdicts import Verdict, against_plan, conflict, verdict, worst
from infraplan.findings import Advice, Finding

CPU_METRICS = ("CPUUtilization",)
HTTP_5XX_METRICS = ("HTTPCode_Target_5XX_Count", "HTTPCode_ELB_5XX_Count", "5XXError")


def _text(value: Any) -> str:
    """Searchable text of a value; quotes inside HCL expressions stay plain quotes."""
    if isinstance(value, str):
        return value
    return json.dumps(value, default=str).replace('\\"', '"')


def _alarm_metrics(alarm: Resource) -> list[str]:
    names = [alarm.attrs.get("metric_name")]
    for query in alarm.nested_all("metric_query"):
        metric = query.get("metric")
        body = metric[0] if isinstance(metric, list) and metric else metric
        names.append(body.get("metric_name") if isinstance(body, dict) else None)
    return [n for n in names if isinstance(n, str)]


def _alarms(repo: RepoModel) -> list[tuple[str, Any, str]]:
    """(metric, threshold, evidence) for every CloudWatch alarm, modules' included (the
    cloudwatch module's metric-alarm is a thin wrapper of the resource)."""
    out: list[tuple[str, Any, str]] = []
    for alarm in repo.terraform.of_type("aws_cloudwatch_metric_alarm"):
        for metric in _alarm_metrics(alarm):
            out.append((metric, alarm.attrs.get("threshold"), alarm.where("metric_name")))
    return out


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    try:
        return float(str(value))
    except ValueError:
        return None


def _alarm_rule(
    repo: RepoModel, rule: str, metrics: tuple[str, ...], wanted: Stated | None, what: str
) -> Finding:
    found = [a for a in _alarms(repo) if a[0] in metrics]
    if found:
        thresholds = [_number(a[1]) for a in found if a[1] is not None]
        shown_at = ", ".join(dict.fromkeys(f"{t:g}" for t in thresholds if t is not None))
        reason = f"a CloudWatch alarm watches {found[0][0]}"
        reason += f" (threshold {shown_at})" if shown_at else ""
        evidence = [a[2] for a in found]
        if wanted is None or not thresholds or float(wanted.value) in thresholds:
            return verdict(rule, "pass", reason, evidence)
        if None in thresholds:
            expression = next(a[1] for a in found if a[1] is not None and _number(a[1]) is None)
            what = f"the {what} alarm's threshold"
            return verdict(rule, "unknown", f"{what} is {expression}; {wanted.said()}", evidence)
        return worst(
            rule, [conflict(f"the {what} alarm's threshold", shown_at, evidence, wanted)], ""
        )
    elsewhere = _watched_elsewhere(repo, metrics)
    if elsewhere:
        kinds = ", ".join(sorted({k for k, _ in elsewhere}))
        return verdict(
            rule,
            "fail",
            f"{what} is only watched by {kinds}, not by an alarm",
            [w for _, w in elsewhere],
        )
    return verdict(rule, "fail", f"no CloudWatch alarm watches {what}")


_ELSEWHERE = {
    "aws_cloudwatch_dashboard": "a dashboard",
    "aws_appautoscaling_policy": "autoscaling target tracking",
    "aws_wafv2_web_acl": "a WAF metric",
    "aws_wafv2_rule_group": "a WAF metric",
}


def _watched_elsewhere(repo: RepoModel, metrics: tuple[str, ...]) -> list[tuple[str, str]]:
    hints = [*metrics]
    if "CPUUtilization" in metrics:
        hints += ["ECSServiceAverageCPUUtilization", "cpu"]
    out = []
    for resource in repo.terraform.of_type(*_ELSEWHERE):
        text = _text(resource.attrs)
        if any(h in text if h != "cpu" else "cpu" in text.lower() for h in hints):
            out.append((_ELSEWHERE[resource.type], resource.where()))
    return out


def alarm_cpu(repo: RepoModel, plan: PlanContext) -> Finding:
    wanted = plan.stated("monitoring", "cpu_alarm_percent")
    return _alarm_rule(repo, "alarm_cpu", CPU_METRICS, wanted, "CPU")


def alarm_5xx(repo: RepoModel, plan: PlanContext) -> Finding:
    wanted = plan.stated("monitoring", "http_5xx_alarm_count")
    return _alarm_rule(repo, "alarm_5xx", HTTP_5XX_METRICS, wanted, "5xx responses")


# What a crashed or missing service moves: the targets answer nothing, so only the load
# balancer's own metrics and the task count change.
OUTAGE_SIGNALS: dict[str, tuple[str, ...]] = {
    "no healthy target (HealthyHostCount)": ("HealthyHostCount",),
    "the load balancer's own 5xx (HTTPCode_ELB_5XX_Count)": ("HTTPCode_ELB_5XX_Count",),
    "running tasks (RunningTaskCount)": ("RunningTaskCount",),
}


def alarm_outage(repo: RepoModel, plan: PlanContext) -> Finding:
    """Alarms that fire when the service is down, not only when it is busy; the healthy-host
    alarm must treat missing data as breaching (no target reports no data)."""
    alarms = [
        (alarm, metric)
        for alarm in repo.terraform.of_type("aws_cloudwatch_metric_alarm")
        for metric in _alarm_metrics(alarm)
    ]
    wanted = {m for metrics in OUTAGE_SIGNALS.values() for m in metrics}
    evidence = [a.where("metric_name") for a, metric in alarms if metric in wanted]
    missing = [what for what, ms in OUTAGE_SIGNALS.items() if not any(m in ms for _, m in alarms)]
    if missing:
        return verdict("alarm_outage", "fail", "no alarm on " + "; ".join(missing), evidence)
    for alarm, metric in alarms:
        treat = alarm.attrs.get("treat_missing_data", "missing")
        if metric == "HealthyHostCount" and treat != "breaching":
            return verdict(
                "alarm_outage",
                "fail",
                f"{alarm.address} treats missing data as {treat}: with no target registered "
                "it raises nothing; use breaching",
                [alarm.where("treat_missing_data")],
            )
    return verdict(
        "alarm_outage",
        "pass",
        "alarms watch healthy targets (missing data breaching), the load balancer's own 5xx "
        "and running tasks",
        evidence,
    )


def dashboard(repo: RepoModel, plan: PlanContext) -> Finding:
    boards = repo.terraform.of_type("aws_cloudwatch_dashboard")
    if boards:
        return verdict(
            "dashboard", "pass", "a CloudWatch dashboard is created", [b.where() for b in boards]
        )
    return verdict("dashboard", "fail", "no aws_cloudwatch_dashboard is created")


def _budget(item: Resource, wanted: Stated | None) -> Verdict:
    limit = item.attrs.get("limit_amount")
    amount = _number(limit)
    where = [item.where("limit_amount")]
    if amount is None:
        return Verdict("unknown", f"{item.address}: the limit is {limit}", where)
    if wanted is not None and amount > float(wanted.value):
        plan_amount = Stated(format_budget(float(wanted.value)), wanted.where, wanted.default)
        return conflict(f"{item.address}: the limit", f"${amount:g}", where, plan_amount)
    return Verdict("pass", f"{item.address}: ${amount:g} a month", where)


def budget(repo: RepoModel, plan: PlanContext) -> Finding:
    budgets = repo.terraform.of_type("aws_budgets_budget")
    if not budgets:
        return verdict("budget", "fail", "no aws_budgets_budget is created")
    wanted = plan.stated("requirements", "monthly_budget_usd")
    silent = [b.where() for b in budgets if not b.attrs.get("notification")]
    advice = (
        [Advice("a budget without a notification alerts nobody", tuple(silent))] if silent else []
    )
    verdicts = [_budget(b, wanted) for b in budgets]
    if any(v.status == "pass" for v in verdicts) and not any(v.status == "fail" for v in verdicts):
        verdicts = [v for v in verdicts if v.status == "pass"]
    return worst("budget", verdicts, "", advice=advice)


_SECRET_NAME = re.compile(r"(PASSWORD|PASSWD|SECRET|TOKEN|API_KEY|PRIVATE_KEY|DATABASE_URL)", re.I)


def _store(value_from: Any) -> str:
    """Where a container secret's ``valueFrom`` points: secretsmanager, ssm, or ""."""
    text = str(value_from)
    if "aws_secretsmanager_secret" in text or ":secretsmanager:" in text:
        return "secretsmanager"
    if "aws_ssm_parameter" in text or ":ssm:" in text:
        return "ssm"
    return ""


def secrets_manager(repo: RepoModel, plan: PlanContext) -> Finding:
    tf = repo.terraform
    task_defs = tf.of_type("aws_ecs_task_definition") + [
        r for r in tf.resources if r.type == "aws_ecs_service" and r.module_inputs is not None
    ]
    wanted = set(plan.spec.secrets) if plan.given else set()
    passed: dict[str, list[Resource]] = {}  # store -> task definitions that read from it
    names: set[str] = set()
    for task in task_defs:
        place = task.where("container_definitions")
        for container in task.containers():
            leaked = [n for n in container.environment if n in wanted or _SECRET_NAME.search(n)]
            if leaked:
                return verdict(
                    "secrets_manager",
                    "fail",
                    f"{task.address} passes {', '.join(sorted(set(leaked)))} in plain environment",
                    [place],
                )
            names.update(container.secrets)
            for value_from in container.secrets.values():
                passed.setdefault(_store(value_from), []).append(task)
    stored = tf.of_type("aws_secretsmanager_secret") + tf.lookups(
        "aws_secretsmanager_secret", "aws_secretsmanager_secret_version"
    )
    referenced = list({id(t): t for t in passed.get("secretsmanager", [])}.values())
    if stored or referenced:
        where = [r.where() for r in stored] + [t.where("container_definitions") for t in referenced]
        stated = plan.stated("secrets")
        missing = sorted(wanted - names) if names else []
        if stated is not None and missing:
            return against_plan(
                "secrets_manager",
                f"the plan's secret(s) {', '.join(missing)} reach no container from Secrets "
                f"Manager; the containers get {', '.join(sorted(names))} ({stated.where})",
                where,
                stated,
            )
        how = "created" if tf.of_type("aws_secretsmanager_secret") else "referenced"
        shown = f" ({', '.join(sorted(names))})" if names else ""
        return verdict(
            "secrets_manager", "pass", f"secrets are {how} in Secrets Manager{shown}", where
        )
    ssm = tf.of_type("aws_ssm_parameter") + tf.lookups("aws_ssm_parameter")
    ssm_refs = list({id(t): t for t in passed.get("ssm", [])}.values())
    if ssm or ssm_refs:
        return verdict(
            "secrets_manager",
            "fail",
            "secrets are kept in SSM Parameter Store, not Secrets Manager",
            [r.where() for r in ssm] + [t.where() for t in ssm_refs],
        )
    return verdict("secrets_manager", "fail", "no Secrets Manager secret is created or read")


def budget_estimate(repo: RepoModel, plan: PlanContext) -> Finding:
    """The plan's own cost estimate against R4: it reads the plan, not the code."""
    from infraplan.cost.rule import budget_estimate as estimate_rule

    where = plan.stated("requirements", "monthly_budget_usd")
    line = where.where if where else f"{plan.path}:1"
    return replace(estimate_rule(plan.spec, (line,)), decided_at=line)
