"""The price file shipped with infraplan (``data/prices.json``): prices per region, the usage
assumptions the estimate makes, and where the prices come from."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

from infraplan.errors import UserError
from infraplan.package_data import package_data

PRICE_FILE = "prices.json"

# What each price is for; the estimate needs all of them for a region.
PRICE_KEYS: dict[str, str] = {
    "fargate_vcpu_hour": "Fargate, per vCPU-hour (Linux/x86)",
    "fargate_gb_hour": "Fargate, per GB of memory-hour",
    "alb_hour": "Application Load Balancer, per hour",
    "alb_lcu_hour": "Application Load Balancer, per LCU-hour",
    "nat_gateway_hour": "NAT gateway, per hour",
    "nat_gateway_gb": "NAT gateway, per GB processed",
    "public_ipv4_hour": "public IPv4 address, per hour",
    "cloudwatch_alarm_month": "CloudWatch standard alarm, per month",
    "cloudwatch_dashboard_month": "CloudWatch dashboard, per month",
    "logs_ingestion_gb": "CloudWatch Logs ingestion, per GB",
    "secret_month": "Secrets Manager secret, per month",
    "kms_key_month": "KMS customer-managed key, per month",
    "ecr_storage_gb_month": "ECR storage, per GB-month",
}


@dataclass(frozen=True)
class Assumption:
    key: str
    value: Any
    note: str


@dataclass(frozen=True)
class PriceTable:
    """Prices of one region, with the file's assumptions and provenance."""

    region: str
    prices: Mapping[str, float]
    assumptions: Mapping[str, Assumption]
    source: str
    as_of: str
    hours_per_month: float
    currency: str = "USD"
    not_included: tuple[str, ...] = field(default_factory=tuple)

    def price(self, key: str) -> float:
        return float(self.prices[key])

    def assume(self, key: str) -> float:
        return float(self.assumptions[key].value)

    def with_prices(self, prices: Mapping[str, float], source: str, as_of: str) -> PriceTable:
        return replace(self, prices={**self.prices, **prices}, source=source, as_of=as_of)


@lru_cache(maxsize=1)
def price_file() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(package_data(PRICE_FILE).read_text(encoding="utf-8"))
    return data


def priced_regions() -> tuple[str, ...]:
    return tuple(sorted(price_file()["regions"]))


def price_table(region: str, *, allow_missing: bool = False) -> PriceTable:
    """The shipped prices for ``region``; a region the file lacks is bad input unless
    ``allow_missing`` (then its prices are empty, to be filled from the Price List API)."""
    data = price_file()
    prices = data["regions"].get(region)
    if prices is None and not allow_missing:
        raise UserError(
            f"no shipped prices for region {region}",
            hint=f"regions with prices: {', '.join(priced_regions())}; or run "
            "`infraplan cost --live-prices` to read them from the AWS Price List API",
        )
    assumptions = {
        key: Assumption(key, entry["value"], entry["note"])
        for key, entry in data["assumptions"].items()
    }
    return PriceTable(
        region=region,
        prices=dict(prices or {}),
        assumptions=assumptions,
        source=data["source"],
        as_of=data["as_of"],
        hours_per_month=float(data["hours_per_month"]),
        currency=data["currency"],
        not_included=tuple(data["not_included"]),
    )
