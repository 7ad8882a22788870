"""The Terraform of ``infraplan new``: rendered for a matrix of specs and checked
with the real tools (python-hcl2, terraform fmt, the AWS provider schema,
checkov).

Renders and the checkov run are shared by module-scoped fixtures: every spec's
tree is rendered once, and checkov scans all trees in a single run.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import hcl2
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from conftest import EXAMPLES
from infraplan.cost.estimate import budget_shares, estimate
from infraplan.package_data import package_data, templates_root
from infraplan.scaffold.context import template_context
from infraplan.scaffold.render import piece_defaults, render_piece
from infraplan.spec.model import Spec
from infraplan.spec.scaling import env_scaling
from terraform.references import check_refactorings, load_folder
from terraform.rendering import (
    BOOTSTRAP_FILES,
    BOOTSTRAP_PIECE,
    ENV_FILES,
    ENV_PIECE,
    MODULE_FILES,
    MODULES,
    MODULES_PIECE,
    hcl_files,
    hcl_value,
    inline_skips,
    load_hcl,
    locals_of,
    module_calls,
    render_terraform,
    spec_from,
    write_tree,
)
from terraform.schema import check_file, load_schema
from terraform.tools import CheckovResult, run_checkov, terraform_fmt_check

ADVERSARIAL_TITLE = (
    'Quote " and \\ backslash, ${var.secret} and %{ if true }x%{ endif }, '
    "{{ cookiecutter.project }} {% raw %} {# c #}, ${{ secrets.AWS_KEY }}\n"
    "second line\tand a tab, $${ and %%{"
)

EXAMPLE: dict[str, Any] = {
    "project": "checkout",
    "date": "2026-11-29",
    "ci": {"repository": "acme/checkout"},
    "secrets": ["DATABASE_URL"],
    "monitoring": {"notify_emails": ["ops@example.com"]},
}

CASES: dict[str, dict[str, Any]] = {
    # nat single, 2 AZs, two environments, a secret, an e-mail, a dashboard
    "example": EXAMPLE,
    "nat-none-3az-one-env-bare": {
        "project": "shop",
        "ci": {"repository": "acme/shop"},
        "network": {"nat": "none", "az_count": 3},
        "environments": [{"name": "dev"}],
        "monitoring": {"dashboard": False},
        "service": {"autoscaling": {"enabled": False}},
    },
    # per_az only where it is needed: 1 + 3 Elastic IPs fit the default quota of 5
    "per-az-3az-two-envs-full": {
        "project": "payments",
        "ci": {
            "repository": "acme/payments-api",
            "branch": "release/v1",
            "repository_owner_id": 1234567,
            "repository_id": 89012345,
        },
        "aws": {"region": "us-east-1", "account_id": "012345678901"},
        "network": {"cidr": "10.20.0.0/20", "nat": "per_az", "az_count": 3},
        "service": {
            "name": "api",
            "port": 9000,
            "health_check_path": "/status/ready",
            "cpu": 1024,
            "memory": 2048,
            "desired_count": 3,
            # HTTPS by name, the zone found by its name
            "domain": "api.example.com",
            "hosted_zone": "example.com",
            "autoscaling": {"cpu_target_percent": 60, "requests_per_target": 800},
        },
        "requirements": {"auto_rollback": False, "monthly_budget_usd": 250.5},
        "environments": [
            {
                "name": "staging",
                "nat": "single",
                "cpu": 512,
                "memory": 1024,
                "desired_count": 1,
                "ecs_exec": True,
            },
            # Spot with approval: one task on demand, the rest split with Spot
            {"name": "production", "approval": True, "spot": True, "max_count": 9},
        ],
        "monitoring": {
            "cpu_alarm_percent": 70,
            "http_5xx_alarm_count": 12,
            "dashboard": True,
            "notify_emails": ["ops@example.com", "oncall@example.org"],
            "memory_alarm_percent": 75,
            "notify_topic_arns": ["arn:aws:sns:us-east-1:012345678901:pager"],
            "slack": {"team_id": "T07EZ1ABC", "channel_id": "C07EZ1ABC23"},
        },
        "secrets": ["DATABASE_URL", "STRIPE_API_KEY"],
    },
    "per-az-2az-one-env-no-dashboard": {
        "project": "ledger",
        "ci": {"repository": "acme/ledger"},
        # HTTPS with a certificate made elsewhere, no name of its own
        "service": {
            "certificate_arn": "arn:aws:acm:eu-west-1:123456789012:certificate/"
            "0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d"
        },
        "network": {"nat": "per_az"},
        "environments": [{"name": "prod", "approval": True}],
        "monitoring": {"dashboard": False, "notify_emails": ["team@example.com"]},
    },
    # ECS blue/green: a second target group, listener rules, the load balancer role
    "blue-green": {
        "project": "orders",
        "ci": {"repository": "acme/orders"},
        "deploy": {"strategy": "blue_green", "bake_minutes": 15},
        "environments": [{"name": "staging"}, {"name": "production", "approval": True}],
        "monitoring": {"notify_emails": ["ops@example.com"]},
    },
    "adversarial": {
        "project": "weird-chars",
        "title": ADVERSARIAL_TITLE,
        "ci": {"repository": "acme/weird.chars"},
        "environments": [{"name": "dev"}],
        "secrets": ["A", "_B_2"],
        "monitoring": {"notify_emails": ['q"u${x}%{y}{{z}}@example.com']},
    },
}


# The realistic specs of examples/ (python-api, node-storefront, go-worker) go through every
# check of this module too: parse, fmt, the provider schema, references, checkov.
CASES.update(
    {
        f"examples-{path.parent.name}": json.loads(
            json.dumps(YAML(typ="safe").load(path.read_text("utf-8")), default=str)
        )
        for path in sorted(EXAMPLES.glob("*/plan.yaml"))
        if path.parent.name not in ("checkout", "minimal")  # already cases above
    }
)


@pytest.fixture(scope="module")
def specs() -> dict[str, Spec]:
    return {name: spec_from(data) for name, data in CASES.items()}


@pytest.fixture(scope="module")
def trees(specs: dict[str, Spec], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("terraform-trees")
    return {name: write_tree(render_terraform(spec), root / name) for name, spec in specs.items()}


# A tree checkov must fail: proves the checkov assertions below can fail.
KNOWN_BAD = """\
resource "aws_ecr_repository" "bad" {
  #checkov:skip=CKV_AWS_136
  name                 = "bad"
  image_tag_mutability = "MUTABLE"
}
"""


@pytest.fixture(scope="module")
def checkov_by_case(trees: dict[str, Path]) -> dict[str, list[CheckovResult]]:
    """One checkov run over every rendered tree (and the known-bad one)."""
    root = next(iter(trees.values())).parent
    bad = root / "known-bad"
    bad.mkdir(exist_ok=True)
    (bad / "main.tf").write_text(KNOWN_BAD, encoding="utf-8")
    results = run_checkov(root)
    by_case: dict[str, list[CheckovResult]] = {name: [] for name in [*trees, "known-bad"]}
    for result in results:
        case = result.file.lstrip("/").split("/")[0]
        assert case in by_case, f"checkov reported a file outside the trees: {result.file}"
        by_case[case].append(result)
    return by_case


def checkov_problems(results: list[CheckovResult]) -> list[str]:
    """Failed checks, and skips that give no reason."""
    problems = [f"failed: {r}" for r in results if r.status == "failed"]
    problems += [
        f"skipped without a reason: {r}"
        for r in results
        if r.status == "skipped" and (not r.comment.strip() or r.comment == "No comment provided")
    ]
    return sorted(set(problems))


def case_ids() -> list[str]:
    return list(CASES)


# --- the tree ----------------------------------------------------------------------


@pytest.mark.parametrize("case", case_ids())
def test_tree_holds_every_module_and_one_root_per_environment(
    case: str, specs: dict[str, Spec], trees: dict[str, Path]
) -> None:
    root = trees[case]
    expected = {f"infra/modules/{m}/{f}" for m in MODULES for f in MODULE_FILES}
    # blue/green resources, created only with deployment_strategy BLUE_GREEN
    expected |= {f"infra/modules/{m}/blue_green.tf" for m in ("ecs", "monitoring")}
    expected |= {"infra/modules/stack/https.tf"}
    if specs[case].service.domain:  # the domain module only where the plan names the service
        expected |= {f"infra/modules/domain/{f}" for f in MODULE_FILES}
    expected |= {f"infra/envs/{e.name}/{f}" for e in specs[case].environments for f in ENV_FILES}
    expected |= {f"infra/bootstrap/{f}" for f in BOOTSTRAP_FILES}
    actual = {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}
    assert sorted(expected - actual) == [], "missing files"
    assert sorted(actual - expected) == [], "unexpected files"


@pytest.mark.parametrize("case", case_ids())
def test_every_tf_and_tfvars_parses_with_python_hcl2(
    case: str, specs: dict[str, Spec], trees: dict[str, Path]
) -> None:
    files = hcl_files(trees[case])
    env_hcl = [f for f in ENV_FILES if f.endswith((".tf", ".tfvars"))]
    expected = len(MODULES) * 4 + len(CASES[case].get("environments", [1, 2])) * len(env_hcl)
    expected += 2  # ecs/blue_green.tf, monitoring/blue_green.tf
    expected += len(BOOTSTRAP_FILES) + 1  # and the stack's https.tf
    expected += 4 if specs[case].service.domain else 0
    assert len(files) == expected
    for path in files:
        try:
            hcl2.loads(path.read_text(encoding="utf-8"))
        except Exception as exc:  # the parser raises several types
            pytest.fail(f"{path.relative_to(trees[case])} does not parse: {exc}")


# --- terraform fmt -----------------------------------------------------------------


@pytest.mark.parametrize("case", case_ids())
def test_terraform_fmt_is_clean(case: str, trees: dict[str, Path]) -> None:
    result = terraform_fmt_check(trees[case])
    assert result.unformatted == [], f"terraform fmt would change:\n{result.diff}"
    assert result.retcode == 0


def test_terraform_fmt_check_catches_an_unformatted_file(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "ok.tf").write_text('locals {\n  a = "x"\n}\n', encoding="utf-8")
    (tmp_path / "sub" / "bad.tf").write_text(
        'locals {\n  a = "x"\n  bbb = "y"\n}\n', encoding="utf-8"
    )
    result = terraform_fmt_check(tmp_path)
    assert result.retcode != 0
    assert result.unformatted == ["sub/bad.tf"]
    assert '+  a   = "x"' in result.diff
    assert (tmp_path / "sub" / "bad.tf").read_text(encoding="utf-8").count("a = ") == 1, "fmt wrote"


# --- the AWS provider schema --------------------------------------------------------


@pytest.mark.parametrize("case", case_ids())
def test_every_resource_matches_the_aws_provider_schema(case: str, trees: dict[str, Path]) -> None:
    root = trees[case]
    problems: list[str] = []
    blocks = 0
    for path in root.rglob("*.tf"):
        text = path.read_text(encoding="utf-8")
        blocks += text.count("\nresource ") + text.count("\ndata ")
        problems += check_file(text, path.relative_to(root).as_posix())
    assert blocks > 40
    assert problems == []


def test_schema_walk_reports_unknown_computed_and_missing_arguments() -> None:
    bad = """\
