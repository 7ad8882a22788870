"""``infraplan init --from-copilot DIR``: an AWS Copilot application to ``plan.yaml``.

Read, after the Copilot manifest reference (aws.github.io/copilot-cli/docs/manifest/:
lb-web-service, environment, pipeline) and the workspace layout of copilot-cli
(internal/pkg/workspace: ``copilot/.workspace`` holds ``application: NAME``):

- ``copilot/<service>/manifest.yml``: name, type, ``image.port``, ``http.healthcheck``
  (a path, or a map with ``path``), ``cpu``, ``memory``, ``count`` (a number, or a map
  with ``range``), ``variables``, ``secrets`` (SSM parameter names, or
  ``secretsmanager:``), ``deployment.rollback_alarms`` (alarm names, or a map of
  ``cpu_utilization``/``memory_utilization`` thresholds), ``environments`` overrides;
- ``copilot/environments/<env>/manifest.yml``: ``network.vpc`` (``cidr`` and subnets
  of a Copilot-made VPC, or ``id`` of an imported one), certificate ARNs;
- ``copilot/pipelines/<name>/manifest.yml``: ``source`` (provider, repository,
  branch) and ``stages`` (order, ``requires_approval``).

Copilot keeps secrets in SSM Parameter Store; infraplan reads them from Secrets
Manager, named ``<project>/<env>/<NAME>``: each mapping is reported.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from infraplan.errors import UserError
from infraplan.importers.common import Imported, Where, slug
from infraplan.importers.yamlfile import key_where, load_yaml, where
from infraplan.spec.aws_facts import FARGATE_SIZES

LBWS = "Load Balanced Web Service"
# Keys of a service manifest that plan.yaml holds (the rest is reported).
_HANDLED = {
    "name",
    "type",
    "image",
    "http",
    "cpu",
    "memory",
    "count",
    "variables",
    "secrets",
    "deployment",
    "environments",
    "platform",
}
_ARN = re.compile(r"arn:aws[\w-]*:[\w-]+:([a-z]{2}(?:-gov)?-[a-z]+-\d):(\d{12}):")


def import_copilot(root: Path) -> Imported:
    imported = Imported()
    copilot = root / "copilot"
    if not copilot.is_dir():
        raise UserError(
            f"{root}: no copilot/ folder",
            hint="--from-copilot takes the folder that holds copilot/",
        )
    rel = _relative(root)
    _workspace(copilot, rel, imported)
    services = _services(copilot, rel, imported)
    environments = _environments(copilot, rel, imported)
    approvals = _pipelines(copilot, rel, imported, environments)
    if environments:
        imported.set(
            ("environments",),
            [
                {"name": env, "approval": True} if env in approvals else {"name": env}
                for env in environments
            ],
            Where(rel(copilot / "environments")),
        )
    else:
        imported.report(
            Where(rel(copilot / "environments")),
            "unread",
            "no environment manifests: plan.yaml's default environments (staging, production)",
        )
    if services:
        _service(services[0], rel, imported, environments)
    if imported.get(("ci", "repository")) is None:
        project = imported.get(("project",))
        imported.set(("ci", "repository"), f"my-org/{project}")
        imported.report(
            Where(rel(copilot)),
            "unread",
            f"no GitHub pipeline source: ci.repository set to my-org/{project}; change it",
        )
    imported.set(("language",), "en")
    return imported


def _relative(root: Path) -> Any:
    def rel(path: Path) -> str:
        return path.relative_to(root).as_posix()

    return rel


def _workspace(copilot: Path, rel: Any, imported: Imported) -> None:
    summary = copilot / ".workspace"
    name = ""
    if summary.is_file():
        doc = load_yaml(summary, rel(summary))
        if isinstance(doc, dict) and doc.get("application"):
            name = str(doc["application"])
            project = slug(name)
            if project:
                imported.set(("project",), project, where(doc, "application", rel(summary)))
                if project != name:
                    imported.report(
                        where(doc, "application", rel(summary)),
                        "mapped",
                        f"application {name!r} -> project {project!r} (a lower-case slug)",
                    )
                return
    project = slug(copilot.resolve().parent.name) or "my-service"
    imported.set(("project",), project)
    imported.report(
        Where(rel(summary)), "unread", f"no application name: project set to {project!r}"
    )


def _services(copilot: Path, rel: Any, imported: Imported) -> list[tuple[Path, Any]]:
    """The service manifests, load-balanced web services first."""
    found = []
    for manifest in sorted(copilot.glob("*/manifest.yml")):
        if manifest.parent.name in ("environments", "pipelines"):
            continue
        doc = load_yaml(manifest, rel(manifest))
        if not isinstance(doc, dict):
            raise UserError(f"{rel(manifest)}:1: a manifest must be a mapping of keys")
        found.append((manifest, doc))
    found.sort(key=lambda item: item[1].get("type") != LBWS)
    for manifest, doc in found[1:]:
        imported.report(
            key_where(doc, "name", rel(manifest)),
            "not-imported",
            f"{doc.get('type', 'workload')} {doc.get('name')!r}: plan.yaml plans one "
            f"service; plan it with its own plan.yaml",
        )
    if not found:
        imported.report(Where(rel(copilot)), "unread", "no service manifest in copilot/*/")
    return found


def _service(item: tuple[Path, Any], rel: Any, imported: Imported, environments: list[str]) -> None:
    path, doc = item
    name = rel(path)
    kind = doc.get("type")
    if kind != LBWS:
        imported.report(
            key_where(doc, "type", name),
            "no-equivalent",
            f"type {kind!r}: infraplan plans a load-balanced web service on ECS Fargate",
        )
    if doc.get("name"):
        service = slug(str(doc["name"]))
        imported.set(("service", "name"), service, where(doc, "name", name))
    image = doc.get("image") or {}
    if isinstance(image, dict) and "port" in image:
        _port(image, name, imported)
    _health(doc.get("http"), name, imported)
    _size(doc, name, imported)
    from infraplan.importers.copilot_env import rollback_alarms, secrets, variables

    secrets(doc, name, imported, environments)
    variables(doc, name, imported)
    rollback_alarms(doc, name, imported)
    for key in doc:
        if key not in _HANDLED:
            imported.report(
                key_where(doc, str(key), name),
                "no-equivalent",
                f"{key}: plan.yaml has no equivalent; not imported",
            )


def _port(image: Any, name: str, imported: Imported) -> None:
    port = image.get("port")
    at = where(image, "port", name)
    if isinstance(port, int) and 1024 <= port <= 65535:
        imported.set(("service", "port"), port, at)
    else:
        imported.report(
            at,
            "mapped",
            f"image.port {port}: infraplan's container runs as a non-root user and listens "
            "on 1024-65535; service.port left at 8080: change the application's port",
        )


def _health(http: Any, name: str, imported: Imported) -> None:
    if not isinstance(http, dict):
        return
    check = http.get("healthcheck")
    if isinstance(check, str):
        imported.set(("service", "health_check_path"), check, where(http, "healthcheck", name))
    elif isinstance(check, dict) and check.get("path"):
        imported.set(("service", "health_check_path"), check["path"], where(check, "path", name))
        extra = sorted(str(k) for k in check if k != "path")
        if extra:
            imported.report(
                where(http, "healthcheck", name),
                "no-equivalent",
                f"http.healthcheck {', '.join(extra)}: infraplan's target group uses its own "
                "thresholds",
            )
    else:
        # Copilot's default health check path is the service's root
        imported.set(("service", "health_check_path"), "/", key_where(http, "path", name))


def _size(doc: Any, name: str, imported: Imported) -> None:
    cpu, memory = doc.get("cpu"), doc.get("memory")
    if isinstance(cpu, int) and isinstance(memory, int):
        if memory in FARGATE_SIZES.get(cpu, ()):
            imported.set(("service", "cpu"), cpu, where(doc, "cpu", name))
            imported.set(("service", "memory"), memory, where(doc, "memory", name))
        else:
            imported.report(
                where(doc, "cpu", name),
                "unread",
                f"cpu {cpu} / memory {memory} is not a Fargate size; defaults kept",
            )
    count = doc.get("count")
    if isinstance(count, int):
        imported.set(("service", "desired_count"), max(count, 1), where(doc, "count", name))
    elif isinstance(count, dict):
        found = re.match(r"^\s*(\d+)\s*-\s*(\d+)", str(count.get("range", "")))
        if found:
            imported.set(
                ("service", "desired_count"), int(found.group(1)), where(count, "range", name)
            )
        imported.report(
            where(doc, "count", name),
            "no-equivalent",
            "count autoscaling: plan.yaml keeps a fixed desired_count (the range's minimum)",
        )


def _environments(copilot: Path, rel: Any, imported: Imported) -> list[str]:
    from infraplan.importers.copilot_env import environment

    names = []
    for manifest in sorted((copilot / "environments").glob("*/manifest.yml")):
        doc = load_yaml(manifest, rel(manifest))
        env = str(doc.get("name") or manifest.parent.name) if isinstance(doc, dict) else ""
        env = slug(env) or manifest.parent.name
        names.append(env)
        if isinstance(doc, dict):
            environment(doc, rel(manifest), imported)
    for arn_file in sorted(copilot.rglob("*.yml")):
        found = _ARN.search(arn_file.read_text(encoding="utf-8", errors="replace"))
        if found and imported.get(("aws", "region")) is None:
            line = arn_file.read_text(encoding="utf-8", errors="replace")[: found.start()]
            at = Where(rel(arn_file), line.count("\n") + 1)
            imported.set(("aws", "region"), found.group(1), at)
            imported.set(("aws", "account_id"), found.group(2), at)
    if imported.get(("aws", "region")) is None:
        imported.report(
            Where(rel(copilot)),
            "unread",
            "no region in the manifests (Copilot keeps it in each environment's AWS profile): "
            "aws.region left at its default; set it",
        )
    return names


def _pipelines(copilot: Path, rel: Any, imported: Imported, environments: list[str]) -> set[str]:
    from infraplan.importers.copilot_env import pipeline

    approvals: set[str] = set()
    manifests = sorted((copilot / "pipelines").glob("*/manifest.yml"))
    legacy = copilot / "pipeline.yml"
    if legacy.is_file():
        manifests.append(legacy)
    for index, manifest in enumerate(manifests):
        doc = load_yaml(manifest, rel(manifest))
        if isinstance(doc, dict):
            approvals |= pipeline(doc, rel(manifest), imported, environments, first=index == 0)
    return approvals
