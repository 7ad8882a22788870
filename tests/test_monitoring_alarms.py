"""Alarms that catch an outage, and who hears them (issue: production readiness, item 2).

The monitoring module is read as Terraform (python-hcl2); checkov, terraform fmt and the
provider schema run over it in test_terraform_templates.py.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import hcl2
import pytest

from infraplan.plan.markdown import render_plan
from infraplan.spec.load import parse_spec
from tools.rendering import render, spec_text

MODULE = "infra/modules/monitoring"


def _module(name: str) -> dict[str, Any]:
    files = render("terraform-modules")
    doc: dict[str, Any] = hcl2.loads(files[f"infra/modules/{name}/main.tf"])
    return doc


def _resources(doc: dict[str, Any], rtype: str) -> dict[str, dict[str, Any]]:
    return {
        name.strip('"'): body
        for entry in doc["resource"]
        for t, block in entry.items()
        if t.strip('"') == rtype
        for name, body in block.items()
    }


def _plain(value: object) -> object:
    return value.strip('"') if isinstance(value, str) else value


@pytest.fixture(scope="module")
def alarms() -> dict[str, dict[str, Any]]:
    return {
        name: {k: _plain(v) for k, v in body.items()}
        for name, body in _resources(_module("monitoring"), "aws_cloudwatch_metric_alarm").items()
    }


def test_every_outage_signal_has_an_alarm(alarms: dict[str, dict[str, Any]]) -> None:
    metrics = {body["metric_name"] for body in alarms.values()}
    assert {
        "CPUUtilization",
        "MemoryUtilization",
        "HTTPCode_Target_5XX_Count",
        "HTTPCode_ELB_5XX_Count",
        "HealthyHostCount",
        "UnHealthyHostCount",
        "RunningTaskCount",
    } <= metrics


def _by_metric(alarms: dict[str, dict[str, Any]], metric: str) -> dict[str, Any]:
    [body] = [b for b in alarms.values() if b["metric_name"] == metric]
    return body


def test_load_balancer_5xx_is_counted_on_the_load_balancer_alone(
    alarms: dict[str, dict[str, Any]],
) -> None:
    """HTTPCode_ELB_5XX_Count has no TargetGroup dimension: with one, it never has data."""
    body = _by_metric(alarms, "HTTPCode_ELB_5XX_Count")
    assert body["namespace"] == "AWS/ApplicationELB"
    assert body["dimensions"] == "${local.lb_dimensions}"
    doc = _module("monitoring")
    [local_block] = doc["locals"]
    assert local_block["lb_dimensions"] == {"LoadBalancer": "${var.load_balancer_arn_suffix}"}
    assert body["threshold"] == "${var.lb_5xx_alarm_count}"


def test_no_healthy_target_breaches_on_missing_data(alarms: dict[str, dict[str, Any]]) -> None:
    body = _by_metric(alarms, "HealthyHostCount")
    assert (body["comparison_operator"], body["threshold"]) == ("LessThanThreshold", 1)
    assert body["treat_missing_data"] == "breaching"
    assert body["statistic"] == "Minimum"


def test_running_tasks_below_desired_use_container_insights(
    alarms: dict[str, dict[str, Any]],
) -> None:
    body = _by_metric(alarms, "RunningTaskCount")
    assert body["namespace"] == "ECS/ContainerInsights"
    assert body["comparison_operator"] == "LessThanThreshold"
    assert body["threshold"] == "${var.desired_count}"
    assert body["treat_missing_data"] == "breaching"
    ecs = render("terraform-modules")["infra/modules/ecs/main.tf"]
    assert 'name  = "containerInsights"' in ecs and 'value = "enabled"' in ecs


def test_memory_and_unhealthy_thresholds_are_variables(alarms: dict[str, dict[str, Any]]) -> None:
    assert _by_metric(alarms, "MemoryUtilization")["threshold"] == "${var.memory_alarm_percent}"
    unhealthy = _by_metric(alarms, "UnHealthyHostCount")
    assert unhealthy["threshold"] == "${var.unhealthy_targets_alarm_count}"


def test_every_alarm_and_recovery_goes_to_every_topic(alarms: dict[str, dict[str, Any]]) -> None:
    for name, body in alarms.items():
        assert body["alarm_actions"] == "${local.alarm_topics}", name
        assert body["ok_actions"] == "${local.alarm_topics}", name
    [local_block] = _module("monitoring")["locals"]
    assert "var.notify_topic_arns" in local_block["alarm_topics"]


def test_slack_channel_subscribes_to_the_alarm_topic_only_when_asked() -> None:
    doc = _module("monitoring")
    [chat] = _resources(doc, "aws_chatbot_slack_channel_configuration").values()
    assert chat["count"] == "${var.slack_channel == null ? 0 : 1}"
    assert chat["sns_topic_arns"] == ["${aws_sns_topic.alarms.arn}"]
    assert chat["slack_team_id"] == "${var.slack_channel.team_id}"
    [role] = _resources(doc, "aws_iam_role").values()
    assert "chatbot.amazonaws.com" in str(role["assume_role_policy"])


def test_budget_alerts_reach_topics_as_well_as_emails() -> None:
    doc = _module("budget")
    [budget] = _resources(doc, "aws_budgets_budget").values()
    notifications = [d['"notification"'] for d in budget["dynamic"] if '"notification"' in d]
    assert len(notifications) == 2  # actual spend at each threshold, and the forecast
    for notification in notifications:
        [content] = notification["content"]
        assert content["subscriber_sns_topic_arns"] == "${var.notify_topic_arns}"
        assert notification["for_each"].startswith("${local.notify ?")
    [local_block] = doc["locals"]
    assert "var.notify_topic_arns" in local_block["notify"]


# --- the spec and the plan --------------------------------------------------------------

SLACK = {"team_id": "T07EA123LEP", "channel_id": "C07EZ1ABC23"}
TOPIC = "arn:aws:sns:eu-west-1:123456789012:on-call"


@pytest.mark.parametrize(
    "monitoring",
    [{}, {"notify_emails": ["ops@example.com"]}, {"notify_topic_arns": [TOPIC]}, {"slack": SLACK}],
)
@pytest.mark.parametrize("lang", ["es", "en"])
def test_plan_says_when_nobody_is_notified(monitoring: dict[str, Any], lang: str) -> None:
    spec = parse_spec(spec_text(monitoring=monitoring, language=lang))
    plan = render_plan(spec, lang)  # type: ignore[arg-type]
    row = {"es": "no avisan a nadie", "en": "notify nobody"}[lang]
    assert (row in plan) is (not monitoring), plan[-2000:]


@pytest.mark.parametrize(
    ("monitoring", "field"),
    [
        ({"notify_topic_arns": ["arn:aws:sqs:eu-west-1:123456789012:q"]}, "notify_topic_arns"),
        ({"slack": {"team_id": "T07EA123LEP"}}, "channel_id"),
        ({"slack": {"team_id": "t-lower", "channel_id": "C1"}}, "team_id"),
        ({"memory_alarm_percent": 0}, "memory_alarm_percent"),
        ({"lb_5xx_alarm_count": -1}, "lb_5xx_alarm_count"),
    ],
)
def test_bad_notification_targets_and_thresholds_are_bad_input(
    monitoring: dict[str, Any], field: str, tmp_path: Path, run_cli: Callable[..., Any]
) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(spec_text(monitoring=monitoring), encoding="utf-8")
    result = run_cli("plan", str(path))
    assert result.code == 2
    assert field in result.err


def test_init_says_when_nobody_is_notified(tmp_path: Path, run_cli: Callable[..., Any]) -> None:
    result = run_cli("init", str(tmp_path / "plan.yaml"), "--no-input")
    assert result.code == 0
    assert "alarms and budget alerts will reach nobody" in result.err


SLACK = {"slack": {"team_id": "T0123ABC", "channel_id": "C07EZ1ABC23"}}


@pytest.mark.parametrize(
    ("monitoring", "warned"),
    [
        (SLACK, True),
        ({**SLACK, "notify_emails": ["ops@example.com"]}, False),
        ({**SLACK, "notify_topic_arns": ["arn:aws:sns:eu-west-1:123456789012:oncall"]}, False),
    ],
)
def test_new_warns_when_only_slack_would_hear_of_the_budget(
    monitoring: dict[str, Any], warned: bool, tmp_path: Path, run_cli: Callable[..., Any]
) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(spec_text(monitoring=monitoring), encoding="utf-8")
    result = run_cli("new", str(path), "-o", str(tmp_path / "repo"))
    assert result.code == 0, result.err
    said = "budget alerts (R4) reach nobody" in result.err
    assert said == warned, result.err
    # what the warning says is what the code does: the budget module subscribes only the
    # e-mail addresses and topics, and with Slack alone each environment passes none
    budget = hcl2.loads((tmp_path / "repo/infra/modules/budget/main.tf").read_text())
    assert "var.notify_emails" in budget["locals"][0]["notify"]
    for env in ("staging", "production"):
        root = hcl2.loads((tmp_path / f"repo/infra/envs/{env}/main.tf").read_text())
        stack = next(m['"stack"'] for m in root["module"] if '"stack"' in m)
        assert (stack["notify_emails"] + stack["notify_topic_arns"] == []) == warned


def test_init_says_slack_gets_the_alarms_only(tmp_path: Path, run_cli: Callable[..., Any]) -> None:
    result = run_cli("init", str(tmp_path / "plan.yaml"), "--no-input")
    assert "slack gets the alarms only" in result.err
