"""The ``alarm_notify`` rule: who hears the CloudWatch alarms.

An alarm with no ``alarm_actions`` changes state and tells nobody. An action that is
an SNS topic the repository creates tells that topic's subscribers (its
``aws_sns_topic_subscription`` resources and Amazon Q Developer chat channels); one
that is a topic from outside (a literal ARN, a variable, a lookup) tells whoever
that topic reaches. Alarms whose only actions scale the service act, they do not
tell, and are left out. With a plan, every person or topic it names in
``monitoring`` (``notify_emails``, ``notify_topic_arns``, ``slack``) must be reached
by every alarm; a plan that names no one is told so, with the alarms' reach.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from infraplan.check.plan_context import PlanContext
from infraplan.check.repo_model import RepoModel
from infraplan.check.terraform_types import Resource, is_expression
from infraplan.check.verdicts import against_plan, verdict
from infraplan.findings import Finding

_TOPIC_REF = re.compile(r"aws_sns_topic\.([\w-]+)")
_SNS_ARN = re.compile(r"arn:aws[\w-]*:sns:[\w-]+:\d{12}:[\w.-]+")
_SCALING = re.compile(r"aws_appautoscaling_policy|aws_autoscaling_policy|:autoscaling:")
_OUTSIDE = re.compile(r"\b(var\.[\w-]+|data\.[\w-]+\.[\w-]+|module\.[\w-]+(?:\.[\w-]+)?)")
_CHAT = ("aws_chatbot_slack_channel_configuration", "aws_chatbot_teams_channel_configuration")


def _text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, default=str)


@dataclass
class Reach:
    """Whom one alarm tells."""

    emails: set[str] = field(default_factory=set)
    topics: set[str] = field(default_factory=set)  # ARNs or expressions from outside
    chats: set[str] = field(default_factory=set)  # Slack channel ids
    others: set[str] = field(default_factory=set)  # other subscription endpoints
    unsure: list[str] = field(default_factory=list)  # what static reading cannot tell
    bare: list[str] = field(default_factory=list)  # created topics with no subscriber
    computed: list[str] = field(default_factory=list)  # topics only terraform can name
    where: list[str] = field(default_factory=list)

    @property
    def anyone(self) -> bool:
        return bool(self.emails or self.topics or self.chats or self.others)

    def said(self) -> str:
        parts = [f"{e} (e-mail)" for e in sorted(self.emails)]
        parts += [f"Slack channel {c}" for c in sorted(self.chats)]
        parts += [f"topic {t}" for t in sorted(self.topics)]
        parts += sorted(self.others)
        return ", ".join(parts) or "nobody"


def _subscribers(repo: RepoModel, topic: Resource, reach: Reach) -> None:
    """Add ``topic``'s subscribers (in its module) to ``reach``."""
    tf = repo.terraform
    prefix = topic.module_path
    here = [r for r in tf.resources if r.root == topic.root and r.module_path == prefix]
    ref = f"aws_sns_topic.{topic.name}"
    before = len(reach.where)
    for sub in here:
        if sub.type == "aws_sns_topic_subscription" and ref in _text(sub.attrs.get("topic_arn")):
            endpoint, protocol = sub.attrs.get("endpoint"), sub.attrs.get("protocol")
            reach.where.append(sub.where("endpoint"))
            if is_expression(endpoint) or is_expression(protocol):
                reach.unsure.append(f"{sub.address}: the endpoint is {endpoint}")
            elif str(protocol).startswith("email"):
                reach.emails.add(str(endpoint))
            else:
                reach.others.add(f"{endpoint} ({protocol})")
        elif sub.type in _CHAT and ref in _text(sub.attrs.get("sns_topic_arns")):
            count = sub.attrs.get("count")
            channel = sub.attrs.get("slack_channel_id", sub.attrs.get("channel_id"))
            if is_expression(count):
                reach.unsure.append(f"{sub.address} is created only when {count}")
            else:
                reach.where.append(sub.where())
                reach.chats.add(str(channel))
    if len(reach.where) == before and not reach.unsure:
        reach.bare.append(topic.address)


