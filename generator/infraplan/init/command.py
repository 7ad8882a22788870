"""What ``infraplan init`` runs: gather the answers (flags, prompts or defaults), write the spec."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from infraplan.errors import EXIT_OK
from infraplan.init.starter import Ask, ask_answers, given_answers, starter_notices, write_starter

Say = Callable[[str], None]


def _stderr(line: str) -> None:
    sys.stderr.write(line + "\n")


def run_init_command(
    path: Path,
    *,
    project: str | None,
    repository: str | None,
    region: str | None,
    language: str | None,
    force: bool,
    ask: Ask | None,
    say: Say = _stderr,
) -> int:
    """Write the starter spec. ``ask(question, default, check)`` asks one question until
    ``check`` accepts the answer; None when nothing may be asked (--no-input, no terminal)."""
    given = {"project": project, "repository": repository, "region": region, "language": language}
    answers = given_answers(path, given)
    if ask is not None:
        answers = ask_answers(answers, fixed={k for k, v in given.items() if v}, ask=ask)
    for item in write_starter(path, answers, force=force):
        say(f"wrote {item}")
    for note in starter_notices(path):
        _stderr(note)  # a warning: shown even with --quiet
    say(f"next: infraplan new {path} -o {path.parent}")
    return EXIT_OK
