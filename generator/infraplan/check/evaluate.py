"""From a repo model and a plan to a Report: rules, then plan items, then unplanned code.

Without a plan.yaml the items are the catalogue's, in English, with no value of
the default plan in their text, and every rule judges the capability only. A
plan's ``not_applicable`` entries are reported as skipped with their reason,
and a rule that only they use is not judged, so it cannot fail the run.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from infraplan.catalogue import (
    NEVER_UNPLANNED,
    REQUIREMENTS,
    RULES,
    RULES_BY_ID,
    TASKS,
    Rule,
    Task,
    accounts_for,
    criteria_for,
    tasks_for,
    text_fields,
)
from infraplan.check.plan_context import PlanContext
from infraplan.check.repo_model import RepoModel
from infraplan.check.verdicts import verdict
from infraplan.findings import Finding, ItemResult, Report, item_status
from infraplan.plan.markdown import plan_tasks, task_numbers

Judge = Callable[[RepoModel, PlanContext], Finding]

# Task texts without a plan: no value of the default plan is put in a reader's mouth.
NO_PLAN_FIELDS = {
    "az_count": "several",
    "environments": "one per environment",
    "first_env": "first",
    "exec_environments": "the environments that allow it",
    "spot_environments": "the environments that run on it",
    "last_env": "last",
    "secrets": "the service's secrets",
    "cpu_alarm": "N",
    "http_5xx_alarm": "N",
    "memory_alarm": "N",
    "lb_5xx_alarm": "N",
    "budget": "the agreed amount",
    "deploy_minutes": "N",
    "bake_minutes": "N",
    "https_names": "the service's names",
    "hosted_zone": "of those names",
    "scaling_metrics": "CPU or requests per task",
    "scaling_bounds": "the planned minimum and maximum",
}


def judge_of(rule: Rule) -> Judge:
    module, _, name = rule.judge.rpartition(".")
    function: Judge = getattr(importlib.import_module(f"infraplan.check.{module}"), name)
    return function


def evaluate(repo: RepoModel, plan: PlanContext) -> Report:
    spec = plan.spec
    report = Report(plan=plan.used)
    skipped = plan.spec.not_applicable if plan.given else {}
    users = _rule_users(plan)
    for rule in RULES:
        reason = _not_judged(rule, plan, skipped, users)
        if reason:
            report.rules.append(Finding(rule.id, "skipped", (), reason))
        else:
            report.rules.append(judge_of(rule)(repo, plan))
    report.rules.extend(problem_findings(repo))
    by_rule = {f.rule: f for f in report.rules}
    fields = text_fields(spec) if plan.given else NO_PLAN_FIELDS
    lang = spec.language if plan.given else "en"
    numbers = task_numbers(plan_tasks(spec, lang)) if plan.given else {}
    for task in _tasks(plan):
        text = task.text[lang].format(**fields)
        item = _item(task.id, task.rules, text, task.live, by_rule, skipped)
        report.tasks.append(replace(item, number=numbers.get(task.id, "")))
    for requirement in REQUIREMENTS:
        if not requirement.enabled(spec):
            text = requirement.text_off[lang].format(**fields)
            report.requirements.append(
                ItemResult(requirement.id, "skipped", requirement.rules, text, requirement.live)
            )
            continue
        text = requirement.text[lang].format(**fields)
        report.requirements.append(
            _item(requirement.id, requirement.rules, text, requirement.live, by_rule, skipped)
        )
    for criterion in criteria_for(spec):
        text = criterion.text[lang].format(**fields)
        report.criteria.append(
            _item(criterion.id, criterion.rules, text, criterion.live, by_rule, skipped)
        )
    report.unplanned = unplanned(repo, plan)
    return report


def _tasks(plan: PlanContext) -> list[Task]:
    """The plan's tasks; without a plan, every task whose rules are judged without one
    (so secrets are looked for, previews are not)."""
    if plan.given:
        return tasks_for(plan.spec)
    return [t for t in TASKS if all(RULES_BY_ID[r].without_plan == "judge" for r in t.rules)]


def _item(
    id: str,
    rules: tuple[str, ...],
    text: str,
    live: bool,
    by_rule: dict[str, Finding],
    skipped: dict[str, str],
) -> ItemResult:
    if id in skipped:
        return ItemResult(id, "skipped", rules, text, live, f"not applicable: {skipped[id]}")
    return ItemResult(id, item_status(rules, by_rule, live), rules, text, live)


def _rule_users(plan: PlanContext) -> dict[str, list[str]]:
    """The plan items that use each rule."""
    spec = plan.spec
    items = [(t.id, t.rules) for t in _tasks(plan)]
    items += [(r.id, r.rules) for r in REQUIREMENTS if r.enabled(spec)]
    items += [(c.id, c.rules) for c in criteria_for(spec)]
    users: dict[str, list[str]] = {}
    for item, rules in items:
        for rule in rules:
            users.setdefault(rule, []).append(item)
    return users


def _not_judged(
    rule: Rule, plan: PlanContext, skipped: dict[str, str], users: dict[str, list[str]]
) -> str:
    """Why ``rule`` is skipped, or "" when it is judged."""
    if not plan.given:
        if rule.without_plan == "skip":
            return "no plan.yaml asks for it"
        return ""
    if rule.id in skipped:
        return f"not applicable: {skipped[rule.id]}"
    if not rule.applies(plan.spec):
        return "not part of this plan"
    using = users.get(rule.id, [])
    if using and all(item in skipped for item in using):
        return "not applicable: " + "; ".join(f"{i}: {skipped[i]}" for i in using)
    return ""


def problem_findings(repo: RepoModel) -> list[Finding]:
    """One ``conflict`` finding per file left with merge conflict markers, one ``parse``
    finding per other file that could not be read or parsed."""
    out = []
    for problem in repo.errors:
        if problem.conflict:
            reason = f"{problem.where}: {problem.message}"
            out.append(verdict("conflict", "fail", reason, [problem.where]))
        else:
            reason = f"{problem.path}: {problem.message}"
            out.append(verdict("parse", "unknown", reason, [problem.where]))
    return out


def unplanned(repo: RepoModel, plan: PlanContext) -> list[dict[str, Any]]:
    """Resources in the code that no applicable task of the plan accounts for."""
    tasks = _tasks(plan)
    rules = [r for r in RULES if any(r.id in t.rules for t in tasks)]
    out: list[dict[str, Any]] = []
    seen: set[tuple[str, str]] = set()
    for resource in repo.terraform.resources:
        if resource.type.startswith(NEVER_UNPLANNED):
            continue
        if any(accounts_for(rule, resource.type) for rule in rules):
            continue
        key = (resource.root, resource.address)
        if key in seen:
            continue
        seen.add(key)
        out.append(
            {
                "type": resource.type,
                "address": resource.address,
                "root": resource.root,
                "evidence": [resource.where()],
            }
        )
    return out
