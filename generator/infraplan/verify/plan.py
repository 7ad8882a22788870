"""What ``verify`` expects to find in AWS for one environment, from the spec and the manifest.

Names come from :func:`infraplan.spec.naming.env_names`; when the repo's
``.infraplan/manifest.json`` has a ``names`` section for the environment, its
values win (a user may have renamed a resource). Nothing here guesses a name.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from infraplan.errors import UserError
from infraplan.scaffold.manifest import MANIFEST_PATH, Manifest
from infraplan.spec.model import Sizing, Spec
from infraplan.spec.naming import EnvNames, env_names


@dataclass(frozen=True)
class PlannedEnv:
    """One environment of the plan, as verify checks it."""

    spec: Spec
    env: str
    names: EnvNames
    region: str
    names_source: str  # "spec" or the manifest's relative path
    account: str | None = None  # the account the credentials are for, once asked

    @property
    def secrets(self) -> tuple[str, ...]:
        return tuple(self.spec.secrets)

    @property
    def repository(self) -> str:
        return self.spec.ci.repository

    @property
    def sizing(self) -> Sizing:
        """What this environment runs (its own ``environments[]`` values, else the
        service's and the network's)."""
        return self.spec.sizing(self.env)

    @property
    def budget_usd(self) -> float:
        """This environment's AWS budget: its share of R4 by the estimate, as the
        environment root sets it (never the whole R4)."""
        from infraplan.cost.estimate import budget_shares, estimate

        return budget_shares(estimate(self.spec))[self.env]


def planned_env(
    spec: Spec, env: str, *, region: str | None = None, manifest: Manifest | None = None
) -> PlannedEnv:
    """The planned environment ``env``; an environment the spec lacks is bad input."""
    known = [e.name for e in spec.environments]
    if env not in known:
        raise UserError(
            f"--env: {env!r} is not an environment of the plan",
            hint=f"accepted: {', '.join(known)}",
        )
    names = env_names(spec, env)
    source = "spec"
    overrides = _manifest_names(manifest, env)
    if overrides:
        names = dataclasses.replace(names, **overrides)
        source = MANIFEST_PATH
    return PlannedEnv(spec, env, names, region or spec.aws.region, source)


def _manifest_names(manifest: Manifest | None, env: str) -> dict[str, str]:
    if manifest is None:
        return {}
    fields = {f.name for f in dataclasses.fields(EnvNames)} - {"env"}
    per_env = manifest.names.get(env, {})
    return {k: v for k, v in per_env.items() if k in fields and v}
