"""Shapes a reviewer reads: hand-written fixture repos, each with the reviewer's answer.

Each repository under ``tests/check_fixtures/shapes_*`` holds one class of code
that real repositories contain: Terragrunt units, module sources that are not a
registry address, values passed through maps and locals, registries read at
runtime or other than Docker Hub, CodeDeploy and plan-file deploys, unnamed
subnets, a fixed tag pushed to an IMMUTABLE repository, leftover conflict
markers and several Dockerfiles. The expected answers were written from reading
the code, before the checker ran on it.
"""

from __future__ import annotations

import pytest

from infraplan.check import check_repository
from infraplan.findings import Finding, Report

from .check_support import FIXTURES, findings, plan

_CACHE: dict[str, tuple[Report, dict[str, Finding]]] = {}


def _judge(name: str) -> tuple[Report, dict[str, Finding]]:
    if name not in _CACHE:
        report = check_repository(FIXTURES / name, None, use_cache=False, progress=False)
        _CACHE[name] = (report, findings(report))
    return _CACHE[name]


ANSWERS: list[tuple[str, str, str, str, str | None]] = [
    # fixture, rule, status, words in the reason, first evidence
    ("shapes_terragrunt", "s3_backend", "pass", "with locking", "root.hcl:2"),
    ("shapes_terragrunt", "ecs_fargate_service", "pass", "Fargate", "modules/service/main.tf:8"),
    ("shapes_terragrunt", "alb_health_check", "pass", "/ready", "modules/service/main.tf:23"),
    ("shapes_terragrunt", "circuit_breaker_rollback", "pass", "rolls back", None),
    ("shapes_terragrunt", "ecr_repository", "pass", "created", None),
    (
        "shapes_terragrunt",
        "ecr_immutable_tags",
        "fail",
        "is MUTABLE",
        "live/prod/registry/terragrunt.hcl:6",
    ),
    # A unit's include brings the parent's source, state and inputs; the worker unit
    # leaves the health check path unset, which no reader can tell.
    ("shapes_terragrunt_include", "s3_backend", "pass", "with locking", "terragrunt.hcl:6"),
    (
        "shapes_terragrunt_include",
        "alb_health_check",
        "pass",
        "health-checks /live; 1 more cannot be told statically",
        "tf/main.tf:20",
    ),
    ("shapes_terragrunt_include", "ecs_fargate_service", "pass", "Fargate", None),
    ("shapes_module_sources", "vpc", "pass", "module.vpc", "infra/main.tf:2"),
    ("shapes_module_sources", "subnets", "pass", "1 private, 1 public", "infra/main.tf:2"),
    ("shapes_module_sources", "ecs_cluster", "pass", "module.cluster", "infra/main.tf:13"),
    ("shapes_module_sources", "ecr_immutable_tags", "pass", "immutable", "vendor/ecr/main.tf:12"),
    ("shapes_module_sources", "ecr_scan_on_push", "fail", "does not scan", "vendor/ecr/main.tf:15"),
    # A team's own module library: thin wrappers named for what they make, values from
    # the environment's -var-file, one module instance per for_each key.
    ("shapes_module_library", "vpc", "pass", "module.vpc.aws_vpc.this", "main.tf:13"),
    ("shapes_module_library", "ecr_immutable_tags", "pass", "immutable", "main.tf:23"),
    ("shapes_module_library", "ecr_scan_on_push", "pass", "scans on push", None),
    (
        "shapes_module_library",
        "alb_health_check",
        "pass",
        "health-checks /ready (and 1 more)",
        "main.tf:32",
    ),
    ("shapes_layers", "ecr_immutable_tags", "pass", "immutable", None),
    ("shapes_layers", "ecr_scan_on_push", "pass", "scans on push", None),
    ("shapes_layers", "alb_health_check", "pass", "/api/health (and 1 more)", "main.tf:48"),
    ("shapes_layers", "circuit_breaker_rollback", "pass", "rolls back", None),
    (
        "shapes_registry_runtime",
        "gha_push_ecr",
        "pass",
        "pushes the image to ECR",
        ".github/workflows/release.yml:24",
    ),
    (
        "shapes_registry_ghcr",
        "gha_push_ecr",
        "fail",
        "pushed to ghcr.io, not ECR",
        ".github/workflows/publish.yml:18",
    ),
    ("shapes_deploys", "gha_deploy_ecs", "pass", "CodeDeploy", ".github/workflows/deploy.yml:17"),
    ("shapes_deploys", "gha_deploy_timeout", "pass", "timeout", None),
    ("shapes_subnets", "subnets", "pass", "subnets are created", "network.tf:9"),
    (
        "shapes_fixed_tag",
        "gha_push_ecr",
        "fail",
        ":latest to an IMMUTABLE ECR repository",
        ".github/workflows/build.yml:18",
    ),
    ("shapes_conflict", "conflict", "fail", "unresolved merge conflict", "infra/ecr.tf:3"),
    ("shapes_conflict", "ecr_immutable_tags", "pass", "immutable", "infra/ecr.tf:4"),
    ("shapes_conflict", "vpc", "pass", "created", "infra/vpc.tf:1"),
    ("shapes_dockerfiles", "dockerfile", "pass", "3 Dockerfiles", "services/api/Dockerfile:1"),
]


