"""The manifest as one model: version 1 read and upgraded, one error path, a small footprint."""

from __future__ import annotations

import contextlib
import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from scenario import (
    SPEC,
    change_spec,
    commit_all,
    edit,
    git,
    make_repo,
    read,
    repo_with_branch,
    set_spec,
    update,
)

from infraplan.errors import UserError
from infraplan.scaffold.bases import BASES_PATH, LEGACY_BASE_DIR, read_bases, unpack
from infraplan.scaffold.manifest import MANIFEST_PATH, MANIFEST_VERSION, Manifest
from infraplan.spec.schema import SCHEMA_FILE

DEPLOY = ".github/workflows/deploy.yml"
FASTER = change_spec(SPEC, "deploy_minutes: 10", "deploy_minutes: 7")


def as_version_1(repo: Path) -> None:
    """Turn a fresh repo into what infraplan 0.1 (manifest version 1) wrote: one object
    per file with its tasks and base path, one base copy per content in .infraplan/base/."""
    manifest = Manifest.load(repo)
    owners = manifest.tasks_by_file()
    bases = read_bases(repo)
    files: dict[str, Any] = {}
    for path, record in manifest.files.items():
        entry: dict[str, Any] = {
            "policy": record.policy,
            "sha256": record.sha256,
            "tasks": owners.get(path, []),
        }
        if record.policy != "source":
            entry["base"] = f"{LEGACY_BASE_DIR}{record.last_render}"
        files[path] = entry
    old = {
        "manifest_version": 1,
        "infraplan_version": manifest.infraplan_version,
        "spec_sha256": manifest.spec_sha256,
        "language": manifest.language,
        "plan_date": manifest.plan_date,
        "tasks": {k: v.model_dump(mode="json") for k, v in manifest.tasks.items()},
        "files": files,
        "names": manifest.names,
    }
    (repo / MANIFEST_PATH).write_text(json.dumps(old, indent=2, sort_keys=True) + "\n")
    (repo / LEGACY_BASE_DIR).mkdir()
    for digest, content in bases.items():
        (repo / LEGACY_BASE_DIR / digest).write_bytes(content)
    (repo / BASES_PATH).unlink()


def test_a_version_1_repo_is_read_merged_and_upgraded(repo: Path) -> None:
    as_version_1(repo)
    edit(repo, DEPLOY, "name: Deploy\n", "name: Deploy (ours)\n")
    before = read(repo, "PLAN.md")
    line = next(x for x in before.splitlines() if x.startswith("- [ ] No secrets"))
    edit(repo, "PLAN.md", line, "- [x]" + line[5:])
    set_spec(repo, FASTER)

    assert update(repo) == 0

    deploy = read(repo, DEPLOY)
    assert "name: Deploy (ours)\n" in deploy and "timeout-minutes: 7" in deploy  # merged
    assert "- [x] No secrets are exposed in the pipeline." in read(repo, "PLAN.md")
    data = json.loads((repo / MANIFEST_PATH).read_bytes())
    assert data["manifest_version"] == MANIFEST_VERSION
    assert data["plan_boxes"][-1] == "AC5"
    assert not (repo / LEGACY_BASE_DIR).exists()  # the copies moved into the store
    assert Manifest.load(repo).files[DEPLOY].sha256 in read_bases(repo)
    assert update(repo, check=True) == 0


def test_a_version_1_manifest_parses_to_the_same_model(repo: Path) -> None:
    fresh = Manifest.load(repo)
    as_version_1(repo)
    upgraded = Manifest.load(repo)
    assert upgraded.files == fresh.files
    assert upgraded.tasks == fresh.tasks and upgraded.names == fresh.names
    assert upgraded.plan_boxes == ()  # version 1 did not record them: told by text


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", "manifest.json:1:2: cannot be read as JSON"),
        ('{"manifest_version": 2, "language": "es"}', "infraplan_version: Field required"),
        ('{"manifest_version": 9}', "manifest version 9 is newer"),
        ("[1, 2]", "not an infraplan manifest"),
    ],
)
def test_a_broken_manifest_is_bad_input_naming_file_and_field(
    repo: Path, text: str, message: str
) -> None:
    (repo / MANIFEST_PATH).write_text(text, encoding="utf-8")
    with pytest.raises(UserError) as caught:
        Manifest.load(repo)
    assert message in caught.value.message
    assert update(repo) == 2


