"""Files coming and going: seeded, deleted by you, tasks and environments added or dropped."""

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
    update,
    upgrade,
)

from infraplan.plan.tick import task_block
from infraplan.scaffold.manifest import sha256

ROOT_MAIN = "infra/envs/staging/main.tf"  # managed: it carries plan.yaml's values
SEEDED = ".dockerignore"
OVERRIDES = "infra/envs/staging/overrides.auto.tfvars"  # seeded: the user's own values
# A plan change that brings files of its own: a new environment's root.
QA_ROOT = "infra/envs/qa/main.tf"
WITH_QA = change_spec(SPEC, "  - {name: staging}\n", "  - {name: staging}\n  - {name: qa}\n")
MORE_SECRETS = change_spec(SPEC, "secrets: [DATABASE_URL]", "secrets: [DATABASE_URL, STRIPE_KEY]")
NO_STAGING = change_spec(SPEC, "  - {name: staging}\n", "")
NODE = change_spec(
    SPEC, "health_check_path: /healthz}", "health_check_path: /healthz, runtime: node}"
)


def _task_block(plan: str, task_id: str) -> str:
    found = task_block(plan, task_id)
    assert found, task_id
    return found


def test_edited_seeded_file_is_untouched_and_the_plan_change_is_shown(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit(repo, SEEDED, "docs\n", "docs\nmy-local-data/\n")
    mine = (repo / SEEDED).read_bytes()
    set_spec(repo, NODE)

    assert update(repo) == 0

    assert (repo / SEEDED).read_bytes() == mine
    err = capsys.readouterr().err
    assert f"seeded    {SEEDED}" in err
    assert "+node_modules" in err  # what to port by hand
    # What infraplan wrote once is still the reference for "did you edit it?".
    entry = manifest(repo)["files"][SEEDED]
    assert entry["policy"] == "seeded" and entry["sha256"] != sha256(mine)
    assert_second_update_is_noop(repo)


def test_unedited_seeded_file_is_not_rewritten_either(repo: Path) -> None:
    before = (repo / SEEDED).read_bytes()
    set_spec(repo, NODE)

    assert update(repo) == 0

    assert (repo / SEEDED).read_bytes() == before
    assert_second_update_is_noop(repo)


def test_your_terraform_values_survive_a_spec_change(repo: Path) -> None:
    edit(repo, OVERRIDES, "# certificate_arn = ", "certificate_arn = ")
    edit(repo, ROOT_MAIN, "http_5xx_alarm_count          = 5", "http_5xx_alarm_count          = 9")
    set_spec(repo, MORE_SECRETS)

    assert update(repo) == 0

    assert read(repo, OVERRIDES).count("\ncertificate_arn = ") == 1  # seeded: yours
    root = read(repo, ROOT_MAIN)  # managed: your edit merged with the plan's change
    assert "http_5xx_alarm_count          = 9" in root
    assert 'secret_names = ["DATABASE_URL", "STRIPE_KEY"]' in root
    assert manifest(repo)["files"][OVERRIDES]["policy"] == "seeded"
    assert manifest(repo)["files"][ROOT_MAIN]["policy"] == "managed"
    assert_second_update_is_noop(repo)


def test_managed_file_you_deleted_stays_deleted(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / ".github/workflows/rollback.yml").unlink()
    set_spec(repo, change_spec(SPEC, "deploy_minutes: 10", "deploy_minutes: 7"))

    assert update(repo) == 0

    assert not (repo / ".github/workflows/rollback.yml").exists()
    assert "timeout-minutes: 7" in read(repo, ".github/workflows/deploy.yml")
    err = " ".join(capsys.readouterr().err.split())
    assert "deleted .github/workflows/rollback.yml (you deleted it; it stays deleted)" in err
    assert manifest(repo)["files"][".github/workflows/rollback.yml"]["deleted"] is True
    assert_second_update_is_noop(repo)
    assert not (repo / ".github/workflows/rollback.yml").exists()
    assert "rollback.yml" not in capsys.readouterr().err  # said once, not on every run
    set_spec(repo, change_spec(SPEC, "deploy_minutes: 10", "deploy_minutes: 5"))
    assert update(repo) == 0
    assert not (repo / ".github/workflows/rollback.yml").exists()
    assert "rollback.yml (you deleted it" in capsys.readouterr().err  # the plan changed it


def test_seeded_file_you_deleted_stays_deleted(repo: Path) -> None:
    (repo / SEEDED).unlink()
    (repo / OVERRIDES).unlink()
    set_spec(repo, NODE)

    assert update(repo) == 0

    assert not (repo / SEEDED).exists() and not (repo / OVERRIDES).exists()
    assert_second_update_is_noop(repo)


def test_new_task_creates_its_files_and_plan_md_lists_them(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert not (repo / QA_ROOT).exists()
    assert f"`{QA_ROOT}`" not in read(repo, "PLAN.md")
    set_spec(repo, WITH_QA)

    assert update(repo) == 0

    assert '"repo:acme/shop:environment:qa"' in read(repo, QA_ROOT)
    assert f"`{QA_ROOT}`" in _task_block(read(repo, "PLAN.md"), "1.3")
    data = manifest(repo)
    assert QA_ROOT in data["tasks"]["1.3"]["files"]
    assert data["files"][QA_ROOT]["sha256"] == sha256((repo / QA_ROOT).read_bytes())
    # the root carries the environments (1.3) and its autoscaling bounds (1.4)
    assert f"created   {QA_ROOT} (task 1.3, 1.4)" in capsys.readouterr().err
    assert_second_update_is_noop(repo)


def test_task_that_disappears_takes_its_unedited_files_with_it(tmp_path: Path) -> None:
    repo = make_repo(tmp_path, WITH_QA)
    assert (repo / QA_ROOT).is_file()
    set_spec(repo, SPEC)

    assert update(repo) == 0

    assert not (repo / QA_ROOT).exists()
    assert f"`{QA_ROOT}`" not in read(repo, "PLAN.md")
    assert QA_ROOT not in manifest(repo)["files"]
    assert QA_ROOT not in manifest(repo)["tasks"]["1.3"]["files"]
    assert_second_update_is_noop(repo)


def test_task_that_disappears_leaves_an_edited_file_and_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = make_repo(tmp_path, WITH_QA)
    with (repo / QA_ROOT).open("a", encoding="utf-8") as handle:
        handle.write("# ours: keep the qa stack in sync with the docs\n")
    mine = (repo / QA_ROOT).read_bytes()
    set_spec(repo, SPEC)

    assert update(repo) == 0

    assert (repo / QA_ROOT).read_bytes() == mine
    err = " ".join(capsys.readouterr().err.split())
    assert f"kept {QA_ROOT} (no longer in the plan, but you edited it" in err
    assert f"`{QA_ROOT}`" not in read(repo, "PLAN.md")
    assert QA_ROOT not in manifest(repo)["files"]
    assert_second_update_is_noop(repo)
    assert (repo / QA_ROOT).read_bytes() == mine


def test_dropped_environment_removes_its_unedited_root_and_keeps_edited_files(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit(repo, "infra/envs/staging/main.tf", "module ", "# ours\nmodule ", nth=1)
    set_spec(repo, NO_STAGING)

    assert update(repo) == 0

    left = sorted(p.name for p in (repo / "infra/envs/staging").iterdir())
    assert left == ["main.tf"]
    assert "# ours\n" in read(repo, "infra/envs/staging/main.tf")
    assert "deploy-staging" not in read(repo, ".github/workflows/deploy.yml")
    assert (repo / "infra/envs/production/main.tf").is_file()
    assert "removed   infra/envs/staging/backend.tf" in capsys.readouterr().err
    assert_second_update_is_noop(repo)


def test_dropped_environment_leaves_no_empty_folder(repo: Path) -> None:
    set_spec(repo, NO_STAGING)

    assert update(repo) == 0

    assert not (repo / "infra/envs/staging").exists()
    assert (repo / "infra/envs").is_dir()


def test_new_environment_gets_its_seeded_files(repo: Path) -> None:
    set_spec(
        repo, change_spec(SPEC, "  - {name: staging}\n", "  - {name: staging}\n  - {name: qa}\n")
    )

    assert update(repo) == 0

    assert 'secret_names = ["DATABASE_URL"]' in read(repo, "infra/envs/qa/main.tf")
    assert manifest(repo)["files"]["infra/envs/qa/main.tf"]["policy"] == "managed"
    assert (repo / "infra/envs/qa/overrides.auto.tfvars").is_file()
    assert manifest(repo)["files"]["infra/envs/qa/overrides.auto.tfvars"]["policy"] == "seeded"
    assert_second_update_is_noop(repo)


def test_a_seeded_file_that_a_new_version_manages_merges_from_what_was_written(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    edit(repo, SEEDED, "docs\n", "docs\nmy-local-data/\n")
    set_spec(repo, NODE)
    assert update(repo) == 0  # seeded: untouched, the plan's change only shown
    assert "node_modules" not in read(repo, SEEDED)
    # infraplan 0.2.0 manages .dockerignore: its base is what 0.1.0 wrote once.
    upgrade(monkeypatch, "0.2.0", {})
    monkeypatch.setattr("infraplan.scaffold.manifest.SEEDED_NAMES", ("overrides.auto.tfvars",))
    set_spec(repo, change_spec(NODE, "cpu_alarm_percent: 80", "cpu_alarm_percent: 70"))

    assert update(repo) == 0

    ignored = read(repo, SEEDED)
    assert "my-local-data/" in ignored and "node_modules" in ignored
    assert "__pycache__" not in ignored
    assert manifest(repo)["files"][SEEDED]["policy"] == "managed"
    assert_second_update_is_noop(repo)


def test_a_third_az_reaches_the_terraform_values_and_the_plan(repo: Path) -> None:
    set_spec(repo, change_spec(SPEC, "az_count: 2", "az_count: 3"))

    assert update(repo) == 0

    assert "3 availability zones" in _task_block(read(repo, "PLAN.md"), "1.1")
    for env in ("staging", "production"):
        root = read(repo, f"infra/envs/{env}/main.tf")
        assert 'public_subnet_cidrs  = ["10.0.0.0/19", "10.0.32.0/19", "10.0.64.0/19"]' in root
    assert_second_update_is_noop(repo)


def test_a_file_restored_after_deletion_is_brought_up_to_date(repo: Path) -> None:
    path = ".github/workflows/rollback.yml"
    original = (repo / path).read_bytes()
    (repo / path).unlink()
    assert update(repo) == 0  # recorded as deleted
    (repo / path).write_bytes(original)  # e.g. `git checkout -- rollback.yml`
    set_spec(repo, change_spec(SPEC, "deploy_minutes: 10", "deploy_minutes: 7"))

    assert update(repo) == 0

    assert read(repo, path).count("timeout-minutes: 7") == 2
    assert "deleted" not in manifest(repo)["files"][path]


def test_a_plan_without_a_date_keeps_the_date_new_gave_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Today is the default date, and the plan id comes from it: a day later the plan
    must not change by itself."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1796083200")  # 2026-12-01
    repo = make_repo(tmp_path, change_spec(SPEC, "date: 2026-11-29\n", ""))
    assert "INFRA-20261201-SHOP" in read(repo, "PLAN.md")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1796947200")  # 2026-12-11

    assert update(repo, check=True) == 0
    set_spec(repo, change_spec(MORE_SECRETS, "date: 2026-11-29\n", ""))
    assert update(repo) == 0
    plan = read(repo, "PLAN.md")
    assert "INFRA-20261201-SHOP" in plan and "2026-12-11" not in plan
    assert manifest(repo)["plan_date"] == "2026-12-01"
    assert_second_update_is_noop(repo)
