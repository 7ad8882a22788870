"""Hand-written repositories full of traps: check gives the careful reviewer's answer.

The fixture repos under ``tests/check_fixtures/`` were written the way teams
write Terraform and workflows by hand, naming things their own way.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from infraplan.check import check_repository
from infraplan.findings import Finding, Report
from infraplan.spec.load import load_spec

from .check_support import FIXTURES, findings, plan


def _check(name: str, spec_text: str | None = None) -> tuple[Report, dict[str, Finding]]:
    root = FIXTURES / name
    if spec_text is not None:
        spec = plan(spec_text)
    elif (root / "plan.yaml").is_file():
        spec = load_spec(root / "plan.yaml").spec
    else:
        spec = None
    report = check_repository(root, spec, use_cache=False, progress=False)
    return report, findings(report)


@pytest.fixture(scope="module")
def traps() -> tuple[Report, dict[str, Finding]]:
    return _check("handwritten_traps")


@pytest.fixture(scope="module")
def modules() -> tuple[Report, dict[str, Finding]]:
    return _check("handwritten_modules", "secrets: [DATABASE_URL]\n")


@pytest.mark.parametrize(
    ("rule", "status", "words", "evidence"),
    [
        # A circuit breaker with rollback = false under a comment promising auto-rollback.
        ("circuit_breaker_rollback", "fail", "rollback = false", "infra/ecs.tf:33"),
        # A variable defaulting to IMMUTABLE that the repository never uses.
        ("ecr_immutable_tags", "fail", "defaults to MUTABLE", "infra/ecr.tf:7"),
        # CPU watched by a dashboard, autoscaling and a WAF metric name: none is an alarm.
        ("alarm_cpu", "fail", "not by an alarm", "infra/monitoring.tf:1"),
        # DATABASE_URL in the container's plain environment.
        ("secrets_manager", "fail", "DATABASE_URL in plain environment", "infra/ecs.tf:11"),
        # Images pushed to Docker Hub.
        ("gha_push_ecr", "fail", "Docker Hub", ".github/workflows/deploy.yml:14"),
        # VPC and subnets looked up, not created.
        ("vpc", "fail", "only looked up", "infra/network.tf:2"),
        ("subnets", "fail", "only looked up", "infra/network.tf:8"),
        # Long-lived keys.
        ("gha_static_keys", "fail", "access keys", ".github/workflows/deploy.yml:23"),
        ("gha_oidc", "fail", "access keys", ".github/workflows/deploy.yml:23"),
        # A deploy by terraform apply without a new image: cannot be told.
        ("gha_deploy_ecs", "unknown", "terraform apply", ".github/workflows/deploy.yml:29"),
        ("alb_health_check", "fail", "default /", "infra/ecs.tf:37"),
        # The job called deploy has no timeout: GitHub's default of 6 hours is not R2.
        # With a plan, R2 holds (its default of 10 minutes, written in the plan's Markdown).
        ("gha_deploy_timeout", "fail", "no timeout-minutes", ".github/workflows/deploy.yml:18"),
        ("budget", "fail", "$500", "infra/monitoring.tf:55"),
        # Locking and a pinned, non-root image are good practice: advice, not a failure.
        ("s3_backend", "pass", "without locking", "infra/backend.tf:2"),
        ("dockerfile", "pass", "builds the image", "Dockerfile:1"),
        ("alarm_5xx", "pass", "HTTPCode_ELB_5XX_Count", "infra/monitoring.tf:44"),
        ("ecs_fargate_service", "pass", "Fargate", "infra/ecs.tf:27"),
    ],
)
def test_traps(
    traps: tuple[Report, dict[str, Finding]], rule: str, status: str, words: str, evidence: str
) -> None:
    found = traps[1][rule]
    assert (found.status, evidence) == (status, found.evidence[0] if found.evidence else None), (
        found
    )
    assert words in found.reason, found


def test_traps_advice_is_reported_apart(traps: tuple[Report, dict[str, Finding]]) -> None:
    found = traps[1]
    docker = " ".join(a.text for a in found["dockerfile"].advice)
    assert "not pinned" in docker and "root" in docker
    assert "without locking" in found["s3_backend"].advice[0].text
    assert found["s3_backend"].advice[0].level == "warning"


def test_ecr_trap_points_at_the_unused_variable(traps: tuple[Report, dict[str, Finding]]) -> None:
    found = traps[1]["ecr_immutable_tags"]
    assert "infra/ecr.tf:1" in found.evidence
    assert 'variable "tag_mutability"' in found.reason


def test_cpu_trap_names_every_impostor(traps: tuple[Report, dict[str, Finding]]) -> None:
    reason = traps[1]["alarm_cpu"].reason
    for impostor in ("dashboard", "autoscaling", "WAF"):
        assert impostor in reason


def test_unplanned_lists_resources_no_task_accounts_for(
    traps: tuple[Report, dict[str, Finding]],
) -> None:
    addresses = {u["address"] for u in traps[0].unplanned}
    assert addresses == {"aws_route53_record.shop", "aws_wafv2_web_acl.shop"}


def test_traps_repo_tasks(traps: tuple[Report, dict[str, Finding]]) -> None:
    tasks = {t.id: t.status for t in traps[0].tasks}
    assert tasks["1.1"] == "fail"
    assert tasks["3.1"] == "fail"
    assert tasks["2.4"] == "unknown"  # the service is fine; the deploy cannot be told
    assert traps[0].failed


@pytest.mark.parametrize(
    ("rule", "status", "words", "evidence"),
    [
        # The ECR push happens inside a local composite action.
        ("gha_push_ecr", "pass", "ECR", ".github/actions/publish/action.yaml:12"),
        # id-token: write is granted only by the caller of the reusable workflow.
        ("gha_oidc", "pass", "OIDC", ".github/workflows/release.yml:14"),
        # The deploy is `aws ecs update-service`, not an ECS action.
        ("gha_deploy_ecs", "pass", "update-service", ".github/workflows/release.yml:21"),
        ("gha_deploy_timeout", "pass", "timeout 8", ".github/workflows/release.yml:9"),
        # A disabled workflow with static keys is not a workflow.
        ("gha_static_keys", "pass", "no workflow", None),
        # CodeDeploy blue/green rollback is not a circuit breaker.
        ("circuit_breaker_rollback", "fail", "CodeDeploy", "stacks/prod/main.tf:92"),
        # SSM Parameter Store is not Secrets Manager.
        ("secrets_manager", "fail", "SSM Parameter Store", "stacks/prod/main.tf:64"),
        # Registry modules count with their documented defaults.
        ("ecr_immutable_tags", "pass", "immutable", "stacks/prod/main.tf:15"),
        ("ecr_scan_on_push", "pass", "scans on push", "stacks/prod/main.tf:15"),
        ("vpc", "pass", "module.vpc", "stacks/prod/main.tf:1"),
        ("subnets", "pass", "1 private, 1 public", "stacks/prod/main.tf:1"),
        ("ecs_cluster", "pass", "module.cluster", "stacks/prod/main.tf:22"),
        ("alb_health_check", "pass", "/healthz", "stacks/prod/main.tf:37"),
        # A CPU alarm from the cloudwatch module, at another threshold than the plan's 80.
        (
            "alarm_cpu",
            "fail",
            "threshold is 70; the plan's default is 80",
            "stacks/prod/main.tf:56",
        ),
        # Partial S3 backend whose locking lives in a .tfbackend file.
        ("s3_backend", "pass", "backend config", "stacks/prod/backend.tf:2"),
        ("dockerfile", "pass", "api.Dockerfile", "services/api/api.Dockerfile:1"),
        ("gha_terraform", "fail", "no workflow runs terraform", None),
        ("dashboard", "fail", "no aws_cloudwatch_dashboard", None),
    ],
)
def test_modules_and_reusable_workflows(
    modules: tuple[Report, dict[str, Finding]],
    rule: str,
    status: str,
    words: str,
    evidence: str | None,
) -> None:
    found = modules[1][rule]
    first = found.evidence[0] if found.evidence else None
    assert (found.status, first) == (status, evidence), found
    assert words in found.reason, found


def test_good_handwritten_repo_passes_every_rule() -> None:
    report, found = _check("handwritten_good")
    problems = {r: f for r, f in found.items() if f.status not in ("pass", "skipped")}
    assert problems == {}
    # 1.3 asks to apply in staging: only a live account proves it
    assert {t.id: t.status for t in report.tasks if t.status != "pass"} == {"1.3": "live"}
    # Values passed down from the root into the local module decide the rules.
    assert found["ecr_immutable_tags"].evidence == ("terraform/modules/platform/ecs.tf:3",)
    assert found["alb_health_check"].reason.endswith("/healthz")
    assert not report.failed


def test_good_handwritten_repo_fails_a_stricter_plan() -> None:
    _, found = _check("handwritten_good", "requirements: {deploy_minutes: 5}\n")
    assert found["gha_deploy_timeout"].status == "fail"
    reason = found["gha_deploy_timeout"].reason
    assert "timeout (R2) is 10 min; the plan says 5 (plan.yaml:" in reason


def test_fixture_paths_exist() -> None:
    for name in ("handwritten_good", "handwritten_traps", "handwritten_modules"):
        assert (FIXTURES / name).is_dir()
        assert any(Path(FIXTURES / name).rglob("*.tf"))
