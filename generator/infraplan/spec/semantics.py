"""Checks that need several fields of a valid spec at once.

Each returns problems as data, with the path of the field to blame, so the
loader can point at its line; pydantic has already checked every field alone.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from infraplan.spec.addressing import layout_subnets
from infraplan.spec.aws_facts import ALB_NAME_MAX, FARGATE_SIZES, describe_memory_choices
from infraplan.spec.model import Spec

Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class Problem:
    loc: Loc
    message: str
    value: object
    accepted: str | None = None


def check_spec(spec: Spec) -> list[Problem]:
    return [
        *_fargate_pair(spec),
        *_network_room(spec),
        *_environment_names(spec),
        *_unique_secrets(spec),
    ]


def _fargate_pair(spec: Spec) -> Iterator[Problem]:
    cpu, memory = spec.service.cpu, spec.service.memory
    if memory not in FARGATE_SIZES[cpu]:
        yield Problem(
            ("service", "memory"),
            f"Fargate does not run {memory} MiB with {cpu} CPU units",
            memory,
            f"with cpu {cpu}: {describe_memory_choices(cpu)}",
        )


def _network_room(spec: Spec) -> Iterator[Problem]:
    try:
        layout_subnets(spec.network.cidr, spec.network.az_count)
    except ValueError as exc:
        yield Problem(
            ("network", "cidr"),
            str(exc),
            spec.network.cidr,
            "a larger block (smaller prefix) or fewer availability zones",
        )


def _environment_names(spec: Spec) -> Iterator[Problem]:
    seen: set[str] = set()
    for index, env in enumerate(spec.environments):
        if env.name in seen:
            yield Problem(
                ("environments", index, "name"),
                "environment names must be unique",
                env.name,
            )
        seen.add(env.name)
        # The load balancer and target group are named "<project>-<environment>".
        alb_name = f"{spec.project}-{env.name}"
        if len(alb_name) > ALB_NAME_MAX:
            yield Problem(
                ("environments", index, "name"),
                f"the load balancer name {alb_name!r} would be {len(alb_name)} characters; "
                f"AWS allows {ALB_NAME_MAX}",
                env.name,
                f"a project and environment name of at most {ALB_NAME_MAX - 1} characters together",
            )
        if spec.ci.preview_environments and env.name == "preview":
            yield Problem(
                ("environments", index, "name"),
                "'preview' is reserved for pull-request previews "
                "when ci.preview_environments is on",
                env.name,
            )


def _unique_secrets(spec: Spec) -> Iterator[Problem]:
    seen: set[str] = set()
    for index, name in enumerate(spec.secrets):
        if name in seen:
            yield Problem(("secrets", index), "secret names must be unique", name)
        seen.add(name)
