"""The schema comment of every plan.yaml infraplan writes names a schema that is there.

Editors read ``# yaml-language-server: $schema=PATH`` with PATH relative to the YAML
file; a path copied from an example (``../../docs/plan.schema.json``) names nothing once
the file is written elsewhere.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import EXAMPLES, ROOT, Run
from infraplan.spec.schema import SCHEMA_FILE, point_at_local_schema, schema_json

FIXTURES = ROOT / "tests" / "importers" / "fixtures"


def schema_named_by(plan: Path) -> Path:
    """The file the plan's schema comment names, resolved as the editor does."""
    found = re.findall(r"^# yaml-language-server: \$schema=(\S+)$", plan.read_text("utf-8"), re.M)
    assert len(found) == 1, f"{plan}: one schema comment"
    return (plan.parent / found[0]).resolve()


def assert_names_the_schema(plan: Path) -> None:
    schema = schema_named_by(plan)
    assert schema.is_file(), f"{plan} names {schema}, which is not there"
    assert schema.read_text("utf-8") == schema_json()


def test_the_examples_name_the_published_schema() -> None:
    commented = [p for p in sorted(EXAMPLES.glob("*/plan.yaml")) if "$schema=" in p.read_text()]
    assert commented
    for plan in commented:
        assert schema_named_by(plan) == ROOT / "docs" / "plan.schema.json"


def test_init_in_a_sub_folder(tmp_path: Path, run_cli: Callable[..., Run]) -> None:
    target = tmp_path / "a" / "b" / "plan.yaml"
    target.parent.mkdir(parents=True)
    assert run_cli("init", "--no-input", str(target)).code == 0
    assert_names_the_schema(target)


@pytest.mark.parametrize(
    ("flag", "source"),
    [
        ("--from", FIXTURES / "markdown" / "en-orders.md"),
        ("--from-copilot", FIXTURES / "copilot" / "shop"),
        ("--from-repo", FIXTURES / "repos" / "plain"),
    ],
)
def test_init_from_writes_the_schema_it_names(
    flag: str, source: Path, tmp_path: Path, run_cli: Callable[..., Run]
) -> None:
    target = tmp_path / "imported" / "plan.yaml"
    target.parent.mkdir()
    result = run_cli("init", flag, str(source), "-o", str(target))
    assert result.code == 0, result.err
    assert_names_the_schema(target)


def test_new_from_an_example_names_the_schema_in_the_repo(
    tmp_path: Path, run_cli: Callable[..., Run]
) -> None:
    example = EXAMPLES / "checkout" / "plan.yaml"
    assert "$schema=../../docs/plan.schema.json" in example.read_text("utf-8")
    repo = tmp_path / "repo"
    result = run_cli("new", str(example), "-o", str(repo))
    assert result.code == 0, result.err
    assert_names_the_schema(repo / "plan.yaml")
    assert schema_named_by(repo / "plan.yaml") == (repo / SCHEMA_FILE).resolve()
    # only the comment changed: every value is the example's
    written = (repo / "plan.yaml").read_text("utf-8").splitlines()
    original = example.read_text("utf-8").splitlines()
    assert [a for a, b in zip(written, original, strict=True) if a != b] == [
        f"# yaml-language-server: $schema=./{SCHEMA_FILE}"
    ]
    # update leaves that plan.yaml alone and brings back a schema that went missing
    (repo / SCHEMA_FILE).unlink()
    result = run_cli("update", str(repo), "--allow-dirty")
    assert result.code == 0, result.err
    assert_names_the_schema(repo / "plan.yaml")
    assert run_cli("update", str(repo), "--check").code == 0


def test_new_into_the_folder_init_wrote(tmp_path: Path, run_cli: Callable[..., Run]) -> None:
    target = tmp_path / "plan.yaml"
    assert run_cli("init", "--no-input", str(target)).code == 0
    (tmp_path / SCHEMA_FILE).write_text("{}\n")  # an older infraplan's schema
    result = run_cli("new", str(target), "-o", str(tmp_path))
    assert result.code == 0, result.err
    assert_names_the_schema(target)


def test_point_at_local_schema_keeps_a_url_and_adds_nothing() -> None:
    url = "# yaml-language-server: $schema=https://example.com/plan.schema.json\nproject: a\n"
    assert point_at_local_schema(url) == url
    plain = "project: a\n# yaml-language-server is mentioned here\n"
    assert point_at_local_schema(plain) == plain
    moved = "# a comment\n#  yaml-language-server:  $schema=../x.json  \nproject: a\n"
    assert point_at_local_schema(moved) == (
        f"# a comment\n# yaml-language-server: $schema=./{SCHEMA_FILE}\nproject: a\n"
    )


def test_new_in_the_folder_of_a_copied_example(tmp_path: Path, run_cli: Callable[..., Run]) -> None:
    # `cp examples/checkout/plan.yaml . && infraplan new -o .`: the spec is the file new
    # writes; its comment is corrected in place, nothing else of it changes, no --force.
    spec = tmp_path / "plan.yaml"
    spec.write_bytes((EXAMPLES / "checkout" / "plan.yaml").read_bytes())
    result = run_cli("new", str(spec), "-o", str(tmp_path))
    assert result.code == 0, result.err
    assert f"its schema comment now names {SCHEMA_FILE}" in result.err
    assert_names_the_schema(spec)
    assert spec.read_text("utf-8") == point_at_local_schema(
        (EXAMPLES / "checkout" / "plan.yaml").read_text("utf-8")
    )
    # another file in the way is still refused
    other = tmp_path / "elsewhere"
    other.mkdir()
    (other / "plan.yaml").write_bytes((EXAMPLES / "checkout" / "plan.yaml").read_bytes())
    assert run_cli("new", str(spec), "-o", str(other)).code == 2
