"""Small constructors the rules share to turn what they saw into a Finding."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from infraplan.findings import Finding, Status, combine

MAX_EVIDENCE = 8


def verdict(rule: str, status: Status, reason: str, evidence: Iterable[str] = ()) -> Finding:
    unique = list(dict.fromkeys(evidence))[:MAX_EVIDENCE]
    return Finding(rule, status, tuple(unique), reason)


def worst(rule: str, verdicts: Sequence[tuple[Status, str, list[str]]], none: str) -> Finding:
    """Every item must pass: the worst item decides, and its reason is the one shown.

    ``none`` is the reason when there is nothing to judge (a failure).
    """
    if not verdicts:
        return verdict(rule, "fail", none)
    status = combine(v[0] for v in verdicts)
    deciding = [v for v in verdicts if v[0] == status]
    reason = deciding[0][1]
    if status == "pass" and len(verdicts) > 1:
        reason = f"{reason} (and {len(verdicts) - 1} more)"
    evidence = [e for v in deciding for e in v[2]]
    return verdict(rule, status, reason, evidence)
