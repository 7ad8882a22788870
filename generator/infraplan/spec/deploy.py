"""The deploy section of the spec: how a new revision of the service replaces the old one."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from infraplan.spec.types import Model

Strategy = Literal["rolling", "blue_green"]

# After a blue/green deployment's bake time ECS stops the old revision; the deploy job
# waits for the deployment to end, this long, before the next environment deploys.
OLD_REVISION_MINUTES = 2


class Deploy(Model):
    """How ECS moves the service to a new revision."""

    strategy: Strategy = Field(
        "rolling",
        description="rolling: ECS replaces the tasks a few at a time behind the one target "
        "group, and the deployment circuit breaker rolls a failing deployment back. "
        "blue_green: ECS's own blue/green deployment (deploymentConfiguration.strategy "
        "BLUE_GREEN): the new revision starts in a second target group, gets the test "
        "listener rule's traffic, then all production traffic at once; the old revision "
        "stays up for bake_minutes, and the load balancer's 5xx alarms or the circuit "
        "breaker send traffic back to it. Costs nothing more than rolling but twice the "
        "tasks for the bake time.",
    )
    bake_minutes: int = Field(
        5,
        ge=0,
        le=1440,
        description="blue_green only: minutes both revisions keep running after production "
        "traffic moved, during which an alarm rolls traffic back at once "
        "(bakeTimeInMinutes, 0-1440). The deploy jobs wait for it on top of R2.",
    )
