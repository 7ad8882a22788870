"""What autoscaling each environment runs: the service's settings, each environment's own
bounds where it sets them, and the defaults that follow from its desired count.

The one place that resolves them; templates, the plan, ``check``, ``verify`` and ``cost``
read :func:`env_scaling`.
"""

from __future__ import annotations

from dataclasses import dataclass

from infraplan.spec.model import Spec

# Default maximum: this many times the environment's desired count.
DEFAULT_MAX_FACTOR = 2


@dataclass(frozen=True)
class Scaling:
    """The scalable target and tracking policies of one environment's service."""

    min_count: int
    max_count: int
    desired_count: int  # where the first deploy starts, and what the cost estimate assumes
    cpu_target_percent: int
    requests_per_target: int | None
    scale_in_cooldown_seconds: int
    scale_out_cooldown_seconds: int

    @property
    def policies(self) -> int:
        """Target tracking policies: CPU, and requests per task when set."""
        return 1 if self.requests_per_target is None else 2


def env_scaling(spec: Spec, env: str) -> Scaling | None:
    """Autoscaling of environment ``env``; None when the spec turns it off."""
    e = next(x for x in spec.environments if x.name == env)
    return _scaling(spec, spec.sizing(env).desired_count, e.min_count, e.max_count)


def service_scaling(spec: Spec) -> Scaling | None:
    """The service's own autoscaling, without any environment's overrides: what a
    repository with one root for every environment is held to."""
    return _scaling(spec, spec.service.desired_count, None, None)


def _scaling(spec: Spec, desired: int, low: int | None, high: int | None) -> Scaling | None:
    auto = spec.service.autoscaling
    if not auto.enabled:
        return None
    minimum = low or auto.min_count or desired
    return Scaling(
        min_count=minimum,
        max_count=high or auto.max_count or max(DEFAULT_MAX_FACTOR * desired, minimum),
        desired_count=desired,
        cpu_target_percent=auto.cpu_target_percent,
        requests_per_target=auto.requests_per_target,
        scale_in_cooldown_seconds=auto.scale_in_cooldown_seconds,
        scale_out_cooldown_seconds=auto.scale_out_cooldown_seconds,
    )
