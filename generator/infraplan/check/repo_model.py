"""The repository as the rules see it: parsed once, normalized once.

``build_repo_model`` walks the folder, parses the Terraform (cached, in
parallel), the workflows and the Dockerfiles, and gathers every file that
could not be read or parsed, so the rules never touch a parser's raw output
and a bad file never stops the run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from infraplan.check.cache import ParseCache
from infraplan.check.conflicts import conflict_error, first_side
from infraplan.check.discovery import RepoFiles, find_files, read_text
from infraplan.check.dockerfiles import Dockerfile, load_dockerfiles
from infraplan.check.parsing import parse_terraform_files
from infraplan.check.problems import FileProblem
from infraplan.check.terraform_model import TerraformModel, build_terraform_model
from infraplan.check.terragrunt import read_unit
from infraplan.check.workflows import WorkflowModel, build_workflow_model
from infraplan.hcl.parse import parse_tfvars_text


@dataclass
class RepoModel:
    root: Path
    files: RepoFiles
    terraform: TerraformModel
    workflows: WorkflowModel
    dockerfiles: list[Dockerfile]
    # Files that could not be read or parsed.
    errors: list[FileProblem] = field(default_factory=list)
    backend_configs: dict[str, dict[str, Any]] = field(default_factory=dict)


def build_repo_model(
    root: Path, cache: ParseCache, *, workers: int | None = None, progress: bool | None = None
) -> RepoModel:
    files = find_files(root)
    jobs = [(p, "tf") for p in files.terraform] + [(p, "tfvars") for p in files.tfvars]
    jobs += [(p, "hcl") for p in files.terragrunt]
    parsed = parse_terraform_files(root, jobs, cache, workers=workers, progress=progress)
    units = [
        read_unit(p.path, p.data.get("values") or {}, read_text(root, p.path)[0] or "")
        for p in parsed
        if p.kind == "hcl"
    ]
    terraform = build_terraform_model([p for p in parsed if p.kind != "hcl"], units)
    terraform.errors.extend(
        FileProblem(p.path, int(p.data["error"]["line"]), str(p.data["error"]["message"]))
        for p in parsed
        if p.kind == "hcl" and p.data.get("error")
    )
    workflows = build_workflow_model(root, files.workflows)
    dockerfiles, docker_errors = load_dockerfiles(root, files.dockerfiles)
    errors = [*terraform.errors, *workflows.errors, *docker_errors]
    errors.extend(FileProblem(path, 1, why) for path, why in files.skipped)
    backend_configs: dict[str, dict[str, Any]] = {}
    for rel in files.tfbackend:
        text, problem = read_text(root, rel)
        if text is not None:
            text, conflict = first_side(text)
            if conflict is not None:
                errors.append(conflict_error(rel, conflict))
        data = parse_tfvars_text(text) if text is not None else {"values": {}, "error": None}
        if text is None:
            errors.append(FileProblem(rel, 1, problem or "unreadable"))
        elif data["error"]:
            errors.append(
                FileProblem(rel, int(data["error"]["line"]), str(data["error"]["message"]))
            )
        backend_configs[rel] = data["values"]
    return RepoModel(root, files, terraform, workflows, dockerfiles, errors, backend_configs)
