"""Never lose an edit, as a property: every line you added survives the merge."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from infraplan.plan.boxes import plan_box_ids
from infraplan.plan.markdown import render_plan
from infraplan.spec.load import parse_spec
from infraplan.spec.model import Spec
from infraplan.update.checkboxes import PlanVersions, merge_plan
from infraplan.update.merge import merge_file

LINES = st.lists(st.sampled_from(["a", "b", "c", "d", "e", "}", ""]), min_size=0, max_size=12)


@st.composite
def edited(draw: st.DrawFn, base: list[str], tag: str) -> list[str]:
    """``base`` with some lines replaced, deleted or inserted; new lines carry ``tag``."""
    out: list[str] = []
    for index, line in enumerate(base):
        action = draw(st.sampled_from(["keep", "keep", "keep", "replace", "delete", "insert"]))
        if action == "keep":
            out.append(line)
        elif action == "replace":
            out.append(f"{tag}{index}")
        elif action == "insert":
            out.extend([f"{tag}+{index}", line])
    if draw(st.booleans()):
        out.append(f"{tag}-end")
    return out


@st.composite
def three_versions(draw: st.DrawFn) -> tuple[list[str], list[str], list[str]]:
    base = draw(LINES)
    return base, draw(edited(base, "yours")), draw(edited(base, "theirs"))


def _bytes(lines: list[str]) -> bytes:
    return "".join(f"{line}\n" for line in lines).encode()


@settings(max_examples=150, deadline=None)
@given(three_versions())
def test_every_line_you_added_is_in_the_result(versions: tuple[list[str], ...]) -> None:
    base, yours, theirs = versions
    result = merge_file(_bytes(base), _bytes(yours), _bytes(theirs), theirs_label="infraplan")
    merged = result.content.decode().split("\n")
    for line in yours:
        if line.startswith("yours"):
            assert line in merged, (line, result.content)
    if result.conflicts == 0:
        # A clean merge also keeps every line infraplan added.
        for line in theirs:
            if line.startswith("theirs"):
                assert line in merged, (line, result.content)


# -- the same property for PLAN.md, across a change of language and inserted tasks ---------

PLAN_SPEC = """\
project: shop
date: 2026-11-29
service: {name: shop, port: 8080, health_check_path: /healthz}
aws: {region: eu-west-1}
ci: {repository: acme/shop}
"""
TASK_TEXTS = ["Write the runbook", "Load test", "Pen test", "Train on-call", "Tag costs"]


def _plan_spec(language: str, tasks: list[tuple[int, str]]) -> Spec:
    lines = "".join(f"  - {{phase: {phase}, text: {text}}}\n" for phase, text in tasks)
    return parse_spec(f"{PLAN_SPEC}language: {language}\n" + (f"tasks:\n{lines}" if tasks else ""))


Tasks = list[tuple[int, str]]


@st.composite
def plan_versions(draw: st.DrawFn) -> tuple[Spec, Spec, Tasks, Tasks]:
    old_tasks = draw(
        st.lists(
            st.tuples(st.integers(1, 3), st.sampled_from(TASK_TEXTS)),
            max_size=3,
            unique_by=lambda t: t[1],
        )
    )
    new_tasks = list(old_tasks)
    for text in draw(st.lists(st.sampled_from(TASK_TEXTS), max_size=2, unique=True)):
        if all(text != t for _, t in new_tasks):
            new_tasks.insert(draw(st.integers(0, len(new_tasks))), (draw(st.integers(1, 3)), text))
    old_lang, new_lang = draw(st.sampled_from(["es", "en"])), draw(st.sampled_from(["es", "en"]))
    return _plan_spec(old_lang, old_tasks), _plan_spec(new_lang, new_tasks), old_tasks, new_tasks


@settings(max_examples=40, deadline=None)
@given(plan_versions(), st.data())
def test_every_line_you_added_to_the_plan_survives_language_and_task_changes(
    versions: tuple[Spec, Spec, Tasks, Tasks], data: st.DataObject
) -> None:
    old_spec, new_spec, old_tasks, new_tasks = versions
    base = render_plan(old_spec)
    lines = base.splitlines(keepends=True)
    added = []
    for index in sorted(data.draw(st.lists(st.integers(0, len(lines)), max_size=4)), reverse=True):
        line = f"note {index}: keep me\n"
        lines.insert(index, line)
        added.append(line.rstrip("\n"))
    ticked = data.draw(st.sets(st.sampled_from([text for _, text in old_tasks] or ["-"])))
    yours = "".join(
        line.replace("- [ ]", "- [x]", 1) if any(f": {t} (" in line for t in ticked) else line
        for line in lines
    )
    same = (
        render_plan(new_spec, old_spec.language) if new_spec.language != old_spec.language else None
    )
    result = merge_plan(
        base.encode(),
        yours.encode(),
        render_plan(new_spec).encode(),
        PlanVersions(
            tuple(plan_box_ids(old_spec)),
            tuple(plan_box_ids(new_spec)),
            same.encode() if same is not None else None,
        ),
        "infraplan",
    )
    merged = result.content.decode().splitlines()
    for line in added:
        assert line in merged, (line, result.content.decode())
    if result.conflicts == 0:
        # The language is the new plan's, and each tick stays on its own task.
        heading = "### Acceptance Criteria" if new_spec.language == "en" else "### Criterios de"
        assert any(line.startswith(heading) for line in merged)
        marked = {
            text
            for line in merged
            for _, text in new_tasks
            if line.startswith("- [x]") and f": {text} (" in line
        }
        assert marked == {t for t in ticked if t != "-"}
