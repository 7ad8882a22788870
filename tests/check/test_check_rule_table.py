"""One rule table: every rule held once, with a judge that exists and resources it accounts for."""

from __future__ import annotations

from pathlib import Path

from infraplan.catalogue import RULE_IDS, RULES, RULES_BY_ID, TASKS, accounts_for
from infraplan.check.evaluate import judge_of
from infraplan.check.plan_context import PlanContext


def test_every_rule_is_held_once_with_a_judge_a_summary_and_advice() -> None:
    assert len(RULES_BY_ID) == len(RULES) == len(RULE_IDS)
    for rule in RULES:
        assert callable(judge_of(rule)), rule.id
        assert rule.summary["en"] and rule.summary["es"] and rule.advice, rule.id


def test_tasks_name_rules_by_id_only_and_carry_what_their_rules_account_for() -> None:
    assert {rule for task in TASKS for rule in task.rules} <= set(RULES_BY_ID)
    ecr_task = next(t for t in TASKS if "ecr_repository" in t.rules)
    assert ecr_task.carries("aws_ecr_lifecycle_policy")
    assert not ecr_task.carries("aws_lb_listener")
    assert accounts_for(RULES_BY_ID["ecs_fargate_service"], "aws_lb_listener")
    assert not accounts_for(RULES_BY_ID["vpc"], "aws_route53_record")


def test_check_package_has_no_import_cycle() -> None:
    """registry_modules makes resources from terraform_types, never from the builder."""
    source = Path(__file__).parents[2] / "generator/infraplan/check/registry_modules.py"
    assert "terraform_model" not in source.read_text(encoding="utf-8")


def test_budget_estimate_compares_the_plans_estimate_with_r4() -> None:
    from infraplan.check.repo_model import RepoModel
    from infraplan.spec.load import parse_spec

    base = "project: shop\nci: {repository: acme/shop}\nrequirements: {monthly_budget_usd: %d}\n"
    rule = judge_of(RULES_BY_ID["budget_estimate"])
    empty = RepoModel.__new__(RepoModel)  # the rule reads the plan only
    assert rule(empty, PlanContext.of(parse_spec(base % 100_000))).status == "pass"
    over = rule(empty, PlanContext.of(parse_spec(base % 10), "plan.yaml", base % 10))
    assert over.status == "fail" and "over R4 ($10)" in over.reason
    assert over.evidence == ("plan.yaml:3",)
    # A region without shipped prices is judged on an approximate estimate, said so.
    elsewhere = parse_spec(base % 10 + "aws: {region: af-south-1}\n")
    approximate = rule(empty, PlanContext.of(elsewhere))
    assert approximate.status == "fail" and "(approximate)" in approximate.reason


def test_without_a_plan_the_estimate_is_not_judged(tmp_path: Path) -> None:
    from infraplan.check import check_repository

    report = check_repository(tmp_path, None, use_cache=False, progress=False)
    estimate = next(f for f in report.rules if f.rule == "budget_estimate")
    assert estimate.status == "skipped" and "no plan.yaml" in estimate.reason
