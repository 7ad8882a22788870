"""``infraplan cost``: the planned stack's monthly estimate against the R4 budget."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from infraplan.cost.estimate import estimate
from infraplan.cost.output import render_estimate
from infraplan.cost.prices import price_table
from infraplan.cost.suggest import suggestions
from infraplan.errors import EXIT_FINDINGS, EXIT_OK, UserError
from infraplan.formats import COST_FORMATS, check_format
from infraplan.spec.load import load_spec


def run_cost_command(
    spec_path: Path,
    *,
    fmt: str,
    live_prices: bool,
    profile: str | None = None,
    pricing_client: Any = None,
) -> int:
    """Print the estimate, and when over R4 the changes that would bring it under;
    0 within the R4 budget, 1 over it.

    ``pricing_client`` is a boto3 ``pricing`` client to use for ``live_prices``
    instead of opening one with ``profile``.
    """
    check_format(fmt, COST_FORMATS)
    if profile and not live_prices:
        raise UserError(
            "--profile is used to read prices from AWS", hint="add --live-prices, or drop --profile"
        )
    spec = load_spec(spec_path).spec
    if live_prices:
        from infraplan.cost.live_prices import live_price_table

        table = live_price_table(spec.aws.region, pricing_client, profile)
    else:
        table = price_table(spec.aws.region)
    result = estimate(spec, table)
    advice = suggestions(spec, result, table)
    sys.stdout.write(render_estimate(result, fmt, advice) + "\n")
    return EXIT_OK if result.within_budget else EXIT_FINDINGS
