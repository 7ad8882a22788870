"""deploy.strategy: blue_green in the workflows: the deploy job follows ECS's service
deployment, measures R2 when user traffic is on the new revision, and then waits for the
bake time, every wait inside the job's timeout (issue: production readiness, item 5).

The follow steps' scripts run for real against a fake ``aws`` that plays a deployment's
statuses, so what they do on success, on a rollback and on a timeout is proven, not read.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest

from infraplan.scaffold.context import template_context
from tools.rendering import load, load_workflow, render

PIECE = "github-actions"
BLUE_GREEN = {"deploy": {"strategy": "blue_green", "bake_minutes": 10}}


def _deploy_job(**overrides: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    files = render(PIECE, **overrides)
    workflow = load_workflow(files[".github/workflows/deploy.yml"])
    context = template_context(load(**overrides))
    first = context["_environments"][0]["name"]
    return workflow["jobs"][f"deploy-{first}"], context


def _step(job: dict[str, Any], step_id: str) -> dict[str, Any]:
    return next(s for s in job["steps"] if s.get("id") == step_id)


def test_rolling_jobs_keep_the_action_wait_and_r2_timeout() -> None:
    job, context = _deploy_job()
    assert job["timeout-minutes"] == context["deploy_minutes"]
    ids = [s.get("id") for s in job["steps"]]
    assert "shift" not in ids and "bake" not in ids


def test_blue_green_job_waits_for_traffic_then_r2_then_the_bake_time() -> None:
    job, context = _deploy_job(**BLUE_GREEN, requirements={"deploy_minutes": 12})
    ids = [s.get("id") or s.get("name") for s in job["steps"]]
    order = [ids.index(i) for i in ("deploy", "shift", "smoke", "R2: minutes from push to healthy")]
    assert order == sorted(order), ids
    assert ids.index("bake") > ids.index("R2: minutes from push to healthy")
    # the action starts the deployment only: its ServicesStable wait would last the bake
    deploy = _step(job, "deploy")["with"]
    assert deploy["wait-for-service-stability"] is False
    # the wait for traffic gives up within R2, before the job's own timeout
    assert int(_step(job, "shift")["env"]["WAIT_MINUTES"]) == context["deploy_wait_minutes"]
    assert context["deploy_wait_minutes"] < 12
    bake_wait = int(_step(job, "bake")["env"]["WAIT_MINUTES"])
    assert bake_wait == 10 + 1
    # R2 minutes for what comes before the bake, the bake wait, and 1 left for the rest
    assert job["timeout-minutes"] == 12 + 10 + 2 == context["deploy_job_minutes"]
    assert context["deploy_wait_minutes"] + bake_wait < job["timeout-minutes"]
    # a revision rolled back during the bake must not pass as deployed
    check = next(s for s in job["steps"] if "EXPECTED" in s.get("env", {}))
    assert job["steps"].index(check) > ids.index("bake")


def test_blue_green_rollback_job_has_the_bake_time_too() -> None:
    files = render(PIECE, **BLUE_GREEN)
    rollback = load_workflow(files[".github/workflows/rollback.yml"])
    spec = load(**BLUE_GREEN)
    for job in rollback["jobs"].values():
        assert job["timeout-minutes"] == spec.deploy_job_minutes


# --- the follow steps, run against a fake aws ------------------------------------------

FAKE_AWS = """#!/bin/bash
# describe-services: the deployment's ARN; describe-service-deployments: the next line
# of the scripted statuses (status, stage, reason), the last one repeated.
case "$2" in
  describe-services) echo "arn:aws:ecs:eu-west-1:1:service-deployment/c/s/abc" ;;
  describe-service-deployments)
    n=$(cat "$STATE" 2>/dev/null || echo 0)
    echo $((n + 1)) > "$STATE"
    line=$(sed -n "$((n + 1))p" "$SCRIPTED")
    [ -n "$line" ] || line=$(tail -n 1 "$SCRIPTED")
    printf '%s\\n' "$line"
    ;;
