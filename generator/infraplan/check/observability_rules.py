"""Rules about alarms, the dashboard, the budget and secrets."""

from __future__ import annotations

import json
import re
from typing import Any

from infraplan.check.repo_model import RepoModel
from infraplan.check.terraform_model import Resource, first_block
from infraplan.check.verdicts import verdict
from infraplan.findings import Finding
from infraplan.spec.model import Spec

CPU_METRICS = ("CPUUtilization",)
HTTP_5XX_METRICS = ("HTTPCode_Target_5XX_Count", "HTTPCode_ELB_5XX_Count", "5XXError")


def _text(value: Any) -> str:
    """Searchable text of a value; quotes inside HCL expressions stay plain quotes."""
    if isinstance(value, str):
        return value
    return json.dumps(value, default=str).replace('\\"', '"')


def _alarm_metrics(alarm: Resource) -> list[str]:
    names = [alarm.attrs.get("metric_name")]
    for query in alarm.attrs.get("metric_query") or []:
        names.append(first_block(first_block(query).get("metric")).get("metric_name"))
    return [n for n in names if isinstance(n, str)]


def _alarms(repo: RepoModel) -> list[tuple[Resource | None, str, Any, str]]:
    """(resource, metric, threshold, evidence) for every CloudWatch alarm, modules included."""
    out: list[tuple[Resource | None, str, Any, str]] = []
    for alarm in repo.terraform.of_type("aws_cloudwatch_metric_alarm"):
        for metric in _alarm_metrics(alarm):
            out.append((alarm, metric, alarm.attrs.get("threshold"), alarm.where("metric_name")))
    for call in repo.terraform.modules:
        if "metric-alarm" in call.source and isinstance(call.inputs.get("metric_name"), str):
            out.append(
                (
                    None,
                    call.inputs["metric_name"],
                    call.inputs.get("threshold"),
                    call.block.where("metric_name"),
                )
            )
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
    repo: RepoModel, rule: str, metrics: tuple[str, ...], wanted: float, what: str
) -> Finding:
    found = [a for a in _alarms(repo) if a[1] in metrics]
    if found:
        thresholds = [_number(a[2]) for a in found]
        reason = f"a CloudWatch alarm watches {found[0][1]}"
        if any(t is not None for t in thresholds) and wanted not in thresholds:
            shown = ", ".join(f"{t:g}" for t in thresholds if t is not None)
            reason += f" (threshold {shown}; the plan says {wanted:g})"
        return verdict(rule, "pass", reason, [a[3] for a in found])
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


def alarm_cpu(repo: RepoModel, spec: Spec) -> Finding:
    return _alarm_rule(repo, "alarm_cpu", CPU_METRICS, spec.monitoring.cpu_alarm_percent, "CPU")


def alarm_5xx(repo: RepoModel, spec: Spec) -> Finding:
    wanted = spec.monitoring.http_5xx_alarm_count
    return _alarm_rule(repo, "alarm_5xx", HTTP_5XX_METRICS, wanted, "5xx responses")


# What a crashed or missing service moves: the targets answer nothing, so only the load
# balancer's own metrics and the task count change.
OUTAGE_SIGNALS: dict[str, tuple[str, ...]] = {
    "no healthy target (HealthyHostCount)": ("HealthyHostCount",),
    "the load balancer's own 5xx (HTTPCode_ELB_5XX_Count)": ("HTTPCode_ELB_5XX_Count",),
    "running tasks (RunningTaskCount)": ("RunningTaskCount",),
}


def alarm_outage(repo: RepoModel, spec: Spec) -> Finding:
    """Alarms that fire when the service is down, not only when it is busy; the healthy-host
    alarm must treat missing data as breaching (no target reports no data)."""
    alarms = _alarms(repo)
    wanted = {m for metrics in OUTAGE_SIGNALS.values() for m in metrics}
    evidence = [a[3] for a in alarms if a[1] in wanted]
    missing = [what for what, ms in OUTAGE_SIGNALS.items() if not any(a[1] in ms for a in alarms)]
    if missing:
        return verdict("alarm_outage", "fail", "no alarm on " + "; ".join(missing), evidence)
    for alarm, metric, _, where in alarms:
        if alarm is None or metric != "HealthyHostCount":
            continue
        treat = alarm.attrs.get("treat_missing_data", "missing")
        if treat != "breaching":
            return verdict(
                "alarm_outage",
                "fail",
                f"{alarm.address} treats missing data as {treat}: with no target registered "
                "it raises nothing; use breaching",
                [
                    alarm.where("treat_missing_data")
                    if "treat_missing_data" in alarm.attrs
                    else where
                ],
            )
    return verdict(
        "alarm_outage",
        "pass",
        "alarms watch healthy targets (missing data breaching), the load balancer's own 5xx "
        "and running tasks",
        evidence,
    )


