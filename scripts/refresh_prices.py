"""Rewrite the shipped price file from the AWS Price List API (read-only calls).

    python scripts/refresh_prices.py [--region eu-west-1 ...]

Without --region, every region already in the file is refreshed. Needs AWS
credentials (standard chain) allowed pricing:GetProducts. Review the diff
before committing it: the estimate test recomputes from the new numbers.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys

from infraplan.cost.live_prices import refreshed_price_file
from infraplan.cost.prices import PRICE_FILE, price_file
from infraplan.errors import UserError
from infraplan.package_data import package_data


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--region", action="append", help="a region to refresh (repeatable)")
    args = parser.parse_args(argv)
    data = price_file()
    regions = args.region or sorted(data["regions"])
    try:
        fresh = refreshed_price_file(data, regions, None, dt.date.today().isoformat())
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
