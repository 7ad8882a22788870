"""The CI and environments sections of the spec."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from infraplan.spec.aws_facts import FARGATE_SIZES
from infraplan.spec.types import BRANCH, REPOSITORY, DomainName, Model, Nat, Slug


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
    min_count: int | None = Field(
        None,
        ge=1,
        le=100,
        description="Fewest tasks autoscaling keeps here; default: service.autoscaling.min_count.",
    )
    max_count: int | None = Field(
        None,
        ge=1,
        le=100,
        description="Most tasks autoscaling runs here; default: service.autoscaling.max_count.",
    )
    cpu: int | None = Field(None, description="Fargate CPU units here; default: service.cpu.")
    memory: int | None = Field(None, description="Memory in MiB here; default: service.memory.")
    nat: Nat | None = Field(None, description="NAT gateways here; default: network.nat.")
    ecs_exec: bool = Field(
        False,
        description="Allow `aws ecs execute-command` shells into this environment's tasks "
        "(sessions logged and KMS-encrypted); off by default, keep it off in production.",
    )
    spot: bool = Field(
        False,
        description="Run this environment's tasks on Fargate Spot, billed at a discount: AWS "
        "may stop a Spot task with a two-minute warning (SIGTERM) and does not replace it with "
        "on-demand capacity when Spot is short. Without approval every task is on Spot; with "
        "approval (production) one task stays on on-demand Fargate and the others are split "
        "evenly between Fargate and Fargate Spot, and `new` warns.",
    )
    domain: DomainName | None = Field(
        None,
        description="The name this environment answers at, in service.hosted_zone; default: "
        "service.domain for the last environment, <name>.<service.domain> for the others.",
    )

    @field_validator("cpu")
    @classmethod
    def _fargate_cpu(cls, value: int | None) -> int | None:
        if value is not None and value not in FARGATE_SIZES:
            accepted = ", ".join(str(c) for c in FARGATE_SIZES)
            raise ValueError(f"not a Fargate CPU value; accepted: {accepted}")
        return value


def default_environments() -> list[Environment]:
    """Staging as cheap as a working copy can be (one task on Fargate Spot, no NAT gateway:
    its tasks run in public subnets, reachable only through the load balancer); production
    with the service's and the network's own sizing (two on-demand tasks in private subnets
    behind a NAT gateway, by default)."""
    return [
        Environment(name="staging", desired_count=1, nat="none", spot=True),
        Environment(name="production", approval=True),
    ]
