"""The checkboxes of a rendered plan and the identity of each (its task or criterion id).

A box's identity never depends on its position: a catalogue task is its id
(``1.1``), a criterion its id (``AC3``), a task of the user's own its ``id:``
from plan.yaml or, without one, an id derived from its text (``U3.1`` in the
plan is only its place in the list). ``update`` keeps ticks by these ids.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from infraplan.catalogue import criteria_for
from infraplan.escape import md_inline
from infraplan.plan.markdown import plan_tasks
from infraplan.plan.tick import _BOX, _CRITERIA, _HEADING, _STABLE_ID, _TASK, _task_id
from infraplan.plan.words import WORDS
from infraplan.spec.model import Spec

_SUFFIXES = tuple(f" {words['user_task']}" for words in WORDS.values())


@dataclass(frozen=True)
class Box:
    line: int
    user_task: bool
    label: str  # a task's id as printed ("1.1", "U3.2"); "" for a criterion
    start: int  # where the mark is in the line
    text: str  # the line without its mark and line ending: what the box says

    @property
    def criterion(self) -> bool:
        return not self.label


def user_task_key(text: str, explicit: str | None) -> str:
    """A user task's identity: its ``id:``, else one derived from its text."""
    if explicit:
        return f"U:{explicit}"
    words = " ".join(text.split()).casefold()
    return "U#" + hashlib.sha256(words.encode("utf-8")).hexdigest()[:12]


def plan_box_ids(spec: Spec) -> list[str]:
    """The identity of every checkbox of the plan ``spec`` renders, in order."""
    keys: dict[str, str] = {}
    counters: dict[int, int] = {}
    for extra in spec.tasks:
        counters[extra.phase] = counters.get(extra.phase, 0) + 1
        key = user_task_key(md_inline(extra.text), extra.id)
        while key in keys.values():
            key += "+"
        keys[f"U{extra.phase}.{counters[extra.phase]}"] = key
    tasks = [keys.get(task.id, task.id) for task in plan_tasks(spec, spec.language)]
    return [*tasks, *(criterion.id for criterion in criteria_for(spec))]


def scan(text: str) -> list[Box]:
    """Every checkbox of the plan's tasks and acceptance criteria."""
    found: list[Box] = []
    in_criteria = False
    for index, line in enumerate(text.splitlines()):
        if _HEADING.match(line):
            in_criteria = bool(_CRITERIA.match(line))
            continue
        task = _TASK.match(line)
        match = task or (_BOX.match(line) if in_criteria else None)
        if match is None:
            continue
        label = _task_id(line, task) if task else ""  # the stable id, not the shown number
        text_of = line[: match.start(2)] + "\0" + line[match.end(2) :]
        found.append(Box(index, label.startswith("U"), label, match.start(2), text_of))
    return found


def derived_key(box: Box) -> str:
    """A user task's identity from what its box says (for a plan without recorded ids)."""
    body = box.text.split(":", 1)[1] if ":" in box.text else box.text
    body = _STABLE_ID.sub("", body).strip()
    for suffix in _SUFFIXES:
        body = body.removesuffix(suffix)
    return user_task_key(body, None)
