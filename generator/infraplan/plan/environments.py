"""The plan's line on what each environment runs, written and read back in one format.

``- **Environments:** `staging`: 1 x 256 CPU / 512 MiB, Fargate Spot, NAT none;
`production`: 2 x 256 CPU / 512 MiB, Fargate, NAT single, ECS Exec``

The renderer writes it from ``Spec.sizing``; ``init --from PLAN.md`` reads it back, so a
plan infraplan wrote keeps each environment's own task count, size, NAT mode, Fargate Spot
and ECS Exec.
"""

from __future__ import annotations

import re
from typing import Any

from infraplan.escape import md_code
from infraplan.spec.model import Spec

_ITEM = re.compile(
    r"`?(?P<name>[a-z][a-z0-9-]*)`?: (?P<count>\d+) x (?P<cpu>\d+) CPU / (?P<memory>\d+) MiB, "
    r"(?P<capacity>Fargate Spot|Fargate), NAT (?P<nat>none|single|per_az)(?P<exec>, ECS Exec)?"
)


def sizing_line(spec: Spec) -> str:
    """Each environment's sizing, in deploy order."""
    items = []
    for env in spec.environments:
        size = spec.sizing(env.name)
        capacity = "Fargate Spot" if size.spot else "Fargate"
        item = (
            f"{md_code(env.name)}: {size.desired_count} x {size.cpu} CPU / {size.memory} MiB, "
            f"{capacity}, NAT {size.nat}"
        )
        items.append(item + (", ECS Exec" if env.ecs_exec else ""))
    return "; ".join(items)


def read_sizing_line(text: str) -> dict[str, dict[str, Any]]:
    """Per environment name, the ``environments[]`` fields :func:`sizing_line` wrote."""
    out: dict[str, dict[str, Any]] = {}
    for found in _ITEM.finditer(text):
        fields: dict[str, Any] = {
            "desired_count": int(found["count"]),
            "cpu": int(found["cpu"]),
            "memory": int(found["memory"]),
            "nat": found["nat"],
        }
        if found["capacity"] == "Fargate Spot":
            fields["spot"] = True
        if found["exec"]:
            fields["ecs_exec"] = True
        out[found["name"]] = fields
    return out
