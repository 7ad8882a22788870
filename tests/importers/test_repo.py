"""init --from-repo: three hand-written repositories (plain resources, registry modules,
several roots), each value with its file:line, and `check` with the imported plan
finding no difference of value."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import EXAMPLES, Run
from infraplan.plan.markdown import render_plan
from infraplan.spec import Spec
from infraplan.spec.load import load_spec

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "repos"
# Rules that compare a value of the plan with the code's (their reasons name the plan).
VALUE_RULES = (
    "subnets",
    "alb_health_check",
    "alarm_cpu",
    "alarm_5xx",
    "budget",
    "gha_deploy_timeout",
)


def _import(run_cli: Callable[..., Run], repo: Path, tmp_path: Path) -> tuple[Spec, Run, str, Path]:
    out = tmp_path / "plan.yaml"
    result = run_cli("init", "--from-repo", str(repo), "-o", str(out))
    assert result.code == 0, result.err
    spec = load_spec(out).spec
    assert f"`{spec.service_name}`" in render_plan(spec), "infraplan plan renders it"
    return spec, result, out.read_text(encoding="utf-8"), out


# How each of those rules words a value that differs from the plan's (and only that).
DIFFERENCE = re.compile(
    r"the plan's path is|the plan says|above the plan's|the plan spreads over|timeout \d+ min"
)


def _value_differences(run_cli: Callable[..., Run], repo: Path, plan: Path) -> list[str]:
    result = run_cli("check", str(repo), "--plan", str(plan), "--format", "json", "--no-cache")
    assert result.code in (0, 1), result.err
    findings = json.loads(result.out)["rules"]
    assert {f["id"] for f in findings} >= set(VALUE_RULES)
    return [
        f"{f['id']}: {f['reason']}"
        for f in findings
        if f["id"] in VALUE_RULES
        and DIFFERENCE.search(f["reason"])
        and (f["status"] == "fail" or f["id"] != "gha_deploy_timeout")
    ]


@pytest.fixture
def plain(tmp_path: Path) -> Path:
    """The plain repository with a git remote (a fixture cannot hold a .git folder)."""
    repo = tmp_path / "plain"
    shutil.copytree(FIXTURES / "plain", repo)
    (repo / ".git").mkdir()
    (repo / ".git" / "config").write_text(
        '[core]\n\tbare = false\n[remote "origin"]\n'
        "\turl = git@github.com:acme/ledger.git\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n"
    )
    return repo


def test_plain_resources(plain: Path, tmp_path: Path, run_cli: Callable[..., Run]) -> None:
    spec, result, text, out = _import(run_cli, plain, tmp_path)
    assert spec.project == "ledger"
    assert (spec.aws.region, spec.ci.repository, spec.ci.branch) == (
        "eu-west-2",
        "acme/ledger",
        "release",
    )
    service = spec.service
    assert (service.name, service.port, service.health_check_path) == (
        "ledger-api",
        9000,
        "/status",
    )
    assert (service.cpu, service.memory, service.desired_count) == (1024, 2048, 3)
    assert (spec.network.cidr, spec.network.az_count, spec.network.nat) == (
        "10.40.0.0/16",
        3,
        "single",
    )
    assert [e.name for e in spec.environments] == ["production"]
    assert spec.secrets == ["DATABASE_URL"]
    assert spec.requirements.model_dump() == {
        "no_plaintext_secrets": True,
        "deploy_minutes": 15,
        "auto_rollback": True,
        "monthly_budget_usd": 300,
    }
    monitoring = spec.monitoring
    assert (monitoring.cpu_alarm_percent, monitoring.http_5xx_alarm_count) == (70, 10)
    assert (monitoring.memory_alarm_percent, monitoring.lb_5xx_alarm_count) == (75, 2)
    assert monitoring.dashboard is True
    assert spec.not_applicable == {}
    assert 'health_check_path: "/status"  # infra/ecs.tf:47' in text
    assert 'repository: "acme/ledger"  # .git/config:4' in text
    assert "memory: 2048  # infra/ecs.tf:22" in text
    assert "approval" in result.err  # a GitHub setting: listed, not guessed
    assert _value_differences(run_cli, plain, out) == []


def test_check_sees_a_changed_value(
    plain: Path, tmp_path: Path, run_cli: Callable[..., Run]
) -> None:
    """The comparison above can fail: a plan that differs from the code is caught."""
    _, _, text, out = _import(run_cli, plain, tmp_path)
    out.write_text(
        text.replace('"/status"', '"/healthz"').replace("deploy_minutes: 15", "deploy_minutes: 5")
    )
    differences = _value_differences(run_cli, plain, out)
    assert any(d.startswith("alb_health_check:") for d in differences)
    assert any(d.startswith("gha_deploy_timeout:") for d in differences)


def test_registry_modules(tmp_path: Path, run_cli: Callable[..., Run]) -> None:
    repo = FIXTURES / "modules"
    spec, result, text, out = _import(run_cli, repo, tmp_path)
    assert spec.project == "catalog"
    assert (spec.service.name, spec.service.port, spec.service.health_check_path) == (
        "catalog",
        8000,
        "/ping",
    )
    assert (spec.service.cpu, spec.service.memory, spec.service.desired_count) == (2048, 4096, 2)
    assert (spec.network.cidr, spec.network.az_count, spec.network.nat) == (
        "10.60.0.0/16",
        4,
        "per_az",
    )
    assert spec.aws.region == "us-west-2"
    assert [e.name for e in spec.environments] == ["staging"]
    assert spec.requirements.deploy_minutes == 20
    assert spec.requirements.auto_rollback is True
    assert spec.monitoring.cpu_alarm_percent == 85
    assert spec.monitoring.dashboard is False
    assert spec.ci.repository == "my-org/modules"  # no remote: listed as unread
    assert "no GitHub remote named origin" in result.err
    assert 'nat: "per_az"  # deploy/staging/main.tf:25' in text
    assert _value_differences(run_cli, repo, out) == []


def test_several_roots_with_another_way(tmp_path: Path, run_cli: Callable[..., Run]) -> None:
    repo = FIXTURES / "roots"
    spec, result, _text, out = _import(run_cli, repo, tmp_path)
    assert spec.project == "billing"
    assert [e.name for e in spec.environments] == ["dev", "prod"]
    assert (spec.service.port, spec.service.health_check_path) == (8443, "/health/live")
    assert (spec.service.cpu, spec.service.memory) == (256, 1024)
    assert spec.service.desired_count == 4  # production's; dev's 1 is reported
    assert "service.desired_count is 1 here, 4 at" in result.err
    assert spec.secrets == ["LEDGER_TOKEN"]
    assert spec.requirements.auto_rollback is True  # CodeDeploy's auto rollback
    assert set(spec.not_applicable) == {"1.1", "2.6"}
    assert "default VPC" in spec.not_applicable["1.1"]
    assert "CodeDeploy" in spec.not_applicable["2.6"]
    assert "no timeout-minutes" in result.err
    assert spec.network == Spec.model_fields["network"].default_factory()  # type: ignore[misc]
    markdown = render_plan(spec)
    assert "(not applicable: deployments and rollback are CodeDeploy" in markdown
    assert _value_differences(run_cli, repo, out) == []


def test_unreadable_terraform_is_listed(tmp_path: Path, run_cli: Callable[..., Run]) -> None:
    repo = tmp_path / "broken"
    shutil.copytree(FIXTURES / "roots", repo)
    (repo / "live" / "prod" / "extra.tf").write_text(
        'resource "aws_s3_bucket" "x" {\n  bucket = \n'
    )
    _, result, _, _ = _import(run_cli, repo, tmp_path)
    assert "live/prod/extra.tf:" in result.err and "could not be read" in result.err


def test_not_a_folder(tmp_path: Path, run_cli: Callable[..., Run]) -> None:
    result = run_cli("init", "--from-repo", str(tmp_path / "nope"), "-o", str(tmp_path / "p.yaml"))
    assert result.code == 2 and "not a folder" in result.err


def test_workspaces_are_listed_not_guessed(tmp_path: Path, run_cli: Callable[..., Run]) -> None:
    repo = tmp_path / "ws"
    shutil.copytree(FIXTURES / "modules", repo)
    main_tf = repo / "deploy" / "staging" / "main.tf"
    text = main_tf.read_text()
    main_tf.write_text(
        text.replace(
            'cluster_name = "catalog-staging"', 'cluster_name = "catalog-${terraform.workspace}"'
        )
    )
    _, result, _, _ = _import(run_cli, repo, tmp_path)
    assert "deploy/staging/main.tf:" in result.err and "terraform.workspace" in result.err


def test_the_repo_new_wrote_imports_to_its_plan(
    tmp_path: Path, run_cli: Callable[..., Run]
) -> None:
    """The example starter repo (golden tree) reads back to the plan that generated it."""
    repo = Path(__file__).resolve().parents[1] / "golden" / "checkout-repo"
    original = load_spec(EXAMPLES / "checkout" / "plan.yaml").spec
    spec, _, text, out = _import(run_cli, repo, tmp_path)
    assert spec.project == original.project
    assert spec.service.model_dump(exclude={"runtime"}) == original.service.model_dump(
        exclude={"runtime"}
    )
    assert spec.aws.region == original.aws.region
    assert spec.network == original.network
    assert spec.requirements == original.requirements
    assert [e.name for e in spec.environments] == [e.name for e in original.environments]
    assert spec.secrets == original.secrets
    for key in ("cpu_alarm_percent", "http_5xx_alarm_count", "memory_alarm_percent", "dashboard"):
        assert getattr(spec.monitoring, key) == getattr(original.monitoring, key), key
    # the provider block of the root: its region is a literal in the thin root's main.tf
    assert 'region: "eu-west-1"  # infra/envs/production/main.tf:20' in text
    assert _value_differences(run_cli, repo, out) == []
