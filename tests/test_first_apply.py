"""The generated repo on a real account and a new GitHub repository: who can assume
which role, the deploy timeout order, and checkov over all three of its frameworks."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any

import pytest

from infraplan.plan.risks import identity_risks
from infraplan.scaffold.repo import build_starter_repo
from infraplan.spec.load import parse_spec
from infraplan.spec.model import Spec
from infraplan.spec.naming import env_names, terraform_plan_role
from terraform.rendering import inline_skips, write_tree
from terraform.tools import CheckovResult, run_checkov
from tools.expressions import evaluate
from tools.identity import Job, Role, allowed_without, jobs, matrix, policy, roles, subject_prefix
from tools.rendering import load_workflow

SPECS: dict[str, dict[str, Any]] = {
    "example-new-repository": {
        "project": "checkout",
        "ci": {"repository": "acme/checkout", "repository_owner_id": 42, "repository_id": 4242},
        "aws": {"account_id": "123456789012"},
        "secrets": ["DATABASE_URL"],
    },
    "nat-none-name-form": {
        "project": "shop",
        "ci": {"repository": "acme/shop", "branch": "trunk"},
        "network": {"nat": "none"},
    },
    "three-envs": {
        "project": "pay",
        "ci": {"repository": "acme/pay", "repository_owner_id": 7, "repository_id": 70},
        "network": {"nat": "per_az", "az_count": 3},
        "environments": [
            {"name": "dev", "nat": "none", "desired_count": 1},
            {"name": "staging", "nat": "single"},
            {"name": "production", "approval": True, "nat": "single"},
        ],
        "service": {
            "runtime": "generic",
            "domain": "pay.example.com",
            "hosted_zone": "example.com",
        },
    },
}


def _spec(data: dict[str, Any]) -> tuple[Spec, str]:
    text = json.dumps({"date": "2026-11-29", **data})
    return parse_spec(text), text


@pytest.fixture(scope="module")
def repos() -> dict[str, tuple[Spec, dict[str, str]]]:
    out: dict[str, tuple[Spec, dict[str, str]]] = {}
    for case, data in SPECS.items():
        spec, text = _spec(data)
        files = {
            f.path: f.content.decode("utf-8") for f in build_starter_repo(spec, text).repo_files()
        }
        out[case] = (spec, files)
    return out


def _prefix(spec: Spec) -> str:
    return subject_prefix(spec.ci.repository, spec.ci.repository_owner_id, spec.ci.repository_id)


def _intended(spec: Spec, job_list: list[Job]) -> dict[tuple[str, str], set[str]]:
    """The one map we mean: a job in environment E reaches E's deploy and apply roles,
    the pull request plan reaches the read-only plan role, every other job nothing."""
    out: dict[tuple[str, str], set[str]] = {}
    for job in job_list:
        reach: set[str] = set()
        for env in spec.environments:
            if job.id in (f"deploy-{env.name}", f"rollback-{env.name}", f"apply-{env.name}"):
                names = env_names(spec, env.name)
                reach = {names.deploy_role, names.terraform_apply_role}
        if (job.workflow, job.id) == ("terraform.yml", "plan"):
            reach = {terraform_plan_role(spec)}
        out[(job.workflow, job.id)] = reach
    return out


@pytest.mark.parametrize("case", SPECS)
def test_every_job_reaches_exactly_the_roles_of_its_environment(
    case: str, repos: dict[str, tuple[Spec, dict[str, str]]]
) -> None:
    spec, files = repos[case]
    job_list = jobs(files, _prefix(spec), spec.ci.branch)
    role_list = roles(files)
    assert len(role_list) == 2 * len(spec.environments) + 1
    reach = matrix(job_list, role_list)
    assert reach == _intended(spec, job_list)
    # the production role only from the job that passed production's protection rules
    for env in spec.environments:
        deploy_role = env_names(spec, env.name).deploy_role
        for job in job_list:
            if deploy_role in reach[(job.workflow, job.id)]:
                assert job.subjects == {f"{_prefix(spec)}:environment:{env.name}"}
    # the jobs that run the repository's own code before any protection rule get no token
    tokenless = {j.id for j in job_list if not j.has_token}
    assert {"test", "build", "docker-build", "dockerfile", "fmt", "check"} <= tokenless


@pytest.mark.parametrize("case", SPECS)
def test_every_role_a_job_assumes_trusts_that_job(
    case: str, repos: dict[str, tuple[Spec, dict[str, str]]]
) -> None:
    spec, files = repos[case]
    job_list = jobs(files, _prefix(spec), spec.ci.branch)
    reach = matrix(job_list, roles(files))
    assuming = [j for j in job_list if j.assumes]
    assert len(assuming) == 3 * len(spec.environments) + 1  # deploy, rollback, apply; plan
    for job in assuming:
        for arn in job.assumes:
            name = arn.rsplit("/", 1)[-1]
            assert name in reach[(job.workflow, job.id)], (job, name)
            account = arn.split(":")[4]
            assert account == (spec.aws.account_id or "${{ vars.AWS_ACCOUNT_ID }}")


def test_the_subject_form_follows_the_repository_ids(
    repos: dict[str, tuple[Spec, dict[str, str]]],
) -> None:
    _, immutable = repos["example-new-repository"]
    assert (
        "repo:acme@42/checkout@4242:environment:production"
        in immutable["infra/envs/production/main.tf"]
    )
    assert "repo:acme@42/checkout@4242:pull_request" in immutable["infra/bootstrap/main.tf"]
    _, names = repos["nat-none-name-form"]
    assert "repo:acme/shop:environment:staging" in names["infra/envs/staging/main.tf"]
    # without the ids, the README says what breaks and how to fix it
    assert "sts:AssumeRoleWithWebIdentity" in names["README.md"]
    assert "gh api repos/acme/shop --jq '.owner.id, .id'" in names["README.md"]
    assert "gh api" not in immutable["README.md"]


def test_the_matrix_catches_a_widened_trust(
    repos: dict[str, tuple[Spec, dict[str, str]]],
) -> None:
    """The old layout: each deploy role also trusted the branch, and deploy.yml gave
    every job a token. The test job (the repository's code) then reached production."""
    spec, files = repos["example-new-repository"]
    prefix = _prefix(spec)
    widened = [
        Role(r.name, r.test, (*r.subjects, f"{prefix}:ref:refs/heads/main")) for r in roles(files)
    ]
    deploy = load_workflow(files[".github/workflows/deploy.yml"])
    deploy["permissions"] = {"contents": "read", "id-token": "write"}
    for job in deploy["jobs"].values():
        job.pop("permissions", None)
    old = {**files, ".github/workflows/deploy.yml": json.dumps(deploy)}
    reach = matrix(jobs(old, prefix, spec.ci.branch), widened)
    assert env_names(spec, "production").deploy_role in reach[("deploy.yml", "test")]
    assert reach != _intended(spec, jobs(old, prefix, spec.ci.branch))
    wildcard = [Role("any", "StringLike", (f"{prefix}:*",))]
    assert matrix(jobs(files, prefix, spec.ci.branch), wildcard)[("terraform.yml", "plan")]


@pytest.mark.parametrize("case", SPECS)
def test_the_deploy_action_times_out_before_the_job(
    case: str, repos: dict[str, tuple[Spec, dict[str, str]]]
) -> None:
    spec, files = repos[case]
    deploy = load_workflow(files[".github/workflows/deploy.yml"])
    for env in spec.environments:
        job = deploy["jobs"][f"deploy-{env.name}"]
        assert job["timeout-minutes"] == spec.requirements.deploy_minutes  # R2
        step = next(s for s in job["steps"] if s.get("id") == "deploy")
        assert 1 <= step["with"]["wait-for-minutes"] < job["timeout-minutes"]
        # with autoscaling, the planned count only while the service runs no task
        count = next(s for s in job["steps"] if s.get("id") == "count")
        assert step["with"]["desired-count"] == "${{ steps.count.outputs.desired }}"
        assert f'echo "desired={spec.sizing(env.name).desired_count}"' in count["run"]
        assert '[ "$running" = "0" ]' in count["run"]
        report = next(s for s in job["steps"] if "did not become stable" in s.get("name", ""))
        assert report["if"] == "failure() && steps.deploy.outcome == 'failure'"
        assert job["concurrency"] == {
            "group": f"deploy-{spec.project}-{env.name}",
            "cancel-in-progress": False,
        }
    first = deploy["jobs"][f"deploy-{spec.environments[0].name}"]
    assert any(s.get("name", "").startswith("R2") for s in first["steps"])
    assert "concurrency" not in deploy
    rollback = load_workflow(files[".github/workflows/rollback.yml"])
    assert "concurrency" not in rollback
    groups = {j["concurrency"]["group"] for j in rollback["jobs"].values()}
    assert groups == {f"rollback-{spec.project}-{e.name}" for e in spec.environments}


@pytest.mark.parametrize("case", SPECS)
def test_the_smoke_test_accepts_only_a_2xx(
    case: str, repos: dict[str, tuple[Spec, dict[str, str]]]
) -> None:
    spec, files = repos[case]
    deploy = load_workflow(files[".github/workflows/deploy.yml"])
    for job_id, job in deploy["jobs"].items():
        if not job_id.startswith("deploy-"):
            continue
        smoke = next(s for s in job["steps"] if s.get("id") == "smoke")
        assert "2??) " in smoke["run"] and "exit 1" in smoke["run"]
        assert "--location" not in smoke["run"] and "-L " not in smoke["run"]
        env = next(e for e in spec.environments if job_id == f"deploy-{e.name}")
        domain = spec.domain(env.name)
        wanted = f"vars.SERVICE_URL || 'https://{domain}'" if domain else "vars.SERVICE_URL"
        assert smoke["env"]["SERVICE_URL"] == "${{ " + wanted + " }}"
    assert 'matcher             = "200-299"' in files["infra/modules/ecs/main.tf"]


# --- checkov over all three of its frameworks ------------------------------------------

FRAMEWORKS = ("terraform", "github_actions", "dockerfile")


@pytest.fixture(scope="module")
def checkov_results(
    repos: dict[str, tuple[Spec, dict[str, str]]], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, list[CheckovResult]]:
    from infraplan.scaffold.render import File

    root = tmp_path_factory.mktemp("checkov-repos")
    for case, (_, files) in repos.items():
        write_tree([File(p, c.encode("utf-8")) for p, c in files.items()], root / case)
    by_case: dict[str, list[CheckovResult]] = {case: [] for case in repos}
    for result in run_checkov(root, FRAMEWORKS):
        by_case[result.file.lstrip("/").split("/")[0]].append(result)
    return by_case


@pytest.mark.parametrize("case", SPECS)
def test_checkov_passes_every_framework_with_reasoned_skips_only(
    case: str, checkov_results: dict[str, list[CheckovResult]]
) -> None:
    results = checkov_results[case]
    failed = [str(r) for r in results if r.status == "failed"]
    assert failed == []
    files = {r.file.split("/", 2)[-1] for r in results if r.status == "passed"}
    assert "Dockerfile" in files, "the dockerfile framework ran"
    assert any(f.startswith(".github/workflows/") for f in files), "github_actions ran"
    assert any(f.endswith(".tf") for f in files), "terraform ran"
    skipped = {(r.resource, r.check_id, r.comment) for r in results if r.status == "skipped"}
    listed = {
        (re.sub(r"(^|\.)data\.", r"\1", s["resource"]), s["id"], s["reason"])
        for s in inline_skips()
    }
    assert skipped <= listed, "every skip checkov honoured is listed in the plan's risk table"
    assert ("on(Rollback)", "CKV_GHA_7") in {(r, c) for r, c, _ in skipped}


def test_checkov_fails_a_workflow_with_a_long_lived_key(tmp_path: Path) -> None:
    workflows = tmp_path / "bad" / ".github" / "workflows"
    workflows.mkdir(parents=True)
    (workflows / "bad.yml").write_text(
        "on:\n  workflow_dispatch:\n    inputs:\n      x:\n        type: string\n"
        "permissions: write-all\n"
        "jobs:\n  j:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo hi\n",
        encoding="utf-8",
    )
    results = run_checkov(tmp_path, ("github_actions",))
    failed = {r.check_id for r in results if r.status == "failed"}
    assert "CKV_GHA_7" in failed


# --- who can start a deploy after the Terraform workflow --------------------------------


def _run(event: str, conclusion: str, head: str, branch: str = "main") -> dict[str, Any]:
    return {
        "event_name": "workflow_run",
        "repository": "acme/checkout",
        "event": {
            "workflow_run": {
                "conclusion": conclusion,
                "event": event,
                "head_branch": branch,
                "head_repository": {"full_name": head},
            }
        },
    }


def test_only_a_push_to_this_repository_deploys_after_terraform(
    repos: dict[str, tuple[Spec, dict[str, str]]],
) -> None:
    _, files = repos["example-new-repository"]
    deploy = load_workflow(files[".github/workflows/deploy.yml"])
    assert "workflow_run" in deploy["on"]
    gate = deploy["jobs"]["test"]["if"]
    assert evaluate(gate, _run("push", "success", "acme/checkout"))
    # a fork's pull request from its own branch named main
    assert not evaluate(gate, _run("pull_request", "success", "mallory/checkout"))
    assert not evaluate(gate, _run("push", "success", "mallory/checkout"))
    assert not evaluate(gate, _run("pull_request", "success", "acme/checkout"))
    assert not evaluate(gate, _run("push", "failure", "acme/checkout"))
    push = {"event_name": "push", "repository": "acme/checkout"}
    assert evaluate(gate, push, {"changes": {"outputs": {"infra": "false"}}})
    # every other job starts only after the gated one: none runs when it is skipped
    # (but `changes`, which the gate reads)
    needs = {
        j: job.get("needs") for j, job in deploy["jobs"].items() if j not in ("test", "changes")
    }
    for job_id in needs:
        seen, current = set(), job_id
        while current != "test":
            assert current not in seen and isinstance(needs[current], str), job_id
            assert "always()" not in str(deploy["jobs"][current].get("if", "")), job_id
            seen.add(current)
            current = needs[current]


# --- what the Terraform CI roles may do -------------------------------------------------

BOUNDARY = "${var.require_permissions_boundary ? [aws_iam_policy.boundary[each.key].arn] : []}"


@pytest.mark.parametrize("case", SPECS)
def test_the_apply_role_creates_roles_only_within_the_boundary(
    case: str, repos: dict[str, tuple[Spec, dict[str, str]]]
) -> None:
    _, files = repos[case]
    apply = policy(files, "apply_iam")
    for action in (
        "iam:CreateRole",
        "iam:PutRolePermissionsBoundary",
        "iam:AttachRolePolicy",
        "iam:PutRolePolicy",
    ):
        assert allowed_without(apply, action, "iam:PermissionsBoundary") == [], action
        granting = [s for s in apply if s.effect == "Allow" and action in s.actions]
        assert granting, action
        for s in granting:
            assert ("StringEquals", "iam:PermissionsBoundary", (BOUNDARY,)) in s.conditions
    # the boundary itself and a role's boundary are out of reach
    denied = {(a, r) for s in apply if s.effect == "Deny" for a in s.actions for r in s.resources}
    assert ("iam:*", "${[for policy in aws_iam_policy.boundary : policy.arn]}") in denied
    assert ("iam:DeleteRolePermissionsBoundary", "*") in denied
    # nothing else in the account can grant IAM: the boundary's only IAM actions
    boundary = policy(files, "boundary")
    iam = {a for s in boundary for a in s.actions if a.startswith("iam:")}
    assert iam == {"iam:PassRole", "iam:GetRole"}
    assert all(not a.endswith(":*") or not a.startswith("iam") for s in boundary for a in s.actions)
    variables = files["infra/bootstrap/variables.tf"]
    assert 'variable "require_permissions_boundary"' in variables
    assert "default     = true" in variables.split('variable "require_permissions_boundary"')[1]
    # the boundary is one policy per environment, named after its stack
    main = files["infra/bootstrap/main.tf"]
    assert 'name        = "${each.value.stack}-boundary"' in main


@pytest.mark.parametrize("case", SPECS)
def test_each_apply_role_writes_only_its_own_state(
    case: str, repos: dict[str, tuple[Spec, dict[str, str]]]
) -> None:
    spec, files = repos[case]
    apply = policy(files, "apply_iam")
    objects = [s for s in apply if s.effect == "Allow" and "s3:PutObject" in s.actions]
    assert [s.resources for s in objects] == [
        (
            "${aws_s3_bucket.state.arn}/${each.value.state}",
            "${aws_s3_bucket.state.arn}/${each.value.state}.tflock",
        )
    ]
    main = files["infra/bootstrap/main.tf"]
    for env in spec.environments:
        backend = files[f"infra/envs/{env.name}/backend.tf"]
        key = backend.split("key          = ")[1].split("\n")[0]
        assert f"state   = {key}" in main, env.name
        assert key == f'"{spec.project}/{env.name}/terraform.tfstate"'


@pytest.mark.parametrize("case", SPECS)
def test_the_plan_role_reads_configuration_not_data(
    case: str, repos: dict[str, tuple[Spec, dict[str, str]]]
) -> None:
    _, files = repos[case]
    deny = [s for s in policy(files, "plan_no_data") if s.effect == "Deny"]
    assert len(deny) == len(policy(files, "plan_no_data"))

    def denied(action: str, resource: str) -> bool:
        for s in deny:
            if not any(fnmatchcase(action, a) for a in s.actions):
                continue
            if s.resources and any(fnmatchcase(resource, r) for r in s.resources):
                return True
            if s.not_resources and not any(fnmatchcase(resource, r) for r in s.not_resources):
                return True
        return False

    state = "${aws_s3_bucket.state.arn}/${local.state_prefix}env/terraform.tfstate"
    assert not denied("s3:GetObject", state)
    assert denied("s3:GetObject", "arn:aws:s3:::customer-data/invoices.csv")
    assert not denied("kms:Decrypt", "${aws_kms_key.state.arn}")
    assert denied("kms:Decrypt", "arn:aws:kms:eu-west-1:123456789012:key/other")
    for action in (
        "secretsmanager:GetSecretValue",
        "ssm:GetParameter",
        "ssm:GetParametersByPath",
        "dynamodb:GetItem",
        "dynamodb:BatchGetItem",
        "dynamodb:Query",
        "dynamodb:Scan",
        "logs:GetLogEvents",
        "logs:FilterLogEvents",
        "logs:StartQuery",
    ):
        assert denied(action, "arn:aws:x:eu-west-1:123456789012:anything"), action
    # what a refresh reads stays allowed
    for action in ("secretsmanager:DescribeSecret", "logs:DescribeLogGroups", "s3:GetBucketPolicy"):
        assert not denied(action, "*"), action
    main = files["infra/bootstrap/main.tf"]
    assert "policy = data.aws_iam_policy_document.plan_no_data.json" in main
    assert "role   = aws_iam_role.terraform_plan.id" in main.split("terraform_plan_no_data")[1]


@pytest.mark.parametrize("case", SPECS)
def test_the_environments_are_protected_before_the_first_push(
    case: str, repos: dict[str, tuple[Spec, dict[str, str]]]
) -> None:
    spec, files = repos[case]
    readme = files["README.md"]
    steps = readme.split("## First deployment")[1].split("\n## ")[0]
    first = steps.split("\n1. ")[0]
    assert first.lstrip().startswith("0. **The GitHub environments, before anything is pushed**")
    for env in spec.environments:
        assert f"`{env.name}`" in first
        if env.approval:
            assert f"`{env.name}` (with required reviewers" in first
    assert f"selected branch\n   `{spec.ci.branch}` only" in first
    assert "no reviewer and no branch rule" in first
    # the push is the last step, after the environments
    assert steps.index("0. **The GitHub environments") < steps.index(f"Push to `{spec.ci.branch}`")
    rows = [risk for risk, *_ in identity_risks(spec, "en")]
    assert any("creates an environment" in r and "without protection" in r for r in rows)
    assert any(r.startswith("The Terraform plan role") for r in rows)


@pytest.mark.parametrize("case", SPECS)
def test_every_role_the_stack_creates_carries_the_bootstraps_boundary(
    case: str, repos: dict[str, tuple[Spec, dict[str, str]]]
) -> None:
    # Without it, the apply role's CreateRole (allowed only with the boundary) is denied.
    import hcl2

    _, files = repos[case]
    roles_found = 0
    for path, text in files.items():
        if not (path.startswith("infra/modules/") and path.endswith(".tf")):
            continue
        for block in hcl2.loads(text).get("resource", []):
            for name, body in block.get('"aws_iam_role"', {}).items():
                roles_found += 1
                assert body.get("permissions_boundary") == "${var.permissions_boundary_arn}", (
                    path,
                    name,
                )
    assert roles_found >= 4
    stack = files["infra/modules/stack/main.tf"]
    # the ARN the stack builds is the policy the bootstrap names "<stack>-boundary"
    assert ':policy/${var.names.stack}-boundary"' in stack
    calls = hcl2.loads(stack)["module"]
    for call in calls:
        for label, body in call.items():
            module_name = label.strip('"')
            declared = files.get(f"infra/modules/{module_name}/variables.tf", "")
            if 'variable "permissions_boundary_arn"' in declared:
                assert body.get("permissions_boundary_arn") == "${local.permissions_boundary_arn}"


def test_the_apply_role_may_attach_every_managed_policy_the_stack_attaches() -> None:
    """The apply role attaches only the AWS managed policies the bootstrap lists
    (``iam:PolicyARN``); a stack attachment outside that list fails on the first apply."""
    import re

    import hcl2

    spec, text = _spec(
        {
            "project": "everything",
            "ci": {"repository": "acme/everything"},
            "deploy": {"strategy": "blue_green"},
            "monitoring": {"slack": {"team_id": "T0123", "channel_id": "C0123"}},
        }
    )
    files = {f.path: f.content.decode("utf-8") for f in build_starter_repo(spec, text).repo_files()}
    allowed = hcl2.loads(files["infra/bootstrap/main.tf"])["locals"][0]["stack_managed_policies"]
    allowed_names = {arn.strip('"').rsplit(":policy/", 1)[1] for arn in allowed}
    attached: set[str] = set()
    for path, body in files.items():
        if path.startswith("infra/modules/") and path.endswith(".tf"):
            attached |= set(re.findall(r':iam::aws:policy/([A-Za-z0-9/_-]+)"', body))
    assert "CloudWatchReadOnlyAccess" in attached  # the Slack channel's role
    assert "AmazonECSInfrastructureRolePolicyForLoadBalancers" in attached  # blue/green
    assert attached <= allowed_names, attached - allowed_names


# --- HTTPS by name: what each apply role may do with certificates and records --------------

ZONE = "${data.aws_route53_zone.service.arn}"


def _denied(
    statements: list[Any], action: str, resource: str, context: dict[str, list[str]]
) -> bool:
    """Whether an explicit Deny of ``statements`` stops the request, evaluated as IAM does
    for the operators the bootstrap uses (``each.value.domain`` already substituted)."""
    for s in statements:
        if s.effect != "Deny" or action not in s.actions:
            continue
        if s.resources and resource not in s.resources and "*" not in s.resources:
            continue
        if s.not_resources and resource in s.not_resources:
            continue
        matched = True
        for test, variable, values in s.conditions:
            given = context.get(variable, [])
            if test == "ForAnyValue:StringNotEquals":
                matched &= any(v not in values for v in given)
            elif test == "ForAnyValue:StringNotLike":
                matched &= any(not any(fnmatchcase(v, p) for p in values) for v in given)
            elif test == "StringNotEquals":
                matched &= any(v not in values for v in given)
            else:
                raise AssertionError(f"operator {test} not modelled")
        if matched:
            return True
    return False


def test_each_apply_role_certifies_and_names_only_its_own_environment(
    repos: dict[str, tuple[Spec, dict[str, str]]],
) -> None:
    spec, files = repos["three-envs"]
    main = files["infra/bootstrap/main.tf"]
    assert 'name         = "example.com"' in main and "private_zone = false" in main
    names = {e.name: spec.domain(e.name) for e in spec.environments}
    assert names == {
        "dev": "dev.pay.example.com",
        "staging": "staging.pay.example.com",
        "production": "pay.example.com",
    }
    for env, own in names.items():
        assert f'domain  = "{own}"' in main
        raw = policy(files, "apply_iam")
        statements = [
            replace(
                s,
                conditions=tuple(
                    (t, v, tuple(x.replace("${each.value.domain}", own) for x in vals))
                    for t, v, vals in s.conditions
                ),
            )
            for s in raw
        ]

        def request(names_: list[str], method: str = "DNS", st: list[Any] = statements) -> bool:
            context = {"acm:DomainNames": names_, "acm:ValidationMethod": [method]}
            return _denied(st, "acm:RequestCertificate", "*", context)

        def change(records: list[str], zone: str = ZONE, st: list[Any] = statements) -> bool:
            context = {"route53:ChangeResourceRecordSetsNormalizedRecordNames": records}
            return _denied(st, "route53:ChangeResourceRecordSets", zone, context)

        assert not request([own])
        assert request([own], "EMAIL")
        assert not change([own, f"_0a1b2c3d4e5f.{own}"])
        assert change([f"mail.{own}"]) and change(["example.com"])
        assert change([own], "arn:aws:route53:::hostedzone/ZOTHER")
        for other, name in names.items():
            if other != env:
                assert request([name]) and request([own, name]), (env, other)
                assert change([name]), (env, other)
    # without a domain the apply role has no such statement and the bootstrap no zone
    _, plain = repos["nat-none-name-form"]
    assert "aws_route53_zone" not in plain["infra/bootstrap/main.tf"]
    assert not any("route53" in a for s in policy(plain, "apply_iam") for a in s.actions)


# The role Application Auto Scaling creates at the first scalable target
# ("Amazon ECS and Application Auto Scaling", Application Auto Scaling User Guide).
SCALING_ROLE = (
    "arn:aws:iam::123456789012:role/aws-service-role/ecs.application-autoscaling.amazonaws.com/"
    "AWSServiceRoleForApplicationAutoScaling_ECSService"
)


@pytest.mark.parametrize("case", SPECS)
def test_autoscaling_is_within_reach_of_the_roles_that_manage_it(
    case: str, repos: dict[str, tuple[Spec, dict[str, str]]]
) -> None:
    import hcl2

    spec, files = repos[case]
    # The apply role: PowerUserAccess grants application-autoscaling:* and
    # iam:CreateServiceLinkedRole; no Deny of the bootstrap takes the scaling role away.
    main = files["infra/bootstrap/main.tf"]
    assert 'policy_arn = "arn:${local.partition}:iam::aws:policy/PowerUserAccess"' in main
    for statement in policy(files, "apply_iam"):
        if statement.effect == "Deny" and any(
            fnmatchcase("iam:CreateServiceLinkedRole", a) for a in statement.actions
        ):
            assert not any(fnmatchcase(SCALING_ROLE, r) for r in statement.resources), statement
    # The deploy role sets the minimum of its own environment's scalable target only,
    # and its boundary lets it.
    oidc = hcl2.loads(files["infra/modules/ci_oidc/main.tf"])
    documents = {
        label.strip('"'): body
        for block in oidc["data"]
        for kind, named in block.items()
        if kind.strip('"') == "aws_iam_policy_document"
        for label, body in named.items()
    }
    dynamic = [d for d in documents["deploy"].get("dynamic", []) if '"statement"' in d]
    (content,) = [d['"statement"']["content"][0] for d in dynamic]
    assert content["actions"] == ['"application-autoscaling:RegisterScalableTarget"']
    assert content["resources"] == "${var.scalable_target_arns}"
    stack = files["infra/modules/stack/main.tf"]
    assert (
        "scalable_target_arns = [for scaling in module.autoscaling : scaling.scalable_target_arn]"
    ) in stack
    boundary = {a for s in policy(files, "boundary") for a in s.actions}
    assert "application-autoscaling:RegisterScalableTarget" in boundary
    # The deploy job sets the minimum only after the new task definition runs, so a first
    # deploy that rolls back never starts tasks of an image that does not exist.
    deploy = files[".github/workflows/deploy.yml"]
    for env in spec.environments:
        job = deploy.split(f"  deploy-{env.name}:")[1].split("\n  deploy-")[0]
        running = job.index("Check that the service runs the new task definition")
        minimum = job.index("--min-capacity")
        assert job.index("Deploy to ECS and wait") < running < minimum
