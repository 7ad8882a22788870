"""How a cost estimate is printed: a table for people, JSON for tools."""

from __future__ import annotations

import json
from collections.abc import Sequence

from infraplan.catalogue import format_budget
from infraplan.cost.estimate import CostEstimate, budget_shares
from infraplan.cost.suggest import Suggestion
from infraplan.formats import COST_FORMATS, check_format


def render_estimate(result: CostEstimate, fmt: str, advice: Sequence[Suggestion] = ()) -> str:
    check_format(fmt, COST_FORMATS)
    if fmt == "json":
        data = {**result.to_dict(), "suggestions": [s.to_dict() for s in advice]}
        return json.dumps(data, indent=2, ensure_ascii=False)
    return render_table(result, advice)


def _money(amount: float) -> str:
    return f"${amount:,.2f}"


def render_table(result: CostEstimate, advice: Sequence[Suggestion] = ()) -> str:
    prices = result.prices
    lines = [
        f"Monthly estimate in {result.region} ({prices.currency}, "
        f"{prices.hours_per_month:g} hours a month)",
        f"Prices: {prices.source} ({prices.as_of})",
    ]
    if prices.approximate:
        lines.append(f"APPROXIMATE: {prices.approximate}")
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
        if env.ceiling_usd is not None:
            ceiling = f"at {env.max_count} tasks (autoscaling's maximum)"
            lines.append(f"  {'ceiling':{width}}  {ceiling:>34}  {_money(env.ceiling_usd):>10}")
    budget = format_budget(result.budget_usd)
    if result.within_budget:
        verdict = f"within the R4 budget of {budget} a month"
    else:
        verdict = f"OVER the R4 budget of {budget} a month"
    approx = " (approximate)" if prices.approximate else ""
    shares = ", ".join(f"{env} {_money(v)}" for env, v in budget_shares(result).items())
    lines += [
        "",
        f"All {len(result.environments)} environments: {_money(result.total)} a month{approx}; "
        f"{verdict}",
        f"AWS budget per environment (its share of R4, by estimate): {shares}",
    ]
    if advice:
        lines += ["", f"To bring it within {budget} a month, cheapest first:"]
        for item in advice:
            fits = "within R4" if item.enough else "still over"
            lines.append(
                f"  - {item.change}: saves {_money(item.saving)} -> {_money(item.total)} "
                f"({fits}); {item.consequence}"
            )
    if any(env.ceiling_usd is not None for env in result.environments):
        lines += [
            "",
            "Tasks run at each environment's desired count all month; with autoscaling the "
            "count moves between its minimum and maximum, and the ceiling is the month at "
            "the maximum (scaling itself is free; its alarms are priced above).",
        ]
    lines += ["", "Assumptions (estimates of usage, not prices):"]
    for key, number in marks.items():
        assumption = prices.assumptions[key]
        lines.append(f"  [{number}] {key} = {assumption.value}: {assumption.note}")
    lines.append("Not included: " + "; ".join(prices.not_included))
    return "\n".join(lines)
