"""The Terraform state bucket: each CI role reaches only its own state, evaluated.

The bucket policy and each role's identity policies of the generated bootstrap
are evaluated together (tools/state_access.py) for (principal, action, key);
the bootstrap's own state moves into the bucket under a key no CI role reaches.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import hcl2
import pytest

from infraplan.scaffold.repo import build_starter_repo
from infraplan.spec.model import Spec
from terraform.tools import terraform_fmt_check
from test_first_apply import SPECS, _spec
from tools.identity import roles
from tools.state_access import ACCOUNT, ADMINISTRATOR, ALLOW, EXPLICIT_DENY, Bootstrap

WRITES = ("s3:PutObject", "s3:DeleteObject")
ADMIN = f"arn:aws:iam::{ACCOUNT}:role/Administrator"  # a person's role, not a CI role


@pytest.fixture(scope="module")
def repos() -> dict[str, tuple[Spec, dict[str, str]]]:
    out: dict[str, tuple[Spec, dict[str, str]]] = {}
    for case, data in SPECS.items():
        spec, text = _spec(data)
        files = {f.path: f.content.decode() for f in build_starter_repo(spec, text).repo_files()}
        out[case] = (spec, files)
    return out


def _keys(boot: Bootstrap) -> dict[str, str]:
    """Every object a CI role could aim at: each environment's state and lock file, the
    bootstrap's state and lock file."""
    out: dict[str, str] = {}
    for name, env in boot.environments.items():
        out[f"{name} state"] = env["state"]
        out[f"{name} lock"] = f"{env['state']}.tflock"
    bootstrap_key = boot.local("bootstrap_state_key")
    out["bootstrap state"] = bootstrap_key
    out["bootstrap lock"] = f"{bootstrap_key}.tflock"
    return out


@pytest.mark.parametrize("case", SPECS)
def test_each_apply_role_reads_and_writes_only_its_own_state(
    case: str, repos: dict[str, tuple[Spec, dict[str, str]]]
) -> None:
    spec, files = repos[case]
    boot = Bootstrap(files)
    bucket = boot.rules("state_bucket")
    keys = _keys(boot)
    assert set(boot.environments) == {e.name for e in spec.environments}
    for name, env in boot.environments.items():
        principal = boot.role_arn(env["role"])
        identity = boot.identity(env["role"])
        for label, key in keys.items():
            own = label.startswith(f"{name} ")
            for action in (*WRITES, "s3:GetObject"):
                got = boot.decide(principal, identity, bucket, action, boot.object_arn(key))
                assert got == (ALLOW if own else EXPLICIT_DENY), (name, label, action, got)
                # Without the bucket policy, PowerUserAccess alone lets any apply role write
                # any key: the bucket policy's Deny is what enforces it.
                alone = boot.decide(principal, identity, [], action, boot.object_arn(key))
                assert alone == ALLOW, (name, label, action)
        # nor old versions, nor the bucket itself
        own_key = boot.object_arn(env["state"])
        for action, resource in (
            ("s3:DeleteObjectVersion", own_key),
            ("s3:PutBucketPolicy", boot.refs["aws_s3_bucket.state.arn"]),
            ("s3:DeleteBucketPolicy", boot.refs["aws_s3_bucket.state.arn"]),
            ("s3:PutBucketVersioning", boot.refs["aws_s3_bucket.state.arn"]),
            ("s3:PutLifecycleConfiguration", boot.refs["aws_s3_bucket.state.arn"]),
        ):
            assert boot.decide(principal, identity, bucket, action, resource) == EXPLICIT_DENY
        # another key under its own environment's name is not its state either
        stray = boot.object_arn(f"{spec.project}/{name}/other.tfstate")
        assert boot.decide(principal, identity, bucket, "s3:PutObject", stray) == EXPLICIT_DENY