def _reach(repo: RepoModel, alarm: Resource) -> Reach | None:
    """Whom ``alarm`` tells; None for an alarm whose actions only scale the service."""
    actions = alarm.attrs.get("alarm_actions")
    reach = Reach(where=[alarm.where("alarm_actions")])
    text = _text(actions) if actions else ""
    if not text or text == "[]":
        return reach
    if _SCALING.search(text) and not _TOPIC_REF.search(text) and not _SNS_ARN.search(text):
        return None
    topics = {
        t.name: t
        for t in repo.terraform.of_type("aws_sns_topic")
        if t.root == alarm.root and t.module_path == alarm.module_path
    }
    for name in _TOPIC_REF.findall(text):
        if name in topics:
            _subscribers(repo, topics[name], reach)
    reach.topics.update(_SNS_ARN.findall(text))
    # a topic from outside the repository (a variable with no value here, a lookup, a
    # module's output): whoever it reaches is told
    reach.computed = _OUTSIDE.findall(_SNS_ARN.sub("", _TOPIC_REF.sub("", text)))
    reach.topics.update(reach.computed)
    return reach


def _plan_misses(plan: PlanContext, reach: Reach) -> list[tuple[str, Any]]:
    """(what the plan names that ``reach`` lacks, where the plan says it)."""
    monitoring = plan.spec.monitoring
    out: list[tuple[str, Any]] = []
    for email in monitoring.notify_emails:
        if email not in reach.emails:
            out.append((email, plan.stated("monitoring", "notify_emails")))
    for arn in monitoring.notify_topic_arns:
        if arn not in reach.topics:
            out.append((arn, plan.stated("monitoring", "notify_topic_arns")))
    if monitoring.slack is not None and monitoring.slack.channel_id not in reach.chats:
        out.append(
            (f"Slack channel {monitoring.slack.channel_id}", plan.stated("monitoring", "slack"))
        )
    return out


def alarm_notify(repo: RepoModel, plan: PlanContext) -> Finding:
    rule = "alarm_notify"
    alarms = repo.terraform.of_type("aws_cloudwatch_metric_alarm")
    judged = [(a, r) for a in alarms if (r := _reach(repo, a)) is not None]
    names = plan.given and plan.spec.monitoring.notifies_someone
    if plan.given and not names:
        told = sorted({r.said() for _, r in judged}) or ["nobody (no alarm)"]
        line = plan.line("monitoring") if "monitoring" in plan.spec.model_fields_set else 1
        return verdict(
            rule,
            "skipped",
            f"the plan names no one to notify (monitoring: notify_emails, notify_topic_arns or "
            f"slack; {plan.path}:{line}): the alarms tell {'; '.join(told)}",
            [w for _, r in judged for w in r.where[:1]],
        )
    if not judged:
        return verdict(rule, "fail", "no CloudWatch alarm tells anyone: there is no alarm")
    silent = [a for a, r in judged if not (r.anyone or r.unsure or r.bare)]
    if silent:
        shown = ", ".join(a.address for a in silent[:3])
        more = f" and {len(silent) - 3} more" if len(silent) > 3 else ""
        reason = f"{shown}{more} notify nobody: no alarm_actions"
        where = [a.where("alarm_actions") for a in silent]
        if names:
            stated = plan.stated("monitoring")
            assert stated is not None
            return against_plan(rule, f"{reason}; the plan names who is told", where, stated)
        return verdict(rule, "fail", reason, where)
    if names:
        for alarm, reach in judged:
            misses = _plan_misses(plan, reach)
            if not misses:
                continue
            what, stated = misses[0]
            reason = f"{alarm.address} does not reach {what}, whom the plan tells ({stated.where})"
            reason += f"; it tells {reach.said()}"
            maybe = reach.unsure + [f"its actions name {c}" for c in reach.computed]
            if maybe:
                return verdict(
                    rule, "unknown", f"{reason}; {maybe[0]}", [*reach.where, stated.where]
                )
            return against_plan(rule, reason, reach.where, stated)
    unsure = [(a, r) for a, r in judged if (r.unsure or r.bare) and not r.anyone]
    if unsure:
        alarm, reach = unsure[0]
        why = (
            reach.unsure[0]
            if reach.unsure
            else (
                f"{reach.bare[0]} has no subscription in this repository; a subscription made "
                "outside Terraform (console, CLI) would decide it"
            )
        )
        return verdict(
            rule, "unknown", f"{alarm.address} tells nobody it names: {why}", reach.where
        )
    told = sorted({r.said() for _, r in judged})
    where = [w for _, r in judged for w in r.where]
    return verdict(rule, "pass", f"{len(judged)} alarm(s) tell {'; '.join(told)}", where)
