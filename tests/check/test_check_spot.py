"""ecs_fargate_service and Fargate Spot: without a plan the services on Spot are reported;
with a plan that puts an environment on Spot, a repo with no Spot service fails there."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from infraplan.findings import Finding

from .check_support import plan

Judge = Callable[..., dict[str, Finding]]

ON_DEMAND = 'resource "aws_ecs_service" "s" {\n  launch_type = "FARGATE"\n}\n'
SPOT = (
    'resource "aws_ecs_service" "s" {\n'
    "  capacity_provider_strategy {\n"
    '    capacity_provider = "FARGATE"\n    base = 1\n    weight = 1\n  }\n'
    "  capacity_provider_strategy {\n"
    '    capacity_provider = "FARGATE_SPOT"\n    weight = 1\n  }\n}\n'
)
# as infraplan writes it: dynamic blocks, on only when a variable says so
DYNAMIC_SPOT = (
    'variable "spot" {\n  default = true\n}\n'
    'resource "aws_ecs_service" "s" {\n'
    '  launch_type = var.spot ? null : "FARGATE"\n'
    '  dynamic "capacity_provider_strategy" {\n'
    "    for_each = var.spot ? [1] : []\n"
    '    content {\n      capacity_provider = "FARGATE_SPOT"\n      weight = 1\n    }\n  }\n}\n'
)
# no strategy of its own: the cluster's default decides
CLUSTER_DEFAULT_SPOT = (
    'resource "aws_ecs_service" "s" {\n  name = "s"\n}\n'
    'resource "aws_ecs_cluster_capacity_providers" "c" {\n'
    '  capacity_providers = ["FARGATE_SPOT"]\n'
    "  default_capacity_provider_strategy {\n"
    '    capacity_provider = "FARGATE_SPOT"\n  }\n}\n'
)
SPOT_PLAN = "environments: [{name: staging, spot: true}, {name: production, approval: true}]\n"


@pytest.mark.parametrize("source", [SPOT, DYNAMIC_SPOT, CLUSTER_DEFAULT_SPOT])
def test_spot_services_pass_and_are_named(judge: Judge, source: str) -> None:
    found = judge({"infra/main.tf": source})["ecs_fargate_service"]
    assert found.status == "pass", found
    assert "on Fargate Spot: aws_ecs_service.s" in found.reason


@pytest.mark.parametrize("source", [SPOT, DYNAMIC_SPOT, CLUSTER_DEFAULT_SPOT])
def test_a_plan_with_spot_passes_a_spot_service(judge: Judge, source: str) -> None:
    found = judge({"infra/main.tf": source}, plan(SPOT_PLAN))["ecs_fargate_service"]
    assert found.status == "pass", found


def test_a_plan_with_spot_fails_a_repo_without_it(judge: Judge) -> None:
    found = judge({"infra/main.tf": ON_DEMAND}, plan(SPOT_PLAN))["ecs_fargate_service"]
    assert found.status == "fail", found
    assert "no ECS service runs on Fargate Spot" in found.reason
    assert "the plan puts staging on it" in found.reason
    assert found.decided_at.startswith("plan.yaml:") and found.decided_at in found.evidence


def test_on_demand_without_spot_in_the_plan_says_nothing_of_spot(judge: Judge) -> None:
    found = judge({"infra/main.tf": ON_DEMAND}, plan("environments: [{name: production}]\n"))
    assert found["ecs_fargate_service"].status == "pass"
    assert "Spot" not in found["ecs_fargate_service"].reason


def test_the_default_environments_impose_no_spot(judge: Judge) -> None:
    """A plan that does not write its environments gets the default staging on Spot; a
    hand-written repository is not held to that."""
    found = judge({"infra/main.tf": ON_DEMAND}, plan("service: {port: 8080}\n"))
    assert found["ecs_fargate_service"].status == "pass", found["ecs_fargate_service"]
