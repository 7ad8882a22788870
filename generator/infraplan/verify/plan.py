"""What ``verify`` expects to find in AWS for one environment, from the spec and the manifest.

Names come from :func:`infraplan.spec.naming.env_names`; when the repo's
``.infraplan/manifest.json`` has a ``names`` section for the environment, its
values win (a user may have renamed a resource). Nothing here guesses a name.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from infraplan.errors import UserError
from infraplan.spec.model import Spec
from infraplan.spec.naming import EnvNames, env_names

MANIFEST = Path(".infraplan") / "manifest.json"


@dataclass(frozen=True)
class PlannedEnv:
    """One environment of the plan, as verify checks it."""

    spec: Spec
    env: str
    names: EnvNames
    region: str
    names_source: str  # "spec" or the manifest's relative path

    @property
    def secrets(self) -> tuple[str, ...]:
        return tuple(self.spec.secrets)

    @property
    def repository(self) -> str:
        return self.spec.ci.repository

    @property
    def budget_usd(self) -> float:
        return float(self.spec.requirements.monthly_budget_usd)


def planned_env(
    spec: Spec, env: str, *, region: str | None = None, manifest: Mapping[str, Any] | None = None
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
        source = str(MANIFEST)
    return PlannedEnv(spec, env, names, region or spec.aws.region, source)


def _manifest_names(manifest: Mapping[str, Any] | None, env: str) -> dict[str, str]:
    if not manifest:
        return {}
    section = manifest.get("names")
    if not isinstance(section, Mapping):
        return {}
    per_env = section.get(env)
    if not isinstance(per_env, Mapping):
        return {}
    fields = {f.name for f in dataclasses.fields(EnvNames)} - {"env"}
    return {k: v for k, v in per_env.items() if k in fields and isinstance(v, str) and v}


def read_manifest(directory: Path) -> dict[str, Any] | None:
    """The repo's manifest, or None when it has none; a broken one is bad input."""
    path = directory / MANIFEST
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise UserError(f"{path}: cannot be read ({exc.strerror})") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise UserError(
            f"{path}:{exc.lineno}:{exc.colno}: not valid JSON ({exc.msg})",
            hint="regenerate it with `infraplan update`, or delete it to use the spec's names",
        ) from None
    return data if isinstance(data, dict) else None
