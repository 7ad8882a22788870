"""Rewrite the shipped price file from the AWS Price List API (read-only calls).

    python scripts/refresh_prices.py [--region eu-west-1 ... | --all] [--profile NAME]

Without --region, every region already in the file is refreshed; --all reads
every commercial region a spec may name (infraplan.spec.aws_facts.REGIONS, without
GovCloud and China), so none is left to the approximation. Needs AWS
credentials (standard chain, or --profile) allowed pricing:GetProducts. The file
records the prices' publication date (as_of) and the day it was written
(reviewed). Review the diff before committing it: the estimate test recomputes
from the new numbers.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys

from infraplan.cost.live_prices import pricing_client, refreshed_price_file
from infraplan.cost.prices import PRICE_FILE, price_file
from infraplan.errors import UserError
from infraplan.package_data import package_data
from infraplan.spec.aws_facts import REGIONS


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--region", action="append", help="a region to refresh (repeatable)")
    parser.add_argument("--all", action="store_true", help="every commercial region")
    parser.add_argument("--profile", help="AWS profile (default: the standard chain)")
    args = parser.parse_args(argv)
    data = price_file()
    regions = args.region or sorted(data["regions"])
    if args.all:
        regions = [r for r in REGIONS if not r.startswith(("cn-", "us-gov-"))]
    try:
        client = pricing_client(args.profile)
        fresh = refreshed_price_file(data, regions, client, dt.date.today().isoformat())
    except UserError as exc:
        print(
            f"error: {exc.message}" + (f"\nhint: {exc.hint}" if exc.hint else ""), file=sys.stderr
        )
        return 2
    path = package_data(PRICE_FILE)
    path.write_text(json.dumps(fresh, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{path.name}: {len(regions)} regions refreshed ({fresh['as_of']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
