"""Who can assume which AWS role: the generated workflows against the generated trusts.

For each job of each workflow: does GitHub give it an OIDC token at all
(``id-token: write`` in its effective permissions), and which ``sub`` claims
can that token carry (the job's GitHub environment, else one per event that
starts the workflow, https://docs.github.com/actions/reference/security/oidc)?
For each role the Terraform creates: which subjects does its trust policy
accept? The matrix joins the two: job -> subjects -> roles.

AWS evaluates no custom claim of GitHub's tokens ("Support for custom claims
for OIDC is unavailable in AWS", docs.github.com, Configuring OpenID Connect in
Amazon Web Services): ``sub`` is the finest key, so the one-to-one map is
GitHub environment -> that environment's roles, and every job in the
environment (deploy, rollback, apply) passes its protection rules first.

The Terraform is read, not trusted: the trust conditions are taken from the
policy documents and their values followed through the variables, locals and
module calls that carry them, so a widened trust shows up here.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import Any

import hcl2

from tools.rendering import load_workflow

ANY_BRANCH = "*"  # a workflow_dispatch run can start from any branch


@dataclass(frozen=True)
class Job:
    workflow: str
    id: str
    has_token: bool
    subjects: frozenset[str]
    assumes: tuple[str, ...]  # role-to-assume values, as written


@dataclass(frozen=True)
class Role:
    name: str
    test: str  # StringEquals | StringLike
    subjects: tuple[str, ...]

    def trusts(self, subject: str) -> bool:
        if self.test == "StringEquals":
            return subject in self.subjects
        return any(fnmatchcase(subject, pattern) for pattern in self.subjects)


def subject_prefix(repository: str, owner_id: int | None, repo_id: int | None) -> str:
    owner, name = repository.split("/")
    if owner_id is not None and repo_id is not None:
        return f"repo:{owner}@{owner_id}/{name}@{repo_id}"
    return f"repo:{owner}/{name}"


# --- the workflows --------------------------------------------------------------------


def jobs(files: Mapping[str, str], prefix: str, branch: str) -> list[Job]:
    out: list[Job] = []
    for path, text in sorted(files.items()):
        if not path.startswith(".github/workflows/"):
            continue
        workflow = load_workflow(text)
        events = workflow.get("on") or {}
        events = [events] if isinstance(events, str) else list(events)
        top = workflow.get("permissions")
        for job_id, job in workflow.get("jobs", {}).items():
            permissions = job.get("permissions", top)
            token = isinstance(permissions, dict) and permissions.get("id-token") == "write"
            token = token or permissions == "write-all"
            environment = job.get("environment")
            if isinstance(environment, dict):
                environment = environment.get("name")
            subjects: set[str] = set()
            if environment:
                subjects.add(f"{prefix}:environment:{environment}")
            else:
                for event in events:
                    if event in ("pull_request", "pull_request_target"):
                        subjects.add(f"{prefix}:pull_request")
                    elif event == "push":
                        subjects.add(f"{prefix}:ref:refs/heads/{branch}")
                    else:
                        subjects.add(f"{prefix}:ref:refs/heads/{ANY_BRANCH}")
            assumes = tuple(
                str(step["with"]["role-to-assume"])
                for step in job.get("steps", [])
                if "role-to-assume" in (step.get("with") or {})
            )
            out.append(Job(path.rsplit("/", 1)[-1], job_id, token, frozenset(subjects), assumes))
    return out


# --- the trust policies ---------------------------------------------------------------


def _hcl(text: str) -> dict[str, Any]:
    doc: dict[str, Any] = hcl2.loads(text)
    return doc


def _value(raw: Any) -> Any:
    if isinstance(raw, str) and len(raw) >= 2 and raw[0] == raw[-1] == '"':
        return json.loads(raw)
    if isinstance(raw, list):
        return [_value(v) for v in raw]
    if isinstance(raw, dict):
        return {k.strip('"'): _value(v) for k, v in raw.items() if not k.startswith("__")}
    return raw


def _named(doc: dict[str, Any], kind: str, type_: str) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for entry in doc.get(kind, []):
        for t, named in entry.items():
            if t.strip('"') == type_:
                out.update({n.strip('"'): body for n, body in named.items()})
    return out


def _locals(doc: dict[str, Any]) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for block in doc.get("locals", []):
        merged.update({k: v for k, v in block.items() if not k.startswith("__")})
    return merged


def _sub_condition(document: dict[str, Any]) -> tuple[str, Any]:
    """The trust statement's (test, raw values) on the ``sub`` claim; exactly one."""
    statements = document["statement"]
    assert len(statements) == 1, "a trust policy of one statement"
    found = [
        (_value(c["test"]), c["values"])
        for c in statements[0]["condition"]
        if str(_value(c["variable"])).endswith(":sub")
    ]
    assert len(found) == 1, "one condition on sub"
    return found[0]


