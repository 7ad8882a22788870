"""The ``plaintext_credentials`` rule (R1): no credential sits in the repository's code.

Every Terraform file (``.tf``, ``.tfvars``, ``.tfbackend``, Terragrunt ``.hcl``),
workflow and Dockerfile is scanned line by line with the spec's own detector
(:func:`infraplan.spec.secret_values.find_credentials`, detect-secrets' shape
plugins, no entropy: a pinned commit SHA or an image digest is no secret). A
finding names the kind and the file:line, never the value.
"""

from __future__ import annotations

from infraplan.check.discovery import read_text
from infraplan.check.plan_context import PlanContext
from infraplan.check.repo_model import RepoModel
from infraplan.check.verdicts import verdict
from infraplan.findings import Finding
from infraplan.spec.secret_values import find_credentials

RULE = "plaintext_credentials"


def plaintext_credentials(repo: RepoModel, plan: PlanContext) -> Finding:
    files = repo.files
    paths = [
        *files.terraform,
        *files.tfvars,
        *files.tfbackend,
        *files.terragrunt,
        *files.workflows,
        *files.dockerfiles,
    ]
    found: list[tuple[str, str]] = []  # (file:line, kind)
    for rel in paths:
        text, _ = read_text(repo.root, rel)  # an unreadable file is reported as a parse problem
        if text is None:
            continue
        found.extend((f"{rel}:{c.line}", c.kind) for c in find_credentials(text))
    if not found:
        return verdict(RULE, "pass", f"no credential-shaped value in {len(paths)} files scanned")
    where, kind = found[0]
    more = f" and {len(found) - 1} more" if len(found) > 1 else ""
    reason = f"a plaintext credential ({kind}) at {where}{more}; the value is not shown"
    return verdict(RULE, "fail", reason, [w for w, _ in found])
