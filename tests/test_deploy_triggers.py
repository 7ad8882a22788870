"""One push, one deploy per environment, after the infrastructure it needs.

The generated workflows are read as GitHub reads them: which workflow a push starts
(its branch and path filters), what the Deploy workflow's first job finds in the
push (its script run against a stand-in for GitHub's compare API), and which runs
of the Deploy workflow get past the gate that build and deploy need. R2's clock is
checked the same way: its step run for each event that starts a deploy.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tools.expressions import evaluate, triggers
from tools.rendering import load_workflow, render

REPO = "acme/checkout"
BEFORE, AFTER = "1" * 40, "2" * 40
CASES = {
    "app only": (["app/main.py", "requirements.txt"], "push"),
    "infra only": (["infra/modules/ecs/main.tf"], "workflow_run"),
    "both": (["app/main.py", "infra/envs/staging/main.tf"], "workflow_run"),
    "the Terraform workflow only": ([".github/workflows/terraform.yml"], "workflow_run"),
}


@pytest.fixture(scope="module")
def workflows() -> dict[str, dict[str, Any]]:
    files = render("github-actions")
    return {
        name: load_workflow(files[f".github/workflows/{name}"])
        for name in ("deploy.yml", "terraform.yml")
    }


def fake_gh(tmp_path: Path, body: str) -> dict[str, str]:
    """A `gh` on PATH that prints ``body`` and records its arguments."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    gh = bin_dir / "gh"
    gh.write_text(
        f'#!/bin/sh\necho "$@" >> "{tmp_path}/gh.args"\ncat <<\'EOF\'\n{body}\nEOF\n',
        encoding="utf-8",
    )
    gh.chmod(0o755)
    return {"PATH": f"{bin_dir}:/usr/bin:/bin"}


