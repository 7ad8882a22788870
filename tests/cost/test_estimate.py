"""The cost estimate, checked by hand from the price file's own numbers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from infraplan.cost import estimate, estimate_total
from infraplan.cost.command import run_cost_command
from infraplan.errors import UserError
from infraplan.spec.load import load_spec, parse_spec

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "checkout" / "plan.yaml"
PRICE_FILE = ROOT / "generator" / "infraplan" / "data" / "prices.json"


def price_file() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(PRICE_FILE.read_text(encoding="utf-8"))
    return data


def test_example_matches_hand_computation() -> None:
    """examples/checkout: eu-west-1, 2 tasks of 0.5 vCPU and 1 GB, 2 zones, one NAT gateway,
    2 secrets, a dashboard, 2 environments."""
    data = price_file()
    p = data["regions"]["eu-west-1"]
    a = {key: entry["value"] for key, entry in data["assumptions"].items()}
    hours = data["hours_per_month"]
    assert hours == 730

    fargate_vcpu = 0.5 * 2 * hours * p["fargate_vcpu_hour"]
    fargate_memory = 1.0 * 2 * hours * p["fargate_gb_hour"]
    alb = hours * p["alb_hour"]
    lcu = a["alb_lcu_per_hour"] * hours * p["alb_lcu_hour"]
    nat = 1 * hours * p["nat_gateway_hour"]
    nat_data = a["nat_data_gb_per_month"] * p["nat_gateway_gb"]
    ipv4 = (2 + 1) * hours * p["public_ipv4_hour"]  # the ALB in 2 zones, the NAT's EIP
    alarms = 7 * p["cloudwatch_alarm_month"]  # the monitoring module's seven alarms
    alarms += 2 * p["cloudwatch_alarm_month"]  # the CPU target tracking policy's two
    dashboard = 1 * p["cloudwatch_dashboard_month"]
    logs = a["log_ingestion_gb_per_month"] * p["logs_ingestion_gb"]
    secrets = 2 * p["secret_month"]
    kms = a["kms_keys_per_env"] * p["kms_key_month"]
    ecr = a["ecr_storage_gb"] * p["ecr_storage_gb_month"]
    per_env = (
        fargate_vcpu + fargate_memory + alb + lcu + nat + nat_data + ipv4
        + alarms + dashboard + logs + secrets + kms + ecr
    )  # fmt: skip

    spec = load_spec(EXAMPLE).spec
    result = estimate(spec)
    assert [e.env for e in result.environments] == ["staging", "production"]
    for env in result.environments:
        assert env.total == pytest.approx(per_env)
    lines = {line.resource: line.monthly_usd for line in result.environments[0].lines}
    assert lines["Fargate vCPU"] == pytest.approx(fargate_vcpu)
    assert lines["Public IPv4 addresses"] == pytest.approx(ipv4)
    assert lines["NAT data processed"] == pytest.approx(nat_data)
    assert result.total == pytest.approx(2 * per_env)
    assert estimate_total(spec) == round(2 * per_env, 2)
    # R4 bounds the new infrastructure: both environments together
    assert result.within_budget == (round(2 * per_env, 2) <= spec.requirements.monthly_budget_usd)


SPEC = """\
project: shop
aws: {{region: {region}}}
ci: {{repository: acme/shop}}
network: {{az_count: 3, nat: {nat}}}
service: {{desired_count: 4}}
monitoring: {{dashboard: {dashboard}}}
requirements: {{monthly_budget_usd: {budget}}}
environments: [{{name: prod}}]
"""


def spec_of(
    nat: str = "single", region: str = "us-east-1", dashboard: bool = True, budget: float = 500
) -> Any:
    text = SPEC.format(nat=nat, region=region, dashboard=str(dashboard).lower(), budget=budget)
    return parse_spec(text)


def resources(spec: Any) -> dict[str, Any]:
    return {line.resource: line for line in estimate(spec).environments[0].lines}


def test_nat_modes() -> None:
    hours = price_file()["hours_per_month"]
    none, single, per_az = (resources(spec_of(nat)) for nat in ("none", "single", "per_az"))
    assert "NAT gateways" not in none and "NAT data processed" not in none
    assert single["NAT gateways"].quantity == 1 * hours
    assert per_az["NAT gateways"].quantity == 3 * hours
    # Without NAT, each of the 4 tasks has its own public address, beside the ALB's 3.
    assert none["Public IPv4 addresses"].quantity == (3 + 4) * hours
    assert per_az["Public IPv4 addresses"].quantity == (3 + 3) * hours


def test_blue_green_prices_its_alarm_metrics_and_shows_its_free_resources() -> None:
    rolling = spec_of()
    blue_green = rolling.model_copy(
        update={"deploy": rolling.deploy.model_copy(update={"strategy": "blue_green"})}
    )
    before, after = resources(rolling), resources(blue_green)
    alarm = price_file()["regions"]["us-east-1"]["cloudwatch_alarm_month"]
    # metric math over both target groups: CloudWatch bills each metric an alarm evaluates
    assert after["CloudWatch alarms"].quantity == before["CloudWatch alarms"].quantity + 2
    assert after["CloudWatch alarms"].monthly_usd - before["CloudWatch alarms"].monthly_usd == (
        pytest.approx(2 * alarm)
    )
    free = after["Blue/green target group and listener rules (not billed)"]
    assert (free.quantity, free.monthly_usd) == (3, 0.0)
    assert "Blue/green target group and listener rules (not billed)" not in before
    # the load balancer itself is the same one
    assert after["Application Load Balancer"] == before["Application Load Balancer"]


def test_no_dashboard_no_secrets() -> None:
    lines = resources(spec_of(dashboard=False))
    assert "CloudWatch dashboard" not in lines
    assert "Secrets Manager secrets" not in lines


def test_assumptions_are_named_on_their_lines() -> None:
    lines = resources(spec_of())
    assert lines["Load balancer capacity units"].assumption == "alb_lcu_per_hour"
    assert lines["Fargate vCPU"].assumption is None
    known = set(price_file()["assumptions"])
    assert {line.assumption for line in lines.values()} - {None} <= known


def test_region_without_shipped_prices_is_approximate_never_bad_input() -> None:
    result = estimate(spec_of(region="ap-south-2"))
    approximate = result.prices.approximate
    assert approximate is not None and "ap-south-2" in approximate
    assert "--live-prices" in approximate
    shipped = price_file()["regions"]
    for key, value in result.prices.prices.items():
        assert value == max(r[key] for r in shipped.values()), key  # leans high
    assert estimate(spec_of(region="eu-west-1")).prices.approximate is None


def test_price_file_states_source_date_and_full_regions() -> None:
    data = price_file()
    assert data["source"] and data["as_of"] and data["currency"] == "USD"
    keys = set(data["regions"]["us-east-1"])
    for region, prices in data["regions"].items():
        assert set(prices) == keys, region
        assert all(isinstance(v, int | float) and v > 0 for v in prices.values()), region
    assert all(entry["note"] for entry in data["assumptions"].values())


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "plan.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_command_over_budget_exits_one(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = SPEC.format(nat="per_az", region="eu-west-1", dashboard="true", budget=50)
    code = run_cost_command(write(tmp_path, text), fmt="table", live_prices=False)
    out = capsys.readouterr().out
    assert code == 1
    assert "OVER the R4 budget of $50 a month" in out
    assert "[1] alb_lcu_per_hour = 1" in out
    assert "Not included:" in out


def test_command_json_within_budget(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = SPEC.format(nat="none", region="us-west-2", dashboard="false", budget=1000)
    code = run_cost_command(write(tmp_path, text), fmt="json", live_prices=False)
    out = json.loads(capsys.readouterr().out)
    assert code == 0
    assert out["within_budget"] is True and out["budget_applies_to"] == "all environments together"
    env = out["environments"][0]
    assert env["name"] == "prod"
    assert env["total_usd"] == pytest.approx(
        sum(line["monthly_usd"] for line in env["lines"]), abs=0.05
    )
    assert out["stack_total_usd"] == env["total_usd"]
    assert {a["key"] for a in out["assumptions"]} >= {"alb_lcu_per_hour", "ecr_storage_gb"}
    assert "nat_data_gb_per_month" not in {a["key"] for a in out["assumptions"]}


def test_command_rejects_unknown_format(tmp_path: Path) -> None:
    path = write(tmp_path, SPEC.format(nat="none", region="us-west-2", dashboard="true", budget=1))
    with pytest.raises(UserError, match="--format"):
        run_cost_command(path, fmt="sarif", live_prices=False)


def test_budget_estimate_rule() -> None:
    from infraplan.cost.rule import budget_estimate

    cheap = budget_estimate(spec_of(nat="none", budget=1000), ("plan.yaml:7",))
    assert cheap.rule == "budget_estimate" and cheap.status == "pass"
    assert cheap.evidence == ("plan.yaml:7",)
    over = budget_estimate(spec_of(budget=10))
    assert over.status == "fail" and "over R4 ($10)" in over.reason
    assert f"${estimate_total(spec_of(budget=10)):,.2f}" in over.reason
    approximate = budget_estimate(spec_of(region="ap-south-2", budget=10))
    assert approximate.status == "fail" and "approximate" in approximate.reason


def test_not_included_matches_what_the_generated_stack_runs() -> None:
    """The list of what the estimate leaves out describes the generated stack: S3
    native locking (no DynamoDB table) and Container Insights, which the cluster
    enables and the estimate does not price."""
    from infraplan.cost.prices import price_table

    templates = ROOT / "cookiecutters"
    backend = next(templates.glob("terraform-env/*/infra/envs/*/backend.tf")).read_text("utf-8")
    cluster = next(templates.glob("terraform-modules/*/infra/modules/ecs/main.tf")).read_text(
        "utf-8"
    )
    left_out = " ".join(price_table("eu-west-1").not_included)
    locks_in_dynamodb = "dynamodb_table" in backend and "use_lockfile" not in backend
    assert ("DynamoDB" in left_out) is locks_in_dynamodb
    assert "S3 for the Terraform state" in left_out
    insights = '"containerInsights"' in cluster and '"enabled"' in cluster
    assert ("Container Insights" in left_out) is insights


def test_autoscaling_prices_its_alarms_and_states_its_ceiling() -> None:
    from infraplan.cost.output import render_table
    from infraplan.spec.load import parse_spec

    base = "project: shop\nci: {repository: a/b}\nenvironments: [{name: prod}]\n"
    off = estimate(parse_spec(base + "service: {autoscaling: {enabled: false}}\n"))
    on = estimate(
        parse_spec(base + "service: {autoscaling: {max_count: 6, requests_per_target: 500}}\n")
    )
    alarm = on.prices.price("cloudwatch_alarm_month")
    # two tracking policies (CPU, requests), two alarms each; nothing else changes
    assert on.total == pytest.approx(off.total + 4 * alarm)
    (env,) = on.environments
    assert env.max_count == 6 and env.ceiling_usd is not None
    fargate = sum(c.monthly_usd for c in env.lines if c.resource.startswith("Fargate"))
    # the ceiling runs 6 tasks where the estimate runs the desired 2
    assert env.ceiling_usd == pytest.approx(env.total + 2 * fargate)
    assert off.environments[0].ceiling_usd is None
    assert env.to_dict()["autoscaling"] == {
        "max_count": 6,
        "ceiling_usd": round(env.ceiling_usd, 2),
    }
    table = render_table(on)
    assert "at 6 tasks (autoscaling's maximum)" in table
    assert "the ceiling is the month at the maximum" in table
    assert "autoscaling's maximum" not in render_table(off)
