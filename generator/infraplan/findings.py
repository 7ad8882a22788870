"""Findings are data: what ``check`` and ``verify`` report, and how plan items take a status.

A finding says, for one rule, whether the code (``check``) or the account
(``verify``) does what the plan asks, with ``path:line`` (or AWS resource)
evidence and a one-line reason. Tasks, requirements and acceptance criteria
of the plan take their status from the findings of their rules.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Status = Literal["pass", "fail", "unknown", "live", "skipped"]

# How statuses combine when an item depends on several rules: the worst wins.
_SEVERITY: dict[str, int] = {"pass": 0, "skipped": 0, "live": 1, "unknown": 2, "fail": 3}


@dataclass(frozen=True)
class Finding:
    rule: str
    status: Status
    evidence: tuple[str, ...] = ()
    reason: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.rule,
            "status": self.status,
            "evidence": list(self.evidence),
            "reason": self.reason,
        }


@dataclass(frozen=True)
class ItemResult:
    """A task, requirement or acceptance criterion of the plan, with its status."""

    id: str
    status: Status
    rules: tuple[str, ...]
    text: str = ""
    live: bool = False

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["rules"] = list(self.rules)
        return out


@dataclass
class Report:
    rules: list[Finding] = field(default_factory=list)
    tasks: list[ItemResult] = field(default_factory=list)
    requirements: list[ItemResult] = field(default_factory=list)
    criteria: list[ItemResult] = field(default_factory=list)
    unplanned: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "rules": [f.to_dict() for f in self.rules],
            "tasks": [t.to_dict() for t in self.tasks],
            "requirements": [r.to_dict() for r in self.requirements],
            "criteria": [c.to_dict() for c in self.criteria],
            "unplanned": list(self.unplanned),
        }

    @property
    def failed(self) -> bool:
        """True when any planned item fails (exit code 1)."""
        return any(f.status == "fail" for f in self.rules)


def combine(statuses: Iterable[Status]) -> Status:
    """The status of an item that needs all of ``statuses`` to pass."""
    worst: Status = "pass"
    for status in statuses:
        if _SEVERITY[status] > _SEVERITY[worst]:
            worst = status
    return worst


def item_status(rules: Iterable[str], by_rule: Mapping[str, Finding], live: bool) -> Status:
    """An item's status from its rules' findings; ``live`` items that pass statically
    still need ``verify`` to be proven, so they report ``live``."""
    known = [by_rule[r].status for r in rules if r in by_rule]
    status = combine(known) if known else "unknown"
    if live and status == "pass":
        return "live"
    return status