esac
"""


def _run(step: dict[str, Any], statuses: list[str], tmp_path: Path, minutes: str = "") -> Any:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "aws").write_text(FAKE_AWS, encoding="utf-8")
    (bin_dir / "sleep").write_text("#!/bin/sh\nexit 0\n", encoding="utf-8")
    for tool in ("aws", "sleep"):
        (bin_dir / tool).chmod(0o755)
    scripted = tmp_path / "statuses"
    scripted.write_text("\n".join(statuses) + "\n", encoding="utf-8")
    env = {
        "PATH": f"{bin_dir}:/usr/bin:/bin",
        "STATE": str(tmp_path / "state"),
        "SCRIPTED": str(scripted),
        "ECS_CLUSTER": "c",
        "ECS_SERVICE": "s",
        "WAIT_MINUTES": minutes or step["env"]["WAIT_MINUTES"],
    }
    return subprocess.run(
        ["bash", "-eo", "pipefail", "-c", step["run"]],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


@pytest.fixture(scope="module")
def steps() -> dict[str, dict[str, Any]]:
    job, _ = _deploy_job(**BLUE_GREEN)
    return {"shift": _step(job, "shift"), "bake": _step(job, "bake")}


def test_traffic_wait_ends_when_ecs_reaches_the_bake_time(
    steps: dict[str, dict[str, Any]], tmp_path: Path
) -> None:
    done = _run(
        steps["shift"],
        [
            "IN_PROGRESS\tSCALE_UP\tNone",
            "IN_PROGRESS\tPRODUCTION_TRAFFIC_SHIFT\tNone",
            "IN_PROGRESS\tBAKE_TIME\tNone",
            "IN_PROGRESS\tCLEAN_UP\tNone",
        ],
        tmp_path,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Production traffic is on the new revision (BAKE_TIME)" in done.stdout
    assert (tmp_path / "state").read_text().strip() == "3"  # it stopped polling there


def test_bake_wait_runs_until_the_deployment_succeeds(
    steps: dict[str, dict[str, Any]], tmp_path: Path
) -> None:
    done = _run(
        steps["bake"],
        ["IN_PROGRESS\tBAKE_TIME\tNone", "IN_PROGRESS\tCLEAN_UP\tNone", "SUCCESSFUL\tCLEAN_UP\tx"],
        tmp_path,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert (tmp_path / "state").read_text().strip() == "3"


@pytest.mark.parametrize("step", ["shift", "bake"])
def test_a_rollback_fails_the_wait_with_the_reason(
    step: str, steps: dict[str, dict[str, Any]], tmp_path: Path
) -> None:
    done = _run(
        steps[step],
        [
            "IN_PROGRESS\tPOST_SCALE_UP\tNone",
            "ROLLBACK_IN_PROGRESS\tBAKE_TIME\tAlarm orders-staging-alarms-lb-5xx in ALARM",
        ],
        tmp_path,
    )
    assert done.returncode == 1
    assert "::error::ECS stopped the deployment (ROLLBACK_IN_PROGRESS)" in done.stdout
    assert "orders-staging-alarms-lb-5xx" in done.stdout


def test_a_wait_past_its_minutes_fails_and_says_where_it_stood(
    steps: dict[str, dict[str, Any]], tmp_path: Path
) -> None:
    done = _run(steps["shift"], ["IN_PROGRESS\tSCALE_UP\tNone"], tmp_path, minutes="0")
    assert done.returncode == 1
    assert "::error::Deployment still IN_PROGRESS at SCALE_UP after 0 minutes" in done.stdout


def test_the_rollback_runbook_explains_blue_green_only_when_it_is_on() -> None:
    [blue_green] = render("runbooks", **BLUE_GREEN).values()
    [rolling] = render("runbooks").values()
    assert "describe-service-deployments" in blue_green and "10 minutes (bake" in blue_green
    assert "X-Test-Traffic: green" in blue_green
    assert "describe-service-deployments" not in rolling