resource "aws_ecs_service" "s" {
  cluster = "c"
  bogus   = 1
  arn     = "x"

  deployment_circuit_breaker {
    enable = true
  }

  load_balancer {
    target_group_arn = "t"
    nope             = 2
  }

  lifecycle {
    ignore_changes = [task_definitions]
  }
}

data "aws_region" "r" {
  wrong = 1
}

resource "aws_not_a_thing" "x" {}
"""
    problems = check_file(bad, "bad.tf")
    for expected in (
        "argument 'bogus' does not exist",
        "argument 'arn' is computed only",
        "required argument 'name' is missing",
        "deployment_circuit_breaker: required argument 'rollback' is missing",
        "load_balancer: argument 'nope' does not exist",
        "ignore_changes names unknown 'task_definitions'",
        "data.aws_region.r: argument 'wrong' does not exist",
        "aws_not_a_thing is not in the schema",
    ):
        assert any(expected in p for p in problems), (expected, problems)


def test_schema_covers_every_type_the_templates_use() -> None:
    schema = load_schema()
    assert schema["provider"] == "registry.terraform.io/hashicorp/aws"
    used: set[tuple[str, str]] = set()
    for piece in (MODULES_PIECE, ENV_PIECE, BOOTSTRAP_PIECE):
        for path in (templates_root() / piece).rglob("*.tf"):
            for line in path.read_text(encoding="utf-8").splitlines():
                words = line.split('"')
                if line.startswith(("resource ", "data ")) and len(words) > 2:
                    used.add((line.split()[0], words[1]))
    resources = {t for k, t in used if k == "resource"}
    data = {t for k, t in used if k == "data"}
    assert resources == set(schema["resources"]), "run scripts/refresh_provider_schema.py"
    assert data == set(schema["data_sources"]), "run scripts/refresh_provider_schema.py"


@pytest.mark.parametrize("case", case_ids())
def test_every_moved_removed_and_import_block_resolves(case: str, trees: dict[str, Path]) -> None:
    """References, module calls and arguments go through the real ``terraform validate``
    (tests/terraform/test_validate.py); the addresses of refactoring blocks are left to
    ``plan`` by validate, so they are checked here."""
    root = trees[case]
    folders = sorted({p.parent for p in root.rglob("*.tf")})
    # the modules (the domain module with a domain), one root per environment, the bootstrap
    domain = 1 if CASES[case].get("service", {}).get("domain") else 0
    assert len(folders) == len(MODULES) + domain + len(CASES[case].get("environments", [1, 2])) + 1
    problems: list[str] = []
    for folder in folders:
        problems += check_refactorings(load_folder(folder), root)
    assert problems == []


def test_refactoring_check_reports_what_terraform_plan_would(tmp_path: Path) -> None:
    module = tmp_path / "modules" / "m"
    module.mkdir(parents=True)
    (module / "main.tf").write_text(
        'resource "aws_ecr_repository" "r" {\n  name = "r"\n}\n', encoding="utf-8"
    )
    env = tmp_path / "env"
    env.mkdir()
    (env / "main.tf").write_text(
        'module "m" {\n  source = "../modules/m"\n}\n\n'
        'resource "aws_ecr_repository" "y" {\n  name = "y"\n}\n\n'
        "moved {\n  from = aws_ecr_repository.y\n  to   = module.m.aws_ecr_repository.nope\n}\n\n"
        "moved {\n  from = aws_ecr_repository.old\n  to   = module.m.aws_ecr_repository.r\n}\n\n"
        "removed {\n  from = aws_ecr_repository.y\n  lifecycle {\n    destroy = false\n  }\n}\n\n"
        'import {\n  to = aws_ecr_repository.z\n  id = "z"\n}\n',
        encoding="utf-8",
    )
    problems = check_refactorings(load_folder(env), tmp_path)
    # the move of aws_ecr_repository.old into the module's resource is what Terraform accepts
    assert sorted(problems) == sorted(
        [
            "env: moved from 'aws_ecr_repository.y', which the configuration still has",
            "env: moved to 'module.m.aws_ecr_repository.nope', which does not resolve",
            "env: removed from 'aws_ecr_repository.y', which the configuration still has",
            "env: import to 'aws_ecr_repository.z', which does not resolve",
        ]
    )


# --- checkov -----------------------------------------------------------------------


@pytest.mark.parametrize("case", case_ids())
def test_checkov_reports_no_failure_and_no_unexplained_skip(
    case: str, checkov_by_case: dict[str, list[CheckovResult]]
) -> None:
    results = checkov_by_case[case]
    assert len([r for r in results if r.status == "passed"]) > 100, "checkov ran few checks"
    assert checkov_problems(results) == []


def test_checkov_assertion_fails_on_a_known_bad_tree(
    checkov_by_case: dict[str, list[CheckovResult]],
) -> None:
    problems = checkov_problems(checkov_by_case["known-bad"])
    assert any("failed: CKV_AWS_51 " in p for p in problems), problems  # mutable tags
    assert any("failed: CKV_AWS_163 " in p for p in problems), problems  # no scan on push
    assert any("skipped without a reason: CKV_AWS_136 " in p for p in problems), problems


def test_checkov_skips_file_lists_exactly_the_inline_skips() -> None:
    data = json.loads(package_data("checkov_skips.json").read_text(encoding="utf-8"))
    key = lambda s: (s["file"], s["resource"], s["id"])  # noqa: E731
    assert sorted(data, key=key) == sorted(inline_skips(), key=key)


def test_every_inline_skip_is_justified_and_few() -> None:
    skips = inline_skips()
    # 4 of them are one decision: the permissions boundary is a ceiling, not a grant
    assert 0 < len(skips) <= 19, "keep checkov skips few"
    for skip in skips:
        assert skip["resource"], f"skip outside a resource: {skip}"
        assert len(skip["reason"]) >= 20, f"skip without a real reason: {skip}"
    assert len({(s["resource"], s["id"]) for s in skips}) == len(skips), "duplicate skip"


def test_every_inline_skip_is_honoured_by_checkov(
    checkov_by_case: dict[str, list[CheckovResult]],
) -> None:
    skipped = {
        (r.resource, r.check_id, r.comment)
        for name, results in checkov_by_case.items()
        if name != "known-bad"
        for r in results
        if r.status == "skipped"
    }
    for skip in (s for s in inline_skips() if s["file"].endswith(".tf")):
        # checkov names a data source without the "data." of its Terraform address
        resource = re.sub(r"(^|\.)data\.", r"\1", skip["resource"])
        assert (resource, skip["id"], skip["reason"]) in skipped, f"checkov ignored {skip}"


# --- what the roots say ------------------------------------------------------------


NAME_ARGUMENTS = {
    ("ecs", "cluster_name"): "cluster",
    ("ecs", "service_name"): "service",
    ("ecs", "task_family"): "task_family",
    ("ecs", "container_name"): "container",
    ("ecs", "log_group_name"): "log_group",
    ("ecs", "load_balancer_name"): "load_balancer",
    ("ecs", "target_group_name"): "target_group",
    ("ecs", "execution_role_name"): "execution_role",
    ("ecs", "task_role_name"): "task_role",
    ("ecr", "repository_name"): "ecr_repository",
    ("monitoring", "cpu_alarm_name"): "alarm_cpu",
    ("monitoring", "http_5xx_alarm_name"): "alarm_5xx",
    ("monitoring", "sns_topic_name"): "sns_topic",
    ("monitoring", "dashboard_name"): "dashboard",
    ("budget", "budget_name"): "budget",
    ("ci_oidc", "role_name"): "deploy_role",
    ("secrets", "name_prefix"): "secret_prefix",
    ("network", "name"): "stack",
}


def stack_call(tree: Path, env: str) -> dict[str, Any]:
    """The one module call of an environment root, its values decoded."""
    calls = module_calls(load_hcl(tree / "infra" / "envs" / env / "main.tf"))
    assert list(calls) == ["stack"], "an environment root calls the stack module, once"
    return {k: hcl_value(v) for k, v in calls["stack"].items() if not k.startswith("__")}


@pytest.mark.parametrize("case", case_ids())
def test_aws_names_come_from_the_naming_module(
    case: str, specs: dict[str, Spec], trees: dict[str, Path]
) -> None:
    spec = specs[case]
    stack_main = load_hcl(trees[case] / "infra" / "modules" / "stack" / "main.tf")
    calls = module_calls(stack_main)
    for (module, argument), name in NAME_ARGUMENTS.items():
        assert calls[module][argument] == f"${{var.names.{name}}}", (module, argument)
    for env in spec.environments:
        context = template_context(spec, env.name)
        names = context["_env"]
        root = trees[case] / "infra" / "envs" / env.name
        declared = {k: hcl_value(v) for k, v in stack_call(trees[case], env.name)["names"].items()}
        expected = {
            k: v for k, v in names.items() if k not in {"env", "state_key", "terraform_apply_role"}
        }
        assert declared == expected
        backend = load_hcl(root / "backend.tf")["terraform"][0]["backend"][0]['"s3"']
        if spec.aws.account_id:
            assert hcl_value(backend["bucket"]) == context["state_bucket"]
            assert spec.aws.account_id in context["state_bucket"]
        else:
            # partial configuration: the bucket name needs the account id, given at init
            assert "bucket" not in backend
            assert f'-backend-config="bucket={context["state_bucket"]}"' in (
                root / "backend.tf"
            ).read_text(encoding="utf-8")
        assert hcl_value(backend["key"]) == names["state_key"]
        assert hcl_value(backend["region"]) == spec.aws.region
        assert backend["use_lockfile"] is True and backend["encrypt"] is True


@pytest.mark.parametrize("case", case_ids())
def test_the_stack_call_carries_each_environments_values(
    case: str, specs: dict[str, Spec], trees: dict[str, Path]
) -> None:
    spec = specs[case]
    context = template_context(spec)
    shares = budget_shares(estimate(spec))
    for env in spec.environments:
        size = spec.sizing(env.name)
        values = stack_call(trees[case], env.name)
        values.pop("names")
        assert values == {
            "source": "../../modules/stack",
            "vpc_cidr": spec.network.cidr,
            "public_subnet_cidrs": context["_public_subnets"],
            "private_subnet_cidrs": context["_private_subnets"],
            "nat_mode": size.nat,
            "egress": [
                {"port": r.port, "cidr": r.cidr, "description": r.description}
                for r in spec.network.egress
            ],
            "container_port": spec.service.port,
            "health_check_path": spec.service.health_check_path,
            "health_check_command": context["_health_command"],
            "cpu": size.cpu,
            "memory": size.memory,
            "auto_rollback": spec.requirements.auto_rollback,
            **(
                {"deployment_strategy": "BLUE_GREEN", "bake_time_minutes": spec.deploy.bake_minutes}
                if spec.deploy.strategy == "blue_green"
                else {"deployment_strategy": "ROLLING"}
            ),
            "autoscaling": _scaling_values(spec, env.name),
            "ecs_exec": env.ecs_exec,
            "fargate_spot": env.spot,
            "on_demand_base": 1 if env.spot and env.approval else 0,
            "secret_names": list(spec.secrets),
            "cpu_alarm_percent": spec.monitoring.cpu_alarm_percent,
            "http_5xx_alarm_count": spec.monitoring.http_5xx_alarm_count,
            "memory_alarm_percent": spec.monitoring.memory_alarm_percent,
            "lb_5xx_alarm_count": spec.monitoring.lb_5xx_alarm_count,
            "unhealthy_targets_alarm_count": spec.monitoring.unhealthy_targets_alarm_count,
            "desired_count": size.desired_count,
            "dashboard": spec.monitoring.dashboard,
            "notify_emails": list(spec.monitoring.notify_emails),
            "notify_topic_arns": list(spec.monitoring.notify_topic_arns),
            **(
                {"slack_channel": spec.monitoring.slack.model_dump()}
                if spec.monitoring.slack
                else {}
            ),
            "monthly_budget_usd": shares[env.name],
            "github_subject": f"{spec.ci.subject_prefix()}:environment:{env.name}",
            **_https_values(spec, env.name),
            "certificate_arn": "${var.certificate_arn}",
            "deletion_protection": "${var.deletion_protection}",
            "log_retention_days": "${var.log_retention_days}",
            "budget_cost_filter_tag": "${var.budget_cost_filter_tag}",
        }
        assert len(values["public_subnet_cidrs"]) == spec.network.az_count
        declared = load_folder(trees[case] / "infra" / "modules" / "stack").variables
        assert set(values) - {"source"} <= set(declared), "the root sets an undeclared variable"
        required = {v for v, has_default in declared.items() if not has_default}
        assert required <= set(values) | {"names"}


def _https_values(spec: Spec, env: str) -> dict[str, str]:
    """The environment's name and the hosted zone, by id or by name, as the spec gives it."""
    zone = spec.service.hosted_zone
    if zone is None:
        return {}
    key = "hosted_zone_id" if zone.startswith("Z") else "hosted_zone_name"
    return {"domain": spec.domain(env) or "", key: zone}


