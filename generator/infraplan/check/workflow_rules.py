"""Rules about the GitHub Actions pipeline: push, deploy, credentials, timeouts."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from infraplan.check.plan_context import PlanContext, Stated
from infraplan.check.registries import is_ecr, pushes_of, registry_name
from infraplan.check.repo_model import RepoModel
from infraplan.check.verdicts import Verdict, conflict, verdict, worst
from infraplan.check.workflows import Job, Step
from infraplan.findings import Advice, Finding
from infraplan.spec.deploy import OLD_REVISION_MINUTES

# The deploy action deploys through CodeDeploy when given codedeploy-* inputs
# (https://github.com/aws-actions/amazon-ecs-deploy-task-definition#aws-codedeploy-support);
# `aws deploy create-deployment` is CodeDeploy's CLI.
ECS_DEPLOY_ACTIONS = (
    "aws-actions/amazon-ecs-deploy-task-definition",
    "aws-actions/amazon-ecs-deploy-express-service",
)
CREDENTIALS_ACTION = "aws-actions/configure-aws-credentials"
_TF = r"\b(?:terraform|terragrunt)(?:\s+-chdir=\S+)?\s+"  # Terragrunt runs Terraform
_TF_PLAN = re.compile(_TF + r"plan\b")
_TF_APPLY = re.compile(_TF + r"apply\b")
_ECS_CLI = re.compile(r"\baws\s+ecs\s+(update-service|deploy)\b|\becs-deploy\b")
_CODEDEPLOY = re.compile(r"\baws\s+deploy\s+(create-deployment|deploy)\b")
_PLAN_OUT = re.compile(_TF + r"plan\b[^\n]*-out[= ](\S+)")
_NEW_IMAGE = re.compile(r"image|(?<![a-z])tag(?![a-z])", re.I)
_KEY_NAMES = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")
_KEYS_IN_SHELL = re.compile(r"aws_access_key_id|aws_secret_access_key|AWS_SECRET_ACCESS_KEY=")


def _steps(repo: RepoModel) -> Iterator[tuple[Job, Step]]:
    for job in repo.workflows.jobs:
        for step in job.steps:
            yield job, step


def _text(job: Job, step: Step) -> str:
    context = {"with": step.with_, "env": step.env, "job_env": job.env}
    return step.run + "\n" + json.dumps(context, default=str)


def _deploys_ecs(job: Job, step: Step, pushed: bool = False) -> str | None:
    """How the step deploys to ECS, or None. ``pushed``: the workflow pushed an image
    to ECR before, and the repository's Terraform owns an ECS service."""
    if step.action in ECS_DEPLOY_ACTIONS:
        if step.with_.get("codedeploy-appspec") or step.with_.get("codedeploy-application"):
            return f"{step.action} through CodeDeploy"
        return f"{step.action}"
    match = _ECS_CLI.search(step.run)
    if match:
        return " ".join(match.group(0).split())
    if _CODEDEPLOY.search(step.run):
        return "a CodeDeploy deployment"
    if _TF_APPLY.search(step.run) and _NEW_IMAGE.search(_text(job, step)):
        return "terraform apply with a new image"
    if _TF_APPLY.search(step.run):
        # a plan file made with a new image, applied later in the job
        for other in job.steps:
            plan = _PLAN_OUT.search(other.run)
            if plan and plan.group(1) in step.run and _NEW_IMAGE.search(_text(job, other)):
                return "terraform apply of a plan made with a new image"
        if pushed:
            return "terraform apply after the workflow pushes the image"
    return None


def _ecr_pushers(repo: RepoModel) -> set[str]:
    """Workflows that push an image to ECR."""
    return {j.workflow for j, s in _steps(repo) if any(is_ecr(p) for p in pushes_of(j, s))}


def _deploy_steps(repo: RepoModel) -> list[tuple[Job, Step, str]]:
    out = []
    pushers = _ecr_pushers(repo) if repo.terraform.of_type("aws_ecs_service") else set()
    for job, step in _steps(repo):
        how = _deploys_ecs(job, step, job.workflow in pushers)
        if how:
            out.append((job, step, how))
    return out


