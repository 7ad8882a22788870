"""The ``budget_estimate`` rule: does the planned stack's estimate fit R4?

``check`` reports it beside its code rules; the finding says the figures so
the user sees by how much a plan is over or under.
"""

from __future__ import annotations

from infraplan.catalogue import format_budget
from infraplan.cost.estimate import estimate
from infraplan.errors import UserError
from infraplan.findings import Finding
from infraplan.spec.model import Spec

RULE = "budget_estimate"


def budget_estimate(spec: Spec, evidence: tuple[str, ...] = ()) -> Finding:
    """pass when the estimate of every environment together is within R4, fail when over
    (an approximate estimate says so). ``evidence`` is where R4 is written."""
    try:
        result = estimate(spec)
    except UserError as exc:
        return Finding(RULE, "unknown", evidence, f"{exc.message}; {exc.hint or ''}".rstrip("; "))
    figure = f"${result.total:,.2f}" + (" (approximate)" if result.prices.approximate else "")
    envs = f"{len(result.environments)} environment" + ("s" if len(result.environments) > 1 else "")
    budget = format_budget(result.budget_usd)
    if result.within_budget:
        reason = f"estimate {figure} a month for {envs}, within R4 ({budget})"
        return Finding(RULE, "pass", evidence, reason)
    reason = (
        f"estimate {figure} a month for {envs} is over R4 ({budget}); "
        "see `infraplan cost` for the lines and assumptions"
    )
    return Finding(RULE, "fail", evidence, reason)