def _deploy_workflow(spec: Spec) -> str:
    from infraplan.scaffold.repo import build_starter_repo

    files = build_starter_repo(spec, spec.model_dump_json()).by_path()
    return files[".github/workflows/deploy.yml"].decode("utf-8")


def _scaling_values(spec: Spec, env: str) -> dict[str, Any] | None:
    scaling = env_scaling(spec, env)
    if scaling is None:
        return None
    values = dict(vars(scaling))
    values.pop("desired_count")  # the stack's own desired_count
    return values


def test_autoscaling_reaches_each_environment_and_the_deploy_job(
    specs: dict[str, Spec], trees: dict[str, Path]
) -> None:
    tree = trees["per-az-3az-two-envs-full"]
    staging, production = stack_call(tree, "staging"), stack_call(tree, "production")
    assert (staging["autoscaling"]["min_count"], staging["autoscaling"]["max_count"]) == (1, 2)
    assert (production["autoscaling"]["min_count"], production["autoscaling"]["max_count"]) == (
        3,
        9,
    )
    assert production["autoscaling"]["requests_per_target"] == 800
    deploy = _deploy_workflow(specs["per-az-3az-two-envs-full"])
    assert "--min-capacity 1\n" in deploy and "--min-capacity 3\n" in deploy
    assert "desired-count: ${{ steps.count.outputs.desired }}" in deploy
    # without autoscaling: no scalable target, and the deploy sets the fixed count
    bare = trees["nat-none-3az-one-env-bare"]
    assert stack_call(bare, "dev")["autoscaling"] is None
    bare_deploy = _deploy_workflow(specs["nat-none-3az-one-env-bare"])
    assert "register-scalable-target" not in bare_deploy
    assert "desired-count: 2\n" in bare_deploy


