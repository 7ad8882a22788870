"""verify's live rule table: each record names a judge that exists, proves catalogue rules
that exist, and each judge answers exactly the rules the table gives it."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from infraplan.aws import AwsAccess
from infraplan.catalogue import RULE_IDS
from infraplan.findings import Finding
from infraplan.verify.plan import PlannedEnv
from infraplan.verify.rules import JUDGES, LIVE_RULES, judged_by
from infraplan.verify.run import ACCOUNT, Judge, judge_of

if TYPE_CHECKING:
    from conftest import Stack


def test_every_record_is_whole() -> None:
    for rule in LIVE_RULES:
        assert rule.summary["en"] and rule.summary["es"], rule.id
        assert set(rule.proves) <= RULE_IDS, rule.id
        assert callable(judge_of(rule.judge)), rule.judge


def test_each_judge_answers_its_rules_of_the_table(
    stack: Stack, monkeypatch: pytest.MonkeyPatch
) -> None:
    import infraplan.verify.run as run

    answered: dict[str, set[str]] = {}

    def recording(judge: str) -> Judge:
        def call(plan: PlannedEnv, aws: AwsAccess) -> list[Finding]:
            found = judge_of(judge)(plan, aws)
            answered[judge] = {f.rule for f in found}
            return found

        return call

    monkeypatch.setattr(run, "judge_of", recording)
    stack.findings()
    assert set(answered) == set(JUDGES) - {ACCOUNT}
    for judge, rules in answered.items():
        assert rules == set(judged_by(judge)), judge