def run_step(script: str, env: dict[str, str], tmp_path: Path) -> tuple[str, dict[str, str]]:
    """Run a step's script as the runner does; its stdout and the outputs it wrote."""
    output, summary = tmp_path / "output", tmp_path / "summary"
    output.write_text("")
    done = subprocess.run(
        ["bash", "-eo", "pipefail", "-c", script],
        env={
            **env,
            "GITHUB_OUTPUT": str(output),
            "GITHUB_STEP_SUMMARY": str(summary),
            "GITHUB_REPOSITORY": REPO,
            "GITHUB_SHA": AFTER,
            "GITHUB_RUN_ID": "77",
        },
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    outputs = dict(line.split("=", 1) for line in output.read_text().splitlines() if line)
    return done.stdout, outputs


def changes_of_push(
    deploy: dict[str, Any], changed: list[str], tmp_path: Path, before: str = BEFORE
) -> str:
    """The `changes` job's `infra` output for a push of ``changed`` files."""
    [step] = deploy["jobs"]["changes"]["steps"]
    env = fake_gh(tmp_path, "\n".join(changed))
    _, outputs = run_step(step["run"], {**env, "BEFORE": before}, tmp_path)
    return outputs["infra"]


def jobs_that_run(
    workflow: dict[str, Any], github: dict[str, Any], outputs: dict[str, dict[str, str]]
) -> set[str]:
    """The jobs GitHub runs for one event, every job that runs succeeding.

    GitHub's rule for ``needs``: a job whose ``if`` holds no status function gets an
    implicit ``success()``, and "a failure or skip applies to all jobs in the dependency
    chain from the point of failure or skip onwards"
    (https://docs.github.com/actions/using-jobs/using-jobs-in-a-workflow): a skipped job
    skips everything after it, through jobs that succeeded in between, unless a later
    job's own ``if`` says otherwise (``!cancelled()``)."""
    jobs = workflow["jobs"]
    result: dict[str, str] = {}
    chain_ok: dict[str, bool] = {}  # every job up the chain succeeded

    def needs_of(job_id: str) -> list[str]:
        needs = jobs[job_id].get("needs", [])
        return [needs] if isinstance(needs, str) else list(needs)

    def visit(job_id: str) -> None:
        if job_id in result:
            return
        for need in needs_of(job_id):
            visit(need)
        ctx = {n: {"result": result[n], "outputs": outputs.get(n, {})} for n in needs_of(job_id)}
        upstream = all(chain_ok[n] for n in needs_of(job_id))
        condition = str(jobs[job_id].get("if", "")).strip()
        if condition and "cancelled()" in condition:
            runs = evaluate(condition, github, ctx)
        else:
            runs = upstream and (not condition or evaluate(condition, github, ctx))
        result[job_id] = "success" if runs else "skipped"
        chain_ok[job_id] = runs and upstream

    for job_id in jobs:
        visit(job_id)
    return {j for j, r in result.items() if r == "success"}


def deploys_every_environment(ran: set[str], workflow: dict[str, Any]) -> bool:
    return {"build"} | {j for j in workflow["jobs"] if j.startswith("deploy-")} <= ran


def deploys(workflows: dict[str, dict[str, Any]], changed: list[str], tmp_path: Path) -> list[str]:
    """The runs of the Deploy workflow whose build and deploy jobs run for one push to
    main, with every Terraform apply succeeding: each is a deploy of every environment."""
    deploy, terraform = workflows["deploy.yml"], workflows["terraform.yml"]
    gate = deploy["jobs"]["test"]["if"]
    out = []
    if "main" in deploy["on"]["push"]["branches"] and triggers(deploy["on"]["push"], changed):
        infra = changes_of_push(deploy, changed, tmp_path)
        github = {"event_name": "push", "repository": REPO}
        if evaluate(gate, github, {"changes": {"outputs": {"infra": infra}}}):
            ran = jobs_that_run(deploy, github, {"changes": {"infra": infra}})
            assert deploys_every_environment(ran, deploy), ran
            out.append("push")
    if triggers(terraform["on"]["push"], changed):
        assert deploy["on"]["workflow_run"] == {
            "workflows": [terraform["name"]],
            "types": ["completed"],
            "branches": ["main"],
        }
        github = {
            "event_name": "workflow_run",
            "repository": REPO,
            "event": {
                "workflow_run": {
                    "conclusion": "success",  # every apply job succeeded
                    "event": "push",
                    "head_repository": {"full_name": REPO},
                }
            },
        }
        # `changes` does not run on workflow_run: skipped, its outputs empty
        if evaluate(gate, github, {"changes": {"result": "skipped", "outputs": {}}}):
            ran = jobs_that_run(deploy, github, {})
            assert "changes" not in ran
            assert deploys_every_environment(ran, deploy), ran
            out.append("workflow_run")
    return out


@pytest.mark.parametrize("case", CASES)
def test_each_push_deploys_once(
    case: str, workflows: dict[str, dict[str, Any]], tmp_path: Path
) -> None:
    changed, expected = CASES[case]
    assert deploys(workflows, changed, tmp_path) == [expected]


def test_docs_only_deploys_nothing(workflows: dict[str, dict[str, Any]], tmp_path: Path) -> None:
    assert deploys(workflows, ["docs/runbooks/rollback.md", "README.md"], tmp_path) == []


def test_a_push_with_infrastructure_deploys_after_every_apply(
    workflows: dict[str, dict[str, Any]], tmp_path: Path
) -> None:
    deploy, terraform = workflows["deploy.yml"], workflows["terraform.yml"]
    # the deploy of such a push starts when the Terraform run has completed: all of it
    applies = [j for j in terraform["jobs"] if j.startswith("apply-")]
    assert applies and deploy["on"]["workflow_run"]["types"] == ["completed"]
    # a failed apply deploys nothing
    github = {
        "event_name": "workflow_run",
        "repository": REPO,
        "event": {
            "workflow_run": {
                "conclusion": "failure",
                "event": "push",
                "head_repository": {"full_name": REPO},
            }
        },
    }
    assert not evaluate(deploy["jobs"]["test"]["if"], github, {})
    # the push's own run stops: a failed or cancelled `changes` deploys nothing either
    gate = deploy["jobs"]["test"]["if"]
    push = {"event_name": "push", "repository": REPO}
    assert not evaluate(gate, push, {"changes": {"result": "failure", "outputs": {}}})
    assert not evaluate(gate, push, {"changes": {"outputs": {"infra": "false"}}}, cancelled=True)
    # build and every deploy job hang from the gated job
    for job_id, job in deploy["jobs"].items():
        if job_id.startswith("deploy-") or job_id == "build":
            assert job.get("needs") in ("test", "build") or str(job["needs"]).startswith(
                "deploy-"
            ), job_id


def test_changes_reads_the_paths_that_start_terraform(
    workflows: dict[str, dict[str, Any]], tmp_path: Path
) -> None:
    deploy, terraform = workflows["deploy.yml"], workflows["terraform.yml"]
    for path in terraform["on"]["push"]["paths"]:
        example = path.replace("**", "deep/er/file.tf")
        assert changes_of_push(deploy, ["README.md", example], tmp_path) == "true", path
    assert changes_of_push(deploy, ["src/infra.py", "docs/infra/x.md"], tmp_path) == "false"
    # the push is compared with the commit before it
    args = (tmp_path / "gh.args").read_text()
    assert f"repos/{REPO}/compare/{BEFORE}...{AFTER}" in args and "--paginate" in args
    # a new branch has no commit before it: the Terraform workflow runs and deploys
    zeros = "0" * 40
    assert changes_of_push(deploy, ["app/main.py"], tmp_path, before=zeros) == "true"


# --- R2: from the push to healthy -------------------------------------------------------


def r2_step(workflows: dict[str, dict[str, Any]]) -> dict[str, Any]:
    deploy = workflows["deploy.yml"]
    first = next(j for j in deploy["jobs"] if j.startswith("deploy-"))
    job = deploy["jobs"][first]
    assert job["permissions"]["actions"] == "read"  # to read this run's created_at
    return next(s for s in job["steps"] if s.get("name", "").startswith("R2"))


def _ago(minutes: int) -> str:
    moment = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=minutes, seconds=30)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


