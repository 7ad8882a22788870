"""Small constructors the rules share to turn what they saw into a Finding.

A rule judges each thing it finds (each service, repository, job) into a
:class:`Verdict`; :func:`worst` folds them into the rule's finding. A value the
plan states and the code contradicts is a :func:`conflict`: it fails, names both
values and points at both places, the plan's line first.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any, NamedTuple

from infraplan.check.plan_context import Stated
from infraplan.findings import Advice, Finding, Status, combine

MAX_EVIDENCE = 8


class Verdict(NamedTuple):
    status: Status
    reason: str
    evidence: list[str]
    decided_at: str = ""


def verdict(
    rule: str,
    status: Status,
    reason: str,
    evidence: Iterable[str] = (),
    *,
    advice: Iterable[Advice] = (),
    decided_at: str = "",
) -> Finding:
    unique = list(dict.fromkeys(evidence))[:MAX_EVIDENCE]
    return Finding(rule, status, tuple(unique), reason, tuple(advice), decided_at)


def worst(
    rule: str,
    verdicts: Sequence[Verdict],
    none: str,
    *,
    advice: Iterable[Advice] = (),
    settle: bool = False,
) -> Finding:
    """Every item must pass: the worst item decides, and its reason is the one shown.

    ``none`` is the reason when there is nothing to judge (a failure). ``settle``
    (no plan: the capability is what counts) lets items that pass outweigh items
    that cannot be told, as long as none fails.
    """
    if not verdicts:
        return verdict(rule, "fail", none, advice=advice)
    told = [v for v in verdicts if v.status != "unknown"]
    if settle and told and len(told) < len(verdicts) and combine(v.status for v in told) == "pass":
        found = worst(rule, told, none, advice=advice)
        untold = len(verdicts) - len(told)
        return replace(found, reason=f"{found.reason}; {untold} more cannot be told statically")
    status = combine(v.status for v in verdicts)
    deciding = [v for v in verdicts if v.status == status]
    reason = deciding[0].reason
    if status == "pass" and len(verdicts) > 1:
        reason = f"{reason} (and {len(verdicts) - 1} more)"
    evidence = [e for v in deciding for e in v.evidence]
    decided = next((v.decided_at for v in deciding if v.decided_at), "")
    return verdict(rule, status, reason, evidence, advice=advice, decided_at=decided)


def shown(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def conflict(what: str, code: Any, where: list[str], stated: Stated) -> Verdict:
    """The code's ``what`` is ``code``; the plan states another value."""
    return Verdict(
        "fail",
        f"{what} is {shown(code)}; {stated.said()} ({stated.where})",
        [*where, stated.where],
        stated.where,
    )


def against_plan(rule: str, reason: str, evidence: list[str], stated: Stated) -> Finding:
    """A failure the plan's value decides: its line is the deciding one."""
    return verdict(rule, "fail", reason, [*evidence, stated.where], decided_at=stated.where)


_VAR = re.compile(r"\bvar\.([A-Za-z_][\w-]*)")
_LOCAL = re.compile(r"\blocal\.([A-Za-z_][\w-]*)")
_COMPUTED = re.compile(r"\b((?:module|data)\.[\w-]+(?:\.[\w-]+)?|aws_\w+\.[\w-]+)")


def what_decides(what: str, value: Any, variables: dict[str, bool]) -> str:
    """Why ``what`` cannot be told statically, and what would decide it.

    ``variables`` maps each variable name the repository declares to whether it
    has a default.
    """
    text = str(value)
    found = _VAR.search(text)
    if found:
        name = found.group(1)
        if variables.get(name) is False:
            return (
                f"{what} comes from var.{name}, which has no default; pass -var-file "
                "or add it to a terraform.tfvars to decide it"
            )
        return f"{what} comes from var.{name}, set by a caller this check cannot see"
    found = _COMPUTED.search(text)
    if found:
        return f"{what} is computed by terraform from {found.group(1)}"
    found = _LOCAL.search(text)
    if found:
        return f"{what} comes from local.{found.group(1)}, which only terraform can evaluate"
    return f"{what} is {text}, which only terraform can evaluate"
