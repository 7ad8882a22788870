"""Bad files are findings, never crashes; big and odd repositories still get an answer."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from infraplan.check import check_repository
from infraplan.check.discovery import MAX_BYTES
from infraplan.findings import Report

from .check_support import write_repo

VPC = 'resource "aws_vpc" "v" {\n  cidr_block = "10.0.0.0/16"\n}\n'


def _parse_findings(report: Report) -> dict[str, tuple[str, str]]:
    """path -> (evidence, reason) of every ``parse`` finding."""
    out = {}
    for finding in report.rules:
        if finding.rule == "parse":
            assert finding.status == "unknown"
            path = finding.evidence[0].rsplit(":", 1)[0]
            out[path] = (finding.evidence[0], finding.reason)
    return out


def _run(root: Path) -> Report:
    return check_repository(root, use_cache=False, progress=False)


def test_a_file_that_does_not_parse_is_a_finding_and_the_run_goes_on(tmp_path: Path) -> None:
    write_repo(
        tmp_path,
        {
            "infra/broken.tf": 'resource "aws_ecs_cluster" "c" {\n  name = \n}\n',
            "infra/vpc.tf": VPC,
            ".github/workflows/bad.yml": "on: [push\njobs: {\n",
        },
    )
    report = _run(tmp_path)
    problems = _parse_findings(report)
    assert problems["infra/broken.tf"][0] == "infra/broken.tf:2"
    assert "Unexpected" in problems["infra/broken.tf"][1]
    assert ".github/workflows/bad.yml" in problems
    rules = {f.rule: f for f in report.rules}
    assert rules["vpc"].status == "pass"
    assert report.to_dict()["rules"][-1]["id"] == "parse"


@pytest.mark.parametrize(
    ("name", "content", "why"),
    [
        ("binary.tf", b"\x7fELF\x00\x01\x02resource", "binary"),
        (
            "latin1.tf",
            'resource "aws_vpc" "v" {\n  tags = { a = "caf\xe9" }\n}\n'.encode("latin-1"),
            "not UTF-8",
        ),
        ("Dockerfile", b"\x00\x00\x00", "binary"),
        (".github/workflows/w.yml", b"name: \xff\xfe\n", "not UTF-8"),
    ],
)
def test_odd_bytes_are_reported(tmp_path: Path, name: str, content: bytes, why: str) -> None:
    write_repo(tmp_path, {name: content, "ok.tf": VPC})
    report = _run(tmp_path)
    assert why in _parse_findings(report)[name][1]
    assert {f.rule: f for f in report.rules}["vpc"].status == "pass"


def test_huge_file_is_skipped_with_a_reason(tmp_path: Path) -> None:
    big = tmp_path / "big.tf"
    with open(big, "w", encoding="utf-8") as handle:
        handle.write("# " + "x" * 100 + "\n")
        handle.truncate(MAX_BYTES + 1)
    write_repo(tmp_path, {"ok.tf": VPC})
    report = _run(tmp_path)
    assert "not read" in _parse_findings(report)["big.tf"][1]


def test_symlink_loop_is_walked_once(tmp_path: Path) -> None:
    write_repo(tmp_path, {"infra/main.tf": VPC})
    os.symlink("..", tmp_path / "infra" / "loop")
    os.symlink("missing-target", tmp_path / "infra" / "dangling.tf")
    report = _run(tmp_path)
    assert {f.rule: f for f in report.rules}["vpc"].status == "pass"
    assert any("symlink loop" in reason for _, reason in _parse_findings(report).values())


def test_hundreds_of_roots(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {
        "modules/net/main.tf": (
            'variable "cidr" {}\nresource "aws_vpc" "v" {\n  cidr_block = var.cidr\n}\n'
        )
    }
    for index in range(300):
        files[f"live/account{index:03}/main.tf"] = (
            'module "net" {\n  source = "../../modules/net"\n'
            f'  cidr = "10.{index % 250}.0.0/16"\n}}\n'
            'terraform {\n  backend "s3" {\n    use_lockfile = true\n  }\n}\n'
        )
    write_repo(tmp_path, files)
    report = check_repository(tmp_path, use_cache=False, progress=False, workers=2)
    rules = {f.rule: f for f in report.rules}
    assert rules["vpc"].status == "pass"
    assert rules["s3_backend"].status == "pass"
    assert "parse" not in rules


def test_empty_folder_fails_every_rule_but_does_not_crash(tmp_path: Path) -> None:
    report = _run(tmp_path)
    statuses = {f.status for f in report.rules}
    assert statuses <= {"fail", "skipped", "pass"}
    assert {f.rule: f for f in report.rules}["gha_static_keys"].status == "pass"
    assert report.failed


def test_tool_folders_are_not_code(tmp_path: Path) -> None:
    write_repo(
        tmp_path,
        {
            "infra/.terraform/modules/x/main.tf": 'resource "aws_ecs_cluster" "c" {}\n',
            "infra/.terragrunt-cache/abc/main.tf": 'resource "aws_ecs_cluster" "c" {}\n',
            ".infraplan/base/main.tf": 'resource "aws_ecs_cluster" "c" {}\n',
            "infra/main.tf": VPC,
        },
    )
    rules = {f.rule: f for f in _run(tmp_path).rules}
    assert rules["vpc"].status == "pass"
    assert rules["ecs_cluster"].status == "fail"


@pytest.mark.parametrize(
    "text",
    [
        "jobs: [1, 2]\n",
        "on: 5\njobs:\n  a: 7\n  b:\n    steps: oops\n",
        "jobs:\n  a:\n    permissions: 7\n    timeout-minutes: soon\n    steps:\n"
        "      - uses: 5\n        with: [1]\n        env: x\n      - 3\n",
        "jobs:\n  a:\n    uses: ./.github/workflows/missing.yml\n"
        "  b:\n    uses: ./../../outside.yml\n  c:\n    steps:\n      - uses: ./nowhere\n",
        "- just\n- a list\n",
        "",
        "&a [*a]\n",
    ],
)
def test_odd_workflows_never_crash(tmp_path: Path, text: str) -> None:
    write_repo(tmp_path, {".github/workflows/w.yml": text, "ok.tf": VPC})
    rules = {f.rule: f for f in _run(tmp_path).rules}
    assert rules["vpc"].status == "pass"


def test_workflow_calling_itself_terminates(tmp_path: Path) -> None:
    text = (
        "on: [push, workflow_call]\njobs:\n  again:\n    uses: ./.github/workflows/w.yml\n"
        "  deploy:\n    timeout-minutes: 5\n    steps:\n      - run: aws ecs update-service\n"
    )
    write_repo(tmp_path, {".github/workflows/w.yml": text})
    rules = {f.rule: f for f in _run(tmp_path).rules}
    assert rules["gha_deploy_ecs"].status == "pass"


def test_self_referring_yaml_alias_is_a_finding_or_harmless(tmp_path: Path) -> None:
    text = "on: push\njobs:\n  a: &a\n    env: {x: *a}\n    steps:\n      - run: echo\n"
    write_repo(tmp_path, {".github/workflows/w.yml": text, "ok.tf": VPC})
    report = _run(tmp_path)
    assert {f.rule: f for f in report.rules}["vpc"].status == "pass"
