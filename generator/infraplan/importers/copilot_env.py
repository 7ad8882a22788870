"""The parts of a Copilot application around the service: environments (VPC),
pipelines (source and stages), and the service's secrets, variables and
rollback alarms."""

from __future__ import annotations

import re
from typing import Any

from infraplan.importers.common import Imported
from infraplan.importers.yamlfile import key_where, where
from infraplan.spec.types import REPOSITORY, SECRET_NAME

# --- environments --------------------------------------------------------------------


def environment(doc: Any, name: str, imported: Imported) -> None:
    """An environment's VPC: a CIDR and zones Copilot made are taken, an imported VPC reported."""
    network = doc.get("network") or {}
    vpc = network.get("vpc") if isinstance(network, dict) else None
    if isinstance(vpc, dict):
        if vpc.get("id"):
            imported.report(
                where(vpc, "id", name),
                "no-equivalent",
                f"imported VPC {vpc['id']}: infraplan's network module creates its own VPC; "
                "plan.yaml describes that one (import the existing one by hand)",
            )
        if vpc.get("cidr"):
            cidr = str(vpc["cidr"])
            current = imported.get(("network", "cidr"))
            if current is None:
                imported.set(("network", "cidr"), cidr, where(vpc, "cidr", name))
            elif current != cidr:
                imported.report(
                    where(vpc, "cidr", name),
                    "no-equivalent",
                    f"VPC {cidr} differs from {current}: plan.yaml has one CIDR for every "
                    "environment; the first was kept",
                )
        subnets = vpc.get("subnets") if isinstance(vpc.get("subnets"), dict) else {}
        public = subnets.get("public") if subnets else None
        zones = {str(s.get("az")) for s in public or [] if isinstance(s, dict) and s.get("az")}
        if zones and imported.get(("network", "az_count")) is None:
            count = len(zones)
            if 2 <= count <= 6:
                imported.set(("network", "az_count"), count, where(subnets, "public", name))
    for key in doc:
        if key not in ("name", "type", "network"):
            imported.report(
                key_where(doc, str(key), name),
                "no-equivalent",
                f"environment {key}: plan.yaml has no equivalent; not imported",
            )


# --- pipelines -----------------------------------------------------------------------


def pipeline(
    doc: Any, name: str, imported: Imported, environments: list[str], *, first: bool
) -> set[str]:
    """Take the first pipeline's source and stages; return the environments that wait
    for an approval. ``environments`` is put in stage order."""
    if not first:
        imported.report(
            key_where(doc, "name", name),
            "not-imported",
            f"pipeline {doc.get('name')!r}: plan.yaml has one deploy pipeline; the first was used",
        )
        return set()
    source = doc.get("source") or {}
    properties = source.get("properties") or {} if isinstance(source, dict) else {}
    provider = str(source.get("provider", "")) if isinstance(source, dict) else ""
    if provider.lower() == "github":
        found = re.search(
            r"github\.com[/:]([^/\s]+/[^/\s]+?)(?:\.git)?/?$", str(properties.get("repository", ""))
        )
        repository = found.group(1) if found else str(properties.get("repository", ""))
        if re.fullmatch(REPOSITORY, repository):
            imported.set(("ci", "repository"), repository, where(properties, "repository", name))
        if properties.get("branch"):
            imported.set(
                ("ci", "branch"), str(properties["branch"]), where(properties, "branch", name)
            )
        imported.report(
            where(source, "provider", name),
            "mapped",
            "CodePipeline with a CodeStar connection -> GitHub Actions with OIDC (no connection)",
        )
    elif provider:
        imported.report(
            where(source, "provider", name),
            "no-equivalent",
            f"source provider {provider}: infraplan deploys from GitHub with GitHub Actions",
        )
    approvals: set[str] = set()
    order: list[str] = []
    for index, stage in enumerate(doc.get("stages") or []):
        if not isinstance(stage, dict):
            continue
        env = str(stage.get("name", ""))
        order.append(env)
        if stage.get("requires_approval") or stage.get("require_approval"):
            approvals.add(env)
        for key in stage:
            if key not in ("name", "requires_approval", "require_approval", "deployments"):
                imported.report(
                    where(doc["stages"], index, name),
                    "no-equivalent",
                    f"stage {env} {key}: not generated; add it to the deploy workflow by hand",
                )
    if order and set(order) <= set(environments):
        environments.sort(key=lambda e: order.index(e) if e in order else len(order))
    elif order and not environments:
        environments.extend(order)
    if doc.get("build"):
        imported.report(
            key_where(doc, "build", name),
            "mapped",
            "CodeBuild build stage -> the deploy workflow builds and pushes the image",
        )
    return approvals


