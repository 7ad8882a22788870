"""Never lose an edit, as a property: every line you added survives the merge."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

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
