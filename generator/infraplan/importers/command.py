"""``infraplan init --from PLAN.md | --from-copilot DIR | --from-repo DIR``."""

from __future__ import annotations

from pathlib import Path

import typer

from infraplan.errors import UserError
from infraplan.importers.common import Imported, write_imported

_HEADERS = {
    "markdown": "infraplan spec imported from the Markdown plan {source}.\n"
    "Each value's comment names the line it came from; `notes` keeps the text that has "
    "no key.",
    "copilot": "infraplan spec imported from the AWS Copilot application in {source}.\n"
    "Each value's comment names the manifest line it came from.",
    "repo": "infraplan spec describing the repository {source} as it is.\n"
    "Each value's comment names the file:line it was read from.",
}


def run_import_command(kind: str, source: Path, output: Path, *, force: bool) -> int:
    """Import ``source``, print what was not placed, write ``output``; 0 or exit 2."""
    imported = _read(kind, source)
    for message in imported.messages:
        typer.echo(message.render(), err=True)
    write_imported(imported, output, _HEADERS[kind].format(source=source), force=force)
    typer.echo(f"wrote {output}", err=True)
    typer.echo(f"next: infraplan plan {output}", err=True)
    return 0


def _read(kind: str, source: Path) -> Imported:
    if kind == "markdown":
        from infraplan.importers.markdown import import_markdown

        if source.is_dir():
            raise UserError(f"{source}: is a folder; --from takes a Markdown plan file")
        return import_markdown(source)
    if not source.is_dir():
        raise UserError(f"{source}: not a folder", hint=f"--from-{kind} takes a folder")
    if kind == "copilot":
        from infraplan.importers.copilot import import_copilot

        return import_copilot(source)
    from infraplan.importers.repo import import_repo

    return import_repo(source)
