"""The plan spec: the pydantic model of ``plan.yaml`` as a whole.

The sections live beside it (``service``, ``network``, ``pipeline``, ``monitoring``) and the
shared field types in ``types``. Every field has a description (the JSON Schema and
``docs/spec.md`` come from them) and a default, so a five-line spec is a whole plan. Checks
that need several fields at once live in :mod:`infraplan.spec.semantics`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import BeforeValidator, Field

from infraplan.spec.deploy import OLD_REVISION_MINUTES, Deploy
from infraplan.spec.monitoring import Monitoring
from infraplan.spec.network import Network
from infraplan.spec.pipeline import Ci, Environment, default_environments
from infraplan.spec.service import Aws, Service
from infraplan.spec.types import (
    PLAN_ID,
    TASK_ID,
    LevelIn,
    Model,
    Nat,
    NonEmpty,
    SecretName,
    Slug,
    item_keys,
    secret_list,
    today,
)


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
        150,
        gt=0,
        le=1_000_000,
        description="R4 cost: every environment together costs less than $N per month. "
        "Default 150: the default staging and production (each with its own load balancer, "
        "production behind a NAT gateway) come to about $142 a month in eu-west-1 at list "
        "prices (`infraplan cost`); the seed's $100 fits one environment, not two.",
    )


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
        default_factory=default_environments,
        min_length=1,
        max_length=10,
        description="Environments in deploy order; default: staging, then production with "
        "approval.",
    )
    deploy: Deploy = Field(
        default_factory=Deploy,
        description="Deployment strategy: rolling (default) or ECS blue/green with bake time.",
    )
    monitoring: Monitoring = Field(
        default_factory=Monitoring, description="Alarms, dashboard, notifications."
    )
    secrets: Annotated[list[SecretName], BeforeValidator(secret_list)] = Field(
        default_factory=list,
        description="Names of the secrets the service reads (e.g. DATABASE_URL); never values.",
    )
    rollback: Rollback = Field(default_factory=Rollback, description="Rollback strategy.")
    risks: list[Risk] | None = Field(None, description="Risk table; default: the seed's risks.")
    tasks: list[ExtraTask] = Field(
        default_factory=list, description="Tasks the user adds to a phase."
    )
    not_applicable: Annotated[dict[str, NonEmpty], BeforeValidator(item_keys)] = Field(
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

    @property
    def deploy_job_minutes(self) -> int:
        """The deploy and rollback jobs' timeout: R2 until production traffic reaches the
        new revision, and with blue/green the bake time after it, during which an alarm can
        still roll it back, and the minutes for the old revision to go (the job waits for
        the deployment to end before the next environment deploys). The generated
        workflows and ``check``'s gha_deploy_timeout both hold to this one sum."""
        minutes = self.requirements.deploy_minutes
        if self.deploy.strategy != "blue_green":
            return minutes
        return minutes + self.deploy.bake_minutes + OLD_REVISION_MINUTES

    def domain(self, env: str) -> str | None:
        """The name ``env`` answers at: its own ``domain``, else ``service.domain`` for the
        last environment (production, deployed last) and ``<env>.<service.domain>`` for the
        others; None without ``service.domain``."""
        if self.service.domain is None:
            return None
        e = next(x for x in self.environments if x.name == env)
        if e.domain is not None:
            return e.domain
        if e.name == self.environments[-1].name:
            return self.service.domain
        return f"{e.name}.{self.service.domain}"

    def sizing(self, env: str) -> Sizing:
        """What runs in ``env``: its own values where it sets them, else the service's."""
        e = next(x for x in self.environments if x.name == env)
        return Sizing(
            desired_count=e.desired_count or self.service.desired_count,
            cpu=e.cpu or self.service.cpu,
            memory=e.memory or self.service.memory,
            nat=e.nat or self.network.nat,
            spot=e.spot,
            on_demand_base=1 if e.spot and e.approval else 0,
        )


@dataclass(frozen=True)
class Sizing:
    """What one environment runs. With ``spot``, ``on_demand_base`` tasks stay on on-demand
    Fargate and the rest are placed by the capacity provider strategy: all on Fargate Spot
    without a base, split evenly (weights 1:1) with one."""

    desired_count: int
    cpu: int
    memory: int
    nat: Nat
    spot: bool = False
    on_demand_base: int = 0

    @property
    def spot_tasks(self) -> float:
        return spot_tasks(self.desired_count, self.spot, self.on_demand_base)


def spot_tasks(desired_count: int, spot: bool, on_demand_base: int) -> float:
    """The tasks expected on Fargate Spot, as the generated capacity provider strategy
    places them: every task without an on-demand base; with one, the base on FARGATE and
    the rest split by the weights FARGATE 1, FARGATE_SPOT 1 (half, a fraction: ECS places
    by weight, this is the expectation)."""
    if not spot:
        return 0.0
    rest = max(desired_count - on_demand_base, 0)
    return rest / 2 if on_demand_base else float(rest)
