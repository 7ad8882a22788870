"""Where Terraform keeps its state: a ``backend`` block or a Terragrunt ``remote_state``.

State in S3 is the capability; locking is good practice, so a backend without it
is advice, not a failure. S3 locks natively with ``use_lockfile`` (Terraform 1.10+;
DynamoDB locking is deprecated):
https://developer.hashicorp.com/terraform/language/backend/s3#state-locking
"""

from __future__ import annotations

from typing import Any

from infraplan.check.plan_context import PlanContext
from infraplan.check.repo_model import RepoModel
from infraplan.check.terraform_rules import truth
from infraplan.check.verdicts import verdict
from infraplan.findings import Advice, Finding

_LOCK_KEYS = ("use_lockfile", "dynamodb_table")


def _locked(body: dict[str, Any]) -> bool:
    return truth(body.get("use_lockfile")) is True or bool(body.get("dynamodb_table"))


def s3_backend(repo: RepoModel, plan: PlanContext) -> Finding:
    backends = repo.terraform.backends
    # (where, settings, root) of every S3 backend, Terraform's and Terragrunt's
    s3 = [(b.block.where("backend"), b.body, b.root) for b in backends if b.kind == "s3"]
    s3 += [
        (u.where("remote_state"), u.backend_config, u.folder)
        for u in repo.terraform.units
        if u.backend == "s3" and "remote_state" in u.lines  # its own, not an include's
    ]
    if not s3:
        others = sorted({b.kind for b in backends} | {u.backend for u in repo.terraform.units})
        others = [o for o in others if o]
        if others:
            where = [b.block.where("backend") for b in backends]
            where += [u.where("remote_state") for u in repo.terraform.units if u.backend]
            return verdict(
                "s3_backend", "fail", f"state is kept in {', '.join(others)}, not S3", where
            )
        return verdict("s3_backend", "fail", "no backend: Terraform state stays on local disk")
    roots = ", ".join(sorted({root for _, _, root in s3})[:3])
    where = [w for w, _, _ in s3]
    locked = [w for w, body, _ in s3 if _locked(body)]
    if locked:
        return verdict("s3_backend", "pass", f"S3 backend with locking in {roots}", locked)
    configs = [path for path, values in repo.backend_configs.items() if _locked(values)]
    init_flags = [
        step.where
        for job in repo.workflows.jobs
        for step in job.steps
        if "-backend-config" in step.run and any(k in step.run for k in _LOCK_KEYS)
    ]
    if configs or init_flags:
        return verdict(
            "s3_backend",
            "pass",
            f"S3 backend in {roots}; locking set in its backend config",
            where + [f"{p}:1" for p in configs] + init_flags,
        )
    advice = Advice(
        "S3 backend without locking: two runs at once can corrupt the state "
        "(set use_lockfile = true)",
        tuple(where),
        "warning",
    )
    return verdict(
        "s3_backend", "pass", f"S3 backend in {roots} (without locking)", where, advice=[advice]
    )
