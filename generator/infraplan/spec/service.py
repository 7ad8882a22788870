"""The service section of the spec: the container, and where it runs."""

from __future__ import annotations

import difflib
import re

from pydantic import Field, field_validator

from infraplan.spec.aws_facts import FARGATE_SIZES, REGIONS
from infraplan.spec.types import (
    ACM_CERTIFICATE_ARN,
    HEALTH_PATH,
    DomainName,
    HostedZone,
    Model,
    Runtime,
    Slug,
)


class Autoscaling(Model):
    """Target tracking of the service's task count (Application Auto Scaling)."""

    enabled: bool = Field(
        True,
        description="Scale the task count between min_count and max_count by target tracking; "
        "false keeps desired_count tasks. Scaling itself is free; each tracking policy adds two "
        "CloudWatch alarms that Application Auto Scaling manages.",
    )
    min_count: int | None = Field(
        None,
        ge=1,
        le=100,
        description="Fewest tasks; default: the environment's desired_count. "
        "environments[].min_count overrides it per environment.",
    )
    max_count: int | None = Field(
        None,
        ge=1,
        le=100,
        description="Most tasks, the cost ceiling; default: twice the environment's "
        "desired_count. environments[].max_count overrides it per environment.",
    )
    cpu_target_percent: int = Field(
        70,
        ge=10,
        le=90,
        description="Average CPU utilisation of the service the task count tracks "
        "(ECSServiceAverageCPUUtilization); keep it below monitoring.cpu_alarm_percent so "
        "scaling acts before the alarm.",
    )
    requests_per_target: int | None = Field(
        None,
        ge=1,
        le=100000,
        description="Load balancer requests per task per minute the count also tracks "
        "(ALBRequestCountPerTarget); default: none, CPU only. Measure what one task serves "
        "before setting it.",
    )
    scale_in_cooldown_seconds: int = Field(
        300, ge=0, le=3600, description="Seconds between two scale-in steps."
    )
    scale_out_cooldown_seconds: int = Field(
        60, ge=0, le=3600, description="Seconds between two scale-out steps."
    )


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
    desired_count: int = Field(
        2,
        ge=1,
        le=100,
        description="Tasks kept running; with autoscaling, the count the first deploy starts "
        "and the cost estimate assumes, within min_count..max_count.",
    )
    runtime: Runtime = Field("python", description="Language of the Dockerfile.")
    domain: DomainName | None = Field(
        None,
        description="The name users reach the service at, e.g. api.example.com; needs "
        "hosted_zone. Each environment gets its own name (the last environment, production, "
        "this one; the others <environment>.<domain>, or environments[].domain), an ACM "
        "certificate for it validated by DNS, an alias record to its load balancer, and "
        "HTTP redirected to HTTPS. Default: none, the load balancer's own address.",
    )
    hosted_zone: HostedZone | None = Field(
        None,
        description="The existing public Route 53 hosted zone that holds the domain's records: "
        "its id (Z0123456789ABCDEFGHIJ) or its name (example.com). infraplan never creates "
        "it: a zone outlives every environment, and a new one answers nothing until its "
        "registrar delegates to it.",
    )
    certificate_arn: str | None = Field(
        None,
        pattern=ACM_CERTIFICATE_ARN,
        description="An ACM certificate made elsewhere, in aws.region (e.g. a wildcard): the "
        "load balancer serves HTTPS with it and port 80 redirects. With domain it replaces "
        "the certificates infraplan would request; the alias records are still made. Without "
        "domain or certificate_arn the service is plain HTTP, and the plan's risk table says so.",
    )
    autoscaling: Autoscaling = Field(
        default_factory=Autoscaling,
        description="Target tracking of the task count on CPU (and optionally requests per "
        "task) between a minimum and a maximum; on by default.",
    )

    @field_validator("cpu")
    @classmethod
    def _fargate_cpu(cls, value: int) -> int:
        if value not in FARGATE_SIZES:
            accepted = ", ".join(str(c) for c in FARGATE_SIZES)
            raise ValueError(f"not a Fargate CPU value; accepted: {accepted}")
        return value

    @property
    def https(self) -> bool:
        """Whether the load balancer serves HTTPS (and port 80 only redirects)."""
        return self.domain is not None or self.certificate_arn is not None


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
