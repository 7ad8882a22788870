"""--live-prices against recorded Price List API answers (botocore Stubber, no network)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from infraplan.cost import estimate
from infraplan.cost.command import run_cost_command
from infraplan.cost.live_prices import QUERIES, live_price_table, refreshed_price_file
from infraplan.cost.prices import PRICE_KEYS, price_file
from infraplan.errors import UserError
from infraplan.spec.load import parse_spec

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "price_list_eu-west-1.json"
SPEC = "project: shop\naws: {region: eu-west-1}\nci: {repository: acme/shop}\n"


def pricing() -> Any:
    return boto3.client(
        "pricing",
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


def recorded(client: Any, region: str = "eu-west-1") -> Stubber:
    """A stubber that answers each GetProducts call with the recorded pages, in order."""
    stub = Stubber(client)
    for call in json.loads(FIXTURE.read_text(encoding="utf-8"))["calls"]:
        request = dict(call["request"])
        request["Filters"] = [
            {**f, "Value": region} if f["Field"] == "regionCode" else f for f in request["Filters"]
        ]
        pages = call["pages"]
        for index, page in enumerate(pages):
            response: dict[str, Any] = {
                "FormatVersion": "aws_v1",
                "PriceList": [json.dumps(product) for product in page],
            }
            expected = dict(request)
            if index > 0:
                expected["NextToken"] = f"page-{index}"
            if index < len(pages) - 1:
                response["NextToken"] = f"page-{index + 1}"
            stub.add_response("get_products", response, expected)
    return stub


def test_every_price_has_a_query() -> None:
    assert {q.key for q in QUERIES} == set(PRICE_KEYS)


def test_live_prices_replace_shipped_ones() -> None:
    client = pricing()
    with recorded(client) as stub:
        table = live_price_table("eu-west-1", client)
        stub.assert_no_pending_responses()
    # The right product among decoys (ARM, Spot), on the second page.
    assert table.price("fargate_vcpu_hour") == 0.042
    assert table.price("fargate_gb_hour") == 0.0046
    assert table.price("alb_hour") == 0.026 and table.price("alb_lcu_hour") == 0.0085
    assert table.price("nat_gateway_hour") == 0.05 and table.price("nat_gateway_gb") == 0.05
    # The first paid tier, not the free one.
    assert table.price("cloudwatch_alarm_month") == 0.1
    # Billed per hour, kept per month.
    assert table.price("cloudwatch_dashboard_month") == pytest.approx(3.0, abs=1e-6)
    assert table.price("kms_key_month") == 1.0 and table.price("secret_month") == 0.4
    # Fargate Spot: its own usage type, not the on-demand product listed beside it.
    assert table.price("fargate_spot_vcpu_hour") == 0.01214
    assert table.price("fargate_spot_gb_hour") == 0.00133
    assert table.source.startswith("AWS Price List API")
    assert table.as_of == "2026-11-15"


def test_estimate_with_live_prices(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    spec_path = tmp_path / "plan.yaml"
    spec_path.write_text(SPEC, encoding="utf-8")
    client = pricing()
    with recorded(client):
        code = run_cost_command(spec_path, fmt="json", live_prices=True, pricing_client=client)
    out = json.loads(capsys.readouterr().out)
    assert code in (0, 1)
    assert out["prices"]["source"].startswith("AWS Price List API")
    staging, production = (
        {line["resource"]: line for line in env["lines"]} for env in out["environments"]
    )
    assert production["Fargate vCPU"]["unit_price"] == 0.042
    assert staging["Fargate Spot vCPU"]["unit_price"] == 0.01214  # staging runs on Spot
    shipped = estimate(parse_spec(SPEC))
    assert out["stack_total_usd"] != round(shipped.stack_total, 2)


def test_region_without_shipped_prices_takes_all_from_the_api() -> None:
    client = pricing()
    with recorded(client, region="ap-south-2"):
        table = live_price_table("ap-south-2", client)
    assert set(table.prices) == set(PRICE_KEYS)
    assert table.approximate is None  # every price is the region's own


def test_missing_price_for_unshipped_region_stays_approximate() -> None:
    client = pricing()
    stub = Stubber(client)
    for _ in QUERIES:
        stub.add_response("get_products", {"FormatVersion": "aws_v1", "PriceList": []})
    with stub:
        table = live_price_table("ap-south-2", client)
    assert table.approximate is not None and "fargate_vcpu_hour" in table.approximate


def test_access_denied_names_the_fix() -> None:
    client = pricing()
    stub = Stubber(client)
    stub.add_client_error("get_products", "AccessDeniedException", "no", http_status_code=400)
    with stub, pytest.raises(UserError) as caught:
        live_price_table("eu-west-1", client)
    assert "access denied to pricing:GetProducts" in caught.value.message
    assert caught.value.hint is not None and "without --live-prices" in caught.value.hint


def test_refreshed_price_file_rewrites_only_the_asked_regions() -> None:
    data = price_file()
    client = pricing()
    with recorded(client) as stub:
        fresh = refreshed_price_file(data, ["eu-west-1"], client, "2026-12-01")
        stub.assert_no_pending_responses()
    assert fresh["regions"]["eu-west-1"]["fargate_vcpu_hour"] == 0.042
    assert fresh["regions"]["us-east-1"] == data["regions"]["us-east-1"]
    assert set(fresh["regions"]["eu-west-1"]) == set(PRICE_KEYS)
    assert fresh["source"].startswith("AWS Price List API")
    assert fresh["as_of"] == "2026-11-15" and fresh["reviewed"] == "2026-12-01"
    assert fresh["assumptions"] == data["assumptions"]
    assert data["source"] != fresh["source"]  # the shipped data is not changed in place
