"""R1 in the code: credential-shaped values in Terraform, workflows and Dockerfiles.

The finding names the kind and the file:line of each; no output format ever
carries the value. A pinned commit SHA or image digest is not a credential.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from infraplan.check import check_repository
from infraplan.findings import Report

from .check_support import findings, plan, write_repo

# Built from parts so this file holds no credential-shaped literal of its own.
AWS_KEY = "AKIA" + "IOSFODNN7EXAMPLE"
GITHUB_TOKEN = "ghp_" + "aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789"
STRIPE_KEY = "sk_live_" + "4eC39HqLyjWDarjtT1zdp7dc"
VALUES = (AWS_KEY, GITHUB_TOKEN, STRIPE_KEY)

LEAKY = {
    "infra/main.tf": (
        f'provider "aws" {{\n  region     = "eu-west-1"\n  access_key = "{AWS_KEY}"\n}}\n'
    ),
    ".github/workflows/deploy.yml": (
        "name: deploy\non: push\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n"
        f"    env:\n      GH_TOKEN: {GITHUB_TOKEN}\n    steps:\n      - run: echo hi\n"
    ),
    "Dockerfile": f"FROM python:3.12-slim\nENV STRIPE_KEY={STRIPE_KEY}\nUSER 1000\n",
}
CLEAN = {
    "infra/main.tf": 'provider "aws" {\n  region = "eu-west-1"\n}\n',
    ".github/workflows/deploy.yml": (
        "name: deploy\non: push\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n"
        "    env:\n      GH_TOKEN: ${{ secrets.GH_TOKEN }}\n    steps:\n"
        "      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683\n"
    ),
    "Dockerfile": (
        "FROM python:3.12-slim@sha256:"
        "2f6fa4ed3a0b09f7c0bc8a6e6ea3bfa3a0c4a4b5f0a0c11bb8d5a17e2bd0e8ff\nUSER 1000\n"
    ),
}


@pytest.fixture(scope="module")
def leaky(tmp_path_factory: pytest.TempPathFactory) -> Report:
    root = write_repo(tmp_path_factory.mktemp("leaky"), LEAKY)
    return check_repository(root, None, use_cache=False, progress=False)


def test_each_credential_is_found_at_its_line(leaky: Report) -> None:
    found = findings(leaky)["plaintext_credentials"]
    assert found.status == "fail"
    # Terraform first, then workflows, then Dockerfiles
    assert found.evidence == ("infra/main.tf:3", ".github/workflows/deploy.yml:7", "Dockerfile:2")
    assert "(AWS Access Key) at infra/main.tf:3 and 2 more" in found.reason


def test_a_clean_repo_passes_and_pinned_shas_are_not_credentials(tmp_path: Path) -> None:
    root = write_repo(tmp_path, CLEAN)
    found = findings(check_repository(root, None, use_cache=False, progress=False))
    assert found["plaintext_credentials"].status == "pass", found["plaintext_credentials"]
    assert "3 files scanned" in found["plaintext_credentials"].reason


def test_a_plan_without_r1_does_not_judge_it(tmp_path: Path) -> None:
    root = write_repo(tmp_path, LEAKY)
    spec = plan("requirements: {no_plaintext_secrets: false}\n")
    found = findings(check_repository(root, spec, use_cache=False, progress=False))
    assert found["plaintext_credentials"].status == "skipped"


@pytest.mark.parametrize("fmt", ["table", "json", "sarif", "markdown"])
def test_no_output_format_prints_the_value(
    leaky: Report, fmt: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from infraplan.report_formats import render_report

    render_report(leaky, fmt)
    out = capsys.readouterr().out
    assert "infra/main.tf:3" in out  # the place is shown
    for value in VALUES:
        assert value not in out
        assert value[:12] not in out
