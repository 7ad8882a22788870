"""Each workflow and Dockerfile rule with a pass and a fail fixture."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from infraplan.findings import Finding

from .check_support import plan, write_repo

Judge = Callable[..., dict[str, Finding]]


def workflow(steps: str, *, on: str = "push", permissions: str = "", timeout: str = "") -> str:
    lines = ["name: w", f"on: {on}"]
    if permissions:
        lines += ["permissions:", *(f"  {p}" for p in permissions.split(";"))]
    lines += ["jobs:", "  deploy:", "    runs-on: ubuntu-latest"]
    if timeout:
        lines.append(f"    timeout-minutes: {timeout}")
    lines.append("    steps:")
    lines += [f"      {line}" for line in steps.strip("\n").split("\n")]
    return "\n".join(lines) + "\n"


OIDC = (
    "- uses: aws-actions/configure-aws-credentials@v4\n"
    "  with:\n    role-to-assume: arn:aws:iam::1:role/r\n    aws-region: eu-west-1"
)
KEYS = (
    "- uses: aws-actions/configure-aws-credentials@v4\n"
    "  with:\n    aws-access-key-id: ${{ secrets.KEY }}\n"
    "    aws-secret-access-key: ${{ secrets.SECRET }}"
)
ECS_DEPLOY = (
    "- uses: aws-actions/amazon-ecs-deploy-task-definition@v2\n"
    "  with:\n    task-definition: td.json"
)
ECR_PUSH = (
    "- id: ecr\n  uses: aws-actions/amazon-ecr-login@v2\n"
    '- run: docker push "${{ steps.ecr.outputs.registry }}/app:${{ github.sha }}"'
)

CASES: list[tuple[str, str, str, str]] = [
    # rule, status, deploy.yml, plan extras
    ("gha_push_ecr", "pass", workflow(ECR_PUSH), ""),
    ("gha_push_ecr", "fail", workflow("- run: docker push acme/app:1"), ""),
    ("gha_deploy_ecs", "pass", workflow(ECS_DEPLOY), ""),
    ("gha_deploy_ecs", "fail", workflow("- run: make deploy"), ""),
    ("gha_oidc", "pass", workflow(OIDC, permissions="id-token: write;contents: read"), ""),
    ("gha_oidc", "fail", workflow(OIDC), ""),
    ("gha_static_keys", "pass", workflow(OIDC), ""),
    ("gha_static_keys", "fail", workflow(KEYS), ""),
    (
        "gha_deploy_timeout",
        "pass",
        workflow(ECS_DEPLOY, timeout="15"),
        "requirements: {deploy_minutes: 15}",
    ),
    ("gha_deploy_timeout", "fail", workflow(ECS_DEPLOY, timeout="30"), ""),
    (
        "gha_terraform",
        "pass",
        workflow("- run: terraform plan -out p\n- run: terraform apply p"),
        "",
    ),
    ("gha_terraform", "fail", workflow("- run: terraform plan"), ""),
    (
        "gha_preview",
        "pass",
        workflow(ECS_DEPLOY, on="pull_request"),
        "ci: {repository: o/r, preview_environments: true}",
    ),
    (
        "gha_preview",
        "fail",
        workflow(ECS_DEPLOY),
        "ci: {repository: o/r, preview_environments: true}",
    ),
    (
        "gha_rollback",
        "pass",
        workflow(
            "- run: aws ecs update-service --cluster c --service s "
            "--task-definition ${{ inputs.revision }}",
            on="workflow_dispatch",
        ),
        "",
    ),
    ("gha_rollback", "fail", workflow(ECS_DEPLOY), ""),
]


@pytest.mark.parametrize(
    ("rule", "status", "source", "extra"),
    CASES,
    ids=[f"{c[0]}-{c[1]}-{i}" for i, c in enumerate(CASES)],
)
def test_workflow_rule(judge: Judge, rule: str, status: str, source: str, extra: str) -> None:
    found = judge({".github/workflows/deploy.yml": source}, plan(extra))[rule]
    assert found.status == status, found
    if status == "fail" and rule != "gha_static_keys":
        assert found.reason
    if found.evidence:
        assert found.evidence[0].startswith(".github/workflows/deploy.yml:")


GOOD_DOCKERFILE = """\
FROM python:3.12-slim@sha256:abc
RUN useradd app
USER app
HEALTHCHECK CMD curl -f http://localhost:8080/healthz || exit 1
"""


@pytest.mark.parametrize(
    ("name", "text", "status", "words", "advice"),
    [
        ("Dockerfile", GOOD_DOCKERFILE, "pass", "Dockerfile builds the image", ""),
        ("app.Dockerfile", GOOD_DOCKERFILE, "pass", "app.Dockerfile builds", ""),
        ("docker/Dockerfile.prod", GOOD_DOCKERFILE, "pass", "docker/Dockerfile.prod", ""),
        # Good practice is advice: the image still builds.
        (
            "Dockerfile",
            GOOD_DOCKERFILE.replace("3.12-slim@sha256:abc", "latest"),
            "pass",
            "builds",
            "not pinned",
        ),
        ("Dockerfile", GOOD_DOCKERFILE.replace("USER app", "USER root"), "pass", "builds", "root"),
        # ECS ignores a Dockerfile HEALTHCHECK: none is asked for.
        (
            "Dockerfile",
            GOOD_DOCKERFILE.replace("HEALTHCHECK CMD", "HEALTHCHECK NONE\n#"),
            "pass",
            "builds",
            "",
        ),
        ("Dockerfile", "# nothing here\n", "fail", "no FROM", ""),
        ("Dockerfile.txt.bak/readme", GOOD_DOCKERFILE, "fail", "no Dockerfile", ""),
    ],
)
def test_dockerfile_rule(
    judge: Judge, name: str, text: str, status: str, words: str, advice: str
) -> None:
    found = judge({name: text})["dockerfile"]
    assert found.status == status, found
    assert words in found.reason
    said = " ".join(a.text for a in found.advice)
    assert (advice in said) if advice else not found.advice, found.advice


def test_several_dockerfiles_are_each_judged_and_named(judge: Judge) -> None:
    found = judge(
        {
            "api/Dockerfile": GOOD_DOCKERFILE,
            "worker/Dockerfile": "FROM node\nCMD node w.js\n",
        }
    )["dockerfile"]
    assert found.status == "pass"
    assert "2 Dockerfiles" in found.reason and "worker/Dockerfile" in found.reason
    assert found.evidence == ("api/Dockerfile:1", "worker/Dockerfile:1")
    assert {a.evidence[0].split(":")[0] for a in found.advice} == {"worker/Dockerfile"}


def test_multi_stage_build_stage_is_not_a_base_image(judge: Judge) -> None:
    text = (
        "ARG V=3.12\nFROM python:${V} AS build\nRUN true\nFROM build\n"
        "USER 1000\nHEALTHCHECK CMD true\n"
    )
    assert judge({"Dockerfile": text})["dockerfile"].status == "pass"


def test_deploy_by_update_service_counts_and_terraform_apply_is_unknown(judge: Judge) -> None:
    update = workflow(
        "- run: aws ecs update-service --cluster c --service s --force-new-deployment"
    )
    assert judge({".github/workflows/d.yml": update})["gha_deploy_ecs"].status == "pass"
    hub_push = "- run: docker push acme/app:${{ github.sha }}\n"
    apply = workflow(hub_push + "- run: terraform apply -auto-approve")
    assert judge({".github/workflows/d.yml": apply})["gha_deploy_ecs"].status == "unknown"
    with_image = workflow('- run: terraform apply -auto-approve -var "image_tag=${{ github.sha }}"')
    assert judge({".github/workflows/d.yml": with_image})["gha_deploy_ecs"].status == "pass"
    staging = workflow(hub_push + "- run: terraform -chdir=infra/envs/staging apply -auto-approve")
    assert judge({".github/workflows/d.yml": staging})["gha_deploy_ecs"].status == "unknown"
    # No workflow builds an image: applying Terraform rolls out no new code.
    alone = judge({".github/workflows/d.yml": workflow("- run: terraform apply -auto-approve")})
    assert alone["gha_deploy_ecs"].status == "fail"
    assert "none builds or pushes an image" in alone["gha_deploy_ecs"].reason


def test_terragrunt_runs_terraform_and_an_apply_after_an_ecr_push_deploys(judge: Judge) -> None:
    steps = (
        "- id: ecr\n  uses: aws-actions/amazon-ecr-login@v2\n"
        '- run: docker push "${{ steps.ecr.outputs.registry }}/app:${{ github.sha }}"\n'
        "- run: terragrunt plan\n- run: terragrunt apply --auto-approve"
    )
    files = {
        ".github/workflows/d.yml": workflow(steps),
        "infra/main.tf": 'resource "aws_ecs_service" "s" {\n  launch_type = "FARGATE"\n}\n',
    }
    found = judge(files)
    assert found["gha_terraform"].status == "pass"
    assert found["gha_deploy_ecs"].status == "pass"
    assert "after the workflow pushes the image" in found["gha_deploy_ecs"].reason


def test_secrets_word_is_not_an_ecr_registry(judge: Judge) -> None:
    text = workflow(
        "- uses: docker/login-action@v3\n  with:\n    password: ${{ secrets.HUB_TOKEN }}\n"
        "- uses: docker/build-push-action@v6\n  with:\n    push: true\n"
        "    tags: acme/app:${{ secrets.TAG }}"
    )
    found = judge({".github/workflows/d.yml": text})["gha_push_ecr"]
    assert found.status == "fail"
    assert "Docker Hub" in found.reason


def test_only_workflows_folder_yaml_counts(judge: Judge) -> None:
    files = {
        ".github/workflows/deploy.yml.disabled": workflow(KEYS),
        ".github/deploy.yml": workflow(KEYS),
        ".github/workflows/ok.yaml": workflow(OIDC, permissions="id-token: write"),
    }
    found = judge(files)
    assert found["gha_static_keys"].status == "pass"
    assert found["gha_oidc"].status == "pass"
    assert found["gha_oidc"].evidence[0].startswith(".github/workflows/ok.yaml:")


def test_on_key_is_normalized(tmp_path: object) -> None:
    from pathlib import Path

    from infraplan.check.workflows import build_workflow_model

    from .check_support import write_repo

    root = write_repo(
        Path(str(tmp_path)),
        {
            ".github/workflows/a.yml": workflow(ECS_DEPLOY, on="[pull_request, push]"),
            ".github/workflows/b.yml": workflow(ECS_DEPLOY).replace("on: push", '"on": push'),
        },
    )
    model = build_workflow_model(root, [".github/workflows/a.yml", ".github/workflows/b.yml"])
    assert [job.triggers for job in model.jobs] == [("pull_request", "push"), ("push",)]


def test_a_deploy_script_the_step_runs_is_read(judge: Judge) -> None:
    files = {
        ".github/workflows/d.yml": workflow("- run: ./scripts/deploy.sh production", timeout="9"),
        "scripts/deploy.sh": "#!/bin/sh\naws ecs update-service --cluster c --service s\n",
    }
    found = judge(files)
    assert found["gha_deploy_ecs"].status == "pass"
    assert found["gha_deploy_ecs"].evidence == (".github/workflows/d.yml:8",)
    assert found["gha_deploy_timeout"].status == "pass"
    outside = {".github/workflows/d.yml": workflow("- run: bash ../../etc/deploy.sh")}
    assert judge(outside)["gha_deploy_ecs"].status == "fail"


BLUE_GREEN = "deploy: {strategy: blue_green, bake_minutes: 15}\nrequirements: {deploy_minutes: 10}"


@pytest.mark.parametrize(
    ("extra", "timeout", "status"),
    [
        # blue/green: R2 (10) + the bake time (15) + 2 for the old revision, as generated
        (BLUE_GREEN, "27", "pass"),
        (BLUE_GREEN, "28", "fail"),
        # rolling: R2 alone
        ("requirements: {deploy_minutes: 10}", "10", "pass"),
        ("requirements: {deploy_minutes: 10}", "27", "fail"),
    ],
)
def test_deploy_timeout_allows_the_bake_time_with_blue_green(
    judge: Judge, extra: str, timeout: str, status: str
) -> None:
    spec = plan(extra)
    found = judge({".github/workflows/deploy.yml": workflow(ECS_DEPLOY, timeout=timeout)}, spec)
    timed = found["gha_deploy_timeout"]
    assert timed.status == status, timed
    if status == "fail" and spec.deploy.strategy == "blue_green":
        assert "blue/green" in timed.reason and "allows 27 minutes" in timed.reason
        assert "the bake time (the plan says 15" in timed.reason
    elif status == "fail":
        assert "the timeout (R2) is 27 min; the plan says 10" in timed.reason


def test_blue_green_deploy_without_a_timeout_names_the_whole_budget(judge: Judge) -> None:
    found = judge({".github/workflows/deploy.yml": workflow(ECS_DEPLOY)}, plan(BLUE_GREEN))
    timed = found["gha_deploy_timeout"]
    assert timed.status == "fail"
    assert "no timeout-minutes" in timed.reason and "allows 27 minutes" in timed.reason


def test_the_console_names_a_plan_conflicts_line_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from infraplan.check import check_repository
    from infraplan.report_formats import render_report

    text = "requirements: {deploy_minutes: 10}\n"
    root = write_repo(
        tmp_path, {".github/workflows/deploy.yml": workflow(ECS_DEPLOY, timeout="30")}
    )
    report = check_repository(root, plan(text), use_cache=False, progress=False)
    render_report(report, "table")
    line = next(x for x in capsys.readouterr().out.splitlines() if "fail gha_deploy_timeout" in x)
    assert line.count("plan.yaml:") == 1, line