def test_each_environment_sizes_itself(trees: dict[str, Path]) -> None:
    tree = trees["per-az-3az-two-envs-full"]
    staging, production = stack_call(tree, "staging"), stack_call(tree, "production")
    assert (staging["nat_mode"], staging["cpu"], staging["memory"]) == ("single", 512, 1024)
    assert (production["nat_mode"], production["cpu"], production["memory"]) == (
        "per_az",
        1024,
        2048,
    )


@pytest.mark.parametrize("case", case_ids())
def test_deploy_role_trusts_only_its_environment(
    case: str, specs: dict[str, Spec], trees: dict[str, Path]
) -> None:
    spec = specs[case]
    owner, name = spec.ci.repository.split("/")
    for env in spec.environments:
        subject = stack_call(trees[case], env.name)["github_subject"]
        if spec.ci.immutable_subject:
            ids = (spec.ci.repository_owner_id, spec.ci.repository_id)
            assert subject == f"repo:{owner}@{ids[0]}/{name}@{ids[1]}:environment:{env.name}"
        else:
            assert subject == f"repo:{owner}/{name}:environment:{env.name}"
        assert "*" not in subject and "?" not in subject
    stack_main = load_hcl(trees[case] / "infra" / "modules" / "stack" / "main.tf")
    assert module_calls(stack_main)["ci_oidc"]["github_subject"] == "${var.github_subject}"


