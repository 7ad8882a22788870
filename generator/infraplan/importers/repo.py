"""``infraplan init --from-repo DIR``: the plan.yaml that describes what a
repository already does.

The repository is read with ``check``'s repo model (``build_repo_model``: the
Terraform by root with values resolved and well-known registry modules
expanded, the workflows, the Dockerfiles); only its public data is used, never
a rule. Every value carries the ``file:line`` it was read from; a value the
code leaves to an expression, a variable without default or a GitHub setting
is reported as unread and left at the spec's default, not guessed. Tasks the
code does another way go to ``not_applicable`` with the reason found.
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

from infraplan.importers.common import Imported, Where, slug
from infraplan.importers.repo_values import (
    Reader,
    alarms,
    budget_and_dashboard,
    network,
    rollback,
    secrets,
    service,
    workflows,
)

_GENERIC_ROOTS = {".", "infra", "terraform", "tf", "iac", "deploy", "live", "stack"}
_ENV_RANK = {
    "dev": 0,
    "development": 0,
    "test": 1,
    "qa": 1,
    "staging": 2,
    "stage": 2,
    "preprod": 2,
    "prod": 3,
    "production": 3,
}


def import_repo(root: Path) -> Imported:
    from infraplan.check import build_repo_model
    from infraplan.check.cache import ParseCache

    imported = Imported()
    model = build_repo_model(root, ParseCache(None), progress=False)
    for problem in model.errors:
        imported.report(
            Where(problem.path, problem.line), "unread", f"could not be read: {problem.message}"
        )
    reader = Reader(model, imported)
    roots = _service_roots(reader)
    imported.set(("language",), "en")
    _environments(reader, roots)
    _region(reader)
    service(reader)
    network(reader)
    rollback(reader)
    secrets(reader)
    alarms(reader)
    budget_and_dashboard(reader)
    workflows(reader)
    _repository(root, reader)
    _project(root, reader)
    return imported


def env_rank(root: str) -> float:
    """Deploy order of an environment named by its root's folder (dev first, prod last)."""
    return _ENV_RANK.get(posixpath.basename(root), 1.5)


def _service_roots(reader: Reader) -> list[str]:
    """The Terraform roots that run an ECS service (directly or through modules)."""
    roots = sorted({r.root for r in reader.tf.of_type("aws_ecs_service")})
    if not roots:
        reader.imported.report(
            Where("."), "unread", "no Terraform root creates an ECS service: service values unread"
        )
    return roots


def _environments(reader: Reader, roots: list[str]) -> None:
    workspace = next((b for b in reader.tf.blocks if "terraform.workspace" in str(b.body)), None)
    if workspace is not None:
        reader.imported.report(
            Where(workspace.path, workspace.line),
            "unread",
            "names depend on terraform.workspace: the workspaces (environments) are chosen at "
            "`terraform workspace select`, not written in the code; add them to environments",
        )
    named: list[tuple[str, Where]] = []
    for root in roots:
        name = (
            slug(posixpath.basename(root)) if posixpath.basename(root) not in _GENERIC_ROOTS else ""
        )
        where = Where(f"{root}/" if root != "." else ".")
        if not name:
            name, where = _env_from_backend(reader, root)
        if name and name not in (n for n, _ in named):
            named.append((name, where))
    if not named:
        if roots:
            reader.imported.report(
                Where(roots[0]),
                "unread",
                "no environment name in the root's folder or state key: plan.yaml's default "
                "environments kept",
            )
        return
    named.sort(key=lambda item: _ENV_RANK.get(item[0], 1.5))
    reader.imported.set(("environments",), [{"name": n} for n, _ in named], named[0][1])
    for index, (_, where) in enumerate(named):
        reader.imported.sources[("environments", index)] = where
    reader.imported.report(
        named[-1][1],
        "unread",
        "deploy approvals are GitHub environment settings, not in the repository: set "
        "environments[].approval by hand",
    )


