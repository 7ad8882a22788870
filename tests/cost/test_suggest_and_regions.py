"""cost: every region priced (or marked approximate), the budget split between
environments, and the changes that bring an over-budget plan under R4."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from infraplan.cost import estimate
from infraplan.cost.command import run_cost_command
from infraplan.cost.estimate import budget_shares, env_sizing
from infraplan.cost.prices import PRICE_KEYS, price_file, price_table
from infraplan.cost.suggest import suggestions
from infraplan.errors import UserError
from infraplan.spec.aws_facts import REGIONS
from infraplan.spec.load import parse_spec

BASE = "project: shop\nci: {repository: acme/shop}\n"


def spec(extra: str = "") -> Any:
    return parse_spec(BASE + extra)


# --- every region ---------------------------------------------------------------------


def test_price_file_is_dated() -> None:
    data = price_file()
    assert data["as_of"] and data["reviewed"] and data["source"]


@pytest.mark.parametrize("region", REGIONS)
def test_every_region_a_spec_accepts_has_prices_or_an_honest_approximation(region: str) -> None:
    table = price_table(region)
    assert set(table.prices) == set(PRICE_KEYS)
    assert all(v > 0 for v in table.prices.values())
    shipped = region in price_file()["regions"]
    assert (table.approximate is None) is shipped
    if not shipped:
        assert region in str(table.approximate) and "approximate" not in str(table.source)


@pytest.mark.parametrize("region", ["eu-west-2", "eu-central-1", "sa-east-1", "cn-north-1"])
def test_a_valid_spec_never_exits_2(
    region: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(BASE + f"aws: {{region: {region}}}\n", encoding="utf-8")
    code = run_cost_command(path, fmt="table", live_prices=False)
    out = capsys.readouterr().out
    assert code in (0, 1)
    if region not in price_file()["regions"]:
        assert "APPROXIMATE:" in out and "a month (approximate)" in out
    data_code = run_cost_command(path, fmt="json", live_prices=False)
    data = json.loads(capsys.readouterr().out)
    assert data_code == code and data["prices"]["approximate"]


def test_profile_needs_live_prices(tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(BASE, encoding="utf-8")
    with pytest.raises(UserError, match="--profile"):
        run_cost_command(path, fmt="table", live_prices=False, profile="ops")


def test_live_prices_open_a_session_with_the_profile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import boto3

    seen: list[str | None] = []

    class Session:
        def __init__(self, profile_name: str | None = None) -> None:
            seen.append(profile_name)
            raise RuntimeError("stop here")

    monkeypatch.setattr(boto3.session, "Session", Session)
    path = tmp_path / "plan.yaml"
    path.write_text(BASE, encoding="utf-8")
    with pytest.raises(UserError, match="--live-prices"):
        run_cost_command(path, fmt="table", live_prices=True, profile="billing-ro")
    assert seen == ["billing-ro"]


def test_cli_offers_profile(run_cli: Any) -> None:
    result = run_cli("cost", "--help")
    assert "--profile" in result.out and "--live-prices" in result.out


# --- the budget per environment -----------------------------------------------------


@pytest.mark.parametrize("budget", [100, 333.33, 1])
def test_budget_shares_add_up_to_r4_in_proportion(budget: float) -> None:
    s = spec(
        f"requirements: {{monthly_budget_usd: {budget}}}\n"
        "environments: [{name: dev}, {name: staging}, {name: production}]\n"
    )
    sizing = {"dev": replace(env_sizing(s, "dev"), spot=True)}
    result = estimate(s, None, sizing)
    shares = budget_shares(result)
    assert list(shares) == ["dev", "staging", "production"]
    assert round(sum(shares.values()), 2) == budget
    assert shares["dev"] < shares["staging"]  # dev on Spot costs less, gets less
    assert shares["staging"] == pytest.approx(shares["production"], abs=0.01)


# --- Fargate Spot ---------------------------------------------------------------------


def test_spot_prices_fargate_at_the_assumed_discount() -> None:
    s = spec()
    on_demand = {line.resource: line for line in estimate(s).environments[0].lines}
    spot_sizing = {"staging": replace(env_sizing(s, "staging"), spot=True)}
    spot = {line.resource: line for line in estimate(s, None, spot_sizing).environments[0].lines}
    discount = price_table("eu-west-1").assume("fargate_spot_discount")
    assert spot["Fargate vCPU (Spot)"].monthly_usd == pytest.approx(
        on_demand["Fargate vCPU"].monthly_usd * (1 - discount)
    )
    assert spot["Fargate vCPU (Spot)"].assumption == "fargate_spot_discount"


# --- suggestions ----------------------------------------------------------------------


def test_within_budget_nothing_is_suggested() -> None:
    s = spec("requirements: {monthly_budget_usd: 100000}\n")
    result = estimate(s)
    assert suggestions(s, result, result.prices) == []


def over_data(budget: float, **edits: dict[str, Any]) -> dict[str, Any]:
    """A one-size-too-big spec over ``budget``, with ``edits`` merged into its groups.

    One environment: two with a NAT gateway in each of three zones need six Elastic
    IPs, over the default quota of five, which spec validation refuses."""
    data: dict[str, Any] = {
        "project": "shop",
        "ci": {"repository": "acme/shop"},
        "environments": [{"name": "production", "approval": True}],
        "network": {"nat": "per_az", "az_count": 3},
        "service": {"cpu": 1024, "memory": 2048, "desired_count": 8},
        "monitoring": {"dashboard": True},
        "requirements": {"monthly_budget_usd": budget},
    }
    for group, values in edits.items():
        data[group] = {**data[group], **values}
    return data


def over(budget: float, **edits: dict[str, Any]) -> Any:
    return parse_spec(json.dumps(over_data(budget, **edits)))


# Changes a suggestion names that are plain spec edits: price them by editing the spec.
SPEC_EDITS: dict[str, dict[str, dict[str, Any]]] = {
    "network.nat: single": {"network": {"nat": "single"}},
    "network.nat: none": {"network": {"nat": "none"}},
    "network.az_count: 2": {"network": {"az_count": 2}},
    "service.cpu: 256, service.memory: 512": {"service": {"cpu": 256, "memory": 512}},
    "monitoring.dashboard: false": {"monitoring": {"dashboard": False}},
}


@pytest.mark.parametrize("budget", [150, 300, 420])
def test_each_saving_is_what_the_edited_spec_would_cost(budget: int) -> None:
    s = over(budget)
    result = estimate(s)
    assert not result.within_budget
    advice = suggestions(s, result, result.prices)
    assert {a.change for a in advice} >= set(SPEC_EDITS)
    for item in advice:
        if item.change not in SPEC_EDITS:
            continue
        edited = over(budget, **SPEC_EDITS[item.change])
        assert item.total == pytest.approx(estimate(edited).total), item.change
        assert item.saving == pytest.approx(result.total - item.total)
        assert item.enough == (round(item.total, 2) <= budget)


def test_cheapest_first_the_smallest_sufficient_change_leads() -> None:
    s = over(420)
    result = estimate(s)
    advice = suggestions(s, result, result.prices)
    enough = [a for a in advice if a.enough]
    assert enough, [(a.change, a.total) for a in advice]
    assert advice[: len(enough)] == enough  # sufficient changes first
    savings = [a.saving for a in enough]
    assert savings == sorted(savings)  # the one giving up least first
    rest = [a.saving for a in advice[len(enough) :]]
    assert rest == sorted(rest, reverse=True)


def test_when_no_change_is_enough_alone_a_combination_is_offered() -> None:
    s = spec()  # the defaults: two environments, about twice R4
    result = estimate(s)
    assert not result.within_budget
    advice = suggestions(s, result, result.prices)
    assert advice and not any(a.enough for a in advice[:-1])
    combined = advice[-1]
    assert " + " in combined.change
    assert combined.saving > max(a.saving for a in advice[:-1])
    names = {a.change for a in advice[:-1]}
    assert {"network.nat: none", "monitoring.dashboard: false"} <= names
    assert any(a.change.startswith("Fargate Spot for staging") for a in advice)


def test_command_prints_the_suggestions_when_over(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(json.dumps(over_data(150)), encoding="utf-8")
    assert run_cost_command(path, fmt="table", live_prices=False) == 1
    out = capsys.readouterr().out
    assert "cheapest first:" in out and "network.nat: single: saves $" in out
    assert run_cost_command(path, fmt="json", live_prices=False) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["suggestions"] and data["suggestions"][0]["saving_usd"] > 0
    assert round(sum(data["budget_per_environment_usd"].values()), 2) == 150


@pytest.mark.parametrize(("lang", "word"), [("es", "Aproximada"), ("en", "Approximate")])
def test_plan_marks_an_approximate_estimate(lang: str, word: str) -> None:
    from infraplan.plan.markdown import render_plan

    unshipped = render_plan(spec("aws: {region: eu-central-1}\n"), lang)  # type: ignore[arg-type]
    r4 = next(line for line in unshipped.splitlines() if "R4" in line)
    assert word in r4 and "`eu-central-1`" in r4
    shipped = render_plan(spec("aws: {region: eu-west-1}\n"), lang)  # type: ignore[arg-type]
    assert word not in next(line for line in shipped.splitlines() if "R4" in line)
