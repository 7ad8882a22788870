"""`infraplan init` as a person types it, through a real pseudo-terminal (pexpect):
each answer is checked as it is typed, a bad one is asked again, defaults follow
earlier answers; Ctrl-C exits 130 and writes nothing. Then `new -o .` in the same folder."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path

import pexpect
import pytest

from conftest import Run
from infraplan.spec.load import load_spec
from infraplan.spec.schema import SCHEMA_FILE

OWNER_ID_QUESTION = "GitHub owner id, for the immutable OIDC subject (empty to skip) []: "
REPOSITORY_ID_QUESTION = "GitHub repository id (empty to skip) []: "


def _spawn(folder: Path, *args: str) -> pexpect.spawn:
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1"}
    return pexpect.spawn(
        sys.executable,
        ["-m", "infraplan", "init", *args],
        cwd=str(folder),
        env=env,
        encoding="utf-8",
        timeout=180,  # a shared machine can be slow to start Python
    )


@pytest.mark.slow  # a real terminal and process
def test_each_answer_is_checked_as_typed_and_defaults_follow(tmp_path: Path) -> None:
    folder = tmp_path / "shop"
    folder.mkdir()
    child = _spawn(folder)
    child.expect_exact("Project name (a lower-case slug) [shop]: ")
    child.sendline("Bad_Name")
    child.expect("lower-case slug")  # the reason, then the same question again
    child.expect_exact("Project name (a lower-case slug) [shop]: ")
    child.sendline("web-shop")
    # the repository's default follows the project just given
    child.expect_exact("GitHub repository (owner/name) [my-org/web-shop]: ")
    child.sendline("no-slash")
    child.expect("owner/name")
    child.expect_exact("GitHub repository (owner/name) [my-org/web-shop]: ")
    child.sendline("acme/web-shop")
    child.expect_exact("AWS region [eu-west-1]: ")
    child.sendline("mars-1")
    child.expect("eu-west-1")  # the accepted regions are named
    child.expect_exact("AWS region [eu-west-1]: ")
    child.sendline("eu-central-1")
    child.expect_exact("Plan language (es/en) [es]: ")
    child.sendline("fr")
    child.expect_exact("Plan language (es/en) [es]: ")
    child.sendline("en")
    # the two ids are optional, and checked as positive integers
    child.expect_exact(OWNER_ID_QUESTION)
    child.sendline("0")
    child.expect("a positive integer")
    child.expect_exact(OWNER_ID_QUESTION)
    child.sendline("12")
    child.expect_exact(REPOSITORY_ID_QUESTION)
    child.sendline("")
    child.expect("both ids or neither")
    child.expect_exact(REPOSITORY_ID_QUESTION)
    child.sendline("34")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before
    spec = load_spec(folder / "plan.yaml").spec
    assert (spec.project, spec.ci.repository, spec.aws.region, spec.language) == (
        "web-shop",
        "acme/web-shop",
        "eu-central-1",
        "en",
    )
    assert (spec.ci.repository_owner_id, spec.ci.repository_id) == (12, 34)
    assert spec.ci.subject_prefix() == "repo:acme@12/web-shop@34"
    text = (folder / "plan.yaml").read_text(encoding="utf-8")
    assert "owners: [Platform team]" in text and "estimate: 3 days" in text


@pytest.mark.slow  # a real terminal and process
def test_flags_given_are_not_asked(tmp_path: Path) -> None:
    child = _spawn(tmp_path, "--project", "api", "--lang", "es")
    child.expect_exact("GitHub repository (owner/name) [my-org/api]: ")
    child.sendline("")
    child.expect_exact("AWS region [eu-west-1]: ")
    child.sendline("")
    # an empty owner id skips both ids: the repository id is not asked
    child.expect_exact(OWNER_ID_QUESTION)
    child.sendline("")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    ci = load_spec(tmp_path / "plan.yaml").spec.ci
    assert ci.repository == "my-org/api"
    assert (ci.repository_owner_id, ci.repository_id) == (None, None)
    assert "# repository_owner_id: 123456" in (tmp_path / "plan.yaml").read_text("utf-8")


@pytest.mark.slow  # a real terminal and process
def test_ctrl_c_exits_130_and_writes_nothing(tmp_path: Path) -> None:
    child = _spawn(tmp_path)
    child.expect_exact("Project name")
    child.sendintr()
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    assert list(tmp_path.iterdir()) == []


def test_no_input_in_spanish_writes_spanish_values(
    tmp_path: Path, run_cli: Callable[..., Run]
) -> None:
    target = tmp_path / "plan.yaml"
    assert run_cli("init", str(target), "--no-input", "--lang", "es").code == 0
    text = target.read_text(encoding="utf-8")
    assert "owners: [Equipo de plataforma]" in text and "estimate: 3 días" in text
    assert "en ECS Fargate" in text and "Platform team" not in text
    assert "# solo nombres, p. ej. [DATABASE_URL]; nunca valores" in text  # comments too
    assert "names only" not in text
    plan = run_cli("plan", str(target)).out
    assert "**Responsable(s):** Equipo de plataforma" in plan
    assert "**Duración Estimada:** 3 días" in plan
    assert "public subnets" not in plan and "subnets públicas" in plan


@pytest.mark.parametrize("lang", ["es", "en"])
def test_a_spec_without_owners_gets_them_in_its_language(
    tmp_path: Path, run_cli: Callable[..., Run], lang: str
) -> None:
    spec = tmp_path / "plan.yaml"
    spec.write_text(f"project: x1\nci: {{repository: a/b}}\nlanguage: {lang}\n", "utf-8")
    plan = run_cli("plan", str(spec)).out
    owners, estimate = (
        ("Equipo de plataforma", "3 días") if lang == "es" else ("Platform team", "3 days")
    )
    assert owners in plan and estimate in plan


def test_new_into_the_folder_init_wrote(tmp_path: Path, run_cli: Callable[..., Run]) -> None:
    assert run_cli("init", str(tmp_path / "plan.yaml"), "--no-input").code == 0
    (tmp_path / ".git").mkdir()  # a fresh `git init` is welcome too
    (tmp_path / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    result = run_cli("new", str(tmp_path / "plan.yaml"), "-o", str(tmp_path))
    assert result.code == 0, result.err
    assert "replaced" not in result.err  # plan.yaml was written with the same bytes
    assert (tmp_path / "PLAN.md").is_file() and (tmp_path / SCHEMA_FILE).is_file()


def test_force_names_every_file_it_replaces(tmp_path: Path, run_cli: Callable[..., Run]) -> None:
    assert run_cli("init", str(tmp_path / "plan.yaml"), "--no-input").code == 0
    (tmp_path / "README.md").write_text("my own readme\n")
    (tmp_path / "notes.txt").write_text("mine\n")
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}

    refused = run_cli("new", str(tmp_path / "plan.yaml"), "-o", str(tmp_path))
    assert refused.code == 2
    assert "README.md" in refused.err and "notes.txt" in refused.err and "--force" in refused.err
    assert {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == before

    forced = run_cli("new", str(tmp_path / "plan.yaml"), "-o", str(tmp_path), "--force")
    assert forced.code == 0, forced.err
    replaced = [line for line in forced.err.splitlines() if line.startswith("replaced ")]
    assert replaced == [f"replaced {tmp_path / 'README.md'} (its earlier content differed)"]
    assert (tmp_path / "notes.txt").read_text() == "mine\n"

    # a file edited after the render is never replaced silently, even with --quiet
    (tmp_path / "Dockerfile").write_text("FROM scratch\n")
    again = run_cli("--quiet", "new", str(tmp_path / "plan.yaml"), "-o", str(tmp_path), "--force")
    assert again.code == 0
    assert f"replaced {tmp_path / 'Dockerfile'}" in again.err
    assert "infraplan update" not in again.err
    refused_again = run_cli("new", str(tmp_path / "plan.yaml"), "-o", str(tmp_path))
    assert refused_again.code == 2 and "infraplan update" in refused_again.err
