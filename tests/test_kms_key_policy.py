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
    # The stack passes the monitoring module names from var.names; each alarm that
    # notifies the topic is named from them.
    stack = files["infra/modules/stack/main.tf"]
    passed = dict(re.findall(r"^\s+(\w+_name)\s+= var\.names\.(\w+)$", stack, re.MULTILINE))
    monitoring = hcl2.loads(files["infra/modules/monitoring/main.tf"])
    spec = parse_spec(spec_text())
    for env in spec.environments:
        names = vars(env_names(spec, env.name))
        arn = pattern.replace("${var.names.stack}", names["stack"])
        arn = arn.replace("${local.partition}", "aws").replace("${local.region}", "eu-west-1")
        arn = arn.replace(ACCOUNT, "123456789012")
        notifying = 0
        for block in monitoring["resource"]:
            for body in block.get('"aws_cloudwatch_metric_alarm"', {}).values():
                if "alarm_topics" not in str(body.get("alarm_actions", "")):
                    continue
                notifying += 1
                name = _plain(body["alarm_name"])
                for variable in re.findall(r"\$\{var\.(\w+)\}", name):
                    name = name.replace(f"${{var.{variable}}}", names[passed[variable]])
                for variable, field in passed.items():
                    if name == f"${{var.{variable}}}":
                        name = names[field]
                assert "${" not in name, name
                alarm = f"arn:aws:cloudwatch:eu-west-1:123456789012:alarm:{name}"
                assert fnmatchcase(alarm, arn), (alarm, arn)
        assert notifying >= 2
        assert not fnmatchcase("arn:aws:cloudwatch:eu-west-1:999999999999:alarm:x", arn)