@pytest.mark.parametrize("case", case_ids())
def test_every_root_moves_the_earlier_layout_into_the_stack_module(
    case: str, specs: dict[str, Spec], trees: dict[str, Path]
) -> None:
    # autoscaling came after the stack module: nothing of it to move
    before = {"aws_kms_key.stack", "aws_kms_alias.stack"} | {
        f"module.{m}" for m in MODULES if m not in ("stack", "autoscaling")
    }
    for env in specs[case].environments:
        doc = load_hcl(trees[case] / "infra" / "envs" / env.name / "moved.tf")
        moves = {
            str(hcl_value(b["from"])).strip("${}"): str(hcl_value(b["to"])).strip("${}")
            for b in doc["moved"]
        }
        assert set(moves) == before
        for source, target in moves.items():
            assert target == f"module.stack.{source}"


def test_the_title_is_an_hcl_literal_and_nothing_else(trees: dict[str, Path]) -> None:
    main_tf = trees["adversarial"] / "infra" / "envs" / "dev" / "main.tf"
    raw = locals_of(load_hcl(main_tf))["title"]
    assert hcl_value(raw) == ADVERSARIAL_TITLE
    assert "${" not in raw and "%{" not in raw, "an interpolation sigil survived"
    # the title is on one line: nothing of it leaks into the HCL around it
    title_lines = [
        line for line in main_tf.read_text(encoding="utf-8").splitlines() if "second line" in line
    ]
    assert len(title_lines) == 1 and title_lines[0].startswith("  title = ")
    emails = stack_call(trees["adversarial"], "dev")["notify_emails"]
    assert emails == CASES["adversarial"]["monitoring"]["notify_emails"]


