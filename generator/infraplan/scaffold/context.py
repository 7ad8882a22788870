"""The values templates see: one flat mapping built from the spec.

Templates in ``cookiecutters/`` read these as ``cookiecutter.<key>``. Keys
starting with ``_`` hold lists and mappings (cookiecutter passes those through
unprompted, so each template's ``cookiecutter.json`` can give defaults for
them too). Every name is a validated slug; free text must go through an
escaping filter of :mod:`infraplan.escape` in the template.
"""

from __future__ import annotations

import re
from typing import Any

from infraplan import __version__
from infraplan.cost.estimate import budget_shares, estimate
from infraplan.scaffold.runtimes import runtime
from infraplan.spec.addressing import layout_subnets
from infraplan.spec.model import Spec
from infraplan.spec.naming import env_names, state_bucket, terraform_plan_role
from infraplan.spec.scaling import env_scaling
from infraplan.spec.types import HOSTED_ZONE_ID


def template_context(spec: Spec, env: str | None = None) -> dict[str, Any]:
    """The cookiecutter context for ``spec``; ``env`` selects one environment's names."""
    layout = layout_subnets(spec.network.cidr, spec.network.az_count)
    environments = [
        {
            "name": e.name,
            "approval": e.approval,
            "desired_count": spec.sizing(e.name).desired_count,
            "subject": environment_subject(spec, e.name),
            "domain": spec.domain(e.name) or "",
            "autoscaling": _scaling(spec, e.name),
            **_names(spec, e.name),
        }
        for e in spec.environments
    ]
    current = env or spec.environments[0].name
    sizing = spec.sizing(current)
    context: dict[str, Any] = {
        "project": spec.project,
        "title": spec.display_title,
        "plan_id": spec.plan_id,
        "infraplan_version": __version__,
        "service_name": spec.service_name,
        "port": spec.service.port,
        "health_check_path": spec.service.health_check_path,
        "cpu": spec.service.cpu,
        "memory": spec.service.memory,
        "desired_count": spec.service.desired_count,
        "runtime": spec.service.runtime,
        "aws_region": spec.aws.region,
        "aws_account_id": spec.aws.account_id or "",
        "vpc_cidr": spec.network.cidr,
        "az_count": spec.network.az_count,
        "nat_mode": spec.network.nat,
        "subnet_newbits": layout.newbits,
        "github_repository": spec.ci.repository,
        "branch": spec.ci.branch,
        "immutable_subject": spec.ci.immutable_subject,
        "subject_prefix": spec.ci.subject_prefix(),
        "plan_subject": f"{spec.ci.subject_prefix()}:pull_request",
        "terraform_plan_role": terraform_plan_role(spec),
        "cpu_alarm_percent": spec.monitoring.cpu_alarm_percent,
        "http_5xx_alarm_count": spec.monitoring.http_5xx_alarm_count,
        "memory_alarm_percent": spec.monitoring.memory_alarm_percent,
        "lb_5xx_alarm_count": spec.monitoring.lb_5xx_alarm_count,
        "unhealthy_targets_alarm_count": spec.monitoring.unhealthy_targets_alarm_count,
        "dashboard": spec.monitoring.dashboard,
        "deploy_minutes": spec.requirements.deploy_minutes,
        "deploy_wait_minutes": deploy_wait_minutes(spec.requirements.deploy_minutes),
        "deploy_strategy": spec.deploy.strategy,
        "bake_minutes": spec.deploy.bake_minutes,
        "deploy_job_minutes": spec.deploy_job_minutes,
        "auto_rollback": spec.requirements.auto_rollback,
        "no_plaintext_secrets": spec.requirements.no_plaintext_secrets,
        "monthly_budget_usd": spec.requirements.monthly_budget_usd,
        "env_monthly_budget_usd": budget_shares(estimate(spec))[current],
        "state_bucket": state_bucket(spec),
        "env_name": current,
        "env_approval": next(e.approval for e in spec.environments if e.name == current),
        "env_subject": environment_subject(spec, current),
        "env_nat": sizing.nat,
        "env_cpu": sizing.cpu,
        "env_memory": sizing.memory,
        "env_desired_count": sizing.desired_count,
        "env_ecs_exec": next(e.ecs_exec for e in spec.environments if e.name == current),
        "env_spot": sizing.spot,
        "env_on_demand_base": sizing.on_demand_base,
        "_autoscaling": _scaling(spec, current),
        "_public_subnets": list(layout.public),
        "_private_subnets": list(layout.private),
        "_secrets": list(spec.secrets),
        "_notify_emails": list(spec.monitoring.notify_emails),
        "_notify_topic_arns": list(spec.monitoring.notify_topic_arns),
        "_slack": spec.monitoring.slack.model_dump() if spec.monitoring.slack else {},
        "_egress": [rule.model_dump() for rule in spec.network.egress],
        "_environments": environments,
        "_env": _names(spec, current),
        "_https": https_context(spec, current),
        "_runtime": runtime(spec.service.runtime).context(),
        "_health_command": runtime(spec.service.runtime).health_command(
            f"http://127.0.0.1:{spec.service.port}{spec.service.health_check_path}"
        ),
    }
    return context


def https_context(spec: Spec, env: str) -> dict[str, str]:
    """How the load balancer serves HTTPS (empty strings where the spec says nothing):
    ``domain`` is this environment's name, ``zone_id`` or ``zone_name`` the hosted zone
    (as the spec gives it), ``certificate_arn`` a certificate made elsewhere."""
    zone = spec.service.hosted_zone or ""
    by_id = re.fullmatch(HOSTED_ZONE_ID, zone) is not None
    return {
        "domain": spec.domain(env) or "",
        "zone_id": zone if by_id else "",
        "zone_name": "" if by_id else zone,
        "certificate_arn": spec.service.certificate_arn or "",
    }


def _scaling(spec: Spec, env: str) -> dict[str, Any]:
    """The environment's autoscaling for the templates; empty when it is off."""
    scaling = env_scaling(spec, env)
    return vars(scaling).copy() if scaling is not None else {}


def deploy_wait_minutes(deploy_minutes: int) -> int:
    """How long the deploy step waits for a stable service: the R2 limit less the
    time the job needs before it (download, ECR push), so the wait gives up
    before the job's own timeout; spec validation keeps R2 at 3 minutes or more."""
    return deploy_minutes - max(2, min(5, deploy_minutes // 5))


def environment_subject(spec: Spec, env: str) -> str:
    """The OIDC ``sub`` GitHub mints for a job of the GitHub environment ``env``."""
    return f"{spec.ci.subject_prefix()}:environment:{env}"


def _names(spec: Spec, env: str) -> dict[str, str]:
    names = env_names(spec, env)
    return {key: value for key, value in vars(names).items() if isinstance(value, str)}
