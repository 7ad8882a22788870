"""The service section of the spec: the container, and where it runs."""

from __future__ import annotations

import difflib
import re

from pydantic import Field, field_validator

from infraplan.spec.aws_facts import FARGATE_SIZES, REGIONS
from infraplan.spec.types import HEALTH_PATH, Model, Runtime, Slug


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
