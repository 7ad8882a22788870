"""PLAN.md across an update: every tick follows its item's identity, never its position.

A box you (or ``check --tick``) ticked is state, not an edit: the three
versions of PLAN.md are merged with their boxes cleared, then each box of the
result is set again from the box of the same item on disk. An item's identity
is its id: a catalogue task's id (``1.1``), a criterion's id (``AC3``), a user
task's ``id:`` from plan.yaml or, without one, an id derived from its text
(``U3.1`` is only its place in the list). The manifest keeps the ids of the
last render's boxes in order (``plan_boxes``), which tells which box on disk
is which item; a box of your own (one infraplan never rendered) keeps its mark
and is merged like any line you added.

When the plan's language changes, the merge runs in the old language (against
the new plan rendered in it), then the generated lines are swapped for their
translation, one for one (the two renders have the same lines); every line
you wrote stays as you wrote it.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from infraplan.plan.boxes import Box, derived_key, scan
from infraplan.update.merge import MergeResult, merge_file, to_crlf, uses_crlf


@dataclass(frozen=True)
class PlanVersions:
    """What the PLAN.md merge needs beyond base, yours and theirs."""

    base_ids: tuple[str, ...]  # the manifest's plan_boxes: the last render's boxes
    theirs_ids: tuple[str, ...]  # the new render's boxes
    # the new plan rendered in the language of the one on disk, when the language changes
    theirs_in_old_language: bytes | None = None


def assign(
    boxes: Sequence[Box], reference: Sequence[tuple[Box, str]], *, same_render: bool
) -> list[str | None]:
    """The identity of each box, from a reference whose identities are known.

    A box saying exactly what a reference box says is that item. Otherwise a
    catalogue task is its id, a user task is found by its label when the
    reference is the render the boxes came from, else by its text; a
    criterion whose text you changed is paired with the reference's unmatched
    criteria in order.
    """
    unused = list(reference)
    keys: list[str | None] = []
    for box in boxes:
        hit = next((r for r in unused if r[0].text == box.text), None)
        if hit is not None:
            unused.remove(hit)
        keys.append(hit[1] if hit is not None else None)
    by_label = {ref.label: key for ref, key in reference if ref.label}
    spare = [key for ref, key in unused if ref.criterion]
    for index, box in enumerate(boxes):
        if keys[index] is not None:
            continue
        if box.criterion:
            keys[index] = spare.pop(0) if spare else None
        elif not box.user_task:
            keys[index] = box.label
        elif same_render and box.label in by_label:
            keys[index] = by_label[box.label]
        else:
            keys[index] = derived_key(box)
    return keys


def _keyed(text: str | None, ids: Sequence[str]) -> list[tuple[Box, str]]:
    boxes = scan(text) if text is not None else []
    return list(zip(boxes, ids, strict=True)) if len(ids) == len(boxes) else []


def _set(text: str, marks: Iterable[tuple[Box, str]]) -> str:
    lines = text.splitlines(keepends=True)
    for box, mark in marks:
        line = lines[box.line]
        lines[box.line] = line[: box.start] + mark + line[box.start + 1 :]
    return "".join(lines)


def untick(content: bytes) -> bytes:
    """PLAN.md with every box cleared: what it says, whoever ticked what."""
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        return content
    return _set(text, ((box, " ") for box in scan(text))).encode("utf-8")


def merge_plan(
    base: bytes | None,
    disk: bytes,
    theirs: bytes,
    versions: PlanVersions,
    theirs_label: str,
    *,
    other: bytes | None = None,
) -> MergeResult:
    """PLAN.md merged with its boxes set aside and set again by identity.

    ``other``: the other side of a git conflict in PLAN.md; its ticks count too.
    """
    old_theirs = versions.theirs_in_old_language
    try:
        base_text = base.decode("utf-8") if base is not None else None
        disk_text, new_text = disk.decode("utf-8"), theirs.decode("utf-8")
        same_text = old_theirs.decode("utf-8") if old_theirs is not None else new_text
    except UnicodeDecodeError:
        return merge_file(base, disk, theirs, theirs_label=theirs_label)
    new_ref = _keyed(new_text, versions.theirs_ids)
    same_ref = _keyed(same_text, versions.theirs_ids)
    base_ref = _keyed(base_text, versions.base_ids)
    if base_text is not None and not base_ref:  # a manifest without ids: tell them by text
        base_boxes = scan(base_text)
        base_keys = assign(base_boxes, same_ref, same_render=False)
        base_ref = [(b, k) for b, k in zip(base_boxes, base_keys, strict=True) if k]
    disk_boxes = scan(disk_text)
    reference = base_ref if base_text is not None else same_ref
    disk_keys = assign(disk_boxes, reference, same_render=base_text is not None)
    state: dict[str, str] = {}
    cleared: list[tuple[Box, str]] = []
    disk_lines = disk_text.splitlines()
    for box, key in zip(disk_boxes, disk_keys, strict=True):
        if key is not None:
            state.setdefault(key, disk_lines[box.line][box.start])
            cleared.append((box, " "))
    if other is not None:
        other_text = other.decode("utf-8", "replace")
        other_boxes = scan(other_text)
        other_lines = other_text.splitlines()
        other_keys = assign(other_boxes, reference, same_render=False)
        for box, key in zip(other_boxes, other_keys, strict=True):
            if key is not None and other_lines[box.line][box.start] in "xX":
                state[key] = other_lines[box.line][box.start]
    result = merge_file(
        _set(base_text, ((b, " ") for b in scan(base_text))).encode("utf-8")
        if base_text is not None
        else None,
        _set(disk_text, cleared).encode("utf-8"),
        same_text.encode("utf-8"),
        theirs_label=theirs_label,
    )
    if result.binary:
        return result
    merged = result.content.decode("utf-8")
    if old_theirs is not None:
        merged = translate(merged, same_text, new_text)
    lookup: dict[str, str] = {}
    for box, key in [*base_ref, *zip(disk_boxes, disk_keys, strict=True), *same_ref, *new_ref]:
        if key is not None:
            lookup[box.text] = key
    marks = [(b, state.get(lookup[b.text], " ")) for b in scan(merged) if b.text in lookup]
    return MergeResult(_set(merged, marks).encode("utf-8"), result.conflicts)


def translate(merged: str, old: str, new: str) -> str:
    """``merged`` with every line of ``old`` it still holds replaced by the same line of
    ``new`` (``old`` and ``new``: one plan in two languages, line for line)."""
    crlf = uses_crlf(merged.encode("utf-8"))
    if crlf:
        old, new = (to_crlf(t.encode("utf-8")).decode("utf-8") for t in (old, new))
    old_lines, new_lines = old.splitlines(keepends=True), new.splitlines(keepends=True)
    lines = merged.splitlines(keepends=True)
    if len(old_lines) != len(new_lines):  # not one for one: let git merge the translation
        pieces = (old.encode("utf-8"), merged.encode("utf-8"), new.encode("utf-8"))
        return merge_file(*pieces, theirs_label="infraplan").content.decode("utf-8")
    out: list[str] = []
    matcher = difflib.SequenceMatcher(None, lines, old_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        out.extend(new_lines[j1:j2] if tag == "equal" else lines[i1:i2])
    return "".join(out)