@pytest.mark.parametrize("case", SPECS)
def test_the_plan_role_reads_the_environments_states_and_writes_nothing(
    case: str, repos: dict[str, tuple[Spec, dict[str, str]]]
) -> None:
    _, files = repos[case]
    boot = Bootstrap(files)
    bucket = boot.rules("state_bucket")
    principal = boot.role_arn(boot.plan_role)
    identity = boot.identity(boot.plan_role)
    for label, key in _keys(boot).items():
        for action in WRITES:
            got = boot.decide(principal, identity, bucket, action, boot.object_arn(key))
            assert got == EXPLICIT_DENY, (label, action, got)
        read = boot.decide(principal, identity, bucket, "s3:GetObject", boot.object_arn(key))
        if label.endswith(" state") and not label.startswith("bootstrap"):
            assert read == ALLOW, label  # a pull request's plan refreshes every environment
        elif label.startswith("bootstrap"):
            assert read == EXPLICIT_DENY, label


@pytest.mark.parametrize("case", SPECS)
def test_an_administrator_is_not_a_ci_role(
    case: str, repos: dict[str, tuple[Spec, dict[str, str]]]
) -> None:
    """The denies name the CI roles only: whoever applies the bootstrap keeps every right."""
    _, files = repos[case]
    boot = Bootstrap(files)
    bucket = boot.rules("state_bucket")
    for label, key in _keys(boot).items():
        for action in (*WRITES, "s3:GetObject", "s3:DeleteObjectVersion"):
            got = boot.decide(ADMIN, [ADMINISTRATOR], bucket, action, boot.object_arn(key))
            assert got == ALLOW, (label, action, got)
    arn = boot.refs["aws_s3_bucket.state.arn"]
    assert boot.decide(ADMIN, [ADMINISTRATOR], bucket, "s3:PutBucketPolicy", arn) == ALLOW


@pytest.mark.parametrize("case", SPECS)
def test_the_ci_roles_the_policies_name_are_the_roles_the_bootstrap_creates(
    case: str, repos: dict[str, tuple[Spec, dict[str, str]]]
) -> None:
    spec, files = repos[case]
    boot = Bootstrap(files)
    created = {r.name for r in roles(files) if "terraform" in r.name}
    assert len(created) == len(spec.environments) + 1
    assert set(boot.local("ci_roles")) == created
    assert set(boot.local("ci_role_arns")) == {boot.role_arn(r) for r in created}
    # the key policy keeps the same roles off the key's deletion and policy
    main = files["infra/bootstrap/main.tf"]
    assert 'Condition = { ArnEquals = { "aws:PrincipalArn" = local.ci_role_arns } }' in main
    assert '"kms:ScheduleKeyDeletion"' in main.split('Sid       = "CiRolesKeepTheKey"')[1]


def _backend_tf(boot: Bootstrap, files: dict[str, str]) -> str:
    """The text ``terraform output -raw backend_tf`` prints, for the made-up account."""
    outputs = hcl2.loads(files["infra/bootstrap/outputs.tf"])["output"]
    found = [body for o in outputs for name, body in o.items() if name.strip('"') == "backend_tf"]
    assert len(found) == 1, "outputs.tf has the output backend_tf"
    text = str(found[0]["value"]).removeprefix('"').removesuffix('"')
    # python-hcl2 keeps the heredoc's markers: take its body and strip the indent (<<-)
    body = re.fullmatch(r"<<-EOT\n(.*)\n\s*EOT\n?", text, re.S)
    assert body, text
    lines = body.group(1).split("\n")
    indent = min(len(line) - len(line.lstrip()) for line in lines if line.strip())
    rendered = "\n".join(line[indent:] for line in lines) + "\n"
    return str(boot.resolve(rendered))