# --- the modules -------------------------------------------------------------------


def test_module_variables_are_typed_described_and_validated(trees: dict[str, Path]) -> None:
    for module in MODULES:
        doc = load_hcl(trees["example"] / "infra" / "modules" / module / "variables.tf")
        variables = [(name, body) for block in doc["variable"] for name, body in block.items()]
        assert variables, module
        for name, body in variables:
            assert "type" in body, f"{module}.{name} has no type"
            assert hcl_value(body.get("description", '""')), f"{module}.{name} has no description"
        assert any("validation" in body for _, body in variables), f"{module} validates nothing"


def test_modules_take_every_value_from_the_root(trees: dict[str, Path]) -> None:
    """Modules are generic: no project, environment or spec value is written in them."""
    modules_dir = trees["per-az-3az-two-envs-full"] / "infra" / "modules"
    text = "\n".join(p.read_text(encoding="utf-8") for p in modules_dir.rglob("*.tf"))
    text = text.replace("production_listener_rule", "")  # the provider's argument name
    for value in ("payments", "staging", "production", "us-east-1", "012345678901", "release/v1"):
        assert value not in text, value


def test_ecs_service_rolls_back_and_leaves_the_revision_to_ci(trees: dict[str, Path]) -> None:
    main = load_hcl(trees["example"] / "infra" / "modules" / "ecs" / "main.tf")
    services = [b for e in main["resource"] for t, b in e.items() if t == '"aws_ecs_service"']
    service = services[0]['"this"']
    assert service["deployment_circuit_breaker"][0]["enable"] is True
    assert service["deployment_circuit_breaker"][0]["rollback"] == "${var.auto_rollback}"
    # CI owns the revision and the running count; Terraform starts the service at zero
    # tasks, since no image exists before the first deploy
    assert service["lifecycle"][0]["ignore_changes"] == ["task_definition", "desired_count"]
    assert service["desired_count"] == 0
    # on demand: launch type FARGATE; on Spot a capacity provider strategy instead (the
    # two conflict; tests/test_fargate_spot.py evaluates both with terraform)
    assert service["launch_type"] == '${var.fargate_spot ? null : "FARGATE"}'


# --- plain cookiecutter -------------------------------------------------------------


@pytest.mark.parametrize("piece", [MODULES_PIECE, ENV_PIECE, BOOTSTRAP_PIECE])
def test_plain_cookiecutter_renders_what_infraplan_renders_for_the_example(
    piece: str, tmp_path: Path
) -> None:
    """``cookiecutter --no-input`` with the template's own defaults gives the example's files."""
    out = tmp_path / "out"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "cookiecutter",
            "--no-input",
            "--default-config",
            str(templates_root() / piece),
            "-o",
            str(out),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
        env={**os.environ, "HOME": str(tmp_path / "home")},  # its replay file goes there
    )
    assert proc.returncode == 0, proc.stderr
    project = out / "checkout"
    # A file that renders to whitespace is not part of the repo (infraplan drops it; plain
    # cookiecutter writes it empty): the example has no domain, so no domain module.
    standalone = {
        p.relative_to(project).as_posix(): p.read_bytes()
        for p in sorted(project.rglob("*"))
        if p.is_file() and p.read_bytes().strip()
    }
    blank = {p.relative_to(project).as_posix() for p in project.rglob("*") if p.is_file()}
    assert {path for path in blank - set(standalone) if "/domain/" not in path} == set()
    spec = spec_from(EXAMPLE)
    expected = {f.path: f.content for f in render_piece(piece, template_context(spec))}
    assert sorted(standalone) == sorted(expected)
    for path, content in expected.items():
        assert standalone[path] == content, path


