"""dependency_updates: Dependabot or Renovate keeps base images and actions current."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from infraplan.findings import Finding

Judge = Callable[..., dict[str, Finding]]

DOCKERFILE = "FROM python:3.14.3-slim-trixie\n"
WORKFLOW = "on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: 'true'\n"
BOTH = (
    "version: 2\nupdates:\n"
    "  - package-ecosystem: docker\n    directory: /\n    schedule: {interval: weekly}\n"
    "  - package-ecosystem: github-actions\n    directory: /\n    schedule: {interval: weekly}\n"
)


@pytest.mark.parametrize(
    ("extra", "status", "words", "where"),
    [
        (
            {".github/dependabot.yml": BOTH},
            "pass",
            "docker, github-actions",
            ".github/dependabot.yml:3",
        ),
        (
            {".github/dependabot.yml": BOTH.split("  - package-ecosystem: github-actions")[0]},
            "fail",
            "does not update github-actions",
            ".github/dependabot.yml:3",
        ),
        ({"renovate.json": "{}\n"}, "pass", "Renovate", "renovate.json:1"),
        ({}, "fail", "no .github/dependabot.yml", None),
        ({".github/dependabot.yml": "updates: [\n"}, "fail", "does not update", None),
    ],
)
def test_dependency_updates(
    judge: Judge, extra: dict[str, str], status: str, words: str, where: str | None
) -> None:
    found = judge({"Dockerfile": DOCKERFILE, ".github/workflows/ci.yml": WORKFLOW, **extra})[
        "dependency_updates"
    ]
    assert (found.status, words in found.reason) == (status, True), found.reason
    if where:
        assert where in found.evidence


def test_generated_dependabot_passes(judge: Judge) -> None:
    from infraplan.scaffold.context import template_context
    from infraplan.scaffold.render import render_piece

    from .check_support import plan

    files = {
        f.path: f.content.decode() for f in render_piece("github-actions", template_context(plan()))
    }
    found = judge({"Dockerfile": DOCKERFILE, **files})["dependency_updates"]
    assert found.status == "pass" and "pip" in found.reason
