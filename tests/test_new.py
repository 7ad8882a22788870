"""`infraplan new`: the starter repo, its task map, and safe, all-or-nothing writes."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import EXAMPLES, ROOT, Run, tree_snapshot
from infraplan.catalogue import tasks_for
from infraplan.errors import UserError
from infraplan.plan.tick import task_block
from infraplan.scaffold.bases import BASES_PATH
from infraplan.scaffold.manifest import MANIFEST_PATH, sha256
from infraplan.scaffold.writer import safe_target, write_tree
from infraplan.spec.load import load_spec
from infraplan.spec.schema import SCHEMA_FILE, point_at_local_schema, schema_json

EXAMPLE = EXAMPLES / "checkout" / "plan.yaml"
GOLDEN_TREE = ROOT / "tests" / "golden" / "checkout-repo"


@pytest.fixture(scope="module")
def example_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from infraplan.cli import main

    out = tmp_path_factory.mktemp("new") / "checkout"
    assert main(["new", str(EXAMPLE), "-o", str(out)]) == 0
    return out


def test_new_writes_the_repo_the_issue_lists(example_repo: Path) -> None:
    expected = [
        "plan.yaml",
        "PLAN.md",
        MANIFEST_PATH,
        "Dockerfile",
        ".dockerignore",
        "README.md",
        ".gitignore",
        ".github/workflows/ci.yml",
        ".github/workflows/deploy.yml",
        ".github/workflows/terraform.yml",
        ".github/workflows/rollback.yml",
        "docs/runbooks/rollback.md",
    ]
    for module in ("network", "ecr", "ecs", "monitoring", "secrets", "ci_oidc", "budget", "stack"):
        for name in ("main.tf", "variables.tf", "outputs.tf", "versions.tf", "README.md"):
            expected.append(f"infra/modules/{module}/{name}")
    for env in ("staging", "production"):
        for name in (
            "main.tf",
            "versions.tf",
            "backend.tf",
            "moved.tf",
            "overrides.auto.tfvars",
        ):
            expected.append(f"infra/envs/{env}/{name}")
    for name in ("main.tf", "variables.tf", "outputs.tf", "versions.tf", "overrides.auto.tfvars"):
        expected.append(f"infra/bootstrap/{name}")
    missing = [p for p in expected if not (example_repo / p).is_file()]
    assert missing == []
    assert not (example_repo / ".github/workflows/preview.yml").exists()  # previews are off
    # the example's values, with the schema comment naming the schema written beside it
    written = (example_repo / "plan.yaml").read_text(encoding="utf-8")
    assert written == point_at_local_schema(EXAMPLE.read_text(encoding="utf-8"))
    assert (example_repo / SCHEMA_FILE).read_text(encoding="utf-8") == schema_json()


def test_manifest_maps_every_task_to_files_and_resources(example_repo: Path) -> None:
    manifest = json.loads((example_repo / MANIFEST_PATH).read_text(encoding="utf-8"))
    spec = load_spec(EXAMPLE).spec
    assert list(manifest["tasks"]) == [t.id for t in tasks_for(spec)]
    for task_id, entry in manifest["tasks"].items():
        assert entry["files"], task_id
        for path in entry["files"]:
            assert (example_repo / path).is_file(), (task_id, path)
    network = manifest["tasks"]["1.1"]["resources"]
    assert "module.stack.module.network.aws_vpc.this" in network
    assert any(
        a.startswith("module.stack.module.ecs.aws_ecs_cluster.")
        for a in manifest["tasks"]["1.2"]["resources"]
    )
    # the bootstrap root is a root: its resources have no module prefix
    assert "aws_s3_bucket.state" in manifest["tasks"]["1.3"]["resources"]
    assert "module.stack.aws_kms_key.stack" in manifest["tasks"]["1.3"]["resources"]
    for path, entry in manifest["files"].items():
        if path == MANIFEST_PATH:
            continue
        assert entry["sha256"] == sha256((example_repo / path).read_bytes()), path
    assert manifest["files"]["infra/envs/staging/main.tf"]["policy"] == "managed"
    assert manifest["files"]["infra/bootstrap/overrides.auto.tfvars"]["policy"] == "seeded"
    assert manifest["files"]["infra/envs/staging/overrides.auto.tfvars"]["policy"] == "seeded"
    assert manifest["files"]["infra/modules/ecs/main.tf"]["policy"] == "managed"
    assert manifest["files"]["plan.yaml"]["policy"] == "source"
    assert manifest["names"]["production"]["cluster"] == "checkout-production"


def test_plan_names_the_generated_files_under_each_task(example_repo: Path) -> None:
    plan = (example_repo / "PLAN.md").read_text(encoding="utf-8")
    manifest = json.loads((example_repo / MANIFEST_PATH).read_text(encoding="utf-8"))
    for task_id, entry in manifest["tasks"].items():
        block = task_block(plan, task_id)
        assert block, task_id
        for path in entry["files"]:
            assert f"`{path}`" in block, (task_id, path)
        for address in entry["resources"]:
            assert f"`{address}`" in block, (task_id, address)


def test_golden_tree(example_repo: Path) -> None:
    """The whole example repo, file by file (`make golden` refreshes it).

    The merge bases in .infraplan/bases are compressed copies of the files
    themselves, checked by the update tests, and the schema is `infraplan schema`'s
    (checked above): both are left out here.
    """
    actual = {
        path: content
        for path, content in tree_snapshot(example_repo).items()
        if path not in (BASES_PATH, SCHEMA_FILE)
    }
    if os.environ.get("INFRAPLAN_UPDATE_GOLDEN"):
        import shutil

        shutil.rmtree(GOLDEN_TREE, ignore_errors=True)
        for path, content in actual.items():
            (GOLDEN_TREE / path).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN_TREE / path).write_bytes(content)
    expected = tree_snapshot(GOLDEN_TREE)
    missing = sorted(set(expected) - set(actual))
    extra = sorted(set(actual) - set(expected))
    differing = sorted(p for p in set(actual) & set(expected) if actual[p] != expected[p])
    assert (missing, extra, differing) == ([], [], []), "run `make golden` and review the diff"


def test_new_is_deterministic(
    tmp_path: Path, run_cli: Callable[..., Run], example_repo: Path
) -> None:
    assert run_cli("new", str(EXAMPLE), "-o", str(tmp_path / "again")).code == 0
    assert tree_snapshot(tmp_path / "again") == tree_snapshot(example_repo)


def test_non_empty_folder_is_refused(tmp_path: Path, run_cli: Callable[..., Run]) -> None:
    (tmp_path / "mine.txt").write_text("keep me")
    before = tree_snapshot(tmp_path)
    result = run_cli("new", str(EXAMPLE), "-o", str(tmp_path))
    assert result.code == 2 and "not empty" in result.err and "--force" in result.err
    assert tree_snapshot(tmp_path) == before


def test_force_writes_into_a_folder_and_keeps_other_files(
    tmp_path: Path, run_cli: Callable[..., Run]
) -> None:
    (tmp_path / "mine.txt").write_text("keep me")
    (tmp_path / "Dockerfile").write_text("old")
    assert run_cli("new", str(EXAMPLE), "-o", str(tmp_path), "--force").code == 0
    assert (tmp_path / "mine.txt").read_text() == "keep me"
    assert (tmp_path / "Dockerfile").read_text() != "old"


def test_bad_spec_creates_nothing(tmp_path: Path, run_cli: Callable[..., Run]) -> None:
    spec = tmp_path / "plan.yaml"
    spec.write_text("project: x\n", encoding="utf-8")
    result = run_cli("new", str(spec), "-o", str(tmp_path / "out"))
    assert result.code == 2 and f"{spec}:1:" in result.err
    assert not (tmp_path / "out").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.yaml"]


def test_a_failure_midway_leaves_nothing_half_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "repo"
    target.mkdir()
    (target / "a.txt").write_text("old a")
    (target / "b.txt").write_text("old b")
    real_replace = os.replace
    calls = {"n": 0}

    def flaky(src: object, dst: object) -> None:
        calls["n"] += 1
        if calls["n"] == 4:  # after two old files are backed up and one new moved in
            raise OSError(28, "No space left on device")
        real_replace(src, dst)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "replace", flaky)
    before = tree_snapshot(tmp_path)
    with pytest.raises(UserError, match="nothing was changed"):
        write_tree(
            target,
            {"a.txt": (b"new a", False), "b.txt": (b"new b", False), "c/d.txt": (b"new", False)},
            force=True,
        )
    monkeypatch.setattr(os, "replace", real_replace)
    after = tree_snapshot(tmp_path)
    assert after == before
    assert [p.name for p in tmp_path.iterdir()] == ["repo"]  # no staging folder left


def test_paths_never_leave_the_target(tmp_path: Path) -> None:
    for bad in ("../x", "/etc/passwd", "a/../../x", "a//b", "a\\b", ""):
        with pytest.raises(UserError):
            safe_target(tmp_path, bad)
    outside = tmp_path.parent / f"{tmp_path.name}-outside"
    outside.mkdir()
    (tmp_path / "link").symlink_to(outside)
    with pytest.raises(UserError, match="outside"):
        safe_target(tmp_path, "link/file")


def test_rewriting_a_file_keeps_its_mode(tmp_path: Path) -> None:
    from infraplan.scaffold.writer import write_file

    script = tmp_path / "run.sh"
    script.write_text("old")
    script.chmod(0o755)
    write_file(script, b"new")
    assert script.read_bytes() == b"new" and (script.stat().st_mode & 0o777) == 0o755
    fresh = tmp_path / "PLAN.md"
    write_file(fresh, b"x")
    assert fresh.stat().st_mode & 0o644 == 0o644  # readable like any new file, not 0600


IDS_COMMAND = "gh api repos/{repository} --jq '.owner.id, .id'"


@pytest.mark.parametrize(
    ("ci", "ids_warning", "placeholder_warning"),
    [
        ("{repository: acme/checkout}", True, False),
        ("{repository: acme/checkout, repository_owner_id: 12, repository_id: 34}", False, False),
        ("{repository: my-org/checkout}", True, True),
        ("{repository: my-org/checkout, repository_owner_id: 1, repository_id: 2}", False, True),
    ],
)
@pytest.mark.parametrize("quiet", [False, True])
def test_new_warns_about_the_oidc_subject_and_the_init_placeholder(
    ci: str,
    ids_warning: bool,
    placeholder_warning: bool,
    quiet: bool,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from infraplan.cli import main

    text = (EXAMPLES / "minimal" / "plan.yaml").read_text("utf-8")
    spec = tmp_path / "plan.yaml"
    spec.write_text(text.replace("ci: {repository: acme/checkout}", f"ci: {ci}"), "utf-8")
    repository = ci.split(",")[0].removeprefix("{repository: ").rstrip("}")
    assert main([*(["--quiet"] if quiet else []), "new", str(spec), "-o", str(tmp_path / "r")]) == 0
    err = capsys.readouterr().err
    warnings = [line for line in err.splitlines() if line.startswith("warning: ")]
    ids = [w for w in warnings if "ci.repository_owner_id and ci.repository_id" in w]
    assert bool(ids) is ids_warning
    for line in ids:
        assert IDS_COMMAND.format(repository=repository) in line
        assert "2026-07-15" in line
    placeholder = [w for w in warnings if "placeholder" in w]
    assert bool(placeholder) is placeholder_warning
    assert len(warnings) == ids_warning + placeholder_warning
    assert ("wrote " in err) is not quiet  # warnings stay with --quiet; progress goes