def _env_from_backend(reader: Reader, root: str) -> tuple[str, Where]:
    for backend in reader.tf.backends:
        if backend.root != root:
            continue
        key, block = str(backend.body.get("key", "")), backend.block
        parts = [p for p in key.split("/")[:-1] if p]
        if len(parts) >= 2 and slug(parts[-1]):
            line = block.line_of("backend", "key")
            return slug(parts[-1]), Where(block.path, line)
    return "", Where(root)


def _region(reader: Reader) -> None:
    for block in reader.tf.blocks_of("provider"):
        if block.labels[:1] != ("aws",):
            continue
        region = block.body.get("region")
        if isinstance(region, str) and "${" not in region:
            reader.put(("aws", "region"), region, block.path, block.line_of("region"))
            return
        variable = re.fullmatch(r"\$\{var\.(\w+)\}", str(region))
        found = _tfvar(reader, block.folder, variable.group(1)) if variable else None
        if found is not None:
            reader.put(("aws", "region"), *found)
            return
        if region is not None:
            reader.unread(block.where("region"), f"provider region is {region}")
    reader.imported.report(Where("."), "unread", "no literal AWS provider region")


def _tfvar(reader: Reader, folder: str, name: str) -> tuple[str, str, int] | None:
    """A root's variable set in its terraform.tfvars: (value, file, line)."""
    from infraplan.hcl.parse import parse_tfvars_text

    rel = f"{folder}/terraform.tfvars" if folder != "." else "terraform.tfvars"
    path = reader.model.root / rel
    if not path.is_file():
        return None
    text = path.read_text(encoding="utf-8", errors="replace")
    value = parse_tfvars_text(text)["values"].get(name)
    if not isinstance(value, str) or "${" in value:
        return None
    line = next(
        (n for n, t in enumerate(text.splitlines(), 1) if re.match(rf"\s*{name}\s*=", t)), 0
    )
    return value, rel, line


def _repository(root: Path, reader: Reader) -> None:
    config = root / ".git" / "config"
    text = config.read_text(encoding="utf-8", errors="replace") if config.is_file() else ""
    lines = text.splitlines()
    in_origin = False
    for number, line in enumerate(lines, 1):
        if line.strip().startswith("["):
            in_origin = line.strip() == '[remote "origin"]'
        found = re.search(r"url\s*=\s*\S*github\.com[/:]([\w.-]+/[\w.-]+?)(?:\.git)?\s*$", line)
        if in_origin and found:
            reader.put(("ci", "repository"), found.group(1), ".git/config", number)
            return
    project = slug(root.resolve().name) or "my-service"
    reader.imported.set(("ci", "repository"), f"my-org/{project}")
    reader.imported.report(
        Where(".git/config"),
        "unread",
        f"no GitHub remote named origin: ci.repository set to my-org/{project}; change it",
    )


def _project(root: Path, reader: Reader) -> None:
    """The project: the ECR repository's or the cluster's name less the environment."""
    envs = [e["name"] for e in reader.imported.get(("environments",), [])]
    names = [
        (r.attrs.get("name"), r.where("name"))
        for kind in ("aws_ecr_repository", "aws_ecs_cluster")
        for r in reader.tf.of_type(kind)
    ] + [
        (call.inputs.get(key), call.block.where(key))
        for call in reader.tf.modules
        for key in ("repository_name", "cluster_name")
    ]
    for name, where in names:
        if not isinstance(name, str) or "${" in name:
            continue
        for env in envs:
            name = re.sub(rf"[-_]{re.escape(env)}$", "", name)
        project = slug(name)
        if project:
            file, _, line = where.rpartition(":")
            reader.put(("project",), project, file, int(line))
            return
    repository = str(reader.imported.get(("ci", "repository"), ""))
    project = slug(repository.split("/")[-1]) or slug(root.resolve().name) or "my-service"
    reader.imported.set(("project",), project)
    reader.imported.report(
        Where("."), "inferred", f"no literal ECR or cluster name: project set to {project!r}"
    )
