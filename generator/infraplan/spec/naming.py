"""AWS names of everything infraplan plans, derived from the spec in one place.

The templates, ``check`` and ``verify`` all use these, so a name never has to
be guessed. Each environment is a self-contained stack named
``<project>-<environment>``; :mod:`infraplan.spec.semantics` keeps that within
the load balancer's 32-character limit.
"""

from __future__ import annotations

from dataclasses import dataclass

from infraplan.spec.model import Spec


@dataclass(frozen=True)
class EnvNames:
    env: str
    stack: str  # <project>-<env>: cluster, ALB, target group, task family
    cluster: str
    service: str
    container: str
    ecr_repository: str
    load_balancer: str
    target_group: str
    task_family: str
    log_group: str
    dashboard: str
    alarm_cpu: str
    alarm_5xx: str
    sns_topic: str
    budget: str
    deploy_role: str
    task_role: str
    execution_role: str
    state_key: str
    secret_prefix: str

    def secret(self, name: str) -> str:
        return f"{self.secret_prefix}{name}"


def env_names(spec: Spec, env: str) -> EnvNames:
    stack = f"{spec.project}-{env}"
    service = spec.service_name
    return EnvNames(
        env=env,
        stack=stack,
        cluster=stack,
        service=service,
        container=service,
        ecr_repository=stack,
        load_balancer=stack,
        target_group=stack,
        task_family=stack,
        log_group=f"/ecs/{stack}",
        dashboard=stack,
        alarm_cpu=f"{stack}-cpu-high",
        alarm_5xx=f"{stack}-http-5xx",
        sns_topic=f"{stack}-alarms",
        budget=f"{stack}-monthly",
        deploy_role=f"{stack}-github-deploy",
        task_role=f"{stack}-task",
        execution_role=f"{stack}-task-execution",
        state_key=f"{spec.project}/{env}/terraform.tfstate",
        secret_prefix=f"{spec.project}/{env}/",
    )


def state_bucket(spec: Spec) -> str:
    """The S3 bucket of the Terraform state (created once by the user, see README)."""
    suffix = spec.aws.account_id or spec.aws.region
    return f"{spec.project}-tfstate-{suffix}"
