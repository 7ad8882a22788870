"""init --from-copilot: a load-balanced web service with two environments and a pipeline,
a minimal application, and broken input."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Run
from infraplan.plan.markdown import render_plan
from infraplan.spec import Spec
from infraplan.spec.load import load_spec

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "copilot"


@pytest.fixture(autouse=True)
def _in_fixtures(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(FIXTURES)


def _import(run_cli: Callable[..., Run], app: str, tmp_path: Path) -> tuple[Spec, Run, str]:
    out = tmp_path / "plan.yaml"
    result = run_cli("init", "--from-copilot", app, "-o", str(out))
    assert result.code == 0, result.err
    spec = load_spec(out).spec
    markdown = render_plan(spec)
    assert f"`{spec.service_name}`" in markdown, "infraplan plan renders the imported spec"
    return spec, result, out.read_text(encoding="utf-8")


def test_web_service_with_two_environments_and_a_pipeline(
    tmp_path: Path, run_cli: Callable[..., Run]
) -> None:
    spec, result, text = _import(run_cli, "shop", tmp_path)
    assert spec.project == "shop"
    service = spec.service
    assert (service.name, service.port, service.health_check_path) == ("frontend", 8080, "/healthz")
    assert (service.cpu, service.memory, service.desired_count) == (512, 1024, 3)
    assert (spec.aws.region, spec.aws.account_id) == ("us-east-2", "123456789012")
    assert (spec.network.cidr, spec.network.az_count) == ("10.30.0.0/16", 3)
    assert (spec.ci.repository, spec.ci.branch) == ("acme/shop", "trunk")
    assert [(e.name, e.approval) for e in spec.environments] == [("test", False), ("prod", True)]
    assert spec.secrets == ["DATABASE_URL", "STRIPE_KEY"]
    assert spec.requirements.auto_rollback is True
    assert (spec.monitoring.cpu_alarm_percent, spec.monitoring.memory_alarm_percent) == (75, 80)
    # every value names the manifest line it came from
    assert "port: 8080  # copilot/frontend/manifest.yml:7" in text
    assert 'repository: "acme/shop"  # copilot/pipelines/shop-main/manifest.yml:7' in text
    err = result.err
    assert (
        "copilot/frontend/manifest.yml:25: mapped: secret DATABASE_URL: SSM Parameter Store "
        "'/copilot/shop/prod/secrets/DATABASE_URL' -> Secrets Manager shop/test/DATABASE_URL, "
        "shop/prod/DATABASE_URL" in err
    )
    assert "imported VPC vpc-0a1b2c3d" in err
    assert "copilot/frontend/manifest.yml:19: no-equivalent: exec" in err
    assert "rollback alarm" not in err  # both of Copilot's alarm metrics have a key
    assert "Worker Service 'worker'" in err
    assert "stage test test_commands" in err
    assert spec.notes == [
        "copilot/frontend/manifest.yml:22: variable LOG_LEVEL=info: plan.yaml has no environment "
        "variables; set it in the task definition (infra/modules/ecs)"
    ]


def test_minimal_application(tmp_path: Path, run_cli: Callable[..., Run]) -> None:
    spec, result, _ = _import(run_cli, "hello", tmp_path)
    assert spec.project == "hello-world"
    assert (spec.service.name, spec.service.health_check_path) == ("api", "/")
    assert (spec.service.cpu, spec.service.memory, spec.service.desired_count) == (256, 512, 1)
    assert spec.service.port == 8080  # Copilot's port 80 cannot run as non-root
    assert "image.port 80" in result.err
    assert [e.name for e in spec.environments] == ["staging", "production"]
    assert spec.ci.repository == "my-org/hello-world"
    assert "no region in the manifests" in result.err


def test_a_broken_manifest_is_bad_input(tmp_path: Path, run_cli: Callable[..., Run]) -> None:
    app = tmp_path / "app"
    shutil.copytree(FIXTURES / "hello", app)
    manifest = app / "copilot" / "api" / "manifest.yml"
    manifest.write_text(manifest.read_text() + "cpu: [unclosed\n")
    out = tmp_path / "plan.yaml"
    result = run_cli("init", "--from-copilot", str(app), "-o", str(out))
    assert result.code == 2
    assert "copilot/api/manifest.yml:12:1: invalid YAML" in result.err
    assert not out.exists()


def test_a_folder_without_copilot(tmp_path: Path, run_cli: Callable[..., Run]) -> None:
    result = run_cli("init", "--from-copilot", str(tmp_path), "-o", str(tmp_path / "p.yaml"))
    assert result.code == 2 and "no copilot/ folder" in result.err
