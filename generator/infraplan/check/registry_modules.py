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
    }
    for key in (
        "deployment_circuit_breaker",
        "capacity_provider_strategy",
        "deployment_controller",
    ):
        if key in spec:
            value = spec[key]
            attrs[key] = [value] if isinstance(value, dict) else value
    return _make(call, prefix, "aws_ecs_service", name, attrs, {k: "services" for k in attrs})


def _ecs(call: ModuleCall, prefix: str) -> list[Resource]:
    if not _enabled(call, "create"):
        return []
    out = []
    if _enabled(call, "create_cluster") and "cluster_arn" not in call.inputs:
        out.append(_make(call, prefix, "aws_ecs_cluster", "this", {}))
    services = _input(call, "services", {})
    if isinstance(services, dict):
        out.extend(
            _ecs_service(call, prefix, name, spec)
            for name, spec in services.items()
            if isinstance(spec, dict)
        )
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
    return [_make(call, prefix, "aws_ecs_service", "this", service.attrs, keys)]


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
}


def expand_registry_module(call: ModuleCall, prefix: str) -> list[Resource]:
    """The resources a well-known module call creates; nothing for an unknown module."""
    factory = KNOWN_MODULES.get(_source_key(call.source))
    return factory(call, prefix) if factory else []
