"""verify holds each environment to its own sizing: the task count it runs, Fargate Spot or
on demand, and its AWS budget (its share of R4, as the environment root sets it)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from infraplan.cost.estimate import budget_shares, estimate
from infraplan.spec.load import parse_spec
from infraplan.verify.checks_service import _fargate, _running
from infraplan.verify.plan import planned_env

SPEC = parse_spec(
    json.dumps(
        {
            "project": "shop",
            "ci": {"repository": "acme/shop"},
            "service": {"desired_count": 3},
            "environments": [
                {"name": "staging", "spot": True, "desired_count": 1, "nat": "none"},
                {"name": "production", "approval": True},
            ],
        }
    )
)
ARN = ("arn:aws:ecs:eu-west-1:123456789012:service/shop/shop",)
ON_DEMAND = {"launchType": "FARGATE"}
SPOT = {"capacityProviderStrategy": [{"capacityProvider": "FARGATE_SPOT", "weight": 1}]}
MIXED = {
    "capacityProviderStrategy": [
        {"capacityProvider": "FARGATE", "base": 1, "weight": 1},
        {"capacityProvider": "FARGATE_SPOT", "weight": 1},
    ]
}


@pytest.mark.parametrize(
    ("env", "service", "status"),
    [
        ("staging", SPOT, "pass"),
        ("staging", ON_DEMAND, "fail"),
        ("production", ON_DEMAND, "pass"),
        ("production", MIXED, "fail"),
        ("production", {"launchType": "EC2"}, "fail"),
    ],
)
def test_spot_or_on_demand_as_the_environment_plans(
    env: str, service: dict[str, Any], status: str
) -> None:
    found = _fargate(service, ARN, planned_env(SPEC, env))
    assert found.status == status, found
    if status == "fail" and service.get("launchType") != "EC2":
        assert f"the plan runs {env}" in found.reason and "environments[].spot" in found.reason


def test_the_task_count_is_the_environments_own() -> None:
    staging = _running({"runningCount": 1, "desiredCount": 1}, ARN, planned_env(SPEC, "staging"))
    assert staging.status == "pass" and "(plan: 1 in staging)" in staging.reason
    production = planned_env(SPEC, "production")
    idle = _running({"runningCount": 0, "desiredCount": 0}, ARN, production)
    assert idle.status == "fail" and "set it to the plan's 3" in idle.reason


def test_each_environment_expects_its_share_of_r4() -> None:
    shares = budget_shares(estimate(SPEC))
    assert planned_env(SPEC, "staging").budget_usd == shares["staging"]
    assert planned_env(SPEC, "production").budget_usd == shares["production"]
    assert shares["staging"] < shares["production"] < SPEC.requirements.monthly_budget_usd
