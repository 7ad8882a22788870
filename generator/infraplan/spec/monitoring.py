"""The monitoring section of the spec: alarms, dashboard and who is told."""

from __future__ import annotations

from pydantic import Field

from infraplan.spec.types import Email, Model, SnsTopicArn


class SlackChannel(Model):
    """A Slack channel reached through Amazon Q Developer in chat applications."""

    team_id: str = Field(
        ...,
        pattern=r"^[A-Z0-9]{1,255}$",
        description="Slack workspace (team) id, as its console shows after authorizing it.",
    )
    channel_id: str = Field(
        ..., pattern=r"^[A-Za-z0-9]{1,255}$", description="Slack channel id, e.g. C07EZ1ABC23."
    )


class Monitoring(Model):
    """CloudWatch alarms, dashboard and who is told."""

    cpu_alarm_percent: int = Field(80, ge=1, le=100, description="Alarm when ECS CPU passes N%.")
    http_5xx_alarm_count: int = Field(
        5, ge=1, le=100_000, description="Alarm when target 5xx responses pass N per minute."
    )
    memory_alarm_percent: int = Field(
        80, ge=1, le=100, description="Alarm when ECS memory passes N%."
    )
    lb_5xx_alarm_count: int = Field(
        5,
        ge=0,
        le=100_000,
        description="Alarm when the load balancer's own 5xx (502/503/504: no target answers) "
        "pass N per minute.",
    )
    unhealthy_targets_alarm_count: int = Field(
        0, ge=0, le=100, description="Alarm when more than N targets stay unhealthy 3 minutes."
    )
    dashboard: bool = Field(True, description="Create a CloudWatch dashboard.")
    notify_emails: list[Email] = Field(
        default_factory=list, description="E-mail addresses subscribed to alarms and budget."
    )
    notify_topic_arns: list[SnsTopicArn] = Field(
        default_factory=list,
        description="Existing SNS topics that also receive alarms and budget alerts.",
    )
    slack: SlackChannel | None = Field(
        None,
        description="Slack channel told of alarms through Amazon Q Developer in chat "
        "applications (formerly AWS Chatbot).",
    )

    @property
    def notifies_someone(self) -> bool:
        return bool(self.notify_emails or self.notify_topic_arns or self.slack)

    @property
    def budget_reaches_someone(self) -> bool:
        """The budget alerts go to the e-mail addresses and the existing topics only: the
        Slack channel follows the alarm topic, which the budget does not publish to."""
        return bool(self.notify_emails or self.notify_topic_arns)


# What ``init`` and ``new`` say when Slack is the only one told.
SLACK_ONLY = (
    "monitoring.slack is the only one notified: the Slack channel gets the alarms, but the "
    "budget alerts (R4) reach nobody, since AWS Budgets sends them to monitoring.notify_emails "
    "and notify_topic_arns only; add an e-mail address or a topic"
)
