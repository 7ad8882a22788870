"""Well-known registry modules, counted as the resources they create.

A call to ``terraform-aws-modules/ecr/aws`` creates an ECR repository whose
tags are immutable unless the call says otherwise: that is the module's
documented default, and a reviewer reading the call knows it. Each entry here
turns a call into the resources it creates, with the attributes the rules look
at, each taken from the call's input or else the module's default. Evidence
points at the module call (the input's line when the call sets it).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from infraplan.check.terraform_types import ModuleCall, Resource


def _source_key(source: str) -> str:
    """The module's ``namespace/name/provider`` path, whatever host or scheme the
    source names: ``<registry host>/terraform-aws-modules/ecs/aws//modules/service``,
    ``git::https://<git host>/terraform-aws-modules/terraform-aws-ecs.git`` and
    ``terraform-aws-modules/ecs/aws`` all lead to the same entry."""
    text = source.split("?")[0]
    text = re.sub(r"^tfr://[^/]*/", "", text)  # Terragrunt's registry scheme
    text = re.sub(r"^git::(?!https?:|ssh:)", "", text)
    text = re.sub(r"^(?:git::)?(?:https?|ssh)://[^/]+/", "", text)
    text = re.sub(r"^git@[^:/]+:", "", text)
    head, _, rest = text.partition("/")
    if rest and re.fullmatch(r"[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+(?::\d+)?", head):  # a host leads
        text = rest
    if text.endswith(".git"):
        text = text[:-4]
    text = text.replace(".git//", "//")
    # A fork or mirror keeps the module's repository name: OWNER/terraform-aws-ecs.
    text = re.sub(r"^[\w.-]+/terraform-aws-([\w-]+)(?=//|$)", r"terraform-aws-modules/\1/aws", text)
    return text.rstrip("/")


def _input(call: ModuleCall, name: str, default: Any) -> Any:
    return call.inputs.get(name, default)


def _make(
    call: ModuleCall,
    prefix: str,
    type_: str,
    name: str,
    attrs: dict[str, Any],
    inputs: dict[str, str] | None = None,
) -> Resource:
    address = f"{prefix}module.{call.name}.{type_}.{name}"
    return Resource(type_, name, attrs, call.block, address, call.root, dict(inputs or {}))


def _enabled(call: ModuleCall, flag: str) -> bool:
    return _input(call, flag, True) is not False


def _vpc(call: ModuleCall, prefix: str) -> list[Resource]:
    if not _enabled(call, "create_vpc"):
        return []
    out = [_make(call, prefix, "aws_vpc", "this", {"cidr_block": _input(call, "cidr", None)})]
    azs = _input(call, "azs", [])
    for kind in ("public", "private", "database", "intra"):
        cidrs = _input(call, f"{kind}_subnets", [])
        # A computed list (``[for k, v in local.azs : cidrsubnet(...)]``) still creates
        # subnets; only how many is left to terraform.
        count = len(cidrs) if isinstance(cidrs, list) else cidrs
        if cidrs:
            out.append(
                _make(
                    call,
                    prefix,
                    "aws_subnet",
                    kind,
                    {"count": count, "availability_zone": azs, "tier": kind},
                    {"count": f"{kind}_subnets"},
                )
            )
    if _input(call, "enable_nat_gateway", False) is True:
        out.append(_make(call, prefix, "aws_nat_gateway", "this", {}))
    return out


def _ecr(call: ModuleCall, prefix: str) -> list[Resource]:
    if not _enabled(call, "create") or not _enabled(call, "create_repository"):
        return []
    attrs = {
        "image_tag_mutability": _input(call, "repository_image_tag_mutability", "IMMUTABLE"),
        "image_scanning_configuration": [
            {"scan_on_push": _input(call, "repository_image_scan_on_push", True)}
        ],
    }
    inputs = {
        "image_tag_mutability": "repository_image_tag_mutability",
        "image_scanning_configuration": "repository_image_scan_on_push",
    }
    return [_make(call, prefix, "aws_ecr_repository", "this", attrs, inputs)]


def _ecs_service(call: ModuleCall, prefix: str, name: str, spec: dict[str, Any]) -> Resource:
    attrs: dict[str, Any] = {
        "launch_type": spec.get("launch_type", "FARGATE"),
        "requires_compatibilities": spec.get("requires_compatibilities", ["FARGATE"]),
        # the module always leaves the count to autoscaling
        "lifecycle": [{"ignore_changes": ["desired_count"]}],
    }
    for key in (
        "deployment_circuit_breaker",
        "capacity_provider_strategy",
        "deployment_controller",
        "container_definitions",
        # ECS Exec: off unless set; the module then grants its tasks role the ssmmessages
        # channels itself, unless the role comes from outside (tasks_iam_role_arn).
        "enable_execute_command",
        "tasks_iam_role_arn",
    ):
        if key in spec:
            value = spec[key]
            # nested blocks are lists of bodies; the containers stay a map by name
            wrap = isinstance(value, dict) and key != "container_definitions"
            attrs[key] = [value] if wrap else value
    return _make(call, prefix, "aws_ecs_service", name, attrs, {k: "services" for k in attrs})


# terraform-aws-modules/ecs's service: autoscaling on by default, 1..10 tasks, target
# tracking of average CPU and memory at 75% (its variables.tf and main.tf).
_MODULE_POLICIES = {
    "cpu": ("ECSServiceAverageCPUUtilization", 75),
    "memory": ("ECSServiceAverageMemoryUtilization", 75),
}


def _policy_attrs(policy: Any) -> dict[str, Any]:
    if not isinstance(policy, dict):
        return {}
    config = policy.get("target_tracking_scaling_policy_configuration")
    config = config if isinstance(config, dict) else {}
    metric = config.get("predefined_metric_specification")
    metric = metric if isinstance(metric, dict) else {}
    kind = metric.get("predefined_metric_type", policy.get("predefined_metric_type"))
    return {
        "policy_type": policy.get("policy_type", "TargetTrackingScaling"),
        "target_tracking_scaling_policy_configuration": [
            {
                "target_value": config.get("target_value", policy.get("target_value", 75)),
                "predefined_metric_specification": [{"predefined_metric_type": kind}],
            }
        ],
    }


def _ecs_autoscaling(
    call: ModuleCall, prefix: str, name: str, spec: dict[str, Any], key: str
) -> list[Resource]:
    """The scalable target and policies the module's service makes (``key``: the module
    input evidence points at)."""
    if spec.get("enable_autoscaling", True) is False:
        return []
    target = {
        "service_namespace": "ecs",
        "scalable_dimension": "ecs:service:DesiredCount",
        "min_capacity": spec.get("autoscaling_min_capacity", 1),
        "max_capacity": spec.get("autoscaling_max_capacity", 10),
    }
    inputs = {"min_capacity": key, "max_capacity": key}
    out = [_make(call, prefix, "aws_appautoscaling_target", name, target, inputs)]
    policies = spec.get("autoscaling_policies")
    if not isinstance(policies, dict):
        policies = {
            label: {
                "target_tracking_scaling_policy_configuration": {
                    "target_value": value,
                    "predefined_metric_specification": {"predefined_metric_type": metric},
                }
            }
            for label, (metric, value) in _MODULE_POLICIES.items()
        }
    for label, policy in policies.items():
        attrs = _policy_attrs(policy)
        out.append(_make(call, prefix, "aws_appautoscaling_policy", f"{name}_{label}", attrs, {}))
    return out


def _ecs(call: ModuleCall, prefix: str) -> list[Resource]:
    if not _enabled(call, "create"):
        return []
    out = []
    if _enabled(call, "create_cluster") and "cluster_arn" not in call.inputs:
        out.append(_make(call, prefix, "aws_ecs_cluster", "this", {}))
    services = _input(call, "services", {})
    if isinstance(services, dict):
        for name, spec in services.items():
            if isinstance(spec, dict):
                out.append(_ecs_service(call, prefix, name, spec))
                out.extend(_ecs_autoscaling(call, prefix, name, spec, "services"))
    return out


def _ecs_cluster(call: ModuleCall, prefix: str) -> list[Resource]:
    if not _enabled(call, "create"):
        return []
    return [_make(call, prefix, "aws_ecs_cluster", "this", {})]


def _ecs_service_module(call: ModuleCall, prefix: str) -> list[Resource]:
    if not _enabled(call, "create") or not _enabled(call, "create_service"):
        return []
    service = _ecs_service(call, prefix, "this", call.inputs)
    keys = {k: k for k in service.attrs}
    scaling = _ecs_autoscaling(call, prefix, "this", call.inputs, "autoscaling_min_capacity")
    for resource in scaling:
        if resource.type == "aws_appautoscaling_target":
            resource.module_inputs.update(  # type: ignore[union-attr]
                {"max_capacity": "autoscaling_max_capacity"}
            )
    return [_make(call, prefix, "aws_ecs_service", "this", service.attrs, keys), *scaling]


def _alb(call: ModuleCall, prefix: str) -> list[Resource]:
    if not _enabled(call, "create"):
        return []
    out = [_make(call, prefix, "aws_lb", "this", {"load_balancer_type": "application"})]
    if _enabled(call, "create_security_group"):
        out.append(_make(call, prefix, "aws_security_group", "this", {}))
    groups = _input(call, "target_groups", {})
    items = groups.items() if isinstance(groups, dict) else enumerate(groups or [])
    for name, group in items:
        if isinstance(group, dict):
            health = group.get("health_check")
            attrs = {"health_check": [health] if isinstance(health, dict) else []}
            out.append(
                _make(
                    call,
                    prefix,
                    "aws_lb_target_group",
                    str(name),
                    attrs,
                    {"health_check": "target_groups"},
                )
            )
    return out + _alb_listeners(call, prefix)


def _alb_listeners(call: ModuleCall, prefix: str) -> list[Resource]:
    """terraform-aws-modules/alb's ``listeners`` (v9 on): each a listener whose default
    action is the entry's ``redirect``, ``forward``, ``fixed_response``... block."""
    listeners = _input(call, "listeners", {})
    out = []
    for name, spec in listeners.items() if isinstance(listeners, dict) else ():
        if not isinstance(spec, dict):
            continue
        attrs: dict[str, Any] = {
            k: spec[k] for k in ("port", "protocol", "certificate_arn", "ssl_policy") if k in spec
        }
        if "ssl_policy" not in attrs and str(spec.get("protocol", "")).upper() == "HTTPS":
            attrs["ssl_policy"] = "ELBSecurityPolicy-TLS13-1-2-Res-2021-06"  # the module's
        for action in ("redirect", "forward", "fixed_response", "weighted_forward"):
            if isinstance(spec.get(action), dict):
                attrs["default_action"] = [{"type": action, action: [spec[action]]}]
                break
        out.append(
            _make(
                call, prefix, "aws_lb_listener", str(name), attrs, {k: "listeners" for k in attrs}
            )
        )
    records = _input(call, "route53_records", {})
    for name, spec in records.items() if isinstance(records, dict) else ():
        if isinstance(spec, dict):
            attrs = {"name": spec.get("name"), "type": spec.get("type"), "alias": [{}]}
            out.append(
                _make(
                    call,
                    prefix,
                    "aws_route53_record",
                    str(name),
                    attrs,
                    {"name": "route53_records"},
                )
            )
    return out