@pytest.mark.parametrize("piece", [MODULES_PIECE, ENV_PIECE, BOOTSTRAP_PIECE])
def test_cookiecutter_json_defaults_are_the_example_context(piece: str) -> None:
    defaults = piece_defaults(piece)
    assert defaults["_extensions"] == ["infraplan.escape.EscapeExtension"]
    context = template_context(spec_from(EXAMPLE))
    keys = [
        k for k in defaults if k not in {"_extensions", "_copy_without_render", "_jinja2_env_vars"}
    ]
    assert keys, piece
    for key in keys:
        assert key in context, f"{piece}: {key} is not a context key"
        assert defaults[key] == context[key], key
    # every key the templates read is listed
    project = templates_root() / piece / "{{cookiecutter.project}}"
    sources = "\n".join(
        [str(p.relative_to(project)) for p in project.rglob("*")]
        + [p.read_text(encoding="utf-8") for p in project.rglob("*") if p.is_file()]
    )
    used = set(re.findall(r"cookiecutter\.(_?[a-z0-9_]+)", sources))
    assert used <= set(defaults), sorted(used - set(defaults))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=st.text(min_size=1, max_size=80))
def test_any_title_stays_one_hcl_string(title: str) -> None:
    """Whatever a person types as the title, the root parses and holds exactly that text."""
    spec = spec_from(EXAMPLE).model_copy(update={"title": title})
    files = {f.path: f for f in render_piece(ENV_PIECE, template_context(spec))}
    main_tf = files["infra/envs/staging/main.tf"].content.decode("utf-8")
    raw = locals_of(hcl2.loads(main_tf))["title"]
    assert hcl_value(raw) == title
    assert "${" not in raw and "%{" not in raw
    call = module_calls(hcl2.loads(main_tf))["stack"]
    assert call["names"]["cluster"] == '"checkout-staging"'


# Actions AWS does not scope to a resource: the only ones allowed on "*".
UNSCOPED_ACTIONS = {
    "ecr:GetAuthorizationToken",
    "ecs:DescribeTaskDefinition",
    "ecs:ListTaskDefinitions",
    "ecs:RegisterTaskDefinition",
    "elasticloadbalancing:DescribeLoadBalancers",
}


def test_deploy_role_is_least_privilege(trees: dict[str, Path]) -> None:
    doc = load_hcl(trees["example"] / "infra" / "modules" / "ci_oidc" / "main.tf")
    documents = {
        name.strip('"'): body
        for entry in doc["data"]
        for type_, named in entry.items()
        if type_ == '"aws_iam_policy_document"'
        for name, body in named.items()
    }
    statements = list(documents["deploy"]["statement"])
    for dynamic in documents["deploy"].get("dynamic", []):
        statements += dynamic['"statement"']["content"]
    actions_by_resource: dict[str, set[str]] = {}
    for statement in statements:
        actions = {str(hcl_value(a)) for a in statement["actions"]}
        assert not any("*" in a for a in actions), f"wildcard action in {actions}"
        resources = statement["resources"]
        for resource in resources if isinstance(resources, list) else [resources]:
            actions_by_resource.setdefault(str(hcl_value(resource)), set()).update(actions)
    assert actions_by_resource.pop("*") <= UNSCOPED_ACTIONS
    assert actions_by_resource.pop("${var.ecs_service_arn}") == {
        "ecs:DescribeServices",
        "ecs:UpdateService",
    }
    assert "ecr:PutImage" in actions_by_resource.pop("${var.ecr_repository_arn}")
    # a blue/green deploy follows its own service's deployments only
    assert actions_by_resource.pop("${local.service_deployments_arn}") == {
        "ecs:DescribeServiceDeployments"
    }
    assert actions_by_resource.pop("${var.pass_role_arns}") == {"iam:PassRole"}
    # with autoscaling: the minimum of its own service's scalable target only
    assert actions_by_resource.pop("${var.scalable_target_arns}") == {
        "application-autoscaling:RegisterScalableTarget"
    }
    assert actions_by_resource == {}
    # trusted: exactly one subject, compared for equality (no wildcard can match)
    trust = documents["trust"]["statement"][0]
    conditions = {hcl_value(c["variable"]): c for c in trust["condition"]}
    assert hcl_value(conditions["${local.oidc_host}:sub"]["test"]) == "StringEquals"
    assert conditions["${local.oidc_host}:sub"]["values"] == ["${var.github_subject}"]
    assert hcl_value(conditions["${local.oidc_host}:aud"]["values"]) == ["sts.amazonaws.com"]


