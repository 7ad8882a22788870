"""The ``dockerfile`` rule: each Dockerfile of the repository, judged and named.

The capability is an image the service can be built from: a Dockerfile with a
base image. Running as root and an unpinned base are advice. A Dockerfile
``HEALTHCHECK`` is not asked for: ECS only monitors the task definition's
``healthCheck``, not one embedded in the image
(https://docs.aws.amazon.com/AmazonECS/latest/developerguide/healthcheck.html).
"""

from __future__ import annotations

from infraplan.check.dockerfiles import Dockerfile, base_images
from infraplan.check.plan_context import PlanContext
from infraplan.check.repo_model import RepoModel
from infraplan.check.verdicts import verdict
from infraplan.findings import Advice, Finding


def _advice(dockerfile: Dockerfile) -> list[Advice]:
    out: list[Advice] = []
    for image, instruction in base_images(dockerfile):
        name = image.rsplit("/", 1)[-1]
        if "@sha256:" not in image and (":" not in name or name.endswith(":latest")):
            out.append(
                Advice(
                    f"{dockerfile.path}: base image {image} is not pinned to a version",
                    (f"{dockerfile.path}:{instruction.line}",),
                )
            )
    users = dockerfile.all("USER")
    if not users or users[-1].args.split(":")[0] in ("root", "0"):
        line = users[-1].line if users else dockerfile.instructions[-1].line
        out.append(
            Advice(
                f"{dockerfile.path}: the container runs as root (no non-root USER)",
                (f"{dockerfile.path}:{line}",),
                "warning",
            )
        )
    return out


def dockerfile(repo: RepoModel, plan: PlanContext) -> Finding:
    if not repo.dockerfiles:
        return verdict("dockerfile", "fail", "no Dockerfile in the repository")
    building = [d for d in repo.dockerfiles if base_images(d) or d.all("FROM")]
    if not building:
        names = ", ".join(d.path for d in repo.dockerfiles)
        return verdict(
            "dockerfile",
            "fail",
            f"{names}: no FROM instruction, nothing to build",
            [f"{d.path}:1" for d in repo.dockerfiles],
        )
    evidence = [f"{d.path}:{d.all('FROM')[0].line}" for d in building]
    names = ", ".join(d.path for d in building)
    advice = [a for d in building for a in _advice(d)]
    said = (
        f"{len(building)} Dockerfiles build images ({names})"
        if len(building) > 1
        else (f"{names} builds the image")
    )
    return verdict("dockerfile", "pass", said, evidence, advice=advice)
