"""What ``infraplan check`` runs: load the plan, judge the repo, print, return the exit code."""

from __future__ import annotations

from pathlib import Path

from infraplan.check import check_repository
from infraplan.errors import EXIT_FINDINGS, EXIT_OK, UserError
from infraplan.report_formats import FORMATS, render_report
from infraplan.spec.model import Spec


def run_check_command(
    directory: Path, *, plan: Path | None, fmt: str, tick: Path | None, use_cache: bool
) -> int:
    if fmt not in FORMATS:
        raise UserError(f"unknown format {fmt!r}", hint=f"use one of: {', '.join(FORMATS)}")
    if not directory.is_dir():
        raise UserError(f"{directory}: not a folder", hint="point check at a repository folder")
    spec = _plan(directory, plan)
    markdown = _read_plan_markdown(tick) if tick is not None else None
    report = check_repository(directory, spec, use_cache=use_cache)
    render_report(report, fmt)
    if tick is not None and markdown is not None:
        from infraplan.plan.tick import tick_plan

        ticked = tick_plan(markdown, report)
        if ticked != markdown:
            from infraplan.scaffold.writer import write_file

            write_file(tick, ticked.encode("utf-8"))
    return EXIT_FINDINGS if report.failed else EXIT_OK


def _plan(directory: Path, plan: Path | None) -> Spec | None:
    from infraplan.spec.load import load_spec

    if plan is not None:
        return load_spec(plan).spec
    default = directory / "plan.yaml"
    return load_spec(default).spec if default.is_file() else None


def _read_plan_markdown(path: Path) -> str:
    hint = "--tick takes the plan's Markdown file (PLAN.md)"
    try:
        return path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise UserError(f"{path}: no such file", hint=hint) from None
    except UnicodeDecodeError:
        raise UserError(f"{path}: not UTF-8 text", hint=hint) from None
    except OSError as exc:
        raise UserError(f"{path}: cannot be read ({exc.strerror})", hint=hint) from None
