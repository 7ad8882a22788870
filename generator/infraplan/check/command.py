"""What ``infraplan check`` runs: load the plan, judge the repo, print, return the exit code."""

from __future__ import annotations

import sys
from pathlib import Path

from infraplan import PLAN_FILE
from infraplan.check import check_repository
from infraplan.check.plan_context import PlanContext
from infraplan.errors import EXIT_FINDINGS, EXIT_OK, UserError
from infraplan.formats import REPORT_FORMATS, check_format
from infraplan.report_formats import render_report


def run_check_command(
    directory: Path, *, plan: Path | None, fmt: str, tick: Path | None, use_cache: bool
) -> int:
    check_format(fmt, REPORT_FORMATS)
    if not directory.is_dir():
        raise UserError(f"{directory}: not a folder", hint="point check at a repository folder")
    from infraplan.scaffold.writer import finish_interrupted_write

    finish_interrupted_write(directory)  # a write cut short: completed before anything is read
    context = load_plan(directory, plan)
    markdown = _read_plan_markdown(tick) if tick is not None else None
    report = check_repository(directory, context, use_cache=use_cache)
    if tick is not None and markdown is not None:
        from infraplan.plan.tick import check_plan_markdown

        check_plan_markdown(markdown, tick, context.spec.plan_id if context.given else None)
    render_report(report, fmt)
    if tick is not None and markdown is not None:
        from infraplan.plan.tick import tick_plan_with_summary

        ticked, summary = tick_plan_with_summary(markdown, report)
        if ticked != markdown:
            from infraplan.scaffold.writer import write_file

            write_file(tick, ticked.encode("utf-8"))
        sys.stderr.write(f"{tick}: {summary}\n")
    return EXIT_FINDINGS if report.failed else EXIT_OK


def load_plan(directory: Path, plan: Path | None) -> PlanContext:
    """The plan given, else the repository's ``plan.yaml``, else none (said in every output)."""
    from infraplan.spec.load import load_spec

    path = plan if plan is not None else directory / PLAN_FILE
    if plan is None and not path.exists() and not path.is_symlink():
        return PlanContext.none()
    if path.is_dir():
        raise UserError(
            f"{path}: is a folder, not a plan file",
            hint="pass the plan with --plan PATH/plan.yaml, or remove the folder",
        )
    loaded = load_spec(path)
    context = PlanContext.of(loaded.spec, _shown(path, directory), loaded.text)
    context.given_as = _as_given(path)
    _check_not_applicable(context, str(path))
    return context


def _check_not_applicable(context: PlanContext, filename: str) -> None:
    """Every key of ``not_applicable`` names an item of the plan or a rule."""
    from infraplan.catalogue import CRITERIA, REQUIREMENTS, RULE_IDS, TASKS
    from infraplan.errors import SpecError, SpecIssue

    known = [t.id for t in TASKS] + [r.id for r in REQUIREMENTS] + [c.id for c in CRITERIA]
    known += sorted(RULE_IDS)
    issues = [
        SpecIssue(
            filename,
            context.line("not_applicable", key),
            1,
            f"not_applicable.{key}",
            "is not a task, requirement, criterion or rule of the plan",
            key,
            ", ".join(known),
        )
        for key in context.spec.not_applicable
        if key not in known
    ]
    if issues:
        raise SpecError(issues)


def _shown(path: Path, directory: Path) -> str:
    """The plan's path as evidence shows it: relative to the repository when inside it."""
    try:
        return path.resolve().relative_to(directory.resolve()).as_posix()
    except ValueError:
        return str(path)


def _as_given(path: Path) -> str:
    """The plan's path for the report's ``Plan:`` line: as the user named it, relative
    to the current directory (an absolute path inside it is shown relative)."""
    if not path.is_absolute():
        return path.as_posix()
    try:
        return path.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return str(path)


def _read_plan_markdown(path: Path) -> str:
    hint = "--tick takes the plan's Markdown file (PLAN.md)"
    if path.is_dir():
        raise UserError(f"{path}: is a folder", hint=hint)
    try:
        return path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise UserError(f"{path}: no such file", hint=hint) from None
    except UnicodeDecodeError:
        raise UserError(f"{path}: not UTF-8 text", hint=hint) from None
    except OSError as exc:
        raise UserError(f"{path}: cannot be read ({exc.strerror})", hint=hint) from None
