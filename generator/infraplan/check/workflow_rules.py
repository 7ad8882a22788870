"""Rules about the GitHub Actions pipeline and the Dockerfile."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from infraplan.check.dockerfiles import Dockerfile, base_images
from infraplan.check.repo_model import RepoModel
from infraplan.check.verdicts import verdict, worst
from infraplan.check.workflows import Job, Step
from infraplan.findings import Finding, Status
from infraplan.spec.model import Spec

Verdict = tuple[Status, str, list[str]]

ECS_DEPLOY_ACTIONS = (
    "aws-actions/amazon-ecs-deploy-task-definition",
    "aws-actions/amazon-ecs-deploy-express-service",
)
CREDENTIALS_ACTION = "aws-actions/configure-aws-credentials"
ECR_LOGIN_ACTION = "aws-actions/amazon-ecr-login"
_TF = r"terraform(?:\s+-chdir=\S+)?\s+"
_TF_PLAN = re.compile(_TF + r"plan\b")
_TF_APPLY = re.compile(_TF + r"apply\b")
_ECS_CLI = re.compile(r"\baws\s+ecs\s+(update-service|deploy)\b|\becs-deploy\b")
_KEY_NAMES = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")
_KEYS_IN_SHELL = re.compile(r"aws_access_key_id|aws_secret_access_key|AWS_SECRET_ACCESS_KEY=")


def _steps(repo: RepoModel) -> Iterator[tuple[Job, Step]]:
    for job in repo.workflows.jobs:
        for step in job.steps:
            yield job, step


def _text(job: Job, step: Step) -> str:
    context = {"with": step.with_, "env": step.env, "job_env": job.env}
    return step.run + "\n" + json.dumps(context, default=str)


def _deploys_ecs(job: Job, step: Step) -> str | None:
    """How the step deploys to ECS, or None."""
    if step.action in ECS_DEPLOY_ACTIONS:
        return f"{step.action}"
    match = _ECS_CLI.search(step.run)
    if match:
        return match.group(0)
    if _TF_APPLY.search(step.run) and re.search(
        r"image|(?<![a-z])tag(?![a-z])", _text(job, step), re.I
    ):
        return "terraform apply with a new image"
    return None


def _deploy_steps(repo: RepoModel) -> list[tuple[Job, Step, str]]:
    out = []
    for job, step in _steps(repo):
        how = _deploys_ecs(job, step)
        if how:
            out.append((job, step, how))
    return out


def gha_deploy_ecs(repo: RepoModel, spec: Spec) -> Finding:
    found = _deploy_steps(repo)
    if found:
        job, _, how = found[0]
        return verdict(
            "gha_deploy_ecs",
            "pass",
            f"{job.workflow} deploys to ECS ({how})",
            [s.where for _, s, _ in found],
        )
    applies = [s for _, s in _steps(repo) if _TF_APPLY.search(s.run)]
    if applies:
        return verdict(
            "gha_deploy_ecs",
            "unknown",
            "only terraform apply; whether it rolls out a new image cannot be told",
            [s.where for s in applies],
        )
    return verdict("gha_deploy_ecs", "fail", "no workflow step deploys to ECS")


def _pushes(step: Step) -> bool:
    if step.action == "docker/build-push-action":
        return str(step.with_.get("push", "")).lower() == "true"
    return bool(re.search(r"\b(docker|podman)\s+(image\s+)?push\b|\bbuildx\b.*--push", step.run))


_ECR = re.compile(r"dkr\.ecr\.|public\.ecr\.aws|(?<![a-z])ecr(?![a-z])", re.I)


def _targets_ecr(job: Job, step: Step) -> bool:
    text = _text(job, step)
    if _ECR.search(text):
        return True
    logins = [s.id for s in job.steps if s.action == ECR_LOGIN_ACTION and s.id]
    return any(f"steps.{login}.outputs.registry" in text for login in logins)


def gha_push_ecr(repo: RepoModel, spec: Spec) -> Finding:
    pushes = [(job, step) for job, step in _steps(repo) if _pushes(step)]
    to_ecr = [(j, s) for j, s in pushes if _targets_ecr(j, s)]
    if to_ecr:
        logins = [s.where for j, _ in to_ecr for s in j.steps if s.action == ECR_LOGIN_ACTION]
        return verdict(
            "gha_push_ecr",
            "pass",
            f"{to_ecr[0][0].workflow} pushes the image to ECR",
            [s.where for _, s in to_ecr] + logins,
        )
    if pushes:
        hub = [
            s
            for _, s in _steps(repo)
            if s.action == "docker/login-action"
            and str(s.with_.get("registry", "docker.io")) in ("docker.io", "")
        ]
        target = "Docker Hub" if hub or pushes else "another registry"
        return verdict(
            "gha_push_ecr",
            "fail",
            f"images are pushed to {target}, not ECR",
            [s.where for _, s in pushes] + [s.where for s in hub],
        )
    return verdict("gha_push_ecr", "fail", "no workflow step pushes an image")


def _id_token(permissions: Any) -> bool:
    if permissions == "write-all":
        return True
    return isinstance(permissions, dict) and permissions.get("id-token") == "write"


def _credentials(job: Job, step: Step) -> Verdict:
    keys = [k for k in ("aws-access-key-id", "aws-secret-access-key") if k in step.with_]
    if keys or any(k in {**job.env, **step.env} for k in _KEY_NAMES):
        return ("fail", f"{job.workflow}: AWS credentials from access keys, not OIDC", [step.where])
    if "role-to-assume" not in step.with_:
        return ("unknown", f"{job.workflow}: credentials without role-to-assume", [step.where])
    if not _id_token(job.permissions):
        return (
            "fail",
            f"{job.workflow} job {job.id} assumes a role but lacks id-token: write",
            [step.where, job.where],
        )
    return ("pass", f"{job.workflow} assumes a role through GitHub OIDC", [step.where])


def gha_oidc(repo: RepoModel, spec: Spec) -> Finding:
    verdicts = [_credentials(j, s) for j, s in _steps(repo) if s.action == CREDENTIALS_ACTION]
    return worst("gha_oidc", verdicts, "no workflow gets AWS credentials")


def gha_static_keys(repo: RepoModel, spec: Spec) -> Finding:
    found: list[str] = []
    for _, step in _steps(repo):
        keys = any(k in step.with_ for k in ("aws-access-key-id", "aws-secret-access-key"))
        env = any(k in step.env for k in _KEY_NAMES)
        if keys or env or _KEYS_IN_SHELL.search(step.run):
            found.append(step.where)
    for job in repo.workflows.jobs:
        if any(k in job.env for k in _KEY_NAMES):
            found.append(job.where)
    if found:
        return verdict(
            "gha_static_keys", "fail", "a workflow passes long-lived AWS access keys", found
        )
    return verdict("gha_static_keys", "pass", "no workflow passes long-lived AWS keys")


def gha_deploy_timeout(repo: RepoModel, spec: Spec) -> Finding:
    limit = spec.requirements.deploy_minutes
    jobs = list({id(j): j for j, _, _ in _deploy_steps(repo)}.values())
    if not jobs:
        # No recognisable ECS deploy: the job the team calls "deploy" is the one R2 times.
        jobs = [j for j in repo.workflows.jobs if "deploy" in f"{j.id} {j.name}".lower()]
    verdicts: list[Verdict] = []
    for job in jobs:
        timeout = job.timeout
        if timeout is None:
            verdicts.append(
                (
                    "fail",
                    f"{job.workflow} job {job.id} has no timeout-minutes (GitHub's default is 360)",
                    [job.where],
                )
            )
        elif isinstance(timeout, (int, float)) and not isinstance(timeout, bool):
            status: Status = "pass" if timeout <= limit else "fail"
            verdicts.append(
                (
                    status,
                    f"{job.workflow} job {job.id}: timeout {timeout:g} min, R2 allows {limit}",
                    [job.where],
                )
            )
        else:
            verdicts.append(
                ("unknown", f"{job.workflow} job {job.id}: timeout is {timeout}", [job.where])
            )
    return worst("gha_deploy_timeout", verdicts, "no deploy job to time")


def gha_terraform(repo: RepoModel, spec: Spec) -> Finding:
    plans = [s.where for _, s in _steps(repo) if _TF_PLAN.search(s.run)]
    applies = [s.where for _, s in _steps(repo) if _TF_APPLY.search(s.run)]
    if plans and applies:
        return verdict(
            "gha_terraform", "pass", "a workflow runs terraform plan and apply", plans + applies
        )
    if plans or applies:
        missing = "apply" if plans else "plan"
        return verdict(
            "gha_terraform", "fail", f"workflows never run terraform {missing}", plans + applies
        )
    return verdict("gha_terraform", "fail", "no workflow runs terraform")


def gha_preview(repo: RepoModel, spec: Spec) -> Finding:
    found = [
        (job, step)
        for job, step in _steps(repo)
        if {"pull_request", "pull_request_target"} & set(job.triggers)
        and (_deploys_ecs(job, step) or _TF_APPLY.search(step.run))
    ]
    if found:
        return verdict(
            "gha_preview",
            "pass",
            f"{found[0][0].workflow} deploys on pull requests",
            [s.where for _, s in found],
        )
    return verdict("gha_preview", "fail", "no workflow deploys a preview for pull requests")


def gha_rollback(repo: RepoModel, spec: Spec) -> Finding:
    found = [
        (job, step)
        for job, step, _ in _deploy_steps(repo)
        if "rollback" in f"{job.workflow} {job.id} {job.name} {step.name}".lower()
        or re.search(r"--task-definition[^\n]*(previous|revision|inputs\.)", step.run)
    ]
    if found:
        return verdict(
            "gha_rollback",
            "pass",
            f"{found[0][0].workflow} redeploys an earlier task definition",
            [s.where for _, s in found],
        )
    return verdict("gha_rollback", "fail", "no workflow redeploys an earlier task definition")


def _docker_problems(dockerfile: Dockerfile) -> tuple[list[str], list[str]]:
    problems: list[str] = []
    evidence: list[str] = []
    for image, instruction in base_images(dockerfile):
        evidence.append(f"{dockerfile.path}:{instruction.line}")
        name = image.rsplit("/", 1)[-1]
        if "@sha256:" not in image and (":" not in name or name.endswith(":latest")):
            problems.append(f"base image {image} is not pinned")
    users = dockerfile.all("USER")
    if not users or users[-1].args.split(":")[0] in ("root", "0"):
        problems.append("runs as root (no non-root USER)")
    else:
        evidence.append(f"{dockerfile.path}:{users[-1].line}")
    checks = dockerfile.all("HEALTHCHECK")
    if not checks or checks[-1].args.upper().startswith("NONE"):
        problems.append("no HEALTHCHECK")
    else:
        evidence.append(f"{dockerfile.path}:{checks[-1].line}")
    return problems, evidence


def dockerfile(repo: RepoModel, spec: Spec) -> Finding:
    if not repo.dockerfiles:
        return verdict("dockerfile", "fail", "no Dockerfile in the repository")
    judged = sorted(
        ((*_docker_problems(d), d) for d in repo.dockerfiles),
        key=lambda item: (len(item[0]), item[2].path.count("/"), item[2].path),
    )
    problems, evidence, best = judged[0]
    if not problems:
        return verdict(
            "dockerfile", "pass", f"{best.path}: pinned base, non-root user, HEALTHCHECK", evidence
        )
    return verdict(
        "dockerfile",
        "fail",
        f"{best.path}: {'; '.join(problems)}",
        [f"{best.path}:{best.instructions[0].line if best.instructions else 1}"],
    )
