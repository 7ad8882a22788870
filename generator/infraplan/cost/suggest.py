"""When a plan is over its R4 budget: the changes that would bring it under, and what each
saves.

Each candidate is priced by estimating the plan again with the change made, so a
saving is exactly the difference the estimate would show. The list is ordered
cheapest first: the changes that bring the plan under R4 on their own, the one that
gives up least first; then the others, largest saving first; then, when no single
change is enough, the smallest set of them (largest savings first) that is.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from infraplan.cost.estimate import CostEstimate, Sizing, env_sizing, estimate
from infraplan.cost.prices import PriceTable
from infraplan.spec.aws_facts import FARGATE_SIZES
from infraplan.spec.model import Spec

Change = Callable[[str, Sizing], Sizing | None]  # (env, sizing) -> new sizing, or None


@dataclass(frozen=True)
class Suggestion:
    change: str  # what to change, in plan.yaml's terms
    consequence: str  # what is given up
    saving: float  # USD a month
    total: float  # the estimate with this change (and, for a set, the ones before it)
    enough: bool  # brings the plan within R4

    def to_dict(self) -> dict[str, Any]:
        return {
            "change": self.change,
            "consequence": self.consequence,
            "saving_usd": round(self.saving, 2),
            "total_usd": round(self.total, 2),
            "within_budget": self.enough,
        }


@dataclass(frozen=True)
class Candidate:
    change: str
    consequence: str
    apply: Change


def non_production(spec: Spec) -> list[str]:
    """The environments that are not production: no approval, and not the last one
    deployed (the last is production even without a reviewer)."""
    return [env.name for env in spec.environments[:-1] if not env.approval]


def _in(env_name: str, change: Callable[[Sizing], Sizing | None]) -> Change:
    """``change`` made in environment ``env_name`` only."""
    return lambda env, s: change(s) if env == env_name else None


def _nat_candidates(spec: Spec) -> list[Candidate]:
    """NAT per environment: each environment's own line in plan.yaml
    (``environments[].nat``), so production can keep its NAT while staging drops it."""
    out: list[Candidate] = []
    for env in spec.environments:
        nat = env_sizing(spec, env.name).nat
        field = f"environments[{env.name}].nat"
        if nat == "per_az":
            out.append(
                Candidate(
                    f"{field}: single",
                    f"one NAT gateway for every zone in {env.name}: its zone going down cuts "
                    "the others' outbound traffic",
                    _in(env.name, lambda s: replace(s, nat="single")),
                )
            )
        if nat != "none":
            out.append(
                Candidate(
                    f"{field}: none",
                    f"no NAT gateway in {env.name}: its tasks run in public subnets with "
                    "public IPs (their security group still admits only the load balancer)",
                    _in(env.name, lambda s: replace(s, nat="none")),
                )
            )
    return out


def candidates(spec: Spec) -> list[Candidate]:
    """Every change worth pricing for ``spec``."""
    smallest_cpu = min(FARGATE_SIZES)
    smallest = (smallest_cpu, FARGATE_SIZES[smallest_cpu][0])
    out = _nat_candidates(spec)
    out += [
        Candidate(
            "network.az_count: 2",
            "two availability zones instead of more: less room to survive a zone failure",
            lambda env, s: replace(s, az_count=2) if s.az_count > 2 else None,
        ),
        Candidate(
            f"service.cpu: {smallest[0]}, service.memory: {smallest[1]}",
            "the smallest Fargate task: check the service's CPU and memory alarms after it",
            lambda env, s: (
                replace(s, cpu=smallest[0], memory=smallest[1])
                if (s.cpu, s.memory) != smallest
                else None
            ),
        ),
        Candidate(
            "monitoring.dashboard: false",
            "no CloudWatch dashboard (alarms stay; the metrics remain in CloudWatch)",
            lambda env, s: replace(s, dashboard=False) if s.dashboard else None,
        ),
    ]
    for name in non_production(spec):
        out += [
            Candidate(
                f"environments[{name}].spot: true",
                f"Fargate Spot for {name}, not production: AWS may stop its tasks with two "
                "minutes' notice (SIGTERM) and does not replace Spot with on-demand capacity "
                "when Spot is short",
                _in(name, lambda s: None if s.spot else replace(s, spot=True, on_demand_base=0)),
            ),
            Candidate(
                f"environments[{name}].desired_count: 1",
                f"a single task in {name}, not production: no redundancy there",
                _in(name, lambda s: replace(s, desired_count=1) if s.desired_count > 1 else None),
            ),
        ]
    return out


def _sizing(spec: Spec, apply: list[Change]) -> dict[str, Sizing] | None:
    """The sizing of every environment with ``apply`` made in order; None if none applies."""
    out: dict[str, Sizing] = {}
    changed = False
    for env in spec.environments:
        size = env_sizing(spec, env.name)
        for change in apply:
            new = change(env.name, size)
            if new is not None:
                size, changed = new, True
        out[env.name] = size
    return out if changed else None


def suggestions(spec: Spec, result: CostEstimate, prices: PriceTable) -> list[Suggestion]:
    """The changes that bring ``spec`` (estimated as ``result``) within R4, cheapest first;
    empty when it already is."""
    if result.within_budget:
        return []
    budget = result.budget_usd
    priced: list[tuple[Candidate, float]] = []
    for candidate in candidates(spec):
        sizing = _sizing(spec, [candidate.apply])
        if sizing is None:
            continue
        total = estimate(spec, prices, sizing).total
        if total < result.total - 0.005:
            priced.append((candidate, total))
    enough = sorted(
        (p for p in priced if round(p[1], 2) <= budget), key=lambda p: result.total - p[1]
    )
    short = sorted((p for p in priced if round(p[1], 2) > budget), key=lambda p: p[1])
    out = [_suggestion(c, result.total, total, budget) for c, total in enough + short]
    if not enough and short:
        out += _combination(spec, result, prices, [c for c, _ in short])
    return out


def _suggestion(candidate: Candidate, before: float, total: float, budget: float) -> Suggestion:
    return Suggestion(
        candidate.change, candidate.consequence, before - total, total, round(total, 2) <= budget
    )


def _combination(
    spec: Spec, result: CostEstimate, prices: PriceTable, ordered: list[Candidate]
) -> list[Suggestion]:
    """The shortest prefix of ``ordered`` (largest savings first) that fits R4, as one
    suggestion; or all of them, not enough, when none does."""
    chosen: list[Candidate] = []
    total = result.total
    for candidate in ordered:
        chosen.append(candidate)
        sizing = _sizing(spec, [c.apply for c in chosen])
        total = estimate(spec, prices, sizing).total if sizing else result.total
        if round(total, 2) <= result.budget_usd:
            break
    if len(chosen) < 2:
        return []
    return [
        Suggestion(
            " + ".join(c.change for c in chosen),
            "all of the above together",
            result.total - total,
            total,
            round(total, 2) <= result.budget_usd,
        )
    ]
