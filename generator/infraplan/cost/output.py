"""How a cost estimate is printed: a table for people, JSON for tools."""

from __future__ import annotations

import json

from infraplan.catalogue import format_budget
from infraplan.cost.estimate import CostEstimate
from infraplan.errors import UserError

FORMATS = ("table", "json")


def check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise UserError(
            f"--format: {fmt!r} is not an output format of cost",
            hint=f"accepted: {', '.join(FORMATS)}",
        )


def render_estimate(result: CostEstimate, fmt: str) -> str:
    check_format(fmt)
    if fmt == "json":
        return json.dumps(result.to_dict(), indent=2, ensure_ascii=False)
    return render_table(result)


def _money(amount: float) -> str:
    return f"${amount:,.2f}"


def render_table(result: CostEstimate) -> str:
    prices = result.prices
    lines = [
        f"Monthly estimate in {result.region} ({prices.currency}, "
        f"{prices.hours_per_month:g} hours a month)",
        f"Prices: {prices.source} ({prices.as_of})",
    ]
    width = max(len(line.resource) for env in result.environments for line in env.lines)
    marks: dict[str, int] = {}
    for env in result.environments:
        lines += ["", f"{env.env}"]
        for line in env.lines:
            mark = ""
            if line.assumption:
                mark = f" [{marks.setdefault(line.assumption, len(marks) + 1)}]"
            quantity = f"{line.quantity:,.2f} {line.unit} x {line.unit_price:g}"
            lines.append(
                f"  {line.resource:{width}}  {quantity:>34}  {_money(line.monthly_usd):>10}{mark}"
            )
        lines.append(f"  {'total':{width}}  {'':>34}  {_money(env.total):>10}")
    budget = format_budget(result.budget_usd)
    if result.within_budget:
        verdict = f"within the R4 budget of {budget} a month"
    else:
        verdict = f"OVER the R4 budget of {budget} a month"
    lines += [
        "",
        f"All {len(result.environments)} environments: {_money(result.total)} a month; {verdict}",
        "",
        "Assumptions (estimates of usage, not prices):",
    ]
    for key, number in marks.items():
        assumption = prices.assumptions[key]
        lines.append(f"  [{number}] {key} = {assumption.value}: {assumption.note}")
    lines.append("Not included: " + "; ".join(prices.not_included))
    return "\n".join(lines)
