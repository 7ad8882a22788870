"""Live checks of what watches and guards the service: alarms, dashboard, budget,
secrets and the GitHub OIDC deploy role."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any
from urllib.parse import unquote

from infraplan.aws import AwsAccess
from infraplan.findings import Finding
from infraplan.verify.checks_service import apply_hint, missing, unknown
from infraplan.verify.plan import PlannedEnv
from infraplan.verify.rules import judged_by

ALARM_RULES = judged_by("checks_ops.check_alarms")
GITHUB_OIDC = "token.actions.githubusercontent.com"


def check_alarms(plan: PlannedEnv, aws: AwsAccess) -> list[Finding]:
    names = plan.names
    reply = aws.call("cloudwatch", "describe_alarms", AlarmNames=[names.alarm_cpu, names.alarm_5xx])
    if reply.problem:
        return unknown(ALARM_RULES, reply.problem)
    alarms = {str(a.get("AlarmName")): a for a in reply.data.get("MetricAlarms", [])}
    monitoring = plan.spec.monitoring
    out = [
        _alarm(
            "live_alarm_cpu",
            alarms.get(names.alarm_cpu),
            names.alarm_cpu,
            ("CPUUtilization",),
            monitoring.cpu_alarm_percent,
            plan,
        ),
        _alarm(
            "live_alarm_5xx",
            alarms.get(names.alarm_5xx),
            names.alarm_5xx,
            ("HTTPCode_Target_5XX_Count", "HTTPCode_ELB_5XX_Count"),
            monitoring.http_5xx_alarm_count,
            plan,
        ),
    ]
    states = {name: str(a.get("StateValue", "?")) for name, a in sorted(alarms.items())}
    evidence = tuple(str(a.get("AlarmArn", n)) for n, a in sorted(alarms.items()))
    summary = ", ".join(f"{name} {state}" for name, state in states.items()) or "no alarm found"
    firing = [name for name, state in states.items() if state == "ALARM"]
    if firing:
        out.append(
            Finding(
                "live_alarm_state", "fail", evidence, f"in ALARM: {', '.join(firing)} ({summary})"
            )
        )
    elif states:
        out.append(Finding("live_alarm_state", "pass", evidence, summary))
    else:
        out.append(Finding("live_alarm_state", "unknown", (), "no planned alarm exists"))
    return out


def _alarm(
    rule: str,
    alarm: Mapping[str, Any] | None,
    name: str,
    metrics: tuple[str, ...],
    threshold: float,
    plan: PlannedEnv,
) -> Finding:
    if alarm is None:
        return Finding(
            rule, "fail", (), f"alarm {name} not found in {plan.region}; {apply_hint(plan)}"
        )
    arn = (str(alarm.get("AlarmArn", name)),)
    metric = alarm.get("MetricName")
    actual = alarm.get("Threshold")
    state = alarm.get("StateValue", "?")
    if metric not in metrics:
        return Finding(
            rule, "fail", arn, f"alarm {name} watches {metric}, not {' or '.join(metrics)}"
        )
    if actual is None or abs(float(actual) - float(threshold)) > 1e-9:
        return Finding(
            rule, "fail", arn, f"alarm {name} threshold is {actual}, the plan says {threshold}"
        )
    return Finding(rule, "pass", arn, f"threshold {threshold:g} as planned; state {state}")


def check_dashboard(plan: PlannedEnv, aws: AwsAccess) -> list[Finding]:
    rule = "live_dashboard"
    if not plan.spec.monitoring.dashboard:
        return [Finding(rule, "skipped", (), "the plan has no dashboard")]
    name = plan.names.dashboard
    reply = aws.call("cloudwatch", "get_dashboard", DashboardName=name)
    if reply.not_found:
        return missing([rule], f"dashboard {name} not found in {plan.region}; {apply_hint(plan)}")
    if reply.problem:
        return unknown([rule], reply.problem)
    arn = str(reply.data.get("DashboardArn", name))
    return [Finding(rule, "pass", (arn,), f"dashboard {name} exists")]


def check_budget(plan: PlannedEnv, aws: AwsAccess) -> list[Finding]:
    rule = "live_budget"
    name = plan.names.budget
    account = plan.account or plan.spec.aws.account_id
    if account is None:
        return [
            Finding(
                rule,
                "unknown",
                (),
                "the account id is unknown (the identity check failed and plan.yaml "
                "has no aws.account_id)",
            )
        ]
    reply = aws.call("budgets", "describe_budget", AccountId=account, BudgetName=name)
    if reply.not_found:
        return missing([rule], f"budget {name} not found; {apply_hint(plan)}")
    if reply.problem:
        return unknown([rule], reply.problem)
    budget = reply.data.get("Budget", {})
    limit = budget.get("BudgetLimit", {})
    evidence = (f"budget {account}/{name}",)
    try:
        amount = float(limit.get("Amount", "nan"))
    except ValueError:
        amount = float("nan")
    unit = limit.get("Unit")
    period = budget.get("TimeUnit")
    planned = plan.budget_usd
    if unit == "USD" and period == "MONTHLY" and abs(amount - planned) < 0.005:
        return [
            Finding(
                rule,
                "pass",
                evidence,
                f"{amount:g} USD a month, as planned ({plan.env}'s share of R4)",
            )
        ]
    return [
        Finding(
            rule,
            "fail",
            evidence,
            f"budget is {limit.get('Amount')} {unit} {period}, the plan says "
            f"{planned:g} USD MONTHLY ({plan.env}'s share of R4, by `infraplan cost`)",
        )
    ]


def check_secrets(plan: PlannedEnv, aws: AwsAccess) -> list[Finding]:
    rule = "live_secrets"
    if not plan.secrets:
        return [Finding(rule, "skipped", (), "the plan has no secrets")]
    found: list[str] = []
    absent: list[str] = []
    problems: list[str] = []
    for secret in plan.secrets:
        secret_id = plan.names.secret(secret)
        # describe_secret reads metadata only; verify never reads a secret's value.
        reply = aws.call("secretsmanager", "describe_secret", SecretId=secret_id)
        if reply.not_found:
            absent.append(secret_id)
        elif reply.problem:
            problems.append(reply.problem.message)
        elif reply.data.get("DeletedDate"):
            absent.append(f"{secret_id} (scheduled for deletion)")
        else:
            found.append(str(reply.data.get("ARN", secret_id)))
    if absent:
        return [
            Finding(
                rule,
                "fail",
                tuple(found),
                f"missing in Secrets Manager ({plan.region}): {', '.join(absent)}; "
                f"{apply_hint(plan)}, then put their values",
            )
        ]
    if problems:
        return [Finding(rule, "unknown", tuple(found), "; ".join(sorted(set(problems))))]
    return [Finding(rule, "pass", tuple(found), f"{len(found)} secrets exist")]


ROLE_RULES = judged_by("checks_ops.check_deploy_role")


def check_deploy_role(plan: PlannedEnv, aws: AwsAccess) -> list[Finding]:
    name = plan.names.deploy_role
    reply = aws.call("iam", "get_role", RoleName=name)
    if reply.not_found:
        return missing(ROLE_RULES, f"IAM role {name} not found; {apply_hint(plan)}")
    if reply.problem:
        return unknown(ROLE_RULES, reply.problem)
    role = reply.data.get("Role", {})
    arn = (str(role.get("Arn", name)),)
    out = [Finding("live_deploy_role", "pass", arn, f"role {name} exists")]
    policy = role.get("AssumeRolePolicyDocument", {})
    if isinstance(policy, str):
        policy = json.loads(unquote(policy))
    # the subject's repository part: owner/name, or owner@id/name@id (immutable form)
    problems, providers = trust_problems(
        policy, plan.spec.ci.subject_prefix().removeprefix("repo:")
    )
    if not problems:
        listed = aws.call("iam", "list_open_id_connect_providers")
        if listed.problem:
            return [
                *out,
                Finding(
                    "live_deploy_role_trust",
                    "unknown",
                    arn,
                    f"trust policy fine, provider not checked: {listed.problem.message}",
                ),
            ]
        arns = {str(p.get("Arn")) for p in listed.data.get("OpenIDConnectProviderList", [])}
        problems = [f"OIDC provider {p} does not exist" for p in sorted(providers - arns)]
    if problems:
        out.append(Finding("live_deploy_role_trust", "fail", arn, "; ".join(problems)))
    else:
        out.append(
            Finding(
                "live_deploy_role_trust",
                "pass",
                arn,
                f"trusts only {plan.repository} through GitHub OIDC",
            )
        )
    return out


def trust_problems(policy: Mapping[str, Any], repository: str) -> tuple[list[str], set[str]]:
    """Why a trust policy lets in more than ``repository``'s GitHub workflows (empty: it does
    not), and the OIDC provider ARNs it names."""
    statements = policy.get("Statement", [])
    if isinstance(statements, Mapping):
        statements = [statements]
    problems: list[str] = []
    providers: set[str] = set()
    allowed = [s for s in statements if s.get("Effect") == "Allow"]
    if not allowed:
        return ["the trust policy allows no one"], providers
    prefix = f"repo:{repository}:".lower()
    for index, statement in enumerate(allowed):
        where = f"statement {statement.get('Sid') or index + 1}"
        principal = statement.get("Principal", {})
        if not isinstance(principal, Mapping) or set(principal) != {"Federated"}:
            problems.append(f"{where} trusts {json.dumps(principal)}, not only GitHub OIDC")
            continue
        federated = _as_list(principal["Federated"])
        if not all(str(f).endswith(f":oidc-provider/{GITHUB_OIDC}") for f in federated):
            problems.append(f"{where} trusts {', '.join(federated)}, not GitHub's provider")
            continue
        providers.update(federated)
        subjects = _condition_values(statement.get("Condition", {}), f"{GITHUB_OIDC}:sub")
        if not subjects:
            problems.append(
                f"{where} has no {GITHUB_OIDC}:sub condition: any GitHub "
                "repository could assume the role"
            )
        outside = [s for s in subjects if not _within(s.lower(), prefix)]
        if outside:
            problems.append(f"{where} also trusts {', '.join(outside)} (plan: {repository})")
    return problems, providers


def _within(subject: str, prefix: str) -> bool:
    # The repository part must be literal: "repo:acme/app*" also matches acme/app-other.
    head = subject[: len(prefix)]
    return head == prefix and not any(c in head for c in "*?")


def _condition_values(condition: Mapping[str, Any], key: str) -> list[str]:
    values: list[str] = []
    for operator, clauses in condition.items():
        if not isinstance(clauses, Mapping) or operator.startswith("StringNot"):
            continue
        for name, value in clauses.items():
            if name.lower() == key.lower():
                values.extend(_as_list(value))
    return values


def _as_list(value: Any) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]
