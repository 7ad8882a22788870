"""The plan spec: pydantic models for ``plan.yaml``.

Every field has a description (the JSON Schema and ``docs/spec.md`` come from
them) and a default, so a five-line spec is a whole plan. Checks that need
several fields at once live in :mod:`infraplan.spec.semantics`.
"""

from __future__ import annotations

import datetime as dt
import difflib
import ipaddress
import os
import re
from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator

from infraplan.spec.aws_facts import FARGATE_SIZES, REGIONS
from infraplan.spec.secret_values import credential_kind

SLUG = r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$"
SECRET_NAME = r"^[A-Za-z_][A-Za-z0-9_]*$"
REPOSITORY = r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}$"
EMAIL = r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$"
HEALTH_PATH = r"^/[A-Za-z0-9._~/-]*$"
BRANCH = r"^[A-Za-z0-9._/-]+$"
SNS_TOPIC_ARN = r"^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]{1,256}$"
PLAN_ID = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$"
TASK_ID = r"^U?[1-3]\.[0-9]{1,2}$"

Slug = Annotated[str, Field(pattern=SLUG, min_length=2, max_length=28)]

Level = Literal["low", "medium", "high"]
_LEVEL_WORDS = {
    "low": "low",
    "baja": "low",
    "bajo": "low",
    "medium": "medium",
    "media": "medium",
    "medio": "medium",
    "high": "high",
    "alta": "high",
    "alto": "high",
}


def _level(value: object) -> object:
    """Accept a level in Spanish or English, any case (the seed writes ``Media``, ``Alto``)."""
    if isinstance(value, str):
        return _LEVEL_WORDS.get(value.strip().lower(), value)
    return value


LevelIn = Annotated[Level, BeforeValidator(_level)]


def today() -> dt.date:
    """Today, or the day SOURCE_DATE_EPOCH names, for reproducible output."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc).date()
    return dt.date.today()


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=True)


class Requirements(Model):
    """The four key requirements of the seed, each with a machine rule."""

    no_plaintext_secrets: bool = Field(
        True, description="R1 security: no secret in plain text in code or pipeline."
    )
    deploy_minutes: int = Field(
        10,
        ge=3,
        le=360,
        description="R2 performance: a change reaches the first environment in less than N "
        "minutes, from the push to a healthy service; the deploy jobs' timeout. At least 3: "
        "the job pushes the image before it waits.",
    )
    auto_rollback: bool = Field(
        True, description="R3 reliability: a failed deploy rolls back automatically."
    )
    monthly_budget_usd: float = Field(
        100, gt=0, le=1_000_000, description="R4 cost: the stack costs less than $N per month."
    )


Runtime = Literal["python", "node", "go", "java", "generic"]


class Service(Model):
    """The container service run on ECS Fargate."""

    name: Slug | None = Field(None, description="Service name; default: the project name.")
    port: int = Field(
        8080,
        ge=1024,
        le=65535,
        description="Container port. 1024-65535: the container runs as a non-root user.",
    )
    health_check_path: str = Field(
        "/healthz",
        pattern=HEALTH_PATH,
        max_length=1024,
        description="HTTP path the load balancer and the container health check (in the task "
        "definition, which ECS runs) probe.",
    )
    cpu: int = Field(256, description="Fargate CPU units: 256, 512, 1024, 2048, 4096, 8192, 16384.")
    memory: int = Field(512, description="Fargate memory in MiB; must fit the CPU value.")
    desired_count: int = Field(2, ge=1, le=100, description="Tasks kept running.")
    runtime: Runtime = Field("python", description="Language of the Dockerfile.")

    @field_validator("cpu")
    @classmethod
    def _fargate_cpu(cls, value: int) -> int:
        if value not in FARGATE_SIZES:
            accepted = ", ".join(str(c) for c in FARGATE_SIZES)
            raise ValueError(f"not a Fargate CPU value; accepted: {accepted}")
        return value


class Aws(Model):
    """Where the stack runs."""

    region: str = Field("eu-west-1", description="AWS region, e.g. eu-west-1.")
    account_id: str | None = Field(
        None, description='12-digit AWS account id, quoted ("012345678901"); optional.'
    )

    @field_validator("region")
    @classmethod
    def _known_region(cls, value: str) -> str:
        if value not in REGIONS:
            close = difflib.get_close_matches(value, REGIONS, n=3, cutoff=0.6)
            accepted = f"an AWS region such as {', '.join(close or ('eu-west-1', 'us-east-1'))}"
            raise ValueError(f"not an AWS region; accepted: {accepted}")
        return value

    @field_validator("account_id", mode="before")
    @classmethod
    def _account_id(cls, value: object) -> object:
        if isinstance(value, bool):
            return value
        if isinstance(value, int):
            text = str(value)
            if len(text) != 12:
                raise ValueError(
                    f"{value} has {len(text)} digits; an account id has 12. If it starts "
                    'with 0, quote it: account_id: "0..."'
                )
            return text
        if isinstance(value, str) and not re.fullmatch(r"\d{12}", value):
            raise ValueError("not a 12-digit AWS account id; accepted: 12 digits, quoted")
        return value


Nat = Literal["none", "single", "per_az"]


class Egress(Model):
    """One outbound rule of the service's tasks: a TCP port to a CIDR block."""

    port: int = Field(..., ge=1, le=65535, description="TCP port.")
    cidr: str = Field("0.0.0.0/0", description="IPv4 destination block; default: anywhere.")
    description: str = Field(
        "",
        max_length=200,
        pattern=r"^[A-Za-z0-9 ._:/()#,@+=&;{}!$*-]*$",
        description="What the rule is for: letters, digits, spaces and ._-:/()#,@+=&;{}!$*, "
        "the characters AWS allows in a rule description.",
    )

    @field_validator("cidr")
    @classmethod
    def _cidr(cls, value: str) -> str:
        ipv4_block(value)
        return value


