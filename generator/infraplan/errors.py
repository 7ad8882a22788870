"""One error base for infraplan.

User errors carry everything the CLI needs to print a helpful message without a
traceback; exceptions never print anything themselves.
"""

from __future__ import annotations

from dataclasses import dataclass

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_BAD_INPUT = 2
EXIT_INTERNAL = 3
EXIT_INTERRUPTED = 130  # Ctrl-C: 128 + SIGINT, as shells report it


class InfraplanError(Exception):
    """Base of every error infraplan raises on purpose."""

    exit_code = EXIT_INTERNAL


class UserError(InfraplanError):
    """Bad input: the message is for the user and is printed without a traceback."""

    exit_code = EXIT_BAD_INPUT

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


@dataclass(frozen=True)
class SpecIssue:
    """One problem in a spec file, located as precisely as the YAML allows."""

    file: str
    line: int
    column: int
    field: str
    message: str
    value: str | None = None
    accepted: str | None = None

    def render(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}"
        text = (
            f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"
        )
        if self.value is not None:
            text += f" (got {self.value})"
        if self.accepted:
            text += f"; accepted: {self.accepted}"
        return text


class SpecError(UserError):
    """A spec with one or more problems; all of them are reported at once."""

    def __init__(self, issues: list[SpecIssue], hint: str | None = None) -> None:
        self.issues = issues
        count = len(issues)
        noun = "problem" if count == 1 else "problems"
        where = issues[0].file if issues else "spec"
        super().__init__(
            f"{where}: {count} {noun} found; nothing was written",
            hint=hint or _closing_hint(issues),
        )

    def __str__(self) -> str:
        return "\n".join(issue.render() for issue in self.issues)


def _closing_hint(issues: list[SpecIssue]) -> str:
    """What to do next, naming the lines: 'fix line 5 of plan.yaml, then run again'."""
    if not issues:
        return "fix the spec and run the command again"
    lines = sorted({issue.line for issue in issues})
    where = f"line {lines[0]}" if len(lines) == 1 else "lines " + ", ".join(map(str, lines))
    fields = sorted({issue.field for issue in issues if issue.field})
    what = f" ({', '.join(fields)})" if fields and len(fields) <= 3 else ""
    return f"fix {where} of {issues[0].file}{what}, then run the command again"
