"""AWS names of everything infraplan plans, derived from the spec in one place.

The templates, ``check`` and ``verify`` all use these, so a name never has to
be guessed. Each environment is a self-contained stack named
``<project>-<environment>``; :mod:`infraplan.spec.semantics` keeps that within
the load balancer's 32-character limit.
"""

from __future__ import annotations

from dataclasses import dataclass

from infraplan.spec.model import Spec

# The GitHub owner `init` writes when it is not told one (``my-org/<project>``): valid,
# but a repository nobody has; `new` warns while a plan still names it.
PLACEHOLDER_OWNER = "my-org"


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
    # blue/green only: the target group the next revision starts in, and the role ECS
    # assumes to move the listener rules between the two
    alternate_target_group: str
    load_balancer_role: str
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
    terraform_apply_role: str

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
        target_group=target_group_name(stack, spec.service.port),
        alternate_target_group=target_group_name(stack, spec.service.port, "-alt"),
        load_balancer_role=f"{stack}-ecs-load-balancers",
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
        terraform_apply_role=f"{stack}-terraform-apply",
    )


def target_group_name(stack: str, port: int, tail: str = "") -> str:
    """``<stack>-<port><tail>``, cut to the 32 characters AWS allows.

    A new port makes a new name, so Terraform can create the new target group
    before it destroys the one the listener still uses (create_before_destroy).
    """
    suffix = f"-{port}{tail}"
    return stack[: 32 - len(suffix)].rstrip("-") + suffix


def terraform_plan_role(spec: Spec) -> str:
    """The read-only role pull requests plan with (infra/bootstrap creates it)."""
    return f"{spec.project}-terraform-plan"


def state_bucket(spec: Spec) -> str:
    """The S3 bucket of the Terraform state, created by ``infra/bootstrap``.

    S3 bucket names are global: the account id and region make it unique
    (at most 28 + 7 + 12 + 1 + 14 = 62 of the 63 characters allowed). Without
    ``aws.account_id`` in the spec, the bucket name is only known once the
    account is: the roots then take it at ``terraform init`` (partial backend
    configuration) and this returns the pattern with ``ACCOUNT_ID`` in it.
    """
    return state_bucket_for(spec, spec.aws.account_id or "ACCOUNT_ID")


def state_bucket_for(spec: Spec, account_id: str) -> str:
    return f"{spec.project}-state-{account_id}-{spec.aws.region}"
