"""Current prices from the AWS Price List API (``pricing:GetProducts``, read-only).

Each price the estimate needs is one query: a service code, filters on the
region (and product family), and the usage type the price is billed under.
Usage types carry a region prefix (``EUW1-``, ``EU-``, none in us-east-1), so
the match strips it rather than guessing it. Only on-demand terms are read;
for tiered prices the first paid tier counts. boto3 is imported lazily.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from infraplan.cost.prices import PRICE_KEYS, PriceTable, price_table
from infraplan.errors import UserError

PRICING_REGION = "us-east-1"  # the Price List API answers in a few regions only
_PREFIX = r"(?:[A-Z]{2,4}\d?-|[a-z]{2}(?:-gov)?-[a-z]+-\d+-)?"


@dataclass(frozen=True)
class PriceQuery:
    key: str
    service: str
    usage_type: str  # without the region prefix
    family: str | None = None
    per_month: bool = False  # the price file keeps this one per month


QUERIES: tuple[PriceQuery, ...] = (
    PriceQuery("fargate_vcpu_hour", "AmazonECS", "Fargate-vCPU-Hours:perCPU"),
    PriceQuery("fargate_gb_hour", "AmazonECS", "Fargate-GB-Hours"),
    PriceQuery("alb_hour", "AmazonEC2", "LoadBalancerUsage", "Load Balancer-Application"),
    PriceQuery("alb_lcu_hour", "AmazonEC2", "LCUUsage", "Load Balancer-Application"),
    PriceQuery("nat_gateway_hour", "AmazonEC2", "NatGateway-Hours", "NAT Gateway"),
    PriceQuery("nat_gateway_gb", "AmazonEC2", "NatGateway-Bytes", "NAT Gateway"),
    PriceQuery("public_ipv4_hour", "AmazonVPC", "PublicIPv4:InUseAddress"),
    PriceQuery(
        "cloudwatch_alarm_month", "AmazonCloudWatch", "CW:AlarmMonitorUsage", per_month=True
    ),
    PriceQuery(
        "cloudwatch_dashboard_month",
        "AmazonCloudWatch",
        "DashboardsUsageHour-Basic",
        per_month=True,
    ),
    PriceQuery("logs_ingestion_gb", "AmazonCloudWatch", "DataProcessing-Bytes"),
    PriceQuery("secret_month", "AWSSecretsManager", "AWSSecretsManager-Secrets", per_month=True),
    PriceQuery("kms_key_month", "awskms", "KMS-Keys", per_month=True),
    PriceQuery("ecr_storage_gb_month", "AmazonECR", "TimedStorage-ByteHrs"),
    # Fargate Spot: the current Spot rate, listed under on-demand terms with its own usage
    # type (what the Cost and Usage Report bills Spot tasks under).
    PriceQuery("fargate_spot_vcpu_hour", "AmazonECS", "SpotUsage-Fargate-vCPU-Hours:perCPU"),
    PriceQuery("fargate_spot_gb_hour", "AmazonECS", "SpotUsage-Fargate-GB-Hours"),
)


LIVE_SOURCE = "AWS Price List API (on-demand)"


def live_price_table(region: str, client: Any = None, profile: str | None = None) -> PriceTable:
    """The shipped table for ``region`` with every price the API returns replaced.

    A price the API does not return keeps its shipped value; for a region with no
    shipped prices that value is approximate, and the table stays marked so.
    ``profile`` names the AWS profile used when no ``client`` is given.
    """
    base = price_table(region)
    if client is None:
        client = pricing_client(profile)
    prices, dates = fetch_prices(region, client, base.hours_per_month)
    kept = sorted(set(PRICE_KEYS) - set(prices))
    source = LIVE_SOURCE + (f"; shipped prices kept for {', '.join(kept)}" if kept else "")
    approximate = None
    if kept and base.approximate:
        approximate = f"the AWS Price List API gave no price for {', '.join(kept)}; " + (
            base.approximate
        )
    return base.with_prices(prices, source, max(dates) if dates else base.as_of, approximate)


def fetch_prices(
    region: str, client: Any = None, hours_per_month: float = 730
) -> tuple[dict[str, float], set[str]]:
    """Every price the API lists for ``region``, and the publication dates they carry."""
    if client is None:
        client = pricing_client()
    prices: dict[str, float] = {}
    dates: set[str] = set()
    for query in QUERIES:
        found = fetch_price(client, query, region, hours_per_month)
        if found is not None:
            prices[query.key], published = found
            dates.add(published)
    return prices, dates


def refreshed_price_file(
    data: Mapping[str, Any], regions: Sequence[str], client: Any, today: str
) -> dict[str, Any]:
    """``data`` (the price file) with the prices of ``regions`` read again from the API.

    A price the API does not list keeps the file's value and is named in the
    new ``source``; a region that would lack a price is an error.
    """
    out = copy.deepcopy(dict(data))
    kept: set[str] = set()
    dates: set[str] = set()
    for region in regions:
        prices, published = fetch_prices(region, client, float(out["hours_per_month"]))
        old = out["regions"].get(region, {})
        missing = sorted(set(PRICE_KEYS) - set(prices) - set(old))
        if missing:
            raise UserError(
                f"the AWS Price List API gave no price for {', '.join(missing)} in {region}"
            )
        kept |= {f"{region}:{key}" for key in set(PRICE_KEYS) - set(prices)}
        out["regions"][region] = {key: prices.get(key, old.get(key)) for key in PRICE_KEYS}
        dates |= published
    out["source"] = LIVE_SOURCE + (
        f"; earlier values kept for {', '.join(sorted(kept))}" if kept else ""
    )
    out["as_of"] = max(dates) if dates else out["as_of"]
    out["reviewed"] = today
    out["refresh"] = (
        "Read from the AWS Price List API by scripts/refresh_prices.py; run it again, or "
        "`infraplan cost plan.yaml --live-prices`, for current prices."
    )
    out["regions"] = dict(sorted(out["regions"].items()))
    return out


def pricing_client(profile: str | None = None) -> Any:
    import boto3
    from botocore.config import Config

    try:
        session = boto3.session.Session(profile_name=profile)
    except Exception as exc:  # e.g. ProfileNotFound: a message naming the fix
        raise live_price_error(exc) from None
    return session.client(
        "pricing", region_name=PRICING_REGION, config=Config(retries={"mode": "standard"})
    )


def fetch_price(
    client: Any, query: PriceQuery, region: str, hours_per_month: float = 730
) -> tuple[float, str] | None:
    """The on-demand price for ``query`` in ``region`` and its publication date, if listed."""
    filters = [{"Type": "TERM_MATCH", "Field": "regionCode", "Value": region}]
    if query.family:
        filters.append({"Type": "TERM_MATCH", "Field": "productFamily", "Value": query.family})
    pattern = re.compile(_PREFIX + re.escape(query.usage_type) + "$")
    try:
        pages = client.get_paginator("get_products").paginate(
            ServiceCode=query.service, Filters=filters, FormatVersion="aws_v1"
        )
        for page in pages:
            for item in page.get("PriceList", []):
                product = json.loads(item) if isinstance(item, str) else item
                usage = product.get("product", {}).get("attributes", {}).get("usagetype", "")
                if pattern.fullmatch(usage):
                    price = on_demand_price(product)
                    if price is not None:
                        per_month = price[0] * (
                            hours_per_month if query.per_month and price[1] else 1
                        )
                        return per_month, str(product.get("publicationDate", ""))[:10]
    except Exception as exc:  # every failure becomes a message naming the fix
        raise live_price_error(exc) from None
    return None


def on_demand_price(product: Mapping[str, Any]) -> tuple[float, bool] | None:
    """The first paid tier's USD price, and whether it is billed per hour."""
    dimensions: list[Mapping[str, Any]] = []
    for term in product.get("terms", {}).get("OnDemand", {}).values():
        dimensions.extend(term.get("priceDimensions", {}).values())
    paid = [d for d in dimensions if _usd(d) > 0]
    if not paid:
        return None
    first = min(paid, key=lambda d: float(d.get("beginRange", "0") or 0))
    hourly = str(first.get("unit", "")).lower() in ("hrs", "hours", "hour")
    return _usd(first), hourly


def _usd(dimension: Mapping[str, Any]) -> float:
    try:
        return float(dimension.get("pricePerUnit", {}).get("USD", "0"))
    except ValueError:
        return 0.0


def live_price_error(exc: Exception) -> UserError:
    from infraplan.aws import describe_problem

    problem = describe_problem(exc, "pricing:GetProducts", PRICING_REGION, None)
    return UserError(
        f"--live-prices: {problem.message}",
        hint="or run without --live-prices to use the shipped prices",
    )