def dashboard(repo: RepoModel, spec: Spec) -> Finding:
    boards = repo.terraform.of_type("aws_cloudwatch_dashboard")
    if boards:
        return verdict(
            "dashboard", "pass", "a CloudWatch dashboard is created", [b.where() for b in boards]
        )
    return verdict("dashboard", "fail", "no aws_cloudwatch_dashboard is created")


def budget(repo: RepoModel, spec: Spec) -> Finding:
    wanted = float(spec.requirements.monthly_budget_usd)
    budgets = repo.terraform.of_type("aws_budgets_budget")
    if not budgets:
        return verdict("budget", "fail", "no aws_budgets_budget is created")
    unknown = None
    for item in budgets:
        limit = item.attrs.get("limit_amount")
        amount = _number(limit)
        where = [item.where("limit_amount")]
        if amount is None:
            unknown = verdict("budget", "unknown", f"{item.address}: limit is {limit}", where)
            continue
        if amount > wanted:
            return verdict(
                "budget",
                "fail",
                f"{item.address}: limit ${amount:g} is above the plan's ${wanted:g}",
                where,
            )
        if not item.attrs.get("notification"):
            return verdict(
                "budget", "pass", f"{item.address}: ${amount:g} a month (no notification)", where
            )
        return verdict(
            "budget",
            "pass",
            f"{item.address}: ${amount:g} a month with an alert",
            [*where, item.where("notification")],
        )
    assert unknown is not None
    return unknown


_SECRET_NAME = re.compile(r"(PASSWORD|PASSWD|SECRET|TOKEN|API_KEY|PRIVATE_KEY)", re.I)
_ENV_NAME = re.compile(r"""["']?name["']?\s*[:=]\s*["']([A-Za-z_][\w]*)["']""")


def _plain_env_names(text: str) -> list[str]:
    """Variable names set in a container's plain ``environment`` list."""
    names: list[str] = []
    for match in re.finditer(r"""["']?environment["']?\s*[:=]\s*\[""", text):
        depth, end = 0, match.end() - 1
        for end in range(match.end() - 1, len(text)):
            depth += {"[": 1, "]": -1}.get(text[end], 0)
            if depth == 0:
                break
        names.extend(_ENV_NAME.findall(text[match.end() : end]))
    return names


def secrets_manager(repo: RepoModel, spec: Spec) -> Finding:
    tf = repo.terraform
    task_defs = tf.of_type("aws_ecs_task_definition") + [
        r for r in tf.resources if r.type == "aws_ecs_service" and r.module_inputs is not None
    ]
    wanted = set(spec.secrets)
    for task in task_defs:
        text = _text(task.attrs)
        leaked = [n for n in _plain_env_names(text) if n in wanted or _SECRET_NAME.search(n)]
        if leaked:
            return verdict(
                "secrets_manager",
                "fail",
                f"{task.address} passes {', '.join(sorted(set(leaked)))} in plain environment",
                [task.where("container_definitions")],
            )
    stored = tf.of_type("aws_secretsmanager_secret") + tf.lookups(
        "aws_secretsmanager_secret", "aws_secretsmanager_secret_version"
    )
    referenced = [t for t in task_defs if _refers(_text(t.attrs), "secretsmanager")]
    if stored or referenced:
        where = [r.where() for r in stored] + [t.where("container_definitions") for t in referenced]
        how = "created" if tf.of_type("aws_secretsmanager_secret") else "referenced"
        return verdict("secrets_manager", "pass", f"secrets are {how} in Secrets Manager", where)
    ssm = tf.of_type("aws_ssm_parameter") + tf.lookups("aws_ssm_parameter")
    ssm_refs = [t for t in task_defs if _refers(_text(t.attrs), "ssm")]
    if ssm or ssm_refs:
        return verdict(
            "secrets_manager",
            "fail",
            "secrets are kept in SSM Parameter Store, not Secrets Manager",
            [r.where() for r in ssm] + [t.where() for t in ssm_refs],
        )
    return verdict("secrets_manager", "fail", "no Secrets Manager secret is created or read")


def _refers(text: str, service: str) -> bool:
    if service == "ssm":
        return "aws_ssm_parameter" in text or ":ssm:" in text
    return "aws_secretsmanager_secret" in text or ":secretsmanager:" in text
