"""Adversarial text in every free-text field of the spec, through the whole starter repo.

Whatever a person types (quotes, `${`, `%{`, `{{`, `${{ }}`, pipes, newlines),
every generated file still parses, keeps its structure, and holds no
expression or interpolation that came from the user.
"""

from __future__ import annotations

import io
import re
from collections import Counter

import hcl2
from hypothesis import HealthCheck, example, given, reject, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from ruamel.yaml import YAML

from infraplan.escape import hcl_string
from infraplan.scaffold.repo import build_starter_repo
from infraplan.spec.load import parse_spec

NASTY = st.sampled_from(
    ["${", "%{", "{{", "}}", "${{ secrets.AWS_SECRET_ACCESS_KEY }}", '"', "'", "\\", "\n", "|",
     "`", "*", "<script>", "#", "- ", "1. ", "&amp;", "]]", "{%", "%}", ":"]
)  # fmt: skip
TEXT = (
    st.lists(
        st.one_of(
            NASTY, st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=8)
        ),
        min_size=1,
        max_size=6,
    )
    .map("".join)
    .filter(lambda s: s.strip() != "")
)

EXPRESSION = re.compile(r"\$\{\{.*?\}\}", re.S)


def _spec_text(free: dict[str, str]) -> str:
    doc = {
        "project": "shop",
        "date": "2026-11-29",
        "language": "en",
        "title": free["title"],
        "scope": free["scope"],
        "objective": free["objective"],
        "context": free["context"],
        "owners": [free["owner"]],
        "estimate": free["estimate"],
        "ci": {"repository": "acme/shop"},
        "secrets": ["DATABASE_URL"],
        "risks": [{"risk": free["risk"], "mitigation": free["mitigation"]}],
        "tasks": [{"phase": 2, "text": free["task"], "files": [free["task_file"]]}],
        "rollback": {"deployment": free["rollback"], "infrastructure": free["rollback"]},
    }
    out = io.StringIO()
    yaml = YAML(typ="safe", pure=True)
    yaml.dump(doc, out)
    # The test is about infraplan's escaping, not ruamel's dumper, which writes some texts it
    # cannot read back (e.g. a value starting with ":" then non-ASCII): such a plan.yaml is
    # not one a person could have written, so the example is discarded.
    try:
        readable = yaml.load(out.getvalue()) == doc
    except Exception:
        readable = False
    if not readable:
        reject()
    return out.getvalue()


FIELDS = ["title", "scope", "objective", "context", "owner", "estimate", "risk", "mitigation",
          "task", "task_file", "rollback"]  # fmt: skip
PLAIN = dict.fromkeys(FIELDS, "plain words")


def _build(free: dict[str, str]) -> dict[str, bytes]:
    text = _spec_text(free)
    files = build_starter_repo(parse_spec(text), text).by_path()
    # the merge bases: compressed copies of the files checked here
    return {p: c for p, c in files.items() if p != ".infraplan/bases"}


def _expressions(files: dict[str, bytes]) -> Counter[str]:
    found: Counter[str] = Counter()
    for path, content in files.items():
        if path.startswith(".github/workflows/"):
            found.update(EXPRESSION.findall(content.decode()))
    return found


def _headings(markdown: bytes) -> list[str]:
    tokens = MarkdownIt("commonmark").enable("table").parse(markdown.decode())
    return [t.tag for t in tokens if t.type == "heading_open"]


BASELINE = _build(PLAIN)
LITERAL = "${{ '${{' }}"


WORST = "a ${{ secrets.AWS_SECRET_ACCESS_KEY }} ${x} %{if y} {{ z }} | `q` <b>\n# h\n- l"


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.fixed_dictionaries({name: TEXT for name in FIELDS}))
@example(dict.fromkeys(FIELDS, WORST))
def test_free_text_never_breaks_or_injects(free: dict[str, str]) -> None:
    files = _build(free)
    assert set(files) == set(BASELINE)

    for path, content in files.items():
        if path.endswith((".tf", ".tfvars")):
            hcl2.loads(content.decode())  # parses
        elif path.endswith((".yml", ".yaml")):
            YAML(typ="safe", pure=True).load(content.decode())

    # the title reaches Terraform as one escaped string literal
    assert hcl_string(free["title"]) in files["infra/envs/staging/main.tf"].decode()

    # workflows hold the expressions the templates wrote, and nothing else
    expressions = _expressions(files)
    expressions.pop(LITERAL, None)
    assert expressions == _expressions(BASELINE)

    # Markdown keeps its structure: the same headings in the same order
    for doc in ("PLAN.md", "README.md", "docs/runbooks/rollback.md"):
        assert _headings(files[doc]) == _headings(BASELINE[doc]), doc
