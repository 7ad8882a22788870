"""What HTTPS by name adds to the estimate: nothing to pay, said line by line.

Public ACM certificates used with a load balancer are free, alias records to a load
balancer are free to query, and the hosted zone exists before the stack (which never
creates one): its $0.50 a month is not the stack's. The price file says where each of
these comes from.
"""

from __future__ import annotations

import json
from pathlib import Path

from infraplan.cost import estimate
from infraplan.spec.load import parse_spec

PRICE_FILE = (
    Path(__file__).resolve().parents[2] / "generator" / "infraplan" / "data" / "prices.json"
)
BASE = "project: shop\nci: {repository: acme/shop}\n"
BY_NAME = BASE + "service: {domain: api.example.com, hosted_zone: example.com}\n"
CERTIFICATE = "arn:aws:acm:eu-west-1:123456789012:certificate/abc"


def _lines(text: str) -> dict[str, dict[str, tuple[float, float]]]:
    result = estimate(parse_spec(text))
    return {
        env.env: {line.resource: (line.quantity, line.monthly_usd) for line in env.lines}
        for env in result.environments
    }


def test_each_environment_gets_a_free_certificate_and_alias_record() -> None:
    plain, named = _lines(BASE), _lines(BY_NAME)
    for env, lines in named.items():
        new = {k: v for k, v in lines.items() if k not in plain[env]}
        assert new == {
            "ACM public certificate (validated by DNS)": (1, 0.0),
            "Route 53 alias record and its queries": (1, 0.0),
        }
    assert estimate(parse_spec(BY_NAME)).total == estimate(parse_spec(BASE)).total
    # a certificate made elsewhere: no certificate of the stack's own
    given = _lines(
        BY_NAME.replace("example.com}", f"example.com, certificate_arn: '{CERTIFICATE}'}}")
    )
    assert all("ACM public certificate (validated by DNS)" not in v for v in given.values())
    assert all("Route 53 alias record and its queries" in v for v in given.values())


def test_the_price_file_says_where_the_free_prices_come_from() -> None:
    data = json.loads(PRICE_FILE.read_text(encoding="utf-8"))
    prices = data["global"]["prices"]
    assert prices["acm_public_certificate_month"] == 0
    assert prices["route53_alias_record_month"] == 0
    assert prices["route53_hosted_zone_month"] == 0.5  # priced only if the stack made one
    assert "aws.amazon.com/route53/pricing" in data["global"]["source"]
    assert "aws.amazon.com/certificate-manager/pricing" in data["global"]["source"]
    zone = [n for n in data["not_included"] if "hosted zone" in n]
    assert zone and "never creates" in zone[0]
    # no region's table may shadow a global price
    assert not any(set(prices) & set(region) for region in data["regions"].values())
