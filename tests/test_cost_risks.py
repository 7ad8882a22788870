"""The risk rows of the cost setup: budgets blind until the Stack cost allocation tag is
active (with the command that activates it, in the plan and in the README), and Fargate
Spot in an environment that waits for approval."""

from __future__ import annotations

import json

import pytest

from infraplan.plan.cost_risks import ACTIVATE_TAG
from infraplan.plan.markdown import render_plan
from infraplan.scaffold.repo import build_starter_repo
from infraplan.spec.load import parse_spec

BASE = {"project": "shop", "ci": {"repository": "acme/shop"}}


def _risk_rows(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("| **")]


@pytest.mark.parametrize(("lang", "words"), [("es", "AWS Budgets ve 0 USD"), ("en", "sees $0")])
def test_the_tag_row_says_budgets_see_nothing_and_how_to_activate(lang: str, words: str) -> None:
    text = render_plan(parse_spec(json.dumps({**BASE, "language": lang})))
    rows = [r for r in _risk_rows(text) if words in r]
    assert len(rows) == 1
    assert "24 h" in rows[0] and ACTIVATE_TAG in rows[0]


def test_the_readme_gives_the_same_command() -> None:
    spec = parse_spec(json.dumps(BASE))
    repo = build_starter_repo(spec, json.dumps(BASE), "en")
    readme = next(f for f in repo.files if f.path == "README.md").content.decode()
    assert ACTIVATE_TAG in readme


@pytest.mark.parametrize(("lang", "words"), [("es", "que esperan aprobación"), ("en", "wait for")])
def test_spot_in_production_is_a_risk_row_and_only_there(lang: str, words: str) -> None:
    production_spot = {
        **BASE,
        "language": lang,
        "environments": [
            {"name": "staging", "spot": True},
            {"name": "production", "approval": True, "spot": True},
        ],
    }
    rows = [
        r for r in _risk_rows(render_plan(parse_spec(json.dumps(production_spot)))) if words in r
    ]
    assert len(rows) == 1 and "production" in rows[0] and "staging" not in rows[0]
    staging_only = {**production_spot, "environments": [{"name": "staging", "spot": True}]}
    staging_only["environments"].append({"name": "production", "approval": True})
    assert not [
        r for r in _risk_rows(render_plan(parse_spec(json.dumps(staging_only)))) if words in r
    ]