def ipv4_block(value: str) -> ipaddress.IPv4Network:
    """``value`` as an IPv4 network, or a ValueError saying why it is not one."""
    try:
        network = ipaddress.ip_network(value, strict=True)
    except ValueError as exc:
        raise ValueError(f"{value!r} is not an IPv4 CIDR block ({exc})") from None
    if not isinstance(network, ipaddress.IPv4Network):
        raise ValueError(f"{value!r} is not an IPv4 CIDR block")
    return network


def _default_egress() -> list[Egress]:
    return [Egress(port=443, description="HTTPS to AWS APIs and the internet")]


class Network(Model):
    """The VPC: one public and one private subnet per availability zone."""

    cidr: str = Field("10.0.0.0/16", description="VPC IPv4 block, /16 to /28, private range.")
    az_count: int = Field(2, ge=2, le=6, description="Availability zones used: 2 to 6.")
    nat: Nat = Field(
        "single",
        description="NAT gateways: none (tasks in public subnets), single, or per_az.",
    )
    egress: list[Egress] = Field(
        default_factory=_default_egress,
        min_length=1,
        max_length=20,
        description="TCP ports the service's tasks may open outside the VPC's load balancer "
        "path, each to a CIDR block; default: 443 anywhere (AWS APIs, ECR, HTTPS services). "
        "Add e.g. {port: 5432, cidr: 10.0.0.0/16} for Postgres, 6379 for Redis, 587 for SMTP.",
    )

    @field_validator("cidr")
    @classmethod
    def _cidr(cls, value: str) -> str:
        # The value itself is shown once, by the loader ("got ..."): messages only say why.
        accepted = "; accepted: a private IPv4 block from /16 to /28, e.g. 10.0.0.0/16"
        try:
            network = ipaddress.ip_network(value, strict=True)
        except ValueError as exc:
            if "host bits" in str(exc):
                start = ipaddress.ip_network(value, strict=False).network_address
                raise ValueError(
                    f"has host bits set: a block of this size starts at {start}{accepted}"
                ) from None
            raise ValueError(f"is not an IPv4 CIDR block{accepted}") from None
        if not isinstance(network, ipaddress.IPv4Network):
            raise ValueError(f"is not an IPv4 CIDR block{accepted}")
        if not 16 <= network.prefixlen <= 28:
            raise ValueError(f"a VPC block must be /16 to /28, not /{network.prefixlen}{accepted}")
        if not network.is_private:
            raise ValueError(
                "is not a private range; accepted: a block inside 10.0.0.0/8, "
                "172.16.0.0/12 or 192.168.0.0/16"
            )
        return value


