"""Generated docs stay in step with the code (`make docs` refreshes them), and the site
holds every page it is built from."""

from __future__ import annotations

import importlib.util
import re
import sys
from types import ModuleType

import pytest
from ruamel.yaml import YAML

from conftest import ROOT

DOCS = ROOT / "docs"


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("docs_pages", ROOT / "scripts" / "docs_pages.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["docs_pages"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def pages() -> dict[str, str]:
    generated: dict[str, str] = _generator().generated_pages()
    return generated


@pytest.mark.slow  # runs the CLI some twenty times
def test_generated_pages_are_current(pages: dict[str, str]) -> None:
    stale = sorted(
        path
        for path, content in pages.items()
        if not (DOCS / path).is_file() or (DOCS / path).read_text(encoding="utf-8") != content
    )
    assert stale == [], f"stale: {stale}; run `make docs` and review the diff"


@pytest.mark.slow
def test_one_page_per_command_with_real_output(pages: dict[str, str]) -> None:
    from infraplan.cli import app

    commands = {c.name or c.callback.__name__ for c in app.registered_commands if c.callback}
    assert {
        p.removeprefix("commands/").removesuffix(".md") for p in pages if p.startswith("commands/")
    } == commands
    for name in commands:
        page = pages[f"commands/{name}.md"]
        assert f"Usage: infraplan {name}" in page and "Exit codes:" in page
        assert re.search(rf"^\$ infraplan .*{name}", page, flags=re.M), name


@pytest.mark.slow
def test_rule_reference_covers_every_rule_with_a_failure(pages: dict[str, str]) -> None:
    from infraplan.catalogue import RULES

    page = pages["reference/rules.md"]
    for rule in RULES:
        section = page.split(f"\n## {rule.id}\n", 1)[1].split("\n## ", 1)[0]
        assert "- Empty folder: **" in section, rule.id
        # the repository infraplan writes passes its own rules (or leaves them to verify)
        generated = section.split("- Generated repository: ", 1)[1].split("\n", 1)[0]
        assert generated.startswith(("**pass**", "**live**", "**skipped**")), (rule.id, generated)
    assert "**fail**" in page


def test_the_site_navigates_to_every_page() -> None:
    config = YAML(typ="safe").load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))

    def pages_in(node: object) -> list[str]:
        if isinstance(node, str):
            return [node]
        if isinstance(node, dict):
            return [p for value in node.values() for p in pages_in(value)]
        if isinstance(node, list):
            return [p for item in node for p in pages_in(item)]
        return []

    in_nav = set(pages_in(config["nav"]))
    on_disk = {p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*.md")}
    assert in_nav == on_disk


def test_readme_counts_the_examples_beside_the_demo() -> None:
    words = {2: "two", 3: "three", 4: "four", 5: "five", 6: "six"}
    others = [p for p in (ROOT / "examples").iterdir() if (p / "plan.yaml").is_file()]
    others = [p for p in others if p.name != "checkout"]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"for {words[len(others)]} more:" in readme
