"""Properties of the estimate over every spec shape the schema allows."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from infraplan.cost import estimate, estimate_total
from infraplan.cost.prices import priced_regions
from infraplan.spec.aws_facts import FARGATE_SIZES
from infraplan.spec.model import Spec


@st.composite
def specs(draw: st.DrawFn, nat: str | None = None) -> Spec:
    cpu = draw(st.sampled_from(sorted(FARGATE_SIZES)))
    data: dict[str, Any] = {
        "project": "shop",
        "ci": {"repository": "acme/shop"},
        "aws": {"region": draw(st.sampled_from(priced_regions()))},
        "service": {
            "cpu": cpu,
            "memory": draw(st.sampled_from(FARGATE_SIZES[cpu])),
            "desired_count": draw(st.integers(1, 100)),
        },
        "network": {
            "az_count": draw(st.integers(2, 6)),
            "nat": nat or draw(st.sampled_from(["none", "single", "per_az"])),
        },
        "monitoring": {"dashboard": draw(st.booleans())},
        "secrets": draw(st.lists(st.sampled_from(["A", "B", "C", "D"]), unique=True)),
        "environments": [{"name": n} for n in draw(st.sampled_from([["prod"], ["dev", "prod"]]))],
    }
    return Spec.model_validate(data)


@settings(max_examples=60, deadline=None)
@given(specs())
def test_totals_add_up(spec: Spec) -> None:
    result = estimate(spec)
    assert len(result.environments) == len(spec.environments)
    for env in result.environments:
        assert all(line.monthly_usd >= 0 for line in env.lines)
        assert env.total == sum(line.monthly_usd for line in env.lines)
    assert result.total == sum(env.total for env in result.environments)
    assert estimate_total(spec) == round(result.total, 2)
    assert result.within_budget == (round(result.total, 2) <= spec.requirements.monthly_budget_usd)


@settings(max_examples=40, deadline=None)
@given(specs())
def test_one_more_task_costs_more(spec: Spec) -> None:
    if spec.service.desired_count == 100:
        return
    bigger = spec.model_copy(
        update={
            "service": spec.service.model_copy(
                update={"desired_count": spec.service.desired_count + 1}
            )
        }
    )
    assert estimate_total(bigger) > estimate_total(spec)


@settings(max_examples=40, deadline=None)
@given(specs(nat="single"))
def test_a_nat_gateway_per_zone_costs_more_than_one(spec: Spec) -> None:
    per_az = spec.model_copy(update={"network": spec.network.model_copy(update={"nat": "per_az"})})
    assert estimate_total(per_az) > estimate_total(spec)