class Ci(Model):
    """The CI/CD pipeline."""

    provider: Literal["github-actions"] = Field(
        "github-actions", description="CI provider; GitHub Actions."
    )
    repository: str = Field(
        ..., pattern=REPOSITORY, description="GitHub repository owner/name, for the OIDC trust."
    )
    branch: str = Field("main", pattern=BRANCH, max_length=255, description="Deployed branch.")
    repository_owner_id: int | None = Field(
        None,
        ge=1,
        description="Numeric id of the repository's owner, for GitHub's immutable OIDC subject "
        "(`gh api repos/OWNER/NAME --jq .owner.id`). Repositories created or renamed since "
        "2026-07-15 need it with repository_id; without both, roles trust the name form.",
    )
    repository_id: int | None = Field(
        None,
        ge=1,
        description="Numeric id of the repository, for GitHub's immutable OIDC subject "
        "(`gh api repos/OWNER/NAME --jq .id`).",
    )
    preview_environments: bool = Field(
        False,
        description="The plan asks for a preview environment per pull request. `check` looks "
        "for one in any repository; `new` and `update` refuse true: isolating a preview from "
        "the release images, roles and traffic needs its own registry, role and listener "
        "rule, which infraplan does not generate.",
    )

    @property
    def immutable_subject(self) -> bool:
        return self.repository_owner_id is not None and self.repository_id is not None

    def subject_prefix(self) -> str:
        """``repo:OWNER/NAME``, or ``repo:OWNER@ID/NAME@ID`` with both ids (GitHub's immutable
        subject claim, https://github.blog/changelog/2026-04-23-immutable-subject-claims-for-
        github-actions-oidc-tokens/)."""
        owner, name = self.repository.split("/", 1)
        if self.immutable_subject:
            return f"repo:{owner}@{self.repository_owner_id}/{name}@{self.repository_id}"
        return f"repo:{self.repository}"


class Environment(Model):
    """One deployment environment, with its own Terraform root."""

    name: Slug = Field(..., description="Environment name (lower-case slug).")
    approval: bool = Field(
        False, description="Deploys wait for a reviewer's approval (GitHub environment)."
    )
    desired_count: int | None = Field(
        None, ge=1, le=100, description="Tasks kept running here; default: service.desired_count."
    )
    cpu: int | None = Field(None, description="Fargate CPU units here; default: service.cpu.")
    memory: int | None = Field(None, description="Memory in MiB here; default: service.memory.")
    nat: Nat | None = Field(None, description="NAT gateways here; default: network.nat.")
    ecs_exec: bool = Field(
        False,
        description="Allow `aws ecs execute-command` shells into this environment's tasks "
        "(sessions logged and KMS-encrypted); off by default, keep it off in production.",
    )

    @field_validator("cpu")
    @classmethod
    def _fargate_cpu(cls, value: int | None) -> int | None:
        if value is not None and value not in FARGATE_SIZES:
            accepted = ", ".join(str(c) for c in FARGATE_SIZES)
            raise ValueError(f"not a Fargate CPU value; accepted: {accepted}")
        return value


def _default_environments() -> list[Environment]:
    return [Environment(name="staging"), Environment(name="production", approval=True)]


Email = Annotated[str, Field(pattern=EMAIL, max_length=254)]
SnsTopicArn = Annotated[str, Field(pattern=SNS_TOPIC_ARN, max_length=320)]


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


class Risk(Model):
    """One row of the risk table."""

    risk: str = Field(..., min_length=1, description="The risk.")
    probability: LevelIn = Field("medium", description="low | medium | high (or baja/media/alta).")
    impact: LevelIn = Field("medium", description="low | medium | high (or bajo/medio/alto).")
    mitigation: str = Field("", description="How the risk is mitigated.")


class ExtraTask(Model):
    """A task the user adds to a phase of the plan."""

    id: str | None = Field(
        None,
        pattern=r"^[a-z0-9][a-z0-9_-]*$",
        description="Optional stable id (lower-case slug): keeps the task's checkbox in "
        "PLAN.md when tasks are inserted, reordered or reworded.",
    )
    phase: int = Field(..., ge=1, le=3, description="Phase 1, 2 or 3.")
    text: str = Field(..., min_length=1, description="The task.")
    files: list[str] = Field(default_factory=list, description="Files that carry it out.")


_VALUE_HINT = (
    "secrets lists names only (e.g. DATABASE_URL); store the value in AWS Secrets Manager, "
    "never in plan.yaml"
)


def _secret_list(value: object) -> object:
    if isinstance(value, dict):
        names = ", ".join(str(k) for k in value)
        raise ValueError(f"a mapping of values was given for {names}; {_VALUE_HINT}")
    return value


def _secret_name(value: object) -> object:
    if isinstance(value, dict):
        names = ", ".join(str(k) for k in value)
        raise ValueError(f"a value was given for {names}; {_VALUE_HINT}")
    if isinstance(value, str) and credential_kind(value):
        raise ValueError(f"this looks like a secret value, not a name; {_VALUE_HINT}")
    if isinstance(value, str) and not re.fullmatch(SECRET_NAME, value):
        if re.search(r"://|[=:@\s]", value) or len(value) > 40:
            raise ValueError(f"this looks like a secret value, not a name; {_VALUE_HINT}")
        raise ValueError(
            "a secret name is letters, digits and _, not starting with a digit (e.g. DATABASE_URL)"
        )
    return value