def _acm(call: ModuleCall, prefix: str) -> list[Resource]:
    """terraform-aws-modules/acm: the certificate, and with validation_method DNS its
    validation records and the wait for issuance (the module's own conditions)."""
    if not _enabled(call, "create_certificate"):
        return []
    method = _input(call, "validation_method", None)
    attrs = {"domain_name": _input(call, "domain_name", ""), "validation_method": method}
    inputs = {"domain_name": "domain_name", "validation_method": "validation_method"}
    out = [_make(call, prefix, "aws_acm_certificate", "this", attrs, inputs)]
    validate = _enabled(call, "validate_certificate")
    if method == "DNS" and validate and _enabled(call, "create_route53_records"):
        out.append(_make(call, prefix, "aws_route53_record", "validation", {"type": "CNAME"}))
    if method is not None and validate and _enabled(call, "wait_for_validation"):
        out.append(_make(call, prefix, "aws_acm_certificate_validation", "this", {}))
    return out


def _security_group(call: ModuleCall, prefix: str) -> list[Resource]:
    if not _enabled(call, "create") or not _enabled(call, "create_sg"):
        return []
    return [_make(call, prefix, "aws_security_group", "this", {})]


KNOWN_MODULES: dict[str, Callable[[ModuleCall, str], list[Resource]]] = {
    "terraform-aws-modules/vpc/aws": _vpc,
    "terraform-aws-modules/ecr/aws": _ecr,
    "terraform-aws-modules/ecs/aws": _ecs,
    "terraform-aws-modules/ecs/aws//modules/cluster": _ecs_cluster,
    "terraform-aws-modules/ecs/aws//modules/service": _ecs_service_module,
    "terraform-aws-modules/alb/aws": _alb,
    "terraform-aws-modules/security-group/aws": _security_group,
    "terraform-aws-modules/acm/aws": _acm,
}


