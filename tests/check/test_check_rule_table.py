from __future__ import annotations

from infraplan.catalogue import RULE_IDS, TASKS
from infraplan.check.rules import ACCOUNTS_FOR, RULES


def test_every_catalogue_rule_has_a_function_and_vice_versa() -> None:
    assert set(RULES) == set(RULE_IDS)


def test_accounting_only_names_known_rules() -> None:
    assert set(ACCOUNTS_FOR) <= set(RULE_IDS)


def test_every_task_rule_is_implemented() -> None:
    assert {rule for task in TASKS for rule in task.rules} <= set(RULES)
