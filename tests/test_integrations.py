"""What ships for other people's CI: the GitHub Action and the pre-commit hooks."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from conftest import EXAMPLES, ROOT
from tools.linters import actionlint

ACTION = ROOT / "action.yml"
HOOKS = ROOT / ".pre-commit-hooks.yaml"


def _action() -> dict[str, Any]:
    data: dict[str, Any] = YAML(typ="safe").load(ACTION.read_text(encoding="utf-8"))
    return data


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from infraplan.cli import main

    repo = tmp_path_factory.mktemp("generated") / "repo"
    assert main(["new", str(EXAMPLES / "checkout" / "plan.yaml"), "-o", str(repo)]) == 0
    return repo


def _workflow(repo: Path, with_: str) -> Path:
    shutil.copy(ACTION, repo / "action.yml")
    path = repo / ".github" / "workflows" / "plan-check.yml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        "name: plan check\non: [pull_request]\npermissions:\n  contents: read\n"
        "  security-events: write\njobs:\n  check:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - uses: actions/checkout@v6\n      - uses: ./\n        with:\n" + with_,
        encoding="utf-8",
    )
    return path


def test_a_workflow_using_the_action_passes_actionlint(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    good = _workflow(tmp_path, "          directory: .\n          upload-sarif: 'false'\n")
    assert [str(f) for f in actionlint([good])] == []
    bad = _workflow(tmp_path, "          folder: .\n")  # not an input of the action
    assert any("folder" in f.message for f in actionlint([bad]))


def test_the_actions_scripts_pass_shellcheck(tmp_path: Path) -> None:
    shellcheck = shutil.which("shellcheck", path=f"{Path(sys.executable).parent}{os.pathsep}")
    if shellcheck is None:
        pytest.fail("shellcheck is not installed: run scripts/setup-actionlint.sh")
    for index, step in enumerate(s for s in _action()["runs"]["steps"] if "run" in s):
        assert "${{" not in step["run"], "pass inputs through env, never into the script"
        script = tmp_path / f"step{index}.sh"
        script.write_text("#!/usr/bin/env bash\n" + step["run"], encoding="utf-8")
        done = subprocess.run([shellcheck, str(script)], capture_output=True, text=True)
        assert done.returncode == 0, done.stdout


def _run_check_step(repo: Path, tmp_path: Path, plan: str = "") -> dict[str, str]:
    step = next(s for s in _action()["runs"]["steps"] if s.get("id") == "check")
    outputs, summary = tmp_path / "outputs", tmp_path / "summary.md"
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "DIRECTORY": str(repo),
        "PLAN": plan,
        "RUNNER_TEMP": str(tmp_path),
        "GITHUB_OUTPUT": str(outputs),
        "GITHUB_STEP_SUMMARY": str(summary),
    }
    done = subprocess.run(["bash", "-c", step["run"]], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    values = dict(line.split("=", 1) for line in outputs.read_text().splitlines())
    values["summary"] = summary.read_text(encoding="utf-8")
    return values


def test_the_check_step_writes_sarif_and_a_summary(generated: Path, tmp_path: Path) -> None:
    out = _run_check_step(generated, tmp_path)
    assert out["status"] == "0"
    sarif = json.loads(Path(out["sarif"]).read_text(encoding="utf-8"))
    assert sarif["version"] == "2.1.0" and sarif["runs"][0]["tool"]["driver"]["name"] == "infraplan"
    assert "1.1" in out["summary"]


def test_the_check_step_reports_findings_without_failing_early(tmp_path: Path) -> None:
    repo = tmp_path / "bare"
    repo.mkdir()
    (repo / "main.tf").write_text('resource "aws_vpc" "this" {\n  cidr_block = "10.0.0.0/16"\n}\n')
    out = _run_check_step(repo, tmp_path)
    assert out["status"] == "1"  # the last step of the action turns this into a failure
    results = json.loads(Path(out["sarif"]).read_text(encoding="utf-8"))["runs"][0]["results"]
    assert results


def test_pre_commit_manifest_is_valid_and_its_hooks_run(generated: Path) -> None:
    from pre_commit.clientlib import load_manifest

    hooks = {hook["id"]: hook for hook in load_manifest(str(HOOKS))}
    assert set(hooks) == {"infraplan-check", "infraplan-update-check"}
    pattern = re.compile(hooks["infraplan-check"]["files"])
    for path in ("plan.yaml", "infra/envs/prod/main.tf", "Dockerfile", ".github/workflows/a.yml"):
        assert pattern.search(path), path
    assert not pattern.search("src/app.py")
    for hook in hooks.values():
        entry = hook["entry"].split()
        assert entry[0] == "infraplan"
        done = subprocess.run(
            [str(Path(sys.executable).parent / "infraplan"), *entry[1:]],
            cwd=generated,
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0, (hook["id"], done.stderr)


def test_the_action_uploads_sarif_with_a_supported_codeql_major() -> None:
    # CodeQL Action v3 is deprecated in December 2026:
    # https://github.blog/changelog/2025-10-28-upcoming-deprecation-of-codeql-action-v3/
    steps = _action()["runs"]["steps"]
    uses = [s["uses"] for s in steps if "codeql-action/upload-sarif" in s.get("uses", "")]
    assert uses, "the action no longer uploads SARIF"
    for ref in uses:
        assert int(ref.rsplit("@v", 1)[1].split(".")[0]) >= 4, ref