def gha_deploy_ecs(repo: RepoModel, plan: PlanContext) -> Finding:
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
    if applies and not any(pushes_of(j, s) for j, s in _steps(repo)):
        return verdict(
            "gha_deploy_ecs",
            "fail",
            "workflows apply Terraform but none builds or pushes an image: no new code reaches ECS",
            [s.where for s in applies],
        )
    if applies:
        return verdict(
            "gha_deploy_ecs",
            "unknown",
            "only terraform apply; whether it rolls out a new image cannot be told",
            [s.where for s in applies],
        )
    return verdict("gha_deploy_ecs", "fail", "no workflow step deploys to ECS")


def _immutable_repos(repo: RepoModel) -> list[str]:
    from infraplan.check.terraform_rules import immutable

    return [
        r.where("image_tag_mutability")
        for r in repo.terraform.of_type("aws_ecr_repository")
        if immutable(r)
    ]


def gha_push_ecr(repo: RepoModel, plan: PlanContext) -> Finding:
    pushes = [p for job, step in _steps(repo) for p in pushes_of(job, step)]
    to_ecr = [p for p in pushes if is_ecr(p)]
    if to_ecr:
        fixed = sorted({p.fixed_tag for p in to_ecr if p.fixed_tag})
        immutable = _immutable_repos(repo)
        where = [p.step.where for p in to_ecr]
        if fixed and immutable:
            return verdict(
                "gha_push_ecr",
                "fail",
                f"pushes the fixed tag :{fixed[0]} to an IMMUTABLE ECR repository: every push "
                "after the first is refused (tag images by commit SHA)",
                [*(p.step.where for p in to_ecr if p.fixed_tag), *immutable],
            )
        advice = []
        if "latest" in fixed:
            advice.append(
                Advice(
                    "pushes :latest: a deploy cannot tell which build it runs (tag by commit SHA)",
                    tuple(p.step.where for p in to_ecr if p.fixed_tag == "latest"),
                )
            )
        workflow = next(j.workflow for j, s in _steps(repo) if s is to_ecr[0].step)
        return verdict(
            "gha_push_ecr", "pass", f"{workflow} pushes the image to ECR", where, advice=advice
        )
    if pushes:
        names = sorted({registry_name(p.host) for p in pushes})
        return verdict(
            "gha_push_ecr",
            "fail",
            f"images are pushed to {', '.join(names)}, not ECR",
            [p.step.where for p in pushes],
        )
    return verdict("gha_push_ecr", "fail", "no workflow step pushes an image")


def _id_token(permissions: Any) -> bool:
    if permissions == "write-all":
        return True
    return isinstance(permissions, dict) and permissions.get("id-token") == "write"


def _credentials(job: Job, step: Step) -> Verdict:
    keys = [k for k in ("aws-access-key-id", "aws-secret-access-key") if k in step.with_]
    if keys or any(k in {**job.env, **step.env} for k in _KEY_NAMES):
        return Verdict(
            "fail", f"{job.workflow}: AWS credentials from access keys, not OIDC", [step.where]
        )
    if "role-to-assume" not in step.with_:
        return Verdict(
            "unknown",
            f"{job.workflow}: credentials without role-to-assume (from the runner's "
            "environment); only the runner's setup decides them",
            [step.where],
        )
    if not _id_token(job.permissions):
        return Verdict(
            "fail",
            f"{job.workflow} job {job.id} assumes a role but lacks id-token: write",
            [step.where, job.where],
        )
    return Verdict("pass", f"{job.workflow} assumes a role through GitHub OIDC", [step.where])


def gha_oidc(repo: RepoModel, plan: PlanContext) -> Finding:
    verdicts = [_credentials(j, s) for j, s in _steps(repo) if s.action == CREDENTIALS_ACTION]
    return worst("gha_oidc", verdicts, "no workflow gets AWS credentials")


def gha_static_keys(repo: RepoModel, plan: PlanContext) -> Finding:
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