# --- service details -------------------------------------------------------------------


def secrets(doc: Any, name: str, imported: Imported, environments: list[str]) -> None:
    """Secret names; each SSM parameter is mapped to the Secrets Manager name infraplan reads."""
    project = imported.get(("project",), "")
    envs = environments or ["<env>"]
    found: list[str] = list(imported.get(("secrets",), []))
    blocks = [(doc.get("secrets"), doc)]
    for _env, override in (doc.get("environments") or {}).items():
        if isinstance(override, dict) and override.get("secrets"):
            blocks.append((override.get("secrets"), override))
    for block, _parent in blocks:
        if not isinstance(block, dict):
            continue
        for key, value in block.items():
            at = where(block, key, name)
            if not re.fullmatch(SECRET_NAME, str(key)):
                imported.report(at, "unread", f"secret {key!r} is not a valid environment name")
                continue
            targets = ", ".join(f"{project}/{env}/{key}" for env in envs)
            if isinstance(value, dict) and "secretsmanager" in value:
                imported.report(
                    at,
                    "mapped",
                    f"secret {key}: Secrets Manager {value['secretsmanager']!r} -> {targets}",
                )
            elif isinstance(value, dict):
                imported.report(at, "mapped", f"secret {key}: {dict(value)} -> {targets}")
            else:
                imported.report(
                    at,
                    "mapped",
                    f"secret {key}: SSM Parameter Store {value!r} -> Secrets Manager {targets} "
                    "(copy each value across; infraplan reads Secrets Manager)",
                )
            if key not in found:
                found.append(str(key))
                imported.sources[("secrets", len(found) - 1)] = at
    if found:
        imported.values["secrets"] = found


def variables(doc: Any, name: str, imported: Imported) -> None:
    block = doc.get("variables")
    if not isinstance(block, dict):
        return
    for key, value in block.items():
        imported.note(
            where(block, key, name),
            "no-equivalent",
            f"variable {key}={value}: plan.yaml has no environment variables; set it in the "
            "task definition (infra/modules/ecs)",
        )
    overrides = doc.get("environments") or {}
    for env, override in overrides.items():
        if isinstance(override, dict):
            keys = sorted(str(k) for k in override if k != "secrets")
            if keys:
                imported.report(
                    where(overrides, env, name),
                    "no-equivalent",
                    f"environment {env} overrides {', '.join(keys)}: plan.yaml sizes every "
                    "environment the same",
                )


def rollback_alarms(doc: Any, name: str, imported: Imported) -> None:
    deployment = doc.get("deployment")
    if not isinstance(deployment, dict):
        return
    alarms = deployment.get("rollback_alarms")
    at = where(deployment, "rollback_alarms", name)
    if isinstance(alarms, list):
        imported.set(("requirements", "auto_rollback"), True, at)
        imported.report(
            at,
            "no-equivalent",
            f"existing alarms {', '.join(str(a) for a in alarms)}: infraplan rolls back with "
            "the ECS circuit breaker and creates its own CPU and 5xx alarms",
        )
    elif isinstance(alarms, dict):
        imported.set(("requirements", "auto_rollback"), True, at)
        keys = {
            "cpu_utilization": "cpu_alarm_percent",
            "memory_utilization": "memory_alarm_percent",
        }
        for key, value in alarms.items():
            if key in keys and isinstance(value, int) and 1 <= value <= 100:
                imported.set(("monitoring", keys[key]), value, where(alarms, key, name))
            else:
                imported.report(
                    where(alarms, key, name),
                    "no-equivalent",
                    f"rollback alarm {key}: infraplan alarms on CPU, memory, 5xx and health",
                )
    for key in deployment:
        if key != "rollback_alarms":
            imported.report(
                key_where(deployment, str(key), name),
                "no-equivalent",
                f"deployment {key}: infraplan deploys with a rolling update and the circuit "
                "breaker",
            )
