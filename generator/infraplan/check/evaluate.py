"""From a repo model and a spec to a Report: rules, then plan items, then unplanned code."""

from __future__ import annotations

from typing import Any

from infraplan.catalogue import (
    REQUIREMENTS,
    criteria_for,
    tasks_for,
    text_fields,
)
from infraplan.catalogue import (
    RULES as CATALOGUE_RULES,
)
from infraplan.check.repo_model import RepoModel
from infraplan.check.rules import ACCOUNTS_FOR, NEVER_UNPLANNED, RULES
from infraplan.check.verdicts import verdict
from infraplan.findings import Finding, ItemResult, Report, item_status
from infraplan.spec.model import Spec

# Rules about the plan's own figures rather than the code: without a plan.yaml
# there is nothing to judge.
PLAN_ONLY = frozenset({"budget_estimate"})


def evaluate(repo: RepoModel, spec: Spec, *, planned: bool = True) -> Report:
    """``planned`` is False when ``spec`` is the default plan of a repo without one."""
    report = Report()
    for rule in CATALOGUE_RULES:
        if not rule.applies(spec):
            report.rules.append(Finding(rule.id, "skipped", (), "not part of this plan"))
            continue
        if not planned and rule.id in PLAN_ONLY:
            report.rules.append(Finding(rule.id, "skipped", (), "no plan.yaml to estimate"))
            continue
        report.rules.append(RULES[rule.id](repo, spec))
    report.rules.extend(parse_findings(repo))
    by_rule = {f.rule: f for f in report.rules}
    fields = text_fields(spec)
    lang = spec.language
    for task in tasks_for(spec):
        text = task.text[lang].format(**fields)
        report.tasks.append(
            ItemResult(task.id, item_status(task.rules, by_rule, False), task.rules, text)
        )
    for requirement in REQUIREMENTS:
        if not requirement.enabled(spec):
            text = requirement.text_off[lang].format(**fields)
            report.requirements.append(
                ItemResult(requirement.id, "skipped", requirement.rules, text, requirement.live)
            )
            continue
        status = item_status(requirement.rules, by_rule, requirement.live)
        text = requirement.text[lang].format(**fields)
        report.requirements.append(
            ItemResult(requirement.id, status, requirement.rules, text, requirement.live)
        )
    for criterion in criteria_for(spec):
        status = item_status(criterion.rules, by_rule, criterion.live)
        text = criterion.text[lang].format(**fields)
        report.criteria.append(
            ItemResult(criterion.id, status, criterion.rules, text, criterion.live)
        )
    report.unplanned = unplanned(repo, spec)
    return report


def parse_findings(repo: RepoModel) -> list[Finding]:
    """One ``parse`` finding per file that could not be read or parsed."""
    return [
        verdict("parse", "unknown", f"{path}: {message}", [f"{path}:{line}"])
        for path, line, message in repo.errors
    ]


def _accounted(type_: str, prefixes: set[str]) -> bool:
    for prefix in prefixes:
        if type_ == prefix or type_.startswith(prefix if prefix.endswith("_") else prefix + "_"):
            return True
    return False


def unplanned(repo: RepoModel, spec: Spec) -> list[dict[str, Any]]:
    """Resources in the code that no applicable task of the plan accounts for."""
    prefixes = {
        prefix
        for task in tasks_for(spec)
        for rule in task.rules
        for prefix in ACCOUNTS_FOR.get(rule, ())
    }
    out: list[dict[str, Any]] = []
    seen: set[tuple[str, str]] = set()
    for resource in repo.terraform.resources:
        if resource.type.startswith(NEVER_UNPLANNED) or _accounted(resource.type, prefixes):
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