def _blue_green_limit(plan: PlanContext, r2: Stated) -> tuple[int, str, list[str]] | None:
    """With blue/green the most minutes the plan lets a deploy job run, why and where the
    plan says so: R2, the bake time and the minutes for the old revision to go, the sum
    the generated jobs use (Spec.deploy_job_minutes). None with rolling: R2 alone."""
    spec = plan.spec
    if spec.deploy.strategy != "blue_green":
        return None
    bake = plan.stated("deploy", "bake_minutes") or r2
    strategy = plan.stated("deploy", "strategy") or r2
    why = (
        f"blue/green ({strategy.where}) allows {spec.deploy_job_minutes} minutes: R2 "
        f"({r2.said()}, {r2.where}) + the bake time ({bake.said()}, {bake.where}) + "
        f"{OLD_REVISION_MINUTES} for the old revision to go"
    )
    return spec.deploy_job_minutes, why, list(dict.fromkeys((r2.where, bake.where, strategy.where)))


def gha_deploy_timeout(repo: RepoModel, plan: PlanContext) -> Finding:
    """With a plan stating R2 the deploy job's timeout must be within it (with blue/green,
    within R2, the bake time and the old revision's minutes); without one the timeout
    found is reported, and a job without one is advice."""
    stated = plan.stated("requirements", "deploy_minutes")
    blue_green = _blue_green_limit(plan, stated) if stated is not None else None
    deploys = list({id(j): j for j, _, _ in _deploy_steps(repo)}.values())
    # R2 times the deploy; a manual rollback is another job (when there is a deploy)
    jobs = [j for j in deploys if not _rollback_job(j)] or deploys
    if not jobs:
        # No recognisable ECS deploy: the job the team calls "deploy" is the one R2 times.
        jobs = [j for j in repo.workflows.jobs if "deploy" in f"{j.id} {j.name}".lower()]
    verdicts: list[Verdict] = []
    advice: list[Advice] = []
    for job in jobs:
        timeout = job.timeout
        name = f"{job.workflow} job {job.id}"
        if timeout is None:
            if blue_green is not None:
                verdicts.append(
                    Verdict(
                        "fail",
                        f"{name} has no timeout-minutes (GitHub's default is 360); {blue_green[1]}",
                        [job.where, *blue_green[2]],
                        blue_green[2][0],
                    )
                )
            elif stated is not None:
                verdicts.append(
                    Verdict(
                        "fail",
                        f"{name} has no timeout-minutes (GitHub's default is 360); R2: "
                        f"{stated.said()} minutes ({stated.where})",
                        [job.where, stated.where],
                        stated.where,
                    )
                )
            else:
                advice.append(
                    Advice(
                        f"{name} has no timeout-minutes: a stuck deploy runs for 6 hours",
                        (job.where,),
                        "warning",
                    )
                )
                verdicts.append(Verdict("pass", f"{name} deploys (no timeout set)", [job.where]))
        elif isinstance(timeout, (int, float)) and not isinstance(timeout, bool):
            if blue_green is not None and timeout > blue_green[0]:
                verdicts.append(
                    Verdict(
                        "fail",
                        f"{name}: the timeout is {timeout:g} min; {blue_green[1]}",
                        [job.where, *blue_green[2]],
                        blue_green[2][0],
                    )
                )
            elif blue_green is None and stated is not None and timeout > stated.value:
                verdicts.append(
                    conflict(f"{name}: the timeout (R2)", f"{timeout:g} min", [job.where], stated)
                )
            else:
                verdicts.append(Verdict("pass", f"{name}: timeout {timeout:g} min", [job.where]))
        else:
            verdicts.append(
                Verdict(
                    "unknown",
                    f"{name}: timeout is {timeout}, set when the workflow runs",
                    [job.where],
                )
            )
    return worst(
        "gha_deploy_timeout",
        verdicts,
        "no deploy job to time",
        advice=advice,
        settle=stated is None,
    )


def gha_terraform(repo: RepoModel, plan: PlanContext) -> Finding:
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


def gha_preview(repo: RepoModel, plan: PlanContext) -> Finding:
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


def _rollback_job(job: Job) -> bool:
    return "rollback" in f"{job.workflow} {job.id} {job.name}".lower()


def gha_rollback(repo: RepoModel, plan: PlanContext) -> Finding:
    found = [
        (job, step)
        for job, step, _ in _deploy_steps(repo)
        if _rollback_job(job)
        or "rollback" in step.name.lower()
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
