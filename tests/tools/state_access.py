"""Who may read and write which object of the Terraform state bucket.

The bootstrap's bucket policy and a principal's identity policies are evaluated
together, as AWS does for a request within one account: an explicit Deny in any
of them wins; otherwise an Allow in any of them allows; otherwise the request
is implicitly denied (IAM User Guide, "Policy evaluation logic",
https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html).

The policies are read from the generated ``infra/bootstrap/main.tf`` and their
references resolved (locals, ``each``/``statement`` of one environment, the
bucket's and the key's ARNs for a made-up account); a reference this module
does not know fails the test instead of matching anything. The AWS managed
policies the CI roles carry are modelled by the part that grants S3 and KMS
(AWS Managed Policy Reference: PowerUserAccess allows every action but
``iam:*``, ``organizations:*`` and ``account:*``; ReadOnlyAccess allows
``s3:Get*``/``s3:List*`` and KMS describes and lists, not ``kms:Decrypt``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import Any

from tools.identity import _hcl, _locals, _named, _value

ACCOUNT = "123456789012"
PARTITION = "aws"
KEY_ID = "0a1b2c3d-0000-4000-8000-000000000000"

ALLOW = "allow"
EXPLICIT_DENY = "explicit deny"
IMPLICIT_DENY = "implicit deny"


@dataclass(frozen=True)
class Rule:
    sid: str
    effect: str
    actions: tuple[str, ...]
    not_actions: tuple[str, ...]
    body: Mapping[str, Any]  # the statement as parsed; resources and conditions resolved lazily
    env: Mapping[str, Any] | None  # the environment of each/statement, if any
    env_key: str | None


POWER_USER = Rule("PowerUserAccess", "Allow", (), ("iam:*", "organizations:*", "account:*"),
                  {"resources": ['"*"']}, None, None)  # fmt: skip
READ_ONLY = Rule("ReadOnlyAccess", "Allow",
                 ("s3:Get*", "s3:List*", "kms:Describe*", "kms:Get*", "kms:List*"), (),
                 {"resources": ['"*"']}, None, None)  # fmt: skip
ADMINISTRATOR = Rule("AdministratorAccess", "Allow", ("*",), (), {"resources": ['"*"']}, None, None)


class Bootstrap:
    """The generated bootstrap root, its policies and the values its references take."""

    def __init__(self, files: Mapping[str, str]) -> None:
        self.doc = _hcl(files["infra/bootstrap/main.tf"])
        self.locals = _locals(self.doc)
        self.documents = _named(self.doc, "data", "aws_iam_policy_document")
        self.environments: dict[str, dict[str, Any]] = _value(self.locals["environments"])
        roles = _named(self.doc, "resource", "aws_iam_role")
        self.plan_role = str(_value(roles["terraform_plan"]["name"]))
        self.refs: dict[str, str] = {
            "data.aws_caller_identity.current.account_id": ACCOUNT,
            "data.aws_partition.current.partition": PARTITION,
        }
        region = self.local("region")
        bucket = self.local("state_bucket")
        self.refs |= {
            "aws_s3_bucket.state.bucket": bucket,
            "aws_s3_bucket.state.id": bucket,
            "aws_s3_bucket.state.arn": f"arn:{PARTITION}:s3:::{bucket}",
            "aws_kms_key.state.arn": f"arn:{PARTITION}:kms:{region}:{ACCOUNT}:key/{KEY_ID}",
            "aws_iam_role.terraform_plan.name": self.plan_role,
        }
        self.refs["aws_iam_role.terraform_plan.arn"] = self.role_arn(self.plan_role)

    # --- references ---------------------------------------------------------------

    def local(self, name: str) -> Any:
        return self.resolve(self.locals[name])

    def role_arn(self, name: str) -> str:
        return f"arn:{PARTITION}:iam::{ACCOUNT}:role/{name}"

    def resolve(
        self, raw: Any, env: Mapping[str, Any] | None = None, key: str | None = None
    ) -> Any:
        if isinstance(raw, list):
            out: list[Any] = []
            for item in raw:
                value = self.resolve(item, env, key)
                out.extend(value if isinstance(value, list) else [value])
            return out
        text = _value(raw)
        if not isinstance(text, str):
            return text
        whole = _whole_expression(text)
        if whole is not None:
            return self._expression(whole, env, key)
        return _interpolate(text, lambda expr: str(self._expression(expr, env, key)))

    def _expression(self, expr: str, env: Mapping[str, Any] | None, key: str | None) -> Any:
        expr = expr.strip()
        loop = re.fullmatch(r'\[for (\w+) in local\.(\w+) : "(.*)"\]', expr, re.S)
        if loop:
            var, source, template = loop.groups()
            items = self.local(source)
            return [
                _interpolate(template, lambda e, item=item: str(
                    item if e.strip() == var else self._expression(e, env, key)))
                for item in items
            ]  # fmt: skip
        if expr in self.refs:
            return self.refs[expr]
        if expr.startswith("local.") and expr[6:] in self.locals:
            return self.local(expr[6:])
        for scope in ("each", "statement"):
            if expr == f"{scope}.key" and key is not None:
                return key
            if expr.startswith(f"{scope}.value.") and env is not None:
                return env[expr.split(".", 2)[2]]
        raise AssertionError(f"reference not modelled: {expr}")

    # --- policies -----------------------------------------------------------------

    def rules(self, document: str, env_key: str | None = None) -> list[Rule]:
        """The statements of one policy document; ``each`` is ``env_key``'s environment, and
        a ``dynamic "statement"`` over the environments gives one statement per environment."""
        body = self.documents[document]
        env = self.environments[env_key] if env_key else None
        out = [_rule(s, env, env_key) for s in body.get("statement", [])]
        for dynamic in body.get("dynamic", []):
            for name, block in dynamic.items():
                assert name.strip('"') == "statement", name
                assert block["for_each"] == "${local.environments}", block["for_each"]
                content = block["content"][0]
                out += [_rule(content, e, k) for k, e in self.environments.items()]
        return out

    def identity(self, principal: str) -> list[Rule]:
        """The identity policies of a CI role, by role name."""
        if principal == self.plan_role:
            return [READ_ONLY, *self.rules("plan_no_data"), *self.rules("state_read")]
        for key, env in self.environments.items():
            if env["role"] == principal:
                return [POWER_USER, *self.rules("apply_iam", key)]
        raise AssertionError(f"no CI role named {principal}")

    def object_arn(self, key: str) -> str:
        return f"{self.refs['aws_s3_bucket.state.arn']}/{key}"

    def decide(
        self,
        principal_arn: str,
        identity: list[Rule],
        resource_policy: list[Rule],
        action: str,
        resource: str,
    ) -> str:
        context = {"aws:PrincipalArn": [principal_arn], "aws:SecureTransport": ["true"]}
        allowed = False
        for rule, from_resource in [(r, False) for r in identity] + [
            (r, True) for r in resource_policy
        ]:
            if not self._applies(rule, from_resource, principal_arn, action, resource, context):
                continue
            if rule.effect == "Deny":
                return EXPLICIT_DENY
            allowed = True
        return ALLOW if allowed else IMPLICIT_DENY

    def _applies(
        self,
        rule: Rule,
        from_resource: bool,
        principal_arn: str,
        action: str,
        resource: str,
        context: Mapping[str, list[str]],
    ) -> bool:
        if rule.actions and not any(_action(action, a) for a in rule.actions):
            return False
        if rule.not_actions and any(_action(action, a) for a in rule.not_actions):
            return False
        env, key = rule.env, rule.env_key
        resources = self.resolve(rule.body.get("resources", []), env, key)
        not_resources = self.resolve(rule.body.get("not_resources", []), env, key)
        if resources and not any(fnmatchcase(resource, r) for r in resources):
            return False
        if not_resources and any(fnmatchcase(resource, r) for r in not_resources):
            return False
        principals = rule.body.get("principals", [])
        if from_resource:
            assert principals, f"{rule.sid}: a bucket policy statement names its principals"
            named = [
                arn
                for p in principals
                if _value(p["type"]) in ("AWS", "*")
                for arn in self.resolve(p["identifiers"], env, key)
            ]
            if "*" not in named and principal_arn not in named:
                return False
        for condition in rule.body.get("condition", []):
            test = str(_value(condition["test"]))
            variable = str(_value(condition["variable"]))
            values = [str(v) for v in self.resolve(condition["values"], env, key)]
            given = context.get(variable)
            if given is None:
                return False
            if test in ("ArnEquals", "ArnLike"):
                matched = any(fnmatchcase(g, v) for g in given for v in values)
            elif test in ("StringEquals", "Bool"):
                matched = any(g.lower() == v.lower() if test == "Bool" else g == v
                              for g in given for v in values)  # fmt: skip
            else:
                raise AssertionError(f"{rule.sid}: condition operator {test} not modelled")
            if not matched:
                return False
        return True


def _rule(body: Mapping[str, Any], env: Mapping[str, Any] | None, key: str | None) -> Rule:
    def strings(name: str) -> tuple[str, ...]:
        return tuple(str(a) for a in _value(body.get(name, [])))

    return Rule(
        str(body.get("sid", "")).strip('"'),  # as written: a sid may call a function
        str(_value(body.get("effect", '"Allow"'))),
        strings("actions"),
        strings("not_actions"),
        body,
        env,
        key,
    )


def _action(action: str, pattern: str) -> bool:
    return fnmatchcase(action.lower(), pattern.lower())  # IAM actions ignore case


def _spans(text: str) -> list[tuple[int, int]]:
    """Start and end (exclusive) of each top-level ``${...}`` in a template."""
    spans: list[tuple[int, int]] = []
    i = 0
    while (start := text.find("${", i)) != -1:
        depth, j = 0, start + 1
        while j < len(text):
            depth += {"{": 1, "}": -1}.get(text[j], 0)
            if depth == 0:
                break
            j += 1
        assert depth == 0, f"unbalanced template: {text}"
        spans.append((start, j + 1))
        i = j + 1
    return spans


def _whole_expression(text: str) -> str | None:
    spans = _spans(text)
    if len(spans) == 1 and spans[0] == (0, len(text)):
        return text[2:-1]
    return None


def _interpolate(text: str, value: Any) -> str:
    out, last = [], 0
    for start, end in _spans(text):
        out.append(text[last:start])
        out.append(value(text[start + 2 : end - 1]))
        last = end
    out.append(text[last:])
    return "".join(out)
