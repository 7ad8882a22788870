"""What ``infraplan check`` runs: load the plan, judge the repo, print, return the exit code."""

from __future__ import annotations

from pathlib import Path

from infraplan.check import check_repository
from infraplan.errors import EXIT_FINDINGS, EXIT_OK, UserError
from infraplan.report_formats import FORMATS, render_report
from infraplan.spec import Spec


def run_check_command(
    directory: Path, *, plan: Path | None, fmt: str, tick: Path | None, use_cache: bool
) -> int:
    if fmt not in FORMATS:
        raise UserError(f"unknown format {fmt!r}", hint=f"use one of: {', '.join(FORMATS)}")
    if not directory.is_dir():
        raise UserError(f"{directory}: not a folder", hint="point check at a repository folder")
    spec = _plan(directory, plan)
    if tick is not None and not tick.is_file():
        raise UserError(f"{tick}: no such file", hint="--tick takes the plan's Markdown file")
    report = check_repository(directory, spec, use_cache=use_cache)
    render_report(report, fmt)
    if tick is not None:
        from infraplan.tick import tick_plan

        text = tick.read_bytes().decode("utf-8")
        ticked = tick_plan(text, report)
        if ticked != text:
            tick.write_bytes(ticked.encode("utf-8"))
    return EXIT_FINDINGS if report.failed else EXIT_OK


def _plan(directory: Path, plan: Path | None) -> Spec | None:
    from infraplan.specfile import load_spec

    if plan is not None:
        return load_spec(plan).spec
    default = directory / "plan.yaml"
    return load_spec(default).spec if default.is_file() else None
