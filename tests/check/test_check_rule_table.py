from __future__ import annotations

from infraplan.catalogue import RULE_IDS, TASKS
from infraplan.check.rules import ACCOUNTS_FOR, RULES


def test_every_catalogue_rule_has_a_function_and_vice_versa() -> None:
    assert set(RULES) == set(RULE_IDS)


def test_accounting_only_names_known_rules() -> None:
    assert set(ACCOUNTS_FOR) <= set(RULE_IDS)


def test_every_task_rule_is_implemented() -> None:
    assert {rule for task in TASKS for rule in task.rules} <= set(RULES)


def test_budget_estimate_compares_the_plans_estimate_with_r4() -> None:
    from infraplan.check.repo_model import RepoModel
    from infraplan.spec.load import parse_spec

    base = "project: shop\nci: {repository: acme/shop}\nrequirements: {monthly_budget_usd: %d}\n"
    rule = RULES["budget_estimate"]
    empty = RepoModel.__new__(RepoModel)  # the rule reads the spec only
    assert rule(empty, parse_spec(base % 100_000)).status == "pass"
    over = rule(empty, parse_spec(base % 10))
    assert over.status == "fail" and "over R4 ($10)" in over.reason
    # A region without shipped prices is judged on an approximate estimate, said so.
    elsewhere = rule(empty, parse_spec(base % 10 + "aws: {region: af-south-1}\n"))
    assert elsewhere.status == "fail" and "(approximate)" in elsewhere.reason


def test_without_a_plan_the_estimate_is_not_judged(tmp_path: object) -> None:
    from pathlib import Path

    from infraplan.check import check_repository

    report = check_repository(Path(str(tmp_path)), None, use_cache=False, progress=False)
    estimate = next(f for f in report.rules if f.rule == "budget_estimate")
    assert estimate.status == "skipped" and "no plan.yaml" in estimate.reason
