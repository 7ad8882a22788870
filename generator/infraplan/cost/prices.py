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
    "fargate_spot_vcpu_hour": "Fargate Spot, per vCPU-hour (Linux/x86; the price varies)",
    "fargate_spot_gb_hour": "Fargate Spot, per GB of memory-hour (the price varies)",
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
    # Why the prices are not the region's own (None when they are).
    approximate: str | None = None
    # Prices that are the same in every region (Route 53, ACM), from the file's "global".
    global_prices: Mapping[str, float] = field(default_factory=dict)

    def price(self, key: str) -> float:
        if key in self.prices:
            return float(self.prices[key])
        return float(self.global_prices[key])

    def assume(self, key: str) -> float:
        return float(self.assumptions[key].value)

    def with_prices(
        self, prices: Mapping[str, float], source: str, as_of: str, approximate: str | None = None
    ) -> PriceTable:
        return replace(
            self,
            prices={**self.prices, **prices},
            source=source,
            as_of=as_of,
            approximate=approximate,
        )


@lru_cache(maxsize=1)
def price_file() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(package_data(PRICE_FILE).read_text(encoding="utf-8"))
    return data


def priced_regions() -> tuple[str, ...]:
    return tuple(sorted(price_file()["regions"]))


def approximate_prices() -> dict[str, float]:
    """For a region the file lacks: the highest shipped price of each kind, so the
    approximation leans high rather than low."""
    regions = price_file()["regions"].values()
    return {key: max(float(r[key]) for r in regions) for key in PRICE_KEYS}


def approximation_note(region: str) -> str:
    shipped = ", ".join(priced_regions())
    note = (
        f"no shipped prices for {region}: each price is the highest of the shipped regions "
        f"({shipped}); the region's own may be higher (e.g. South America, Africa, some of "
        "Asia Pacific)"
    )
    if region.startswith("cn-"):
        note += "; China regions bill in CNY through a separate partition"
    return note + ". For its own prices: `infraplan cost --live-prices`."


def price_table(region: str) -> PriceTable:
    """The shipped prices for ``region``. Any region a spec may name gets a table: one the
    file lacks gets an approximation, marked so (``approximate``)."""
    from infraplan.spec.aws_facts import REGIONS

    data = price_file()
    prices = data["regions"].get(region)
    approximate = None
    if prices is None:
        if region not in REGIONS:
            raise UserError(f"{region} is not an AWS region infraplan knows")
        prices, approximate = approximate_prices(), approximation_note(region)
    assumptions = {
        key: Assumption(key, entry["value"], entry["note"])
        for key, entry in data["assumptions"].items()
    }
    return PriceTable(
        region=region,
        prices=dict(prices),
        assumptions=assumptions,
        source=data["source"],
        as_of=data["as_of"],
        hours_per_month=float(data["hours_per_month"]),
        currency=data["currency"],
        not_included=tuple(data["not_included"]),
        approximate=approximate,
        global_prices=dict(data.get("global", {}).get("prices", {})),
    )
