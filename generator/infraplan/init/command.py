"""What ``infraplan init`` runs: gather the answers (flags, prompts or defaults), write the spec."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from infraplan.errors import EXIT_OK
from infraplan.init.starter import StarterAnswers, default_answers, starter_notices, write_starter

# ``prompt(question, default)`` returns the answer; the CLI passes typer's prompt.
Prompt = Callable[[str, str], str]


def run_init_command(
    path: Path,
    *,
    project: str | None,
    repository: str | None,
    region: str | None,
    language: str | None,
    force: bool,
    prompt: Prompt | None,
) -> int:
    """Write the starter spec; ``prompt`` is None when nothing may be asked."""
    answers = default_answers(path)
    given = StarterAnswers(
        project=project or answers.project,
        repository=repository or answers.repository,
        region=region or answers.region,
        language=language or answers.language,
    )
    if prompt is not None:
        given = StarterAnswers(
            project=project or prompt("Project name", given.project),
            repository=repository or prompt("GitHub repository", given.repository),
            region=region or prompt("AWS region", given.region),
            language=language or prompt("Plan language (es/en)", given.language),
        )
    for item in write_starter(path, given, force=force):
        sys.stderr.write(f"wrote {item}\n")
    for note in starter_notices(path):
        sys.stderr.write(f"{note}\n")
    sys.stderr.write(f"next: infraplan plan {path}\n")
    return EXIT_OK
