"""The task catalogue is one consistent table."""

from __future__ import annotations

import re
import string

import pytest

from infraplan.catalogue import (
    CRITERIA,
    LANGS,
    PHASES,
    REQUIREMENTS,
    RULE_IDS,
    RULES,
    TASKS,
    expand_files,
    tasks_for,
    text_fields,
)
from infraplan.spec.load import parse_spec

SPEC = parse_spec("project: shop\nci: {repository: a/shop}\nsecrets: [A]\n")


def test_ids_are_unique_and_ordered() -> None:
    ids = [t.id for t in TASKS]
    assert len(ids) == len(set(ids))
    assert ids == sorted(ids, key=lambda i: tuple(int(p) for p in i.split(".")))
    for task in TASKS:
        assert re.fullmatch(r"[1-3]\.\d+", task.id) and task.id.startswith(f"{task.phase}.")
    assert [p.number for p in PHASES] == [1, 2, 3]
    assert len(RULE_IDS) == len(RULES)


def test_every_rule_named_is_a_known_rule() -> None:
    named = {r for item in (*TASKS, *REQUIREMENTS, *CRITERIA) for r in item.rules}
    assert named <= RULE_IDS, named - RULE_IDS
    assert named >= RULE_IDS, f"rules no plan item uses: {RULE_IDS - named}"


@pytest.mark.parametrize("lang", LANGS)
def test_texts_use_only_known_fields(lang: str) -> None:
    fields = text_fields(SPEC)
    items = [t.text[lang] for t in TASKS] + [c.text[lang] for c in CRITERIA]  # type: ignore[index]
    items += [r.text[lang] for r in REQUIREMENTS] + [r.text_off[lang] for r in REQUIREMENTS]  # type: ignore[index]
    for text in items:
        names = {f for _, f, _, _ in string.Formatter().parse(text) if f}
        assert names <= set(fields), names - set(fields)
        text.format(**fields)


def test_files_are_repo_relative() -> None:
    for task in TASKS:
        for path in expand_files(task, SPEC):
            assert not path.startswith("/") and ".." not in path and "{" not in path


def test_conditions_follow_the_spec() -> None:
    base = "project: shop\nci: {repository: a/shop"
    plain = parse_spec(base + "}\nmonitoring: {dashboard: false}\n")
    rich = parse_spec(base + ", preview_environments: true}\nsecrets: [A]\n")
    assert {"2.5", "3.1", "3.2"}.isdisjoint(t.id for t in tasks_for(plain))
    assert {"2.5", "3.1", "3.2"} <= {t.id for t in tasks_for(rich)}


def test_environment_paths_expand_per_environment() -> None:
    task = next(t for t in TASKS if t.id == "1.3")
    files = expand_files(task, SPEC)
    staging, production = "infra/envs/staging/", "infra/envs/production/"
    assert files.index(f"{staging}main.tf") < files.index(f"{staging}backend.tf")
    assert files.index(f"{staging}backend.tf") < files.index(f"{production}main.tf")
    assert files[-1] == ".github/workflows/terraform.yml"


def test_a_criterion_names_the_environment_its_env_field_says() -> None:
    """verify decides a criterion's environment by ``env``; its text must say the same."""
    for criterion in CRITERIA:
        for lang in ("es", "en"):
            text = criterion.text[lang]
            named = "first" if "{first_env}" in text else "last" if "{last_env}" in text else None
            assert criterion.env == named, (criterion.id, lang)
    assert {c.env for c in CRITERIA} == {None, "first", "last"}