# minutes ago: when GitHub created this run (the API), or the Terraform run (the event)
@pytest.mark.parametrize(
    ("event", "attempt", "upstream", "api", "said"),
    [
        ("push", "1", {}, 4, "healthy 5 min after the push"),
        ("workflow_run", "1", {"created": 12, "attempt": "1"}, None, "healthy 13 min"),
        ("workflow_run", "1", {"created": 3, "attempt": "2"}, None, "not measured"),
        ("push", "2", {}, 90, "not measured"),
        ("workflow_dispatch", "1", {}, None, "not measured"),
    ],
)
def test_r2_counts_from_the_push(
    event: str,
    attempt: str,
    upstream: dict[str, Any],
    api: int | None,
    said: str,
    workflows: dict[str, dict[str, Any]],
    tmp_path: Path,
) -> None:
    step = r2_step(workflows)
    text = str(step["env"])
    assert "pushed_at" not in text and "head_commit" not in text
    assert step["env"]["UPSTREAM_CREATED_AT"] == "${{ github.event.workflow_run.created_at }}"
    env = {
        **fake_gh(tmp_path, "" if api is None else _ago(api)),
        "EVENT": event,
        "ATTEMPT": attempt,
        "UPSTREAM_CREATED_AT": _ago(upstream["created"]) if upstream else "",
        "UPSTREAM_ATTEMPT": upstream.get("attempt", ""),
        "LIMIT_MINUTES": "10",
    }
    out, _ = run_step(step["run"], env, tmp_path)
    assert said in out, out
    assert ("R2 missed" in out) is (said == "healthy 13 min")
    if event == "push" and attempt == "1":
        args = (tmp_path / "gh.args").read_text()
        assert f"repos/{REPO}/actions/runs/77" in args and ".created_at" in args


def test_a_manual_run_deploys_every_environment(workflows: dict[str, dict[str, Any]]) -> None:
    """`changes` runs on pushes only; a run from the Actions tab still builds and deploys
    (the jobs after the gate carry their own ``!cancelled()``, or the skipped `changes`
    would skip them all)."""
    deploy = workflows["deploy.yml"]
    ran = jobs_that_run(deploy, {"event_name": "workflow_dispatch", "repository": REPO}, {})
    assert "changes" not in ran
    assert deploys_every_environment(ran, deploy), ran