@pytest.mark.parametrize("case", SPECS)
def test_the_bootstrap_state_moves_into_the_bucket_under_a_key_no_ci_role_reaches(
    case: str, repos: dict[str, tuple[Spec, dict[str, str]]], tmp_path: Path
) -> None:
    spec, files = repos[case]
    boot = Bootstrap(files)
    backend_tf = _backend_tf(boot, files)
    (tmp_path / "backend.tf").write_text(backend_tf)
    fmt = terraform_fmt_check(tmp_path)
    assert fmt.unformatted == [], fmt
    block: dict[str, Any] = hcl2.loads(backend_tf)["terraform"][0]["backend"][0]['"s3"']
    config = {k: (v.strip('"') if isinstance(v, str) else v) for k, v in block.items()
              if not k.startswith("__")}  # fmt: skip
    key = boot.local("bootstrap_state_key")
    assert config == {
        "bucket": boot.refs["aws_s3_bucket.state.bucket"],
        "key": key,
        "region": spec.aws.region,
        "encrypt": True,
        "kms_key_id": boot.refs["aws_kms_key.state.arn"],
        "use_lockfile": True,
    }
    # outside every environment's state and outside what the plan role may read
    assert not key.startswith(boot.local("state_prefix"))
    assert key not in {e["state"] for e in boot.environments.values()}
    # no CI role reads or writes it (evaluated above: here, the same key)
    bucket = boot.rules("state_bucket")
    for role in boot.local("ci_roles"):
        for action in (*WRITES, "s3:GetObject"):
            got = boot.decide(
                boot.role_arn(role), boot.identity(role), bucket, action, boot.object_arn(key)
            )
            assert got == EXPLICIT_DENY, (role, action)


@pytest.mark.parametrize("case", SPECS)
def test_the_first_deployment_steps_move_the_bootstrap_state_in_order(
    case: str, repos: dict[str, tuple[Spec, dict[str, str]]]
) -> None:
    _, files = repos[case]
    steps = files["README.md"].split("## First deployment")[1].split("\n## ")[0]
    commands = [line.strip() for line in steps.splitlines() if line.strip().startswith("terraform")]
    apply = commands.index("terraform -chdir=infra/bootstrap apply")
    output = commands.index(
        "terraform -chdir=infra/bootstrap output -raw backend_tf > infra/bootstrap/backend.tf"
    )
    migrate = commands.index("terraform -chdir=infra/bootstrap init -migrate-state")
    first_env = next(i for i, c in enumerate(commands) if "infra/envs/" in c)
    assert commands.index("terraform -chdir=infra/bootstrap init") < apply < output < migrate
    assert migrate < first_env
    # the output the step prints exists, and the file it writes is one the repo does not have
    assert 'output "backend_tf"' in files["infra/bootstrap/outputs.tf"]
    assert "infra/bootstrap/backend.tf" not in files
    assert "Commit `infra/bootstrap/backend.tf`" in steps
    # the local copy is named as what to delete once the state is in the bucket
    assert "delete\n   `infra/bootstrap/terraform.tfstate`" in steps


@pytest.mark.parametrize("case", SPECS)
def test_every_state_is_encrypted_with_the_bootstraps_key(
    case: str, repos: dict[str, tuple[Spec, dict[str, str]]]
) -> None:
    """``encrypt = true`` without ``kms_key_id`` makes the S3 backend ask for AES256 (SSE-S3)
    on every write, which overrides the bucket's default KMS key; each root names the key
    by the alias the bootstrap creates."""
    spec, files = repos[case]
    boot = Bootstrap(files)
    alias = hcl2.loads(files["infra/bootstrap/main.tf"])["resource"]
    names = [
        boot.resolve(body["name"])
        for block in alias
        for name, body in block.get('"aws_kms_alias"', {}).items()
        if name.strip('"') == "state"
    ]
    assert names == [f"alias/{spec.project}-terraform-state"]
    for env in spec.environments:
        backend = hcl2.loads(files[f"infra/envs/{env.name}/backend.tf"])
        s3 = backend["terraform"][0]["backend"][0]['"s3"']
        assert s3["encrypt"] is True
        assert s3["kms_key_id"].strip('"') == names[0], env.name
