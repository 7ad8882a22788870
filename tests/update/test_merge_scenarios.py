"""Managed files: your edits and infraplan's changes, three-way merged."""

from __future__ import annotations

from pathlib import Path

import pytest
from scenario import (
    SPEC,
    assert_second_update_is_noop,
    change_spec,
    edit,
    make_repo,
    manifest,
    read,
    set_spec,
    tree,
    update,
    upgrade,
)

from infraplan.scaffold.bases import BASES_PATH, read_bases
from infraplan.scaffold.manifest import sha256

DEPLOY = ".github/workflows/deploy.yml"
ROLLBACK = ".github/workflows/rollback.yml"
ECS = "infra/modules/ecs/main.tf"
FASTER = change_spec(SPEC, "deploy_minutes: 10", "deploy_minutes: 7")


def test_edit_and_unrelated_spec_change_both_land(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit(repo, DEPLOY, "name: Deploy\n", "name: Deploy (shop, edited by hand)\n")
    edit(
        repo,
        ECS,
        'resource "aws_ecs_cluster" "this" {\n',
        'resource "aws_ecs_cluster" "this" {\n  # ours\n',
    )
    ecs_before = read(repo, ECS)
    set_spec(repo, FASTER)

    assert update(repo) == 0

    deploy = read(repo, DEPLOY)
    assert "name: Deploy (shop, edited by hand)\n" in deploy  # the edit is kept
    assert deploy.count("timeout-minutes: 7") == 2 and "timeout-minutes: 10" not in deploy
    assert read(repo, ECS) == ecs_before  # a file the change does not touch is left alone
    assert "less than 7 minutes" in read(repo, "PLAN.md")
    err = capsys.readouterr().err
    assert "merged" in err and DEPLOY in err and "your edits kept" in err
    assert_second_update_is_noop(repo)


def test_edit_on_the_lines_the_change_touches_is_a_marked_conflict(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit(repo, ROLLBACK, "timeout-minutes: 10", "timeout-minutes: 15", nth=1)
    set_spec(repo, FASTER)

    assert update(repo) == 1

    rollback = read(repo, ROLLBACK)
    assert rollback.count("<<<<<<< yours\n") == 1
    assert rollback.count(">>>>>>> infraplan 0.1.0\n") == 1
    mine, theirs = rollback.split("<<<<<<< yours\n")[1].split(">>>>>>>")[0].split("=======\n")
    assert "timeout-minutes: 15" in mine and "timeout-minutes: 7" in theirs
    # The rest of the same file merged, and the other files were updated.
    assert rollback.count("timeout-minutes: 7") == 2
    assert read(repo, DEPLOY).count("timeout-minutes: 7") == 2
    assert "less than 7 minutes" in read(repo, "PLAN.md")
    entry = manifest(repo)["files"][ROLLBACK]
    assert read_bases(repo)[entry["sha256"]].count(b"timeout-minutes: 7") == 2
    err = capsys.readouterr().err
    assert f"conflict {ROLLBACK}" in " ".join(err.split())
    assert "1 file has conflicts" in " ".join(err.split())


def test_unresolved_markers_stop_the_next_update(repo: Path) -> None:
    edit(repo, ROLLBACK, "timeout-minutes: 10", "timeout-minutes: 15", nth=1)
    set_spec(repo, FASTER)
    assert update(repo) == 1
    after_first = tree(repo)
    set_spec(repo, change_spec(FASTER, "cpu_alarm_percent: 80", "cpu_alarm_percent: 70"))

    assert update(repo) == 1  # refuses: the markers are still there

    assert {p: c for p, c in tree(repo).items() if p != "plan.yaml"} == {
        p: c for p, c in after_first.items() if p != "plan.yaml"
    }
    # Once resolved, update runs again.
    text = read(repo, ROLLBACK)
    head, rest = text.split("<<<<<<< yours\n")
    _, tail = rest.split(">>>>>>> infraplan 0.1.0\n")
    (repo / ROLLBACK).write_text(head + "    timeout-minutes: 15\n" + tail, encoding="utf-8")
    assert update(repo) == 0
    assert "timeout-minutes: 15" in read(repo, ROLLBACK)


def test_template_upgrade_merges_against_what_the_old_version_generated(
    repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    edit(
        repo,
        ECS,
        'data "aws_partition" "current" {}\n',
        'data "aws_partition" "current" {}\n# ours\n',
    )
    upgrade(monkeypatch, "0.2.0", {ECS: ('value = "enabled"', 'value = "enhanced"')})
    assert update(repo, check=True) == 1  # behind the installed version

    assert update(repo) == 0

    ecs = read(repo, ECS)
    assert "# ours\n" in ecs and 'value = "enhanced"' in ecs and 'value = "enabled"' not in ecs
    assert manifest(repo)["infraplan_version"] == "0.2.0"
    assert "infraplan 0.1.0 → 0.2.0" in capsys.readouterr().err
    assert_second_update_is_noop(repo)


def test_template_upgrade_on_a_line_you_edited_conflicts(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    edit(repo, ECS, 'value = "enabled"', 'value = "disabled"')
    upgrade(monkeypatch, "0.2.0", {ECS: ('value = "enabled"', 'value = "enhanced"')})

    assert update(repo) == 1

    ecs = read(repo, ECS)
    assert '<<<<<<< yours\n    value = "disabled"\n=======\n    value = "enhanced"\n' in ecs
    assert ">>>>>>> infraplan 0.2.0\n" in ecs


def test_upgrade_without_base_copies_still_keeps_edits(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A repo whose base copies are gone (e.g. made before they existed): nothing is lost."""
    edit(
        repo,
        ECS,
        'data "aws_partition" "current" {}\n',
        'data "aws_partition" "current" {}\n# ours\n',
    )
    (repo / BASES_PATH).unlink()
    upgrade(
        monkeypatch,
        "0.2.0",
        {
            ECS: ('value = "enabled"', 'value = "enhanced"'),
            DEPLOY: ("name: Deploy\n", "name: Deploy service\n"),
        },
    )

    assert update(repo) == 1

    # Unedited: the hash in the manifest proves it, so it is simply replaced.
    assert "name: Deploy service\n" in read(repo, DEPLOY)
    # Edited, with no base to compare: your lines and ours both show, nothing dropped.
    ecs = read(repo, ECS)
    assert "# ours\n" in ecs and 'value = "enhanced"' in ecs and "<<<<<<< yours" in ecs
    assert sha256((repo / DEPLOY).read_bytes()) in read_bases(repo)


def test_plan_md_ticks_survive_a_spec_change(repo: Path) -> None:
    edit(repo, "PLAN.md", "- [ ] Task 1.1:", "- [x] Task 1.1:")
    set_spec(repo, FASTER)

    assert update(repo) == 0

    plan = read(repo, "PLAN.md")
    assert "- [x] Task 1.1:" in plan and "less than 7 minutes" in plan
    assert_second_update_is_noop(repo)


def test_crlf_file_stays_crlf_and_merges(repo: Path) -> None:
    edit(repo, DEPLOY, "name: Deploy\n", "name: Deploy (ours)\n")
    crlf = (repo / DEPLOY).read_bytes().replace(b"\n", b"\r\n")
    (repo / DEPLOY).write_bytes(crlf)
    set_spec(repo, FASTER)

    assert update(repo) == 0

    deploy = (repo / DEPLOY).read_bytes()
    assert deploy.count(b"\n") == deploy.count(b"\r\n")  # every line still CRLF
    assert b"name: Deploy (ours)\r\n" in deploy
    assert deploy.count(b"timeout-minutes: 7\r\n") == 2
    assert_second_update_is_noop(repo)


def test_unedited_crlf_checkout_takes_the_change_in_crlf(repo: Path) -> None:
    (repo / ROLLBACK).write_bytes((repo / ROLLBACK).read_bytes().replace(b"\n", b"\r\n"))
    set_spec(repo, FASTER)

    assert update(repo) == 0

    rollback = (repo / ROLLBACK).read_bytes()
    assert rollback.count(b"timeout-minutes: 7\r\n") == 2 and b"\r\r" not in rollback
    assert rollback.count(b"\n") == rollback.count(b"\r\n")


def test_file_without_final_newline_keeps_it_that_way(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    text = read(repo, DEPLOY)
    assert text.endswith("\n")
    (repo / DEPLOY).write_text("# ours\n" + text.rstrip("\n"), encoding="utf-8")
    set_spec(repo, FASTER)

    assert update(repo) == 0

    merged = read(repo, DEPLOY)
    assert merged.startswith("# ours\n") and not merged.endswith("\n")
    assert merged.count("timeout-minutes: 7") == 2
    (tmp_path / "fresh").mkdir()
    fresh = read(make_repo(tmp_path / "fresh", FASTER), DEPLOY)
    assert merged == "# ours\n" + fresh.rstrip("\n")
    assert_second_update_is_noop(repo)


def test_binary_files_are_never_touched(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    logo = bytes(range(256)) * 4
    (repo / "docs" / "logo.png").write_bytes(logo)
    binary = b"\x00\x01ours\x00" + bytes(range(200))
    (repo / ROLLBACK).write_bytes(binary)  # a managed file replaced by binary content
    set_spec(repo, FASTER)

    assert update(repo) == 1

    assert (repo / "docs" / "logo.png").read_bytes() == logo
    assert (repo / ROLLBACK).read_bytes() == binary
    assert "binary file" in capsys.readouterr().err
    assert read(repo, DEPLOY).count("timeout-minutes: 7") == 2


def test_a_file_you_created_where_the_plan_now_wants_one(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    mine = 'module "qa" {\n  source = "../../modules/stack"\n}\n'
    (repo / "infra/envs/qa").mkdir(parents=True)
    (repo / "infra/envs/qa/main.tf").write_text(mine, encoding="utf-8")
    set_spec(
        repo, change_spec(SPEC, "  - {name: staging}\n", "  - {name: staging}\n  - {name: qa}\n")
    )

    assert update(repo) == 1

    root = read(repo, "infra/envs/qa/main.tf")
    assert "<<<<<<< yours\n" in root and 'module "qa" {\n' in root  # yours is all still there
    assert "environment:qa" in root


def test_a_ticked_task_whose_text_the_plan_changes_keeps_its_tick(repo: Path) -> None:
    """`check --tick` then a spec change on that very task: no conflict, the tick stays."""
    edit(repo, "PLAN.md", "- [ ] Task 3.1:", "- [x] Task 3.1:")
    edit(repo, "PLAN.md", "- [ ] Task 1.1:", "- [x] Task 1.1:")
    set_spec(
        repo, change_spec(SPEC, "secrets: [DATABASE_URL]", "secrets: [DATABASE_URL, SMTP_URL]")
    )

    assert update(repo) == 0

    plan = read(repo, "PLAN.md")
    task = next(line for line in plan.splitlines() if "Task 3.1:" in line)
    assert task.startswith("- [x] Task 3.1:") and "`SMTP_URL`" in task
    assert "- [x] Task 1.1:" in plan and "- [ ] Task 1.2:" in plan
    assert "<<<<<<<" not in plan
    assert_second_update_is_noop(repo)
