"""How often `infraplan check` agrees with a careful reviewer on public repositories.

Each repository below is fetched by git at a pinned commit (nothing of it is
committed here) and checked without a plan, as a new user would run it. The
answers were written by hand from reading the code at that commit, before the
checker ran on it, following the verdict model of docs/check.md: without a
plan a rule asks whether the capability is there and working, and good
practice is advice, not a failure.

    .venv/bin/python benchmarks/check_agreement.py            # clone from GitHub
    .venv/bin/python benchmarks/check_agreement.py --source 'file:///mirrors/{owner}+{name}'

It prints each disagreement and the agreement per repository and overall.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

P, F, U = "pass", "fail", "unknown"


@dataclass(frozen=True)
class Answered:
    repo: str  # owner/name on GitHub
    commit: str
    answers: dict[str, str]  # rule id -> the reviewer's status
    notes: str = ""


# Rules every answer covers (the plan-only rules gha_preview and budget_estimate are
# skipped without a plan and not scored).
RULES = [
    "vpc",
    "subnets",
    "security_groups",
    "ecs_cluster",
    "ecs_fargate_service",
    "ecr_repository",
    "ecr_scan_on_push",
    "ecr_immutable_tags",
    "alarm_cpu",
    "alarm_5xx",
    "secrets_manager",
    "circuit_breaker_rollback",
    "alb_health_check",
    "gha_push_ecr",
    "gha_deploy_ecs",
    "gha_oidc",
    "gha_static_keys",
    "gha_deploy_timeout",
    "gha_terraform",
    "gha_rollback",
    "dockerfile",
    "s3_backend",
    "dashboard",
    "budget",
]


def _answers(line: str) -> dict[str, str]:
    statuses = line.split()
    assert len(statuses) == len(RULES), (len(statuses), len(RULES))
    return dict(zip(RULES, statuses, strict=True))


REPOSITORIES: tuple[Answered, ...] = (
    Answered(
        "zorrex82/terraform_ecs_fargate",
        "bfa7b4f10149debfd758da6ff5da252052da9bf2",
        # The service sets no launch type and the cluster no capacity provider: ECS
        # runs it on EC2. The workflow applies Terraform with keys set by `aws
        # configure` and never pushes an image: the apply rolls out nothing new.
        _answers(
            "pass pass pass pass fail pass fail fail fail fail fail fail fail fail fail "
            "fail fail pass fail fail fail pass fail fail"
        ),
    ),
    Answered(
        "ajish-antony/github-actions-ecr-ecs-deployment",
        "7a8e2642406a5e319813dff24caebebf2832efe4",
        # Pushes :latest to a MUTABLE ECR repository (advice); an EventBridge rule runs
        # a task on each push, but no workflow deploys the service; no backend block.
        _answers(
            "pass pass pass pass pass pass pass fail fail fail fail fail fail pass fail "
            "fail fail fail fail fail pass fail fail fail"
        ),
    ),
    Answered(
        "bobomaung1991/terraform-infra-cicd-ecs",
        "dfb108339a38401de385612d9163e4881eb0c9bf",
        # A cluster, a Fargate service in a hard-coded subnet, no workflow, no image.
        _answers(
            "fail fail pass pass pass fail fail fail fail fail fail fail fail fail fail "
            "fail pass fail fail fail fail fail fail fail"
        ),
    ),
    Answered(
        "Chinweoke18/cloud-devops-pipeline",
        "d60cd0ab81fe839c8f22a7f8f085fb7bdd62fc76",
        # Terragrunt: remote_state in S3 with a DynamoDB lock; the VPC, subnets and
        # cluster are inputs (IDs), not created; the CPU alarms drive autoscaling but
        # are CloudWatch alarms on CPUUtilization; the workflow pushes to ECR by
        # run number, then `terragrunt plan` / `apply` of the service's unit, whose
        # task definition takes the newest pushed tag: that apply is the deploy.
        _answers(
            "fail fail pass fail pass pass pass fail pass fail fail fail pass pass pass "
            "fail fail pass pass fail pass pass fail fail"
        ),
    ),
    # The two below were answered after check had been tuned on the four above: their
    # first run measures how the rules generalise.
    Answered(
        "kunduso/add-aws-ecr-ecs-fargate",
        "db53adfc9d8520c8f416d4f03e7b747ff0a3798c",
        # Three roots (app/tf, infra, deploy); OIDC roles; the deploy job applies the
        # deploy root with -var image_tag; the CodeDeploy files are all commented out;
        # a Secrets Manager secret reaches the container; no alarm, dashboard or budget.
        _answers(
            "pass pass pass pass pass pass pass pass fail fail pass fail pass pass pass "
            "pass pass pass pass fail pass pass fail fail"
        ),
    ),
    Answered(
        "devopsforger/terraform-multi-az-ecs-fargate",
        "ee9210eebf63fbfb40eb30f441d8b15a2b081161",
        # Everything is a call to a module library outside the repository (git and
        # local paths on the author's machine), with values in environments/stage/
        # *.tfvars passed by the Makefile; no workflow, no Dockerfile. A reader takes
        # module "vpc", "subnets", "ecr_repository", "ecs_service" at their word.
        _answers(
            "pass pass pass pass pass pass pass pass fail fail pass fail pass fail fail "
            "fail pass fail fail fail fail pass fail fail"
        ),
    ),
    # Answered after every change above, before check ran on them.
    Answered(
        "isaiah1701/url-shortener-on-ecs-fargate",
        "7ef0bc87bb577eb5ac5b077eeb3ccf91d31aa3ce",
        # Three env roots over local modules; the ECR module hard-codes MUTABLE while
        # its variable defaults to IMMUTABLE; CodeDeploy controls the service (no
        # circuit breaker); CPU only on a dashboard; the deploy workflow pushes to ECR
        # then applies the env root (a Lambda starts the CodeDeploy deployment on push).
        _answers(
            "pass pass pass pass pass pass pass fail fail fail fail fail pass pass pass "
            "pass pass pass fail fail pass pass pass fail"
        ),
    ),
    Answered(
        "atrakic/aws-ecs-fargate-app",
        "3ce7133668384c40b60d693d21bfb8321c2ece21",
        # terraform-aws-modules by git URL; images on ghcr.io (a remote reusable
        # workflow) and pushed to an ECR repository Terraform does not create, with
        # static keys; terraform plan only against LocalStack; backend commented out.
        _answers(
            "pass pass pass pass pass fail fail fail fail fail fail fail pass pass fail "
            "fail fail fail fail fail pass fail fail fail"
        ),
    ),
)


def _fetch(source: str, repo: str, commit: str, into: Path) -> Path:
    owner, name = repo.split("/")
    url = source.format(owner=owner, name=name)
    target = into / f"{owner}+{name}"
    subprocess.run(["git", "init", "-q", str(target)], check=True)
    subprocess.run(
        ["git", "-C", str(target), "fetch", "-q", "--depth", "1", url, commit], check=True
    )
    subprocess.run(["git", "-C", str(target), "checkout", "-q", "FETCH_HEAD"], check=True)
    return target


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--source",
        default="https://github.com/{owner}/{name}.git",
        help="where to fetch each repository from; {owner} and {name} are filled in",
    )
    options = parser.parse_args()
    from infraplan.check import check_repository

    agreed = total = 0
    with tempfile.TemporaryDirectory() as folder:
        for entry in REPOSITORIES:
            root = _fetch(options.source, entry.repo, entry.commit, Path(folder))
            report = check_repository(root, None, use_cache=False, progress=False)
            found = {f.rule: f for f in report.rules}
            same = 0
            for rule, wanted in entry.answers.items():
                got = found[rule].status
                if got == wanted:
                    same += 1
                else:
                    print(
                        f"  {entry.repo} {rule}: reviewer {wanted}, check {got} "
                        f"({found[rule].reason})"
                    )
            agreed, total = agreed + same, total + len(entry.answers)
            print(f"{entry.repo}@{entry.commit[:8]}: {same}/{len(entry.answers)}")
    print(f"agreement: {agreed}/{total} = {100 * agreed / total:.1f}%")
    return 0


if __name__ == "__main__":
    sys.exit(main())