def _call_arg(doc: dict[str, Any], call: str, arg: str) -> Any:
    for entry in doc.get("module", []):
        for name, body in entry.items():
            if name.strip('"') == call:
                return body[arg]
    raise KeyError(f"module {call} has no argument {arg}")


def roles(files: Mapping[str, str]) -> list[Role]:
    """Every role the generated Terraform creates with a GitHub OIDC trust."""
    out: list[Role] = []
    # Deploy roles: ci_oidc trusts var.github_subject; stack passes var.github_subject;
    # each root passes its literal.
    ci_oidc = _hcl(files["infra/modules/ci_oidc/main.tf"])
    test, values = _sub_condition(_named(ci_oidc, "data", "aws_iam_policy_document")["trust"])
    assert values == ["${var.github_subject}"], values
    stack = _hcl(files["infra/modules/stack/main.tf"])
    assert _call_arg(stack, "ci_oidc", "github_subject") == "${var.github_subject}"
    assert _call_arg(stack, "ci_oidc", "role_name") == "${var.names.deploy_role}"
    for path in sorted(files):
        match = re.fullmatch(r"infra/envs/([^/]+)/main\.tf", path)
        if not match:
            continue
        call = _value(_call_arg(_hcl(files[path]), "stack", "github_subject"))
        name = _value(_call_arg(_hcl(files[path]), "stack", "names"))["deploy_role"]
        out.append(Role(name, str(test), (str(call),)))
    # Terraform CI roles of the bootstrap root.
    boot = _hcl(files["infra/bootstrap/main.tf"])
    local = _locals(boot)
    documents = _named(boot, "data", "aws_iam_policy_document")
    created = _named(boot, "resource", "aws_iam_role")
    test, values = _sub_condition(documents["trust_plan"])
    assert values == ["${local.plan_subject}"], values
    plan_name = _value(created["terraform_plan"]["name"])
    out.append(Role(str(plan_name), str(test), (str(_value(local["plan_subject"])),)))
    test, values = _sub_condition(documents["trust_apply"])
    assert values == ["${each.value.subject}"], values
    assert documents["trust_apply"]["for_each"] == "${local.environments}"
    assert created["terraform_apply"]["name"] == "${each.value.role}"
    for env in _value(local["environments"]).values():
        out.append(Role(env["role"], str(test), (env["subject"],)))
    return out


def matrix(job_list: list[Job], role_list: list[Role]) -> dict[tuple[str, str], set[str]]:
    """(workflow, job) -> names of the roles a token of that job can assume."""
    return {
        (job.workflow, job.id): {
            role.name
            for role in role_list
            if job.has_token and any(role.trusts(s) for s in job.subjects)
        }
        for job in job_list
    }


# --- what the Terraform CI roles may do -------------------------------------------------


@dataclass(frozen=True)
class Statement:
    sid: str
    effect: str
    actions: frozenset[str]
    resources: tuple[str, ...]
    not_resources: tuple[str, ...]
    conditions: tuple[tuple[str, str, tuple[str, ...]], ...]  # (test, variable, values)


def _conditions(body: dict[str, Any]) -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    out: list[tuple[str, str, tuple[str, ...]]] = []
    for c in body.get("condition", []):
        out.append((str(_value(c["test"])), str(_value(c["variable"])), tuple(_value(c["values"]))))
    for dyn in body.get("dynamic", []):
        for name, block in dyn.items():
            if name.strip('"') != "condition":
                continue
            c = block["content"][0] if isinstance(block["content"], list) else block["content"]
            values = (str(_value(block["for_each"])),)
            out.append((str(_value(c["test"])), str(_value(c["variable"])), values))
    return tuple(out)


def _strings(raw: Any) -> tuple[str, ...]:
    value = _value(raw)
    return (value,) if isinstance(value, str) else tuple(str(v) for v in value)


def policy(files: Mapping[str, str], document: str) -> list[Statement]:
    """The statements of one bootstrap policy document, as written."""
    doc = _named(_hcl(files["infra/bootstrap/main.tf"]), "data", "aws_iam_policy_document")
    out: list[Statement] = []
    for body in doc[document]["statement"]:
        out.append(
            Statement(
                str(_value(body.get("sid", '""'))),
                str(_value(body.get("effect", '"Allow"'))),
                frozenset(str(a) for a in _value(body["actions"])),
                _strings(body.get("resources", [])),
                _strings(body.get("not_resources", [])),
                _conditions(body),
            )
        )
    return out


def allowed_without(statements: list[Statement], action: str, variable: str) -> list[str]:
    """Sids of the Allow statements granting ``action`` with no condition on ``variable``."""
    return [
        s.sid
        for s in statements
        if s.effect == "Allow"
        and any(fnmatchcase(action, a) for a in s.actions)
        and not any(v == variable for _, v, _ in s.conditions)
    ]
