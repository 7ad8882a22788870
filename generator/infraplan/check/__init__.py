"""``infraplan check``: cross-check a plan against any repository.

The flow shows in the modules: ``discovery`` finds the files, ``parsing``
(with :mod:`infraplan.hcl` and ``cache``) reads the Terraform,
``terraform_model``, ``workflows`` and ``dockerfiles`` normalize what was read
into a ``repo_model``, the rules named in :mod:`infraplan.catalogue` judge it
against a ``plan_context`` (the plan, or none), and ``evaluate`` turns their
findings into a report of the plan's tasks, requirements and acceptance
criteria. ``command`` is what the CLI calls.
"""

from __future__ import annotations

from pathlib import Path

from infraplan.check.cache import ParseCache, default_cache_dir
from infraplan.check.evaluate import evaluate
from infraplan.check.plan_context import PlanContext
from infraplan.check.repo_model import RepoModel, build_repo_model
from infraplan.findings import Report
from infraplan.spec.model import Spec

__all__ = ["PlanContext", "RepoModel", "build_repo_model", "check_repository", "default_plan"]


def default_plan() -> Spec:
    """The shape of a plan for a repository without ``plan.yaml``: its tasks are the
    catalogue's, none of its values is imposed (:class:`PlanContext` ``given=False``)."""
    from infraplan.spec.load import parse_spec

    return parse_spec("project: plan\nci: {repository: owner/repo}\n", "default plan")


def check_repository(
    directory: Path,
    spec: Spec | PlanContext | None = None,
    *,
    cache_dir: Path | None = None,
    use_cache: bool = True,
    workers: int | None = None,
    progress: bool | None = None,
) -> Report:
    """Judge ``directory`` against a plan (a Spec, a PlanContext with the plan file's
    lines, or None: no plan, capabilities only)."""
    if spec is None:
        plan = PlanContext.none()
    elif isinstance(spec, PlanContext):
        plan = spec
    else:
        plan = PlanContext.of(spec)
    folder = (cache_dir or default_cache_dir()) if use_cache else None
    model = build_repo_model(directory, ParseCache(folder), workers=workers, progress=progress)
    return evaluate(model, plan)