# A thin wrapper module named for the one resource it wraps (a team's own module
# library: ``git::.../modules//ecr_repository``), its inputs named for the resource's
# arguments. The last word of its source path (else the call's name) says which.
_WRAPPED: tuple[tuple[str, str], ...] = (
    (r"vpc", "aws_vpc"),
    (r"subnets?", "aws_subnet"),
    (r"security_groups?|sg", "aws_security_group"),
    (r"ecs_cluster", "aws_ecs_cluster"),
    (r"ecs_service|fargate_service", "aws_ecs_service"),
    (r"ecs_task_definition|task_definition", "aws_ecs_task_definition"),
    (r"ecr|ecr_repository|ecr_repo", "aws_ecr_repository"),
    (r"(?:lb_|alb_)?target_group", "aws_lb_target_group"),
    (r"alb|lb|load_balancer", "aws_lb"),
    (r"secrets?|secrets_manager|secretsmanager_secret", "aws_secretsmanager_secret"),
    (r"cloudwatch_dashboard|dashboard", "aws_cloudwatch_dashboard"),
    (r"budgets?", "aws_budgets_budget"),
    (r"(?:cloudwatch_)?metric_alarm", "aws_cloudwatch_metric_alarm"),
)


def _wrapped_type(call: ModuleCall) -> str | None:
    path = call.source.split("?")[0].rstrip("/")
    last = re.split(r"[/:]", path)[-1].lower().replace("-", "_")
    last = re.sub(r"^terraform_aws_|\.git$", "", last)
    for word in (last, call.name.split("[")[0].lower().replace("-", "_")):
        for pattern, type_ in _WRAPPED:
            if re.fullmatch(pattern, word):
                return type_
    return None


def _wrapper(call: ModuleCall, prefix: str) -> list[Resource]:
    type_ = _wrapped_type(call)
    if type_ is None or not _enabled(call, "create"):
        return []
    attrs = {k: ([v] if isinstance(v, dict) else v) for k, v in call.inputs.items()}
    return [_make(call, prefix, type_, "this", attrs, {k: k for k in call.inputs})]


def expand_registry_module(call: ModuleCall, prefix: str) -> list[Resource]:
    """The resources a module call from outside the repository creates: a well-known
    module's, with its documented defaults; a thin wrapper's one resource, named by its
    source; nothing for any other module."""
    factory = KNOWN_MODULES.get(_source_key(call.source))
    if factory is not None:
        return factory(call, prefix)
    return _wrapper(call, prefix)
