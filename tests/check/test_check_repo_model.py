"""The repo model: lines recovered, values normalized and resolved as a reader would."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from infraplan.check.cache import ParseCache
from infraplan.check.expressions import UNKNOWN, evaluate_literal
from infraplan.check.repo_model import build_repo_model
from infraplan.hcl.parse import parse_terraform_text
from infraplan.hcl.scan import scan_blocks

from .check_support import write_repo

TRICKY = """\
# resource "aws_vpc" "commented" {
locals {
  text  = "braces } { and ${upper("}")} inside"
  multi = <<-EOT
    resource "aws_vpc" "in_heredoc" {
    }
    EOT
}

/* block comment
resource "aws_vpc" "also_commented" {}
*/
resource "aws_vpc" "real" {
  cidr_block = "10.0.0.0/16"
  tags = {
    Name = "x"
  }
}

data "aws_vpc" "looked" {
  default = true
}
module "m" {
  source = "./m"
}
"""


def test_scan_finds_real_blocks_and_their_lines() -> None:
    blocks = [(b.kind, b.labels, b.line, b.end) for b in scan_blocks(TRICKY)]
    assert blocks == [
        ("locals", [], 2, 8),
        ("resource", ["aws_vpc", "real"], 13, 18),
        ("data", ["aws_vpc", "looked"], 20, 22),
        ("module", ["m"], 23, 25),
    ]


def test_parsed_blocks_are_unquoted_and_located() -> None:
    data = parse_terraform_text(TRICKY)
    assert data["error"] is None
    real = next(b for b in data["blocks"] if b["labels"] == ["aws_vpc", "real"])
    assert real["line"] == 13
    assert real["body"]["cidr_block"] == "10.0.0.0/16"
    assert [14, "cidr_block"] in real["keys"]
    assert "__is_block__" not in str(data)


def test_parse_error_has_a_line() -> None:
    data = parse_terraform_text('resource "a" "b" {\n  x = \n}\n')
    assert data["blocks"] == []
    assert data["error"]["line"] == 2


def test_module_inputs_resolve_inside_local_module(tmp_path: Path) -> None:
    root = write_repo(
        tmp_path,
        {
            "envs/prod/main.tf": """\
            locals {
              names = { repo = "shop-prod" }
            }
            module "ecr" {
              source = "../../modules/ecr"
              name   = local.names.repo
              mode   = var.mode
            }
            variable "mode" {
              default = "MUTABLE"
            }
            """,
            "envs/prod/terraform.tfvars": 'mode = "IMMUTABLE"\n',
            "envs/dev/main.tf": """\
            module "ecr" {
              source = "../../modules/ecr"
              name   = "shop-dev"
            }
            """,
            "modules/ecr/main.tf": """\
            variable "name" {}
            variable "mode" {
              default = "MUTABLE"
            }
            resource "aws_ecr_repository" "this" {
              name                 = "${var.name}-repo"
              image_tag_mutability = var.mode
            }
            """,
        },
    )
    model = build_repo_model(root, ParseCache(None), progress=False)
    tf = model.terraform
    assert tf.roots == ["envs/dev", "envs/prod"]
    repos = {r.root: r for r in tf.of_type("aws_ecr_repository")}
    assert repos["envs/prod"].attrs == {
        "name": "shop-prod-repo",
        "image_tag_mutability": "IMMUTABLE",
    }
    assert repos["envs/dev"].attrs["image_tag_mutability"] == "MUTABLE"
    assert repos["envs/prod"].address == "module.ecr.aws_ecr_repository.this"
    assert repos["envs/prod"].where("image_tag_mutability") == "modules/ecr/main.tf:7"


def test_module_cycles_and_missing_targets_do_not_hang(tmp_path: Path) -> None:
    root = write_repo(
        tmp_path,
        {
            "a/main.tf": (
                'module "b" {\n  source = "../b"\n}\nmodule "x" {\n  source = "../nowhere"\n}\n'
            ),
            "b/main.tf": 'module "a" {\n  source = "../a"\n}\nresource "aws_vpc" "v" {}\n',
            "c/main.tf": 'module "a" {\n  source = "../a"\n}\n',
        },
    )
    model = build_repo_model(root, ParseCache(None), progress=False)
    assert model.terraform.roots == ["c"]
    assert [r.address for r in model.terraform.resources] == ["module.a.module.b.aws_vpc.v"]


def test_data_sources_are_lookups_not_resources(tmp_path: Path) -> None:
    root = write_repo(tmp_path, {"main.tf": 'data "aws_ecr_repository" "r" {\n  name = "x"\n}\n'})
    model = build_repo_model(root, ParseCache(None), progress=False)
    assert model.terraform.resources == []
    assert [d.address for d in model.terraform.data] == ["data.aws_ecr_repository.r"]


def test_registry_module_inputs_override_defaults(tmp_path: Path) -> None:
    root = write_repo(
        tmp_path,
        {
            "main.tf": """\
        module "ecr" {
          source                          = "registry.terraform.io/terraform-aws-modules/ecr/aws"
          repository_image_tag_mutability = "MUTABLE"
        }
        module "unknown" {
          source = "acme/ecr/aws"
        }
        """
        },
    )
    model = build_repo_model(root, ParseCache(None), progress=False)
    (repo,) = model.terraform.of_type("aws_ecr_repository")
    assert repo.attrs["image_tag_mutability"] == "MUTABLE"
    assert repo.attrs["image_scanning_configuration"] == [{"scan_on_push": True}]
    assert repo.where("image_tag_mutability") == "main.tf:3"
    assert [m.source for m in model.terraform.modules] == [
        "registry.terraform.io/terraform-aws-modules/ecr/aws",
        "acme/ecr/aws",
    ]


def test_evaluate_literal() -> None:
    assert evaluate_literal('format("%.2f", 100)') == "100.00"
    assert evaluate_literal("tostring(80)") == "80"
    assert evaluate_literal('"IMMUTABLE"') == "IMMUTABLE"
    assert evaluate_literal("var.x") is UNKNOWN
    assert evaluate_literal('format("%s-%s", "a", aws_vpc.x.id)') is UNKNOWN


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=200))
def test_scan_and_parse_never_raise(text: str) -> None:
    scan_blocks(text)
    result = parse_terraform_text(text)
    assert set(result) == {"blocks", "error"}


def test_evaluate_conditionals_and_collections() -> None:
    assert evaluate_literal("true ? 1 : 0") == 1
    assert evaluate_literal('length(["a", "b"]) > 0 ? 1 : 0') == 1
    assert evaluate_literal("length([]) > 0 ? 1 : 0") == 0
    assert evaluate_literal('toset(["a", "a"])') == ["a"]
    assert evaluate_literal("var.flag ? 1 : 0") is UNKNOWN


def test_count_zero_and_empty_for_each_create_nothing(tmp_path: Path) -> None:
    root = write_repo(
        tmp_path,
        {
            "main.tf": """\
        variable "dashboard" {
          default = false
        }
        variable "names" {
          default = []
        }
        resource "aws_cloudwatch_dashboard" "d" {
          count = var.dashboard ? 1 : 0
        }
        resource "aws_secretsmanager_secret" "s" {
          for_each = toset(var.names)
        }
        resource "aws_vpc" "v" {
          count = length(var.names) > 0 ? 0 : 1
        }
        """
        },
    )
    model = build_repo_model(root, ParseCache(None), progress=False)
    assert [r.address for r in model.terraform.resources] == ["aws_vpc.v"]


def test_fast_parser_reads_what_hcl2_reads() -> None:
    import hcl2
    from hcl2.utils import SerializationOptions

    from infraplan.hcl.parse import _load

    from .check_support import FIXTURES

    options = SerializationOptions(
        with_comments=False, strip_string_quotes=True, preserve_heredocs=False
    )
    files = sorted(FIXTURES.rglob("*.tf"))
    assert len(files) >= 10
    for path in files:
        text = path.read_text(encoding="utf-8")
        if "<<<<<<<" in text:
            continue  # a conflict fixture: not HCL until resolved
        assert _load(text) == hcl2.loads(text, serialization_options=options), path
    assert _load(TRICKY) == hcl2.loads(TRICKY, serialization_options=options)


def test_model_keeps_variables_locals_outputs_and_backend(tmp_path: Path) -> None:
    root = write_repo(
        tmp_path,
        {
            "main.tf": TRICKY
            + """\
        variable "region" {
          default = "eu-west-1"
        }
        output "vpc_id" {
          value = aws_vpc.real.id
        }
        terraform {
          backend "s3" {
            bucket = "state"
          }
        }
        """.replace("        ", "")
        },
    )
    tf = build_repo_model(root, ParseCache(None), progress=False).terraform
    assert [b.labels for b in tf.blocks_of("variable")] == [("region",)]
    assert [b.labels for b in tf.blocks_of("output")] == [("vpc_id",)]
    assert tf.blocks_of("locals")[0].body["text"] == 'braces } { and ${upper("}")} inside'
    assert [(b.root, b.kind, b.body) for b in tf.backends] == [(".", "s3", {"bucket": "state"})]
    assert tf.blocks_of("output")[0].where() == "main.tf:29"


def test_crlf_files_keep_their_lines() -> None:
    lf = [(b.kind, b.labels, b.line, b.end, b.keys) for b in scan_blocks(TRICKY)]
    crlf = [
        (b.kind, b.labels, b.line, b.end, b.keys) for b in scan_blocks(TRICKY.replace("\n", "\r\n"))
    ]
    assert crlf == lf
    assert parse_terraform_text(TRICKY.replace("\n", "\r\n"))["error"] is None


def test_container_definitions_are_read_once_in_every_form() -> None:
    from infraplan.check.containers import container_definitions, parse_hcl_value

    hcl = (
        '${jsonencode([{name = "app", image = "${var.image}:${var.tag}", '
        'environment = [{name = "PORT", value = "8080"}], '
        'secrets = [{name = "DB", valueFrom = aws_secretsmanager_secret.db.arn}], '
        'healthCheck = {command = ["CMD-SHELL", "curl -f localhost || exit 1"]}}])}'
    )
    (app,) = container_definitions(hcl)
    assert (app.name, app.environment) == ("app", {"PORT": "8080"})
    assert app.secrets == {"DB": "${aws_secretsmanager_secret.db.arn}"}
    assert app.health_check is not None and app.health_check["command"][0] == "CMD-SHELL"
    (doc,) = container_definitions('[{"name": "w", "secrets": [{"name": "K", "valueFrom": "x"}]}]')
    assert doc.secrets == {"K": "x"}
    (module,) = container_definitions({"web": {"image": "i", "environment": []}})
    assert module.name == "web"
    assert container_definitions('${file("defs.json")}') == []
    assert parse_hcl_value('{a = [1, true, null, f(x, "y")], "b": "c"}') == {
        "a": [1, True, None, '${f(x, "y")}'],
        "b": "c",
    }
    assert parse_hcl_value("[1, 2") is None
