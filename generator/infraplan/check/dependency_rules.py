"""Rules about keeping what the repo depends on current: base images and actions."""

from __future__ import annotations

from typing import Any

from infraplan.check.discovery import read_text
from infraplan.check.plan_context import PlanContext
from infraplan.check.repo_model import RepoModel
from infraplan.check.verdicts import verdict
from infraplan.findings import Finding

DEPENDABOT = (".github/dependabot.yml", ".github/dependabot.yaml")
# Renovate's config files ("Configuration options", Renovate docs): Renovate updates
# Dockerfiles and workflows by default, so one counts for both.
RENOVATE = (
    "renovate.json",
    "renovate.json5",
    ".renovaterc",
    ".renovaterc.json",
    ".github/renovate.json",
    ".github/renovate.json5",
)


def _dependabot_updates(text: str) -> list[tuple[str, int]]:
    """(package-ecosystem, line) of every update entry; [] when unreadable."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    try:
        data: Any = YAML(typ="rt", pure=True).load(text)
    except YAMLError:
        return []
    updates = data.get("updates") if isinstance(data, dict) else None
    out = []
    for entry in updates if isinstance(updates, list) else []:
        if isinstance(entry, dict) and isinstance(entry.get("package-ecosystem"), str):
            line = entry.lc.line + 1 if hasattr(entry, "lc") else 1
            out.append((entry["package-ecosystem"], line))
    return out


def dependency_updates(repo: RepoModel, plan: PlanContext) -> Finding:
    """Dependabot (or Renovate) proposes updates of the Dockerfile's base images and the
    workflows' actions."""
    rule = "dependency_updates"
    for rel in RENOVATE:
        if (repo.root / rel).is_file():
            return verdict(rule, "pass", f"Renovate is configured ({rel})", [f"{rel}:1"])
    for rel in DEPENDABOT:
        text, _ = read_text(repo.root, rel) if (repo.root / rel).is_file() else (None, None)
        if text is None:
            continue
        updates = _dependabot_updates(text)
        wanted = set()
        if repo.dockerfiles:
            wanted.add("docker")
        if repo.files.workflows:
            wanted.add("github-actions")
        missing = sorted(wanted - {ecosystem for ecosystem, _ in updates})
        evidence = [f"{rel}:{line}" for _, line in updates] or [f"{rel}:1"]
        if missing:
            return verdict(rule, "fail", f"{rel} does not update {', '.join(missing)}", evidence)
        found = ", ".join(sorted({e for e, _ in updates}))
        return verdict(rule, "pass", f"Dependabot updates {found}", evidence)
    return verdict(
        rule, "fail", "no .github/dependabot.yml or Renovate config: base images and actions age"
    )
