"""cost: every region priced (or marked approximate), the budget split between
environments, and the changes that bring an over-budget plan under R4."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import yaml

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
    result = estimate(s, None, sizing)  # dev as it would cost on Spot
    shares = budget_shares(result)
    assert list(shares) == ["dev", "staging", "production"]
    assert round(sum(shares.values()), 2) == budget
    assert shares["dev"] < shares["staging"]  # dev on Spot costs less, gets less
    # alike, but for the cent of rounding the last environment takes to add up to R4
    assert shares["staging"] == pytest.approx(shares["production"], abs=0.011)


# --- Fargate Spot ---------------------------------------------------------------------


def test_spot_is_priced_at_the_spot_rates() -> None:
    s = spec("environments: [{name: staging, spot: true, desired_count: 3}, {name: production}]\n")
    table = price_table("eu-west-1")
    lines = {line.resource: line for line in estimate(s).environments[0].lines}
    assert "Fargate vCPU" not in lines  # every staging task is on Spot
    vcpu = lines["Fargate Spot vCPU"]
    assert vcpu.quantity == pytest.approx(0.25 * 3 * 730)
    assert vcpu.unit_price == table.price("fargate_spot_vcpu_hour")
    assert vcpu.unit_price < table.price("fargate_vcpu_hour")
    assert lines["Fargate Spot memory"].unit_price == table.price("fargate_spot_gb_hour")
    assert vcpu.assumption == "fargate_spot_price"  # the output says the price varies


def test_spot_with_approval_keeps_one_task_on_demand() -> None:
    s = spec("environments: [{name: production, approval: true, spot: true, desired_count: 5}]\n")
    lines = {line.resource: line for line in estimate(s).environments[0].lines}
    # one on-demand base task, the other four split 1:1 by the strategy's weights
    assert lines["Fargate vCPU"].quantity == pytest.approx(0.25 * 3 * 730)
    assert lines["Fargate Spot vCPU"].quantity == pytest.approx(0.25 * 2 * 730)


def test_each_environment_is_priced_with_its_own_sizing() -> None:
    s = spec(
        "network: {nat: per_az, az_count: 2}\n"
        "environments: [{name: dev, nat: none, desired_count: 1, cpu: 512, memory: 1024},"
        " {name: production, approval: true}]\n"
    )
    dev, production = estimate(s).environments
    dev_lines = {line.resource: line for line in dev.lines}
    prod_lines = {line.resource: line for line in production.lines}
    assert "NAT gateways" not in dev_lines
    assert prod_lines["NAT gateways"].quantity == 2 * 730
    assert dev_lines["Fargate vCPU"].quantity == pytest.approx(0.5 * 1 * 730)
    assert prod_lines["Fargate vCPU"].quantity == pytest.approx(0.25 * 2 * 730)
    # without NAT each task has a public address beside the load balancer's two
    assert dev_lines["Public IPv4 addresses"].quantity == (2 + 1) * 730


def test_default_environments_fit_the_default_budget() -> None:
    """A five-line spec passes its own R4: staging on one Spot task without NAT,
    production on two on-demand tasks behind one NAT gateway."""
    result = estimate(spec())
    assert result.within_budget, result.total
    staging, production = result.environments
    assert staging.total < production.total


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


def edited(data: dict[str, Any], change: str) -> Any:
    """``data`` with a suggestion's change made as plan.yaml edits: ``group.key: value``
    or ``environments[NAME].key: value``, several joined by ", " or " + "."""
    data = json.loads(json.dumps(data))
    for edit in re.split(r", | \+ ", change):
        path, value = edit.split(": ", 1)
        found = re.fullmatch(r"environments\[([a-z0-9-]+)\]\.(\w+)", path)
        if found:
            env = next(e for e in data["environments"] if e["name"] == found.group(1))
            env[found.group(2)] = yaml.safe_load(value)
        else:
            group, key = path.split(".")
            data.setdefault(group, {})[key] = yaml.safe_load(value)
    return parse_spec(json.dumps(data))


@pytest.mark.parametrize("budget", [150, 300, 420])
def test_each_saving_is_what_the_edited_spec_would_cost(budget: int) -> None:
    data = over_data(budget)
    s = parse_spec(json.dumps(data))
    result = estimate(s)
    assert not result.within_budget
    advice = suggestions(s, result, result.prices)
    assert {a.change for a in advice} >= {
        "environments[production].nat: single",
        "environments[production].nat: none",
        "network.az_count: 2",
        "service.cpu: 256, service.memory: 512",
        "monitoring.dashboard: false",
    }
    for item in advice:
        # every suggestion, alone or combined, is the plan.yaml edit it names
        assert item.total == pytest.approx(estimate(edited(data, item.change)).total), item
        assert item.saving == pytest.approx(result.total - item.total)
        assert item.enough == (round(item.total, 2) <= budget)


def staging_and_production(budget: float) -> dict[str, Any]:
    """Two environments sized alike, both on demand behind one NAT gateway each."""
    return {
        "project": "shop",
        "ci": {"repository": "acme/shop"},
        "network": {"nat": "single"},
        "environments": [{"name": "staging"}, {"name": "production", "approval": True}],
        "requirements": {"monthly_budget_usd": budget},
    }


def test_spot_and_nat_per_environment_for_non_production() -> None:
    data = staging_and_production(170)
    s = parse_spec(json.dumps(data))
    result = estimate(s)
    advice = suggestions(s, result, result.prices)
    changes = [a.change for a in advice]
    assert "environments[staging].spot: true" in changes
    assert "environments[staging].desired_count: 1" in changes
    assert "environments[staging].nat: none" in changes
    assert "environments[production].nat: none" in changes
    assert not any("production].spot" in c or "production].desired" in c for c in changes)
    spot = next(a for a in advice if a.change == "environments[staging].spot: true")
    assert "two minutes" in spot.consequence
    for item in advice:
        assert item.total == pytest.approx(estimate(edited(data, item.change)).total), item
    # cheapest first: what is enough alone leads, giving up least first
    enough = [a for a in advice if a.enough]
    assert {a.change for a in enough} == {
        "environments[staging].nat: none",
        "environments[production].nat: none",
    }
    assert advice[: len(enough)] == enough
    rest = [a.saving for a in advice[len(enough) :]]
    assert rest == sorted(rest, reverse=True)


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
    data = staging_and_production(100)
    s = parse_spec(json.dumps(data))  # about twice R4
    result = estimate(s)
    assert not result.within_budget
    advice = suggestions(s, result, result.prices)
    assert advice and not any(a.enough for a in advice[:-1])
    combined = advice[-1]
    assert " + " in combined.change
    assert combined.saving > max(a.saving for a in advice[:-1])
    names = {a.change for a in advice[:-1]}
    assert {"environments[staging].nat: none", "monitoring.dashboard: false"} <= names
    assert "environments[staging].spot: true" in names
    assert combined.total == pytest.approx(estimate(edited(data, combined.change)).total)


def test_command_prints_the_suggestions_when_over(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(json.dumps(over_data(150)), encoding="utf-8")
    assert run_cost_command(path, fmt="table", live_prices=False) == 1
    out = capsys.readouterr().out
    assert "cheapest first:" in out and "environments[production].nat: single: saves $" in out
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