def test_dump_is_one_line_per_file_and_reads_back(repo: Path) -> None:
    manifest = Manifest.load(repo)
    text = manifest.dump().decode("utf-8")
    assert Manifest.parse(text.encode("utf-8"), repo / MANIFEST_PATH) == manifest
    lines = text.splitlines()
    assert len(lines) < len(manifest.files) + len(manifest.tasks) + 30
    for path in manifest.files:
        assert sum(1 for line in lines if line.startswith(f'    "{path}": {{')) == 1


# -- the footprint (docs/update.md) ------------------------------------------------------


def _pull_request(repo: Path) -> tuple[list[str], int]:
    names = git(repo, "diff", "--no-renames", "--name-only", "HEAD~1", "HEAD").split()
    stat = git(repo, "diff", "--no-renames", "--numstat", "HEAD~1", "HEAD", "--", MANIFEST_PATH)
    added, removed = (int(n) for n in stat.split()[:2])
    return names, added + removed


def test_a_plan_change_pull_request_shows_the_real_changes_and_little_else(
    tmp_path: Path,
) -> None:
    repo = make_repo(tmp_path)
    state = sorted(p.name for p in (repo / ".infraplan").iterdir())
    assert state == [".gitattributes", "bases", "manifest.json", "plan.schema.json"]
    generated = sum(
        p.stat().st_size
        for p in repo.rglob("*")
        if p.is_file() and ".infraplan" not in p.parts and p.name != "plan.yaml"
    )
    assert (repo / BASES_PATH).stat().st_size < 0.5 * generated
    git(repo, "init", "-q", "-b", "main")
    commit_all(repo, "new")
    assert b"aws_ecs_service" not in (repo / BASES_PATH).read_bytes()  # `grep -r` finds no copy
    for state_file in (BASES_PATH, SCHEMA_FILE):
        attribute = git(repo, "check-attr", "linguist-generated", "--", state_file)
        assert attribute.strip().endswith("true"), state_file

    set_spec(repo, change_spec(SPEC, "network: {az_count: 2}", "network: {az_count: 3}"))
    assert update(repo) == 0
    commit_all(repo, "three AZs")

    names, manifest_lines = _pull_request(repo)
    real = [n for n in names if not n.startswith(".infraplan/") and n != "plan.yaml"]
    assert sorted(set(names) - set(real)) == [BASES_PATH, MANIFEST_PATH, "plan.yaml"]
    assert manifest_lines <= 2 * (len(real) + 1)  # one line per file changed, and the spec's hash
    diff = git(repo, "diff", "HEAD~1", "HEAD", "--", BASES_PATH)
    assert "Binary files" in diff or diff.strip() == ""  # folded: -diff


def test_the_bases_of_both_branches_survive_a_git_merge(tmp_path: Path) -> None:
    repo = repo_with_branch(tmp_path, FASTER, "faster")
    theirs = set(unpack(git(repo, "show", f"faster:{BASES_PATH}").encode("ascii")))
    set_spec(
        repo, change_spec(SPEC, "secrets: [DATABASE_URL]", "secrets: [DATABASE_URL, SMTP_URL]")
    )
    assert update(repo) == 0
    commit_all(repo, "a second secret")
    ours = set(read_bases(repo))

    with contextlib.suppress(subprocess.CalledProcessError):  # the manifests may conflict
        git(repo, "merge", "-q", "--no-edit", "faster")

    store = (repo / BASES_PATH).read_bytes()
    assert b"<<<<<<<" not in store  # union merge: no conflict in the store
    assert ours | theirs <= set(read_bases(repo))
