"""The stack's KMS key lets an AWS service use it only for this account's resources.

A key policy that names a service principal with no condition lets that service use
the key on behalf of anyone's resources (the confused deputy). Each service principal
of the policy must carry the condition keys its service documents, scoped to this
account; and the CloudWatch condition must match every alarm that notifies the
topic the key encrypts, or those alarms would reach nobody.
"""

from __future__ import annotations

import json
import re
from fnmatch import fnmatchcase
from typing import Any

import hcl2
import pytest

from tools.rendering import render

MODULES = "terraform-modules"
ACCOUNT = "${local.account_id}"

# Service principal -> the condition keys its documentation gives for a key policy.
DOCUMENTED = {
    "logs.${local.region}.amazonaws.com": {"kms:EncryptionContext:aws:logs:arn"},
    "cloudwatch.amazonaws.com": {"aws:SourceAccount", "aws:SourceArn"},
}


def _plain(raw: Any) -> Any:
    if isinstance(raw, str) and len(raw) >= 2 and raw[0] == raw[-1] == '"':
        return json.loads(raw)
    if isinstance(raw, list):
        return [_plain(v) for v in raw]
    if isinstance(raw, dict):
        return {str(_plain(k)): _plain(v) for k, v in raw.items() if not k.startswith("__")}
    return raw


def key_policy(files: dict[str, str]) -> list[dict[str, Any]]:
    """The statements of aws_kms_key.stack's policy, as written (jsonencode of an object)."""
    doc = hcl2.loads(files["infra/modules/stack/main.tf"])
    [key] = [r['"aws_kms_key"']['"stack"'] for r in doc["resource"] if '"aws_kms_key"' in r]
    policy = key["policy"]
    assert policy.startswith("${jsonencode(") and policy.endswith(")}"), policy[:40]
    body = hcl2.loads("x = " + policy[len("${jsonencode(") : -2] + "\n")["x"]
    statements: list[dict[str, Any]] = _plain(body)["Statement"]
    return statements


def conditions(statement: dict[str, Any]) -> dict[str, str]:
    """condition key -> value (every operator folded together)."""
    out: dict[str, str] = {}
    for values in (statement.get("Condition") or {}).values():
        out.update(values)
    return out


@pytest.fixture(scope="module")
def statements() -> list[dict[str, Any]]:
    return key_policy(render(MODULES))


def test_every_service_principal_carries_its_documented_conditions(
    statements: list[dict[str, Any]],
) -> None:
    services = [s for s in statements if "Service" in s["Principal"]]
    assert {s["Principal"]["Service"] for s in services} <= set(DOCUMENTED), (
        "a new service principal: add the condition keys its documentation gives"
    )
    assert services
    for statement in services:
        found = conditions(statement)
        wanted = DOCUMENTED[statement["Principal"]["Service"]]
        assert wanted <= set(found), (statement["Sid"], found)
        for key in wanted:  # each names this account: no other account's resource matches
            assert ACCOUNT in found[key], (statement["Sid"], key, found[key])
    cloudwatch = next(s for s in services if s["Principal"]["Service"].startswith("cloudwatch"))
    assert "StringEquals" in cloudwatch["Condition"] and "ArnLike" in cloudwatch["Condition"]


class Names:
    """Resolve the name expressions of the monitoring module for one environment: its
    variables through the stack's call, locals of either module, ``var.names.*``, and
    ``coalesce`` (the only function the names use)."""

    def __init__(self, files: dict[str, str], names: dict[str, str]) -> None:
        stack = hcl2.loads(files["infra/modules/stack/main.tf"])
        monitoring = hcl2.loads(files["infra/modules/monitoring/main.tf"])
        [call] = [m['"monitoring"'] for m in stack["module"] if '"monitoring"' in m]
        self.call = {k: v for k, v in call.items() if not k.startswith("__")}
        self.locals = {"stack": _locals(stack), "monitoring": _locals(monitoring)}
        self.names = names

    def resolve(self, raw: Any, module: str = "monitoring") -> str | None:
        text = _plain(raw)
        if text is None:
            return None
        assert isinstance(text, str), text
        whole = re.fullmatch(r"\$\{coalesce\((.+), (.+)\)\}", text)
        if whole:
            first = self.resolve(f"${{{whole.group(1)}}}", module)
            return first if first is not None else self.resolve(whole.group(2), module)

        def one(match: re.Match[str]) -> str:
            ref = match.group(1)
            if ref.startswith("var.names."):
                return self.names[ref.removeprefix("var.names.")]
            if ref.startswith("var.") and module == "monitoring":
                value = self.resolve(self.call.get(ref.removeprefix("var.")), "stack")
                assert value is not None, f"the stack passes no {ref}"
                return value
            if ref.startswith("local."):
                value = self.resolve(self.locals[module][ref.removeprefix("local.")], module)
                assert value is not None, ref
                return value
            raise AssertionError(f"cannot resolve {ref}")

        if re.fullmatch(r"\$\{var\.\w+\}", text) and module == "monitoring":
            name = text[len("${var.") : -1]
            if name not in self.call:
                return None  # not passed: the variable's default (null for the names)
        return re.sub(r"\$\{([\w.]+)\}", one, text)


def _locals(doc: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for block in doc.get("locals", []):
        out.update({k: v for k, v in block.items() if not k.startswith("__")})
    return out


def test_the_cloudwatch_condition_matches_every_alarm_that_notifies_the_topic(
    statements: list[dict[str, Any]],
) -> None:
    from infraplan.spec.load import parse_spec
    from infraplan.spec.naming import env_names
    from tools.rendering import spec_text

    files = render(MODULES)
    [cloudwatch] = [s for s in statements if s["Principal"].get("Service", "").startswith("cloudw")]
    pattern = conditions(cloudwatch)["aws:SourceArn"]
    assert pattern.endswith(":alarm:${var.names.stack}-*")
    monitoring = hcl2.loads(files["infra/modules/monitoring/main.tf"])
    spec = parse_spec(spec_text())
    for env in spec.environments:
        names = {k: v for k, v in vars(env_names(spec, env.name)).items() if isinstance(v, str)}
        resolver = Names(files, names)
        arn = pattern.replace("${var.names.stack}", names["stack"])
        arn = arn.replace("${local.partition}", "aws").replace("${local.region}", "eu-west-1")
        arn = arn.replace(ACCOUNT, "123456789012")
        notifying = 0
        for block in monitoring["resource"]:
            for body in block.get('"aws_cloudwatch_metric_alarm"', {}).values():
                if "alarm_topics" not in str(body.get("alarm_actions", "")):
                    continue
                notifying += 1
                name = resolver.resolve(body["alarm_name"])
                assert name and "${" not in name, name
                alarm = f"arn:aws:cloudwatch:eu-west-1:123456789012:alarm:{name}"
                assert fnmatchcase(alarm, arn), (alarm, arn)
        assert notifying >= 5
        assert not fnmatchcase("arn:aws:cloudwatch:eu-west-1:999999999999:alarm:x", arn)
        other = f"arn:aws:cloudwatch:eu-west-1:123456789012:alarm:other-{names['stack']}"
        assert not fnmatchcase(other, arn)
