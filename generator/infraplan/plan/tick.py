"""Tick a Markdown plan's checkboxes from a report, changing nothing else.

Task lines (``- [ ] Tarea 1.1: ...`` / ``- [ ] Task 1.1: ...``) take the
status of their task, named by the ``<!-- task 2.6 -->`` comment the plan writes
where the number a reader sees differs from the task's stable id, else by the
number; the checkbox lines under the acceptance-criteria heading
take the status of their criterion, matched by text and else by position. A
box is ticked only when static evidence proves the item (``pass``) and cleared
when it fails; an item the code cannot decide (``unknown``, ``live`` for
``verify`` to prove, or ``skipped``) keeps the box as the author left it.
Every other byte of the file is kept, line endings included.
"""

from __future__ import annotations

import re

from infraplan.errors import UserError
from infraplan.findings import ItemResult, Report

_TASK = re.compile(r"^(\s*[-*+]\s+\[)([ xX])(\]\s+(?:Tarea|Task)\s+(U?\d+(?:\.\d+)*)\s*:)")
_STABLE_ID = re.compile(r"<!--\s*task\s+(U?\d+(?:\.\d+)*)\s*-->")
_BOX = re.compile(r"^(\s*[-*+]\s+\[)([ xX])(\]\s+)(.*)$")
_CRITERIA = re.compile(r"^#{2,}\s+(Criterios de Aceptaci[oó]n|Acceptance Criteria)\b", re.I)
_HEADING = re.compile(r"^#{1,6}\s")


def _box(status: str, current: str) -> str:
    if status == "pass":
        return "x"
    if status == "fail":
        return " "
    return current


def _task_id(body: str, task: re.Match[str]) -> str:
    stable = _STABLE_ID.search(body)
    return stable.group(1) if stable else task.group(4)


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[`*_]", "", text).split()).rstrip(".").lower()


def check_plan_markdown(markdown_text: str, path: object, plan_id: str | None) -> None:
    """Refuse a file that is not this plan's Markdown: no task checkbox, or another
    plan's id (``plan_id`` None: no plan.yaml, so only the checkboxes are asked for)."""
    hint = "--tick takes the Markdown plan rendered from this plan.yaml (infraplan plan)"
    if not any(key[0] == "task" for _, key, _ in _boxes(markdown_text)):
        raise UserError(f"{path}: no task checkbox (- [ ] Task 1.1: ...) to tick", hint=hint)
    if plan_id and plan_id not in markdown_text:
        other = re.search(r"\bINFRA-\d{8}-[A-Z0-9-]+", markdown_text)
        said = f"it is plan {other.group(0)}" if other else "it does not name this plan"
        raise UserError(f"{path}: {said}, not {plan_id}", hint=hint)


def tick_plan_with_summary(markdown_text: str, report: Report) -> tuple[str, str]:
    """The ticked text and one line saying what was ticked and what was left, and why."""
    ticked = tick_plan(markdown_text, report)
    items = [*report.tasks, *report.criteria]
    proved = [i.id for i in items if i.status == "pass"]
    cleared = [i.id for i in items if i.status == "fail"]
    left = [f"{i.id} ({i.status})" for i in items if i.status not in ("pass", "fail")]
    parts = [f"ticked {len(proved)}" + (f" ({', '.join(proved)})" if proved else "")]
    if cleared:
        parts.append(f"cleared {len(cleared)} that fail ({', '.join(cleared)})")
    if left:
        parts.append(f"left {len(left)} as they were: {', '.join(left)}")
    if ticked == markdown_text:
        parts.append("no box changed")
    return ticked, "; ".join(parts)


def tick_plan(markdown_text: str, report: Report) -> str:
    tasks = {t.id: t.status for t in report.tasks}
    criteria = list(report.criteria)
    by_text = {_norm(c.text): c for c in criteria}
    lines = markdown_text.splitlines(keepends=True)
    in_criteria = False
    position = 0
    for index, line in enumerate(lines):
        body = line.rstrip("\r\n")
        ending = line[len(body) :]
        if _HEADING.match(body):
            in_criteria = bool(_CRITERIA.match(body))
            position = 0
            continue
        task = _TASK.match(body)
        if task and _task_id(body, task) in tasks:
            mark = _box(tasks[_task_id(body, task)], task.group(2))
            lines[index] = body[: task.start(2)] + mark + body[task.end(2) :] + ending
            continue
        box = _BOX.match(body) if in_criteria else None
        if box:
            item: ItemResult | None = by_text.get(_norm(box.group(4)))
            if item is None and position < len(criteria):
                item = criteria[position]
            position += 1
            if item is not None:
                mark = _box(item.status, box.group(2))
                lines[index] = body[: box.start(2)] + mark + body[box.end(2) :] + ending
    return "".join(lines)


BoxKey = tuple[str, str]  # ("task", "1.1") or ("criterion", "0"): what a box stands for


def _boxes(markdown_text: str) -> list[tuple[int, BoxKey, re.Match[str]]]:
    """Every checkbox of the plan's tasks and acceptance criteria, with its key."""
    found: list[tuple[int, BoxKey, re.Match[str]]] = []
    in_criteria = False
    position = 0
    for index, line in enumerate(markdown_text.splitlines(keepends=True)):
        body = line.rstrip("\r\n")
        if _HEADING.match(body):
            in_criteria = bool(_CRITERIA.match(body))
            position = 0
            continue
        task = _TASK.match(body)
        if task:
            found.append((index, ("task", _task_id(body, task)), task))
            continue
        box = _BOX.match(body) if in_criteria else None
        if box:
            found.append((index, ("criterion", str(position)), box))
            position += 1
    return found


def checkbox_state(markdown_text: str) -> dict[BoxKey, str]:
    """Which boxes are ticked, by task id and criterion position."""
    return {key: match.group(2) for _, key, match in _boxes(markdown_text)}


def set_checkboxes(markdown_text: str, state: dict[BoxKey, str] | None = None) -> str:
    """``markdown_text`` with each box set from ``state`` (cleared when ``state`` is None
    or does not know the box); nothing else changes."""
    lines = markdown_text.splitlines(keepends=True)
    for index, key, match in _boxes(markdown_text):
        mark = (state or {}).get(key, " ")
        line = lines[index]
        lines[index] = line[: match.start(2)] + mark + line[match.end(2) :]
    return "".join(lines)


def task_block(markdown_text: str, task_id: str) -> str | None:
    """The task line of stable id ``task_id`` and the indented lines under it, or None."""
    lines = markdown_text.splitlines()
    for index, key, _ in _boxes(markdown_text):
        if key == ("task", task_id):
            end = index + 1
            while end < len(lines) and lines[end].startswith("  "):
                end += 1
            return "\n".join(lines[index:end])
    return None