SecretName = Annotated[str, BeforeValidator(_secret_name), Field(max_length=128)]


NonEmpty = Annotated[str, Field(min_length=1)]


def _item_keys(value: object) -> object:
    """YAML reads an unquoted task id such as 1.1 as a number: take it as written."""
    if isinstance(value, dict):
        return {(repr(k) if isinstance(k, float) else str(k)): v for k, v in value.items()}
    return value


class Rollback(Model):
    """The rollback strategy; the defaults describe what the generated repo does."""

    deployment: str | None = Field(None, description="How a deployment is rolled back.")
    infrastructure: str | None = Field(None, description="How infrastructure is rolled back.")


class Spec(Model):
    """A plan: what to build, why, and the requirements it must meet."""

    version: Literal[1] = Field(1, description="Spec format version.")
    project: Slug = Field(..., description="Project name: a lower-case slug, 2-28 characters.")
    title: str | None = Field(None, description="Plan title; default: the project name.")
    date: dt.date = Field(default_factory=today, description="Plan date; default: today.")
    id: str | None = Field(
        None,
        pattern=PLAN_ID,
        description="Plan id; default: INFRA-YYYYMMDD-PROJECT.",
    )
    scope: str | None = Field(None, description="What the plan covers.")
    owners: list[str] = Field(
        default_factory=lambda: ["Platform team"],
        description='People or teams responsible; default: ["Platform team"].',
    )
    estimate: str = Field("3 days", description="Estimated duration.")
    language: Literal["es", "en"] = Field("es", description="Language of the Markdown plan.")
    objective: str | None = Field(None, description="Main objective.")
    context: str | None = Field(None, description="Business or technical context.")
    requirements: Requirements = Field(
        default_factory=Requirements, description="Key requirements R1-R4."
    )
    service: Service = Field(default_factory=Service, description="The container service.")
    aws: Aws = Field(default_factory=Aws, description="AWS region and account.")
    network: Network = Field(default_factory=Network, description="VPC and subnets.")
    ci: Ci = Field(..., description="CI/CD: GitHub repository, branch, previews.")
    environments: list[Environment] = Field(
        default_factory=_default_environments,
        min_length=1,
        max_length=10,
        description="Environments in deploy order; default: staging, then production with "
        "approval.",
    )
    monitoring: Monitoring = Field(
        default_factory=Monitoring, description="Alarms, dashboard, notifications."
    )
    secrets: Annotated[list[SecretName], BeforeValidator(_secret_list)] = Field(
        default_factory=list,
        description="Names of the secrets the service reads (e.g. DATABASE_URL); never values.",
    )
    rollback: Rollback = Field(default_factory=Rollback, description="Rollback strategy.")
    risks: list[Risk] | None = Field(None, description="Risk table; default: the seed's risks.")
    tasks: list[ExtraTask] = Field(
        default_factory=list, description="Tasks the user adds to a phase."
    )
    not_applicable: Annotated[dict[str, NonEmpty], BeforeValidator(_item_keys)] = Field(
        default_factory=dict,
        description="Plan items that do not apply here, each with the reason: a task "
        '("1.1"), a requirement (R4), a criterion (AC3) or a rule (vpc). `check` reports '
        "them as skipped with the reason; they never fail a run. The plan prints a task's "
        "reason beside it.",
    )
    done: list[Annotated[str, Field(pattern=TASK_ID)]] = Field(
        default_factory=list,
        description="Ids of the tasks already done (ticked in the plan), e.g. 1.1 or U3.1.",
    )
    notes: list[str] = Field(
        default_factory=list,
        description="Free notes kept with the plan (e.g. text an import could not place); "
        "not rendered.",
    )

    @property
    def service_name(self) -> str:
        return self.service.name or self.project

    @property
    def plan_id(self) -> str:
        return self.id or f"INFRA-{self.date:%Y%m%d}-{self.project.upper()}"

    @property
    def display_title(self) -> str:
        return self.title or self.project

    def sizing(self, env: str) -> Sizing:
        """What runs in ``env``: its own values where it sets them, else the service's."""
        e = next(x for x in self.environments if x.name == env)
        return Sizing(
            desired_count=e.desired_count or self.service.desired_count,
            cpu=e.cpu or self.service.cpu,
            memory=e.memory or self.service.memory,
            nat=e.nat or self.network.nat,
        )


@dataclass(frozen=True)
class Sizing:
    desired_count: int
    cpu: int
    memory: int
    nat: Nat
