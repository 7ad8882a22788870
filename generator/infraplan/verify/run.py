"""Run every live check for one environment and gather the findings into a report."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from infraplan.aws import AwsAccess
from infraplan.catalogue import Criterion, criteria_for, tasks_for, text_fields
from infraplan.errors import UserError
from infraplan.findings import Finding, ItemResult, Report, combine
from infraplan.plan.markdown import plan_tasks, task_numbers
from infraplan.verify.plan import PlannedEnv
from infraplan.verify.rules import JUDGES, LIVE_RULE_IDS, live_rules_for

Judge = Callable[[PlannedEnv, AwsAccess], list[Finding]]
ACCOUNT = "run.check_account"


@dataclass
class VerifyReport:
    """A :class:`Report` of live findings, with where they were asked."""

    env: str
    region: str
    account: str | None
    report: Report = field(default_factory=Report)

    @property
    def failed(self) -> bool:
        """Exit code 1: a finding failed, or could not be checked (not proven live)."""
        return any(f.status in ("fail", "unknown") for f in self.report.rules)

    def to_dict(self) -> dict[str, object]:
        return {
            "env": self.env,
            "region": self.region,
            "account": self.account,
            **self.report.to_dict(),
        }


def verify_environment(plan: PlannedEnv, aws: AwsAccess) -> VerifyReport:
    """Ask AWS about every planned resource of ``plan``; read calls only."""
    account_finding, account = check_account(plan, aws)
    findings = [account_finding]
    plan = replace(plan, account=account)
    for judge in JUDGES:
        if judge != ACCOUNT:
            findings += judge_of(judge)(plan, aws)
    order = {rule: index for index, rule in enumerate(LIVE_RULE_IDS)}
    findings.sort(key=lambda f: order.get(f.rule, len(order)))
    report = Report(rules=findings)
    report.tasks, report.criteria = plan_items(plan, findings)
    return VerifyReport(plan.env, plan.region, account, report)


def judge_of(judge: str) -> Judge:
    """The function a live rule's ``judge`` names, under :mod:`infraplan.verify`."""
    module, _, name = judge.rpartition(".")
    function: Judge = getattr(importlib.import_module(f"infraplan.verify.{module}"), name)
    return function


def check_account(plan: PlannedEnv, aws: AwsAccess) -> tuple[Finding, str | None]:
    rule = "live_aws_account"
    reply = aws.call("sts", "get_caller_identity")
    if reply.problem:
        # Without working credentials no rule can be checked: one error, bad input,
        # rather than every rule repeating the same problem.
        if reply.problem.kind == "credentials":
            raise UserError(reply.problem.message)
        return Finding(rule, "unknown", (), reply.problem.message), None
    account = str(reply.data.get("Account", ""))
    evidence = (str(reply.data.get("Arn", account)),)
    planned = plan.spec.aws.account_id
    if planned and planned != account:
        return Finding(
            rule,
            "fail",
            evidence,
            f"credentials are for account {account}, the plan says {planned}; "
            "use the planned account's profile",
        ), account
    return Finding(rule, "pass", evidence, f"account {account}, region {plan.region}"), account


def plan_items(
    plan: PlannedEnv, findings: list[Finding]
) -> tuple[list[ItemResult], list[ItemResult]]:
    """Tasks whose every rule verify can prove, and the live acceptance criteria."""
    by_rule = {f.rule: f for f in findings}
    fields = text_fields(plan.spec)
    lang = plan.spec.language

    def status(rules: tuple[str, ...]) -> tuple[str, ...] | None:
        live: list[str] = []
        for rule in rules:
            proven_by = [r for r in live_rules_for(rule) if r in by_rule]
            if not proven_by:
                return None
            live.extend(proven_by)
        return tuple(dict.fromkeys(live))

    tasks: list[ItemResult] = []
    numbers = task_numbers(plan_tasks(plan.spec, lang))  # as PLAN.md shows them
    for task in tasks_for(plan.spec):
        live = status(task.rules)
        if live is not None:
            tasks.append(
                ItemResult(
                    task.id,
                    combine(by_rule[r].status for r in live),
                    live,
                    task.text[lang].format(**fields),
                    live=True,
                    number=numbers.get(task.id, ""),
                )
            )
    criteria: list[ItemResult] = []
    for criterion in criteria_for(plan.spec):
        if not criterion.live:
            continue
        live = status(criterion.rules)
        text = criterion.text[lang].format(**fields)
        if not _about_env(criterion, plan):
            # The criterion names another environment (e.g. health checks in production).
            criteria.append(ItemResult(criterion.id, "unknown", criterion.rules, text, live=True))
        elif live is None:
            # e.g. "deployed in under N minutes": AWS alone cannot tell.
            criteria.append(ItemResult(criterion.id, "unknown", criterion.rules, text, live=True))
        else:
            criteria.append(
                ItemResult(
                    criterion.id, combine(by_rule[r].status for r in live), live, text, live=True
                )
            )
    return tasks, criteria


def _about_env(criterion: Criterion, plan: PlannedEnv) -> bool:
    """Whether ``criterion`` is about the environment verify asked (None: about any)."""
    names = [e.name for e in plan.spec.environments]
    if criterion.env is None:
        return True
    return plan.env == (names[0] if criterion.env == "first" else names[-1])
