"""The output formats each command accepts, held once.

``cli.py`` gives these ``Literal`` types to typer, which rejects any other value
before a command runs; the commands check again with :func:`check_format` for
callers of the library, with one message for every command. Light on purpose:
``--help`` imports it.
"""

from __future__ import annotations

from typing import Literal, get_args

from infraplan.errors import UserError

ReportFormat = Literal["table", "json", "sarif", "markdown"]  # check, verify
CostFormat = Literal["table", "json"]
TextFormat = Literal["text", "json"]  # new, update: messages, or what was written as JSON

REPORT_FORMATS: tuple[str, ...] = get_args(ReportFormat)
COST_FORMATS: tuple[str, ...] = get_args(CostFormat)
TEXT_FORMATS: tuple[str, ...] = get_args(TextFormat)


def check_format(fmt: str, accepted: tuple[str, ...]) -> None:
    """Refuse a format the command does not print (exit 2), naming the ones it does."""
    if fmt not in accepted:
        raise UserError(
            f"--format: {fmt!r} is not an output format", hint=f"accepted: {', '.join(accepted)}"
        )