@pytest.mark.parametrize("case", case_ids())
def test_each_budget_is_its_environments_share_counting_only_its_stack(
    case: str, specs: dict[str, Spec], trees: dict[str, Path]
) -> None:
    """Issue 10, item 7: each environment's budget is its share of R4 (the shares add up
    to R4) and counts only the stack's cost allocation tag, never the whole account."""
    spec = specs[case]
    r4 = float(spec.requirements.monthly_budget_usd)
    limits = {
        e.name: stack_call(trees[case], e.name)["monthly_budget_usd"] for e in spec.environments
    }
    assert round(sum(limits.values()), 2) == round(r4, 2)
    if len(limits) > 1:
        assert all(v < r4 for v in limits.values())
    budget = module_calls(load_hcl(trees[case] / "infra" / "modules" / "stack" / "main.tf"))[
        "budget"
    ]
    assert budget["monthly_limit_usd"] == "${var.monthly_budget_usd}"
    assert budget["cost_filter_tag"] == "${var.budget_cost_filter_tag}"
    assert budget["notify_topic_arns"] == "${var.notify_topic_arns}"
    for env in spec.environments:
        assert stack_call(trees[case], env.name)["budget_cost_filter_tag"] == (
            "${var.budget_cost_filter_tag}"
        )
        declared = load_hcl(trees[case] / "infra" / "envs" / env.name / "variables.tf")
        tag = next(
            v['"budget_cost_filter_tag"']
            for v in declared["variable"]
            if '"budget_cost_filter_tag"' in v
        )
        stack = template_context(spec, env.name)["_env"]["stack"]
        assert hcl_value(tag["default"]) == {"key": "Stack", "value": stack}


@pytest.mark.parametrize("case", case_ids())
def test_ecs_runs_the_containers_health_check_from_the_task_definition(
    case: str, specs: dict[str, Spec], trees: dict[str, Path]
) -> None:
    """Issue 10, item 1: ECS ignores a Dockerfile HEALTHCHECK; the task definition's
    healthCheck probes the spec's health path on its port, with a start period (the
    Dockerfile runs the same command: test_docker_templates). The target group still
    checks, 2xx only."""
    spec = specs[case]
    url = f"http://127.0.0.1:{spec.service.port}{spec.service.health_check_path}"
    expected = template_context(spec)["_health_command"]
    assert any(url in part for part in expected)
    for env in spec.environments:
        assert stack_call(trees[case], env.name)["health_check_command"] == expected
    stack = module_calls(load_hcl(trees[case] / "infra" / "modules" / "stack" / "main.tf"))
    assert stack["ecs"]["health_check_command"] == "${var.health_check_command}"
    ecs = load_hcl(trees[case] / "infra" / "modules" / "ecs" / "main.tf")
    resources = {k: v for r in ecs["resource"] for k, v in r.items()}
    definitions = resources['"aws_ecs_task_definition"']['"this"']["container_definitions"]
    assert (
        'healthCheck = {command = concat(["CMD"], var.health_check_command), interval = 30, '
        "timeout = 5, retries = 3, startPeriod = var.health_check_start_period_seconds}"
    ) in definitions
    check = resources['"aws_lb_target_group"']['"this"']["health_check"][0]
    assert check["path"] == "${var.health_check_path}" and check["matcher"] == '"200-299"'


@pytest.mark.parametrize("case", case_ids())
def test_ecs_exec_is_enabled_with_its_permissions_only_where_the_spec_allows_it(
    case: str, specs: dict[str, Spec], trees: dict[str, Path]
) -> None:
    """Issue 10, item 8: environments[].ecs_exec (default off) reaches the stack call; the
    ecs module enables execute-command on the service, the cluster's exec configuration and
    the task role's ssmmessages permissions all from that one switch, none otherwise."""
    spec = specs[case]
    for env in spec.environments:
        assert stack_call(trees[case], env.name)["ecs_exec"] is env.ecs_exec
    stack = module_calls(load_hcl(trees[case] / "infra" / "modules" / "stack" / "main.tf"))
    assert stack["ecs"]["ecs_exec"] == "${var.ecs_exec}"
    ecs = load_hcl(trees[case] / "infra" / "modules" / "ecs" / "main.tf")
    resources = {k: v for r in ecs["resource"] for k, v in r.items()}
    data = {k: v for r in ecs["data"] for k, v in r.items()}
    service = resources['"aws_ecs_service"']['"this"']
    assert service["enable_execute_command"] == "${var.ecs_exec}"
    cluster = resources['"aws_ecs_cluster"']['"this"']
    assert "configuration" not in cluster  # only the dynamic block, off without ecs_exec
    (dynamic,) = cluster["dynamic"]
    assert dynamic['"configuration"']["for_each"] == "${var.ecs_exec ? [1] : []}"
    policy = resources['"aws_iam_role_policy"']['"ecs_exec"']
    assert policy["count"] == "${var.ecs_exec ? 1 : 0}"
    assert policy["role"] == "${aws_iam_role.task.id}"
    document = data['"aws_iam_policy_document"']['"ecs_exec"']
    assert document["count"] == "${var.ecs_exec ? 1 : 0}"
    actions = {hcl_value(a) for statement in document["statement"] for a in statement["actions"]}
    assert {
        "ssmmessages:CreateControlChannel",
        "ssmmessages:CreateDataChannel",
        "ssmmessages:OpenControlChannel",
        "ssmmessages:OpenDataChannel",
    } <= actions
    # no other inline policy gives the task role anything
    assert list(resources['"aws_iam_role_policy"']) == ['"ecs_exec"']
