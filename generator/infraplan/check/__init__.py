"""``infraplan check``: cross-check a plan against any repository.

The flow shows in the modules: ``discovery`` finds the files, ``parsing``
(with ``terraform_parse``, ``hcl_scan`` and ``cache``) reads the Terraform,
``terraform_model``, ``workflows`` and ``dockerfiles`` normalize what was read
into a ``repo_model``, the functions in ``rules`` judge it, and ``evaluate``
turns their findings into a report of the plan's tasks, requirements and
acceptance criteria. ``command`` is what the CLI calls.
"""

from __future__ import annotations

from pathlib import Path

from infraplan.check.cache import ParseCache, default_cache_dir
from infraplan.check.evaluate import evaluate
from infraplan.check.repo_model import RepoModel, build_repo_model
from infraplan.findings import Report
from infraplan.spec.model import Spec

__all__ = ["RepoModel", "build_repo_model", "check_repository", "default_plan"]


def default_plan() -> Spec:
    """The plan ``check`` holds a repository to when it has no ``plan.yaml``."""
    from infraplan.spec.load import parse_spec

    return parse_spec("project: plan\nci: {repository: owner/repo}\n", "default plan")


def check_repository(
    directory: Path,
    spec: Spec | None = None,
    *,
    cache_dir: Path | None = None,
    use_cache: bool = True,
    workers: int | None = None,
    progress: bool | None = None,
) -> Report:
    """Judge ``directory`` against ``spec`` (the default plan when None)."""
    folder = (cache_dir or default_cache_dir()) if use_cache else None
    model = build_repo_model(directory, ParseCache(folder), workers=workers, progress=progress)
    return evaluate(model, spec or default_plan(), planned=spec is not None)
