"""Escaping user text for each target language, checked by real parsers."""

from __future__ import annotations

import hcl2
from hypothesis import example, given
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from ruamel.yaml import YAML

from infraplan.escape import gha_string, hcl_string, md_block, md_code, md_inline, yaml_string

TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60)
NASTY = st.sampled_from(["${", "%{", "${{", "}}", '"', "\\", "\n", "|", "`", "*", "<", "#", "- "])
MIXED = st.lists(st.one_of(TEXT, NASTY), max_size=8).map("".join)


@given(MIXED)
@example("$\\{")  # a backslash between $ and { must not read as ${
@example("$${")  # python-hcl2 rejects $${ with no closing brace
def test_hcl_string_parses_and_never_interpolates(text: str) -> None:
    literal = hcl_string(text)
    parsed = hcl2.loads(f"x = {literal}\n")
    assert "x" in parsed
    # a template sequence can only start at an unescaped ${ or %{: none is left
    assert not _template_starts(literal[1:-1]), literal


def _template_starts(body: str) -> list[int]:
    """Positions of ${ or %{ outside escape sequences, reading as HCL's scanner does."""
    starts, i = [], 0
    while i < len(body):
        if body[i] == "\\":
            i += 2
            continue
        if body[i] in "$%" and body[i + 1 : i + 2] == "{":
            starts.append(i)
        i += 1
    return starts


@given(MIXED)
def test_yaml_string_round_trips(text: str) -> None:
    value = YAML(typ="safe").load(f"key: {yaml_string(text)}\n")["key"]
    assert value == text


@given(MIXED)
def test_gha_string_holds_no_expression_of_the_users(text: str) -> None:
    value = YAML(typ="safe").load(f"key: {gha_string(text)}\n")["key"]
    # every expression left is the literal-producing one we wrote: remove those,
    # and no "${{" remains
    assert "${{" not in value.replace("${{ '${{' }}", "")


@given(MIXED)
def test_md_inline_stays_one_inline_run(text: str) -> None:
    rendered = md_inline(text)
    assert "\n" not in rendered
    tokens = MarkdownIt("commonmark").enable("table").parse(f"- {rendered}\n")
    assert [t.type for t in tokens if t.level == 0] == ["bullet_list_open", "bullet_list_close"]
    assert not any(t.type == "html_inline" and "<br>" not in t.content for t in _inline(tokens))


@given(MIXED)
def test_md_block_makes_only_paragraphs(text: str) -> None:
    tokens = MarkdownIt("commonmark").parse(md_block(text) + "\n")
    assert {t.type for t in tokens if t.level == 0} <= {"paragraph_open", "paragraph_close"}


@given(MIXED)
@example("\r``")  # a carriage return ends a line in Markdown too
def test_md_code_is_one_code_span(text: str) -> None:
    tokens = MarkdownIt("commonmark").parse(md_code(text) + "\n")
    inline = _inline(tokens)
    if text.strip(" \n"):
        assert [t.type for t in inline] == ["code_inline"]


def test_known_values() -> None:
    assert _template_starts("a ${x}") == [2] and _template_starts("\\\\${x}") == [2]
    assert _template_starts("$\\\\{") == [] and _template_starts("\\u0024{x}") == []
    assert hcl_string('a "${x}"') == '"a \\"\\u0024{x}\\""'
    assert md_inline("a | b") == "a \\| b"
    assert gha_string("${{ secrets.X }}") == "\"${{ '${{' }} secrets.X }}\""


def _inline(tokens: list) -> list:  # type: ignore[type-arg]
    return [child for t in tokens if t.type == "inline" for child in (t.children or [])]