@pytest.mark.parametrize(
    ("fixture", "rule", "status", "words", "evidence"),
    ANSWERS,
    ids=[f"{a[0]}-{a[1]}" for a in ANSWERS],
)
def test_reviewer_answer(
    fixture: str, rule: str, status: str, words: str, evidence: str | None
) -> None:
    found = _judge(fixture)[1][rule]
    assert found.status == status, found
    assert words in found.reason, found
    if evidence is not None:
        assert found.evidence[0] == evidence, found


def test_plan_file_deploy_and_codedeploy_are_both_evidence() -> None:
    found = _judge("shapes_deploys")[1]["gha_deploy_ecs"]
    assert ".github/workflows/infra.yml:22" in found.evidence


def test_fixed_tag_points_at_the_immutable_repository() -> None:
    found = _judge("shapes_fixed_tag")[1]["gha_push_ecr"]
    assert "infra/ecr.tf:3" in found.evidence


def test_a_conflict_is_one_finding_and_does_not_cascade() -> None:
    report, found = _judge("shapes_conflict")
    assert [f.rule for f in report.rules].count("conflict") == 1
    assert "parse" not in found
    assert report.failed


def test_each_dockerfile_is_named_and_only_the_worker_gets_advice() -> None:
    found = _judge("shapes_dockerfiles")[1]["dockerfile"]
    assert found.evidence == (
        "services/api/Dockerfile:1",
        "services/worker/Dockerfile:1",
        "tools/Containerfile:1",
    )
    assert {a.evidence[0] for a in found.advice} == {
        "services/worker/Dockerfile:1",
        "services/worker/Dockerfile:4",
    }


def test_layered_values_meet_a_plan_that_states_another_path() -> None:
    root = FIXTURES / "shapes_layers"
    spec = plan("service: {health_check_path: /status}\n")
    found = findings(check_repository(root, spec, use_cache=False, progress=False))
    health = found["alb_health_check"]
    assert health.status == "fail"
    assert 'aws_lb_target_group.svc["api"]' in health.reason and "/api/health" in health.reason


def test_unnamed_subnets_hold_to_the_plans_zone_count() -> None:
    root = FIXTURES / "shapes_subnets"
    three = findings(check_repository(root, plan("network: {az_count: 3}\n"), use_cache=False))
    assert three["subnets"].status == "pass"
    four = findings(check_repository(root, plan("network: {az_count: 4}\n"), use_cache=False))
    assert four["subnets"].status == "fail" and "3" in four["subnets"].reason
