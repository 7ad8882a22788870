"""The command around the merge: --dry-run, --check, git, bad input, all-or-nothing writes."""

from __future__ import annotations

import os
import stat
import subprocess
from pathlib import Path

import pytest
from scenario import (
    SPEC,
    change_spec,
    commit_all,
    edit,
    git,
    make_repo,
    manifest,
    read,
    repo_with_branch,
    set_spec,
    tree,
    tree_hash,
    update,
)

from infraplan.cli import main
from infraplan.errors import SpecError, UserError
from infraplan.scaffold.bases import read_bases
from infraplan.update.command import run_update_command

ROLLBACK = ".github/workflows/rollback.yml"
FASTER = change_spec(SPEC, "deploy_minutes: 10", "deploy_minutes: 7")


def test_dry_run_prints_the_diff_and_writes_nothing(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit(repo, ".github/workflows/deploy.yml", "name: Deploy\n", "name: Deploy (ours)\n")
    set_spec(
        repo, change_spec(FASTER, "  - {name: staging}\n", "  - {name: staging}\n  - {name: qa}\n")
    )
    before = tree_hash(repo)

    assert update(repo, dry_run=True) == 0

    assert tree_hash(repo) == before
    out, err = capsys.readouterr()
    assert "--- a/.github/workflows/deploy.yml\n+++ b/.github/workflows/deploy.yml\n" in out
    assert "-    timeout-minutes: 10\n+    timeout-minutes: 7\n" in out
    assert "--- /dev/null\n+++ b/infra/envs/qa/main.tf\n" in out
    assert "diff --git a/.infraplan/bases" not in out  # base copies: bookkeeping, not news
    assert "dry run: nothing was written" in err
    # The dry run showed exactly what the real run then does.
    assert update(repo) == 0
    assert "name: Deploy (ours)\n" in read(repo, ".github/workflows/deploy.yml")


def test_dry_run_predicts_a_conflict(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(repo, ROLLBACK, "timeout-minutes: 10", "timeout-minutes: 15", nth=1)
    set_spec(repo, FASTER)
    before = tree_hash(repo)

    assert update(repo, dry_run=True) == 1

    assert tree_hash(repo) == before
    out = capsys.readouterr().out
    assert "+<<<<<<< yours\n" in out and "+>>>>>>> infraplan 0.1.0\n" in out


def test_check_says_whether_the_repo_is_behind_its_plan(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert update(repo, check=True) == 0
    set_spec(repo, FASTER)
    before = tree_hash(repo)

    assert update(repo, check=True) == 1

    assert tree_hash(repo) == before
    assert "behind its plan" in capsys.readouterr().err
    assert update(repo) == 0
    assert update(repo, check=True) == 0


def test_bad_spec_changes_nothing(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    set_spec(repo, change_spec(SPEC, "az_count: 2", "az_count: 9"))
    before = tree_hash(repo)

    with pytest.raises(SpecError) as caught:
        run_update_command(repo, dry_run=False, check=False, allow_dirty=True)

    assert caught.value.exit_code == 2
    assert "network.az_count" in str(caught.value)
    assert update(repo) == 2
    assert tree_hash(repo) == before


def test_the_spec_path_stands_for_its_repo(repo: Path) -> None:
    set_spec(repo, FASTER)
    assert update(repo / "plan.yaml") == 0
    assert "timeout-minutes: 7" in read(repo, ROLLBACK)


def test_not_a_repo_made_by_new(tmp_path: Path) -> None:
    (tmp_path / "plan.yaml").write_text(SPEC, encoding="utf-8")
    assert update(tmp_path) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.yaml"]


def test_in_git_a_dirty_tree_is_refused_unless_allowed(repo: Path) -> None:
    git(repo, "init", "-q")
    commit_all(repo, "infraplan new")
    edit(repo, "infra/modules/ecs/main.tf", 'value = "enabled"', 'value = "disabled"')
    set_spec(repo, FASTER)
    before = tree_hash(repo)

    assert update(repo) == 2  # uncommitted edit: refused, nothing written

    assert tree_hash(repo) == before
    assert update(repo, allow_dirty=True) == 0
    assert "timeout-minutes: 7" in read(repo, ROLLBACK)


def test_in_git_an_edited_plan_yaml_alone_is_not_dirty(repo: Path) -> None:
    git(repo, "init", "-q")
    commit_all(repo, "infraplan new")
    set_spec(repo, FASTER)  # the usual way to start an update

    assert update(repo) == 0

    changed = {line[3:] for line in git(repo, "status", "--porcelain").splitlines()}
    assert {"plan.yaml", ROLLBACK, ".github/workflows/deploy.yml", "PLAN.md"} <= changed
    assert ".infraplan/manifest.json" in changed


def test_in_git_conflicts_are_what_git_diff_check_reports(repo: Path) -> None:
    git(repo, "init", "-q")
    edit(repo, ROLLBACK, "timeout-minutes: 10", "timeout-minutes: 15", nth=1)
    commit_all(repo, "infraplan new, then an edit")
    set_spec(repo, FASTER)

    assert update(repo) == 1

    with pytest.raises(subprocess.CalledProcessError) as caught:
        git(repo, "diff", "--check")
    assert "leftover conflict marker" in caught.value.stdout
    assert f"{ROLLBACK}:" in caught.value.stdout
    # The base copies never show up as changed text in `git diff`.
    base_diff = git(repo, "diff", "--", ".infraplan/bases")
    assert "Binary files" in base_diff and "timeout-minutes" not in base_diff
    assert update(repo) == 1  # the markers must be resolved first


def test_a_subfolder_of_a_git_repo_works(tmp_path: Path) -> None:
    git(tmp_path, "init", "-q")
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "notes.txt").write_text("not ours\n", encoding="utf-8")
    repo = make_repo(tmp_path / "other")
    commit_all(tmp_path, "two projects")
    set_spec(repo, FASTER)

    assert update(repo) == 0
    assert "timeout-minutes: 7" in read(repo, ROLLBACK)
    assert (tmp_path / "other" / "notes.txt").read_text(encoding="utf-8") == "not ours\n"
    # Paths git reports from the top of the repository still match the repo's own.
    commit_all(tmp_path, "update")
    (repo / "infra/envs/qa").mkdir(parents=True)
    (repo / "infra/envs/qa/main.tf").write_text("# mine\n", encoding="utf-8")
    set_spec(
        repo, change_spec(FASTER, "  - {name: staging}\n", "  - {name: staging}\n  - {name: qa}\n")
    )
    assert update(repo) == 2


def test_file_modes_survive(repo: Path) -> None:
    os.chmod(repo / ROLLBACK, 0o640)
    set_spec(repo, FASTER)

    assert update(repo) == 0

    assert stat.S_IMODE((repo / ROLLBACK).stat().st_mode) == 0o640
    assert "timeout-minutes: 7" in read(repo, ROLLBACK)


def test_a_failed_write_leaves_the_repo_as_it_was(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    set_spec(repo, change_spec(FASTER, "  - {name: staging}\n", ""))
    before = tree(repo)
    real_replace = os.replace
    calls = {"n": 0}

    def failing_replace(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        calls["n"] += 1
        if calls["n"] == 15:
            raise OSError(28, "No space left on device")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", failing_replace)

    assert update(repo) == 2

    assert calls["n"] > 15  # it failed midway and put things back
    assert tree(repo) == before
    assert not list((repo / ".infraplan").glob(".staging-*"))


def test_new_keeps_a_base_copy_of_every_generated_file(repo: Path) -> None:
    data = manifest(repo)
    bases = read_bases(repo)
    for path, entry in data["files"].items():
        if entry["policy"] == "source":
            continue
        assert bases[entry["sha256"]] == (repo / path).read_bytes(), path
    # One file, compressed: no tool that picks files by name or content sees code in it.
    state = sorted(p.name for p in (repo / ".infraplan").iterdir())
    assert state == [".gitattributes", "bases", "manifest.json", "plan.schema.json"]
    assert b"resource" not in (repo / ".infraplan" / "bases").read_bytes()


def test_the_plan_keeps_the_language_new_was_given(tmp_path: Path) -> None:
    (tmp_path / "plan.yaml").write_text(SPEC, encoding="utf-8")
    repo = tmp_path / "repo"
    assert main(["new", str(tmp_path / "plan.yaml"), "-o", str(repo), "--lang", "es"]) == 0
    set_spec(repo, FASTER)

    assert update(repo) == 0

    plan = read(repo, "PLAN.md")
    assert "- [ ] Tarea 1.1:" in plan and "menos de 7 minutos" in plan


def test_an_older_infraplan_refuses_to_downgrade_the_repo(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import infraplan

    set_spec(repo, FASTER)
    before = tree_hash(repo)
    monkeypatch.setattr(infraplan, "__version__", "0.0.9")

    assert update(repo) == 2

    assert tree_hash(repo) == before


def test_the_cli_runs_update(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    set_spec(repo, change_spec(SPEC, "az_count: 2", "az_count: 9"))
    assert main(["update", str(repo)]) == 2
    assert f"{repo / 'plan.yaml'}:" in capsys.readouterr().err  # file:line of the bad value

    set_spec(repo, FASTER)
    assert main(["update", str(repo), "--check"]) == 1
    assert main(["update", str(repo), "--dry-run"]) == 0
    assert "+    timeout-minutes: 7" in capsys.readouterr().out
    assert main(["update", str(repo)]) == 0
    assert main(["update", str(repo), "--check"]) == 0


def test_two_branches_that_both_ran_update_merge_in_git(tmp_path: Path) -> None:
    """Each PR that changes plan.yaml runs update; git merges them; update settles the rest."""
    repo = repo_with_branch(tmp_path, FASTER, "faster")
    set_spec(repo, change_spec(SPEC, "secrets: [DATABASE_URL]", "secrets: [DATABASE_URL, API_KEY]"))
    assert update(repo) == 0
    commit_all(repo, "a second secret")
    with pytest.raises(subprocess.CalledProcessError):
        git(repo, "merge", "-q", "faster")  # the manifests conflict, as generated files do

    git(repo, "checkout", "--theirs", ".infraplan/manifest.json")  # either side will do
    git(repo, "add", ".infraplan")
    assert update(repo, allow_dirty=True) == 0

    (tmp_path / "fresh").mkdir()
    fresh = make_repo(tmp_path / "fresh", read(repo, "plan.yaml"))
    merged, expected = tree(repo), tree(fresh)
    for path in [*expected, *merged]:
        if path == ".infraplan/manifest.json":
            continue  # records both histories
        if path == ".infraplan/bases":
            continue
        assert merged.get(path) == expected.get(path), path


def test_a_manifest_with_git_conflict_markers_gets_a_way_out(repo: Path) -> None:
    path = repo / ".infraplan" / "manifest.json"
    text = path.read_text(encoding="utf-8")
    path.write_text(f"<<<<<<< HEAD\n{text}=======\n{text}>>>>>>> faster\n", encoding="utf-8")
    before = tree_hash(repo)

    with pytest.raises(UserError) as caught:
        run_update_command(repo, dry_run=False, check=False, allow_dirty=True)

    assert "merge conflicts" in caught.value.message
    assert caught.value.hint is not None and "--theirs" in caught.value.hint
    assert tree_hash(repo) == before


def test_in_git_untracked_files_count_only_where_update_writes(repo: Path) -> None:
    git(repo, "init", "-q")
    commit_all(repo, "infraplan new")
    (repo / "infra/envs/staging/.terraform").mkdir()
    (repo / "infra/envs/staging/.terraform/state.json").write_text("{}", encoding="utf-8")
    set_spec(repo, FASTER)
    assert update(repo) == 0  # terraform init's folder is no reason to refuse

    commit_all(repo, "update")
    (repo / "infra/envs/qa").mkdir(parents=True)
    (repo / "infra/envs/qa/main.tf").write_text("# mine\n", encoding="utf-8")
    set_spec(
        repo, change_spec(FASTER, "  - {name: staging}\n", "  - {name: staging}\n  - {name: qa}\n")
    )
    before = tree_hash(repo)
    assert update(repo) == 2  # an untracked file update would merge into: refused
    assert tree_hash(repo) == before
