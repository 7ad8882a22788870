"""``infraplan cost``: the planned stack's monthly estimate against the R4 budget."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from infraplan.cost.estimate import estimate
from infraplan.cost.output import check_format, render_estimate
from infraplan.errors import EXIT_FINDINGS, EXIT_OK
from infraplan.spec.load import load_spec


def run_cost_command(
    spec_path: Path, *, fmt: str, live_prices: bool, pricing_client: Any = None
) -> int:
    """Print the estimate; 0 within the R4 budget, 1 over it.

    ``pricing_client`` is a boto3 ``pricing`` client to use for ``live_prices``
    instead of opening one.
    """
    check_format(fmt)
    spec = load_spec(spec_path).spec
    table = None
    if live_prices:
        from infraplan.cost.live_prices import live_price_table

        table = live_price_table(spec.aws.region, pricing_client)
    result = estimate(spec, table)
    sys.stdout.write(render_estimate(result, fmt) + "\n")
    return EXIT_OK if result.within_budget else EXIT_FINDINGS
