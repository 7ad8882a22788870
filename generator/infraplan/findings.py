"""Findings are data: what ``check`` and ``verify`` report, and how plan items take a status.

A finding says, for one rule, whether the code (``check``) or the account
(``verify``) does what the plan asks, with ``path:line`` (or AWS resource)
evidence and a one-line reason. Tasks, requirements and acceptance criteria
of the plan take their status from the findings of their rules.

The verdict model (docs/check.md): ``fail`` only when a capability is missing or
broken, or when the code contradicts a value the plan states (then ``decided_at``
is the plan's line); good-practice problems found on the way are ``advice`` and
never change the status; ``skipped`` is not applicable (with the reason);
``unknown`` says what would decide it; ``live`` needs a live account.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Status = Literal["pass", "fail", "unknown", "live", "skipped"]

# How statuses combine when an item depends on several rules: the worst wins.
_SEVERITY: dict[str, int] = {"pass": 0, "skipped": 0, "live": 1, "unknown": 2, "fail": 3}


AdviceLevel = Literal["warning", "note"]


@dataclass(frozen=True)
class Advice:
    """A good-practice problem seen while judging a rule: reported, never a failure."""

    text: str
    evidence: tuple[str, ...] = ()
    level: AdviceLevel = "note"

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "evidence": list(self.evidence), "level": self.level}


@dataclass(frozen=True)
class Finding:
    rule: str
    status: Status
    evidence: tuple[str, ...] = ()
    reason: str = ""
    advice: tuple[Advice, ...] = ()
    # The location that decided the status (a plan value's line in plan.yaml when the
    # code contradicts it); empty means the first evidence.
    decided_at: str = ""

    @property
    def deciding(self) -> str:
        return self.decided_at or (self.evidence[0] if self.evidence else "")

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.rule,
            "status": self.status,
            "evidence": list(self.evidence),
            "reason": self.reason,
        }
        if self.decided_at:
            out["decided_at"] = self.decided_at
        if self.advice:
            out["advice"] = [a.to_dict() for a in self.advice]
        return out


@dataclass(frozen=True)
class ItemResult:
    """A task, requirement or acceptance criterion of the plan, with its status."""

    id: str
    status: Status
    rules: tuple[str, ...]
    text: str = ""
    live: bool = False
    # Why the item is skipped (the plan's not_applicable reason), or empty.
    reason: str = ""
    # A task's number as PLAN.md shows it (contiguous in its phase), or empty.
    number: str = ""

    @property
    def label(self) -> str:
        """The item as a reader of PLAN.md names it (see :func:`task_label`)."""
        return task_label(self.id, self.number)

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["rules"] = list(self.rules)
        for optional in ("reason", "number"):
            if not out[optional]:
                del out[optional]
        return out


def task_label(task_id: str, number: str) -> str:
    """A task by the number PLAN.md shows, with the stable id (what the manifest,
    ``--tick`` and the plan's ``<!-- task X -->`` comment use) where the two differ:
    ``2.5 (id 2.6)``."""
    return task_id if not number or number == task_id else f"{number} (id {task_id})"


@dataclass(frozen=True)
class PlanUsed:
    """Which plan a report holds the code to; ``path`` empty when there is none."""

    path: str = ""  # as evidence shows it: relative to the repository when inside it
    id: str = ""
    given: str = ""  # as the user named it (relative to the current directory); path if empty

    def to_dict(self) -> dict[str, Any] | None:
        return {"path": self.path, "id": self.id} if self.path else None

    def describe(self) -> str:
        if not self.path:
            return "no plan.yaml: capabilities judged, values reported without judging them"
        shown = self.given or self.path
        return f"{shown} ({self.id})" if self.id else shown


@dataclass
class Report:
    rules: list[Finding] = field(default_factory=list)
    tasks: list[ItemResult] = field(default_factory=list)
    requirements: list[ItemResult] = field(default_factory=list)
    criteria: list[ItemResult] = field(default_factory=list)
    unplanned: list[dict[str, Any]] = field(default_factory=list)
    plan: PlanUsed | None = None  # None: the report is not about a plan (verify sets its own)

    def to_dict(self) -> dict[str, Any]:
        head = {} if self.plan is None else {"plan": self.plan.to_dict()}
        return {
            **head,
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
