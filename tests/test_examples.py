"""The realistic specs of examples/: each becomes a whole starter repo that parses,
passes the linters, and that `check` finds complete. (Their Terraform also runs
through every check of test_terraform_templates.py, checkov included.)"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import hcl2
import pytest

from conftest import EXAMPLES, Run
from infraplan.spec.load import load_spec
from terraform.tools import terraform_fmt_check
from tools.linters import actionlint, hadolint

NAMES = ["python-api", "node-storefront", "go-worker"]


@pytest.fixture(scope="module")
def repos(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    from infraplan.cli import main

    root = tmp_path_factory.mktemp("examples")
    for name in NAMES:
        assert (
            main(["--quiet", "new", str(EXAMPLES / name / "plan.yaml"), "-o", str(root / name)])
            == 0
        )
    return {name: root / name for name in NAMES}


def test_each_example_is_what_its_name_says() -> None:
    api, node, worker = (load_spec(EXAMPLES / name / "plan.yaml").spec for name in NAMES)
    assert api.service.runtime == "python" and api.secrets == ["DATABASE_URL"]
    assert node.service.runtime == "node" and [e.name for e in node.environments] == [
        "dev",
        "staging",
        "production",
    ]
    assert node.sizing("dev").nat == "none" and node.sizing("dev").desired_count == 1
    assert worker.service.runtime == "go" and worker.network.az_count == 3


@pytest.mark.parametrize("name", NAMES)
def test_the_terraform_parses_and_is_formatted(repos: dict[str, Path], name: str) -> None:
    files = sorted((repos[name] / "infra").rglob("*.tf"))
    assert files
    for path in files:
        hcl2.loads(path.read_text(encoding="utf-8"))  # raises on a parse error
    fmt = terraform_fmt_check(repos[name] / "infra")
    assert (fmt.retcode, fmt.unformatted) == (0, []), fmt.diff


@pytest.mark.parametrize("name", NAMES)
def test_workflows_and_dockerfile_pass_their_linters(repos: dict[str, Path], name: str) -> None:
    workflows = sorted((repos[name] / ".github" / "workflows").glob("*.yml"))
    assert workflows
    assert [str(f) for f in actionlint(workflows)] == []
    assert [str(f) for f in hadolint(repos[name] / "Dockerfile")] == []


def test_no_example_gets_a_preview_workflow(repos: dict[str, Path]) -> None:
    """infraplan does not generate previews (`new` refuses ci.preview_environments)."""
    assert not any((repos[n] / ".github" / "workflows" / "preview.yml").exists() for n in NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_check_finds_every_task_done(
    repos: dict[str, Path], run_cli: Callable[..., Run], name: str
) -> None:
    result = run_cli("check", str(repos[name]), "--format", "json")
    assert result.code == 0, result.err
    report = json.loads(result.out)
    assert report["tasks"] and all(t["status"] in ("pass", "live") for t in report["tasks"])
    # every rule of its own plan, plaintext_credentials included (pinned SHAs are no keys)
    judged = {r["id"]: r["status"] for r in report["rules"]}
    assert judged["plaintext_credentials"] == "pass"
    assert all(status in ("pass", "skipped") for status in judged.values()), judged


def test_plans_follow_their_language(repos: dict[str, Path]) -> None:
    spanish = (repos["node-storefront"] / "PLAN.md").read_text(encoding="utf-8")
    assert "subnets públicas" in spanish and "public subnets" not in spanish
    english = (repos["go-worker"] / "PLAN.md").read_text(encoding="utf-8")
    assert "3 public subnets" in english
