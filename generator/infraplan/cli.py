"""The ``infraplan`` command line: parse flags, call the library, print, return an exit code.

Heavy libraries (pydantic, ruamel.yaml, cookiecutter, hcl2, boto3) are imported
inside the commands that need them, so ``infraplan --help`` stays fast. Typer
checks choices and required options; results go to standard output, messages to
standard error (``--quiet`` drops the messages that are not errors).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, Literal, Optional, TypeVar

import typer

from infraplan import PLAN_FILE, __version__
from infraplan.errors import (
    EXIT_BAD_INPUT,
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    InfraplanError,
    SpecError,
    UserError,
)
from infraplan.formats import CostFormat, ReportFormat, TextFormat

EXIT_CODES = (
    "Exit codes: 0 all good; 1 findings (a failed rule, an update conflict, over budget); "
    "2 bad input (spec, flags: nothing is written); 3 internal error; 130 interrupted."
)

app = typer.Typer(
    name="infraplan",
    help="One plan.yaml: the Markdown infrastructure plan and the starter repo that carries it "
    "out, checked against each other.",
    epilog=EXIT_CODES,
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

F = TypeVar("F", bound=Callable[..., Any])

ISSUES_HINT = (
    "this is a bug in infraplan; please report it with the command you ran, "
    "`infraplan --version` and the message above"
)


class _State:
    quiet = False


def _version(value: bool) -> None:
    if value:
        typer.echo(f"infraplan {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
    quiet: Annotated[
        bool,
        typer.Option("-q", "--quiet", help="Print results and errors only, no progress lines."),
    ] = False,
) -> None:
    """One plan.yaml: the Markdown plan and the starter repo, checked against each other."""
    _State.quiet = quiet


def _command(summary: str) -> Callable[[F], F]:
    """A command, listed in the order a user meets it (the order of this file), with a
    one-line summary that fits an 80-column help screen and the exit codes."""
    return app.command(short_help=summary, epilog=EXIT_CODES)


SpecArg = Annotated[
    Path, typer.Argument(help="The plan spec (default: ./plan.yaml).", metavar="SPEC")
]
Lang = Literal["es", "en"]
LangOpt = Annotated[
    Optional[Lang],  # noqa: UP045 - typer needs Optional on Python 3.10
    typer.Option("--lang", help="Language of the Markdown plan (default: the spec's)."),
]
DEFAULT_SPEC = Path(PLAN_FILE)


@_command("Write a commented starter plan.yaml (asks, or --no-input).")
def init(
    path: Annotated[Path, typer.Argument(help="Where to write the spec.")] = DEFAULT_SPEC,
    no_input: Annotated[
        bool, typer.Option("--no-input", help="Take every default; ask nothing.")
    ] = False,
    project: Annotated[Optional[str], typer.Option(help="Project name (a slug).")] = None,  # noqa: UP045
    repository: Annotated[
        Optional[str], typer.Option(help="GitHub repository owner/name.")  # noqa: UP045
    ] = None,
    region: Annotated[Optional[str], typer.Option(help="AWS region.")] = None,  # noqa: UP045
    lang: LangOpt = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
    from_markdown: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option("--from", help="Import a filled Markdown plan (the seed's structure)."),
    ] = None,
    from_copilot: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option("--from-copilot", help="Import an AWS Copilot application (its folder)."),
    ] = None,
    from_repo: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option("--from-repo", help="Describe an existing repository as it is."),
    ] = None,
    output: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option("-o", "--output", help="Where to write the spec (instead of PATH)."),
    ] = None,
) -> int:
    """Write a commented starter plan.yaml: each answer is checked as it is typed; or import
    one from a Markdown plan, an AWS Copilot application or an existing repository."""
    sources = [
        (kind, value)
        for kind, value in (
            ("markdown", from_markdown),
            ("copilot", from_copilot),
            ("repo", from_repo),
        )
        if value is not None
    ]
    path = output or path
    if len(sources) > 1:
        raise UserError("--from, --from-copilot and --from-repo: give one of them")
    if sources:
        from infraplan.importers.command import run_import_command

        return run_import_command(sources[0][0], sources[0][1], path, force=force)
    from infraplan.init.command import run_init_command

    interactive = not no_input and sys.stdin.isatty()
    return run_init_command(
        path,
        project=project,
        repository=repository,
        region=region,
        language=lang,
        force=force,
        ask=_ask if interactive else None,
        say=_done,
    )


def _ask(question: str, default: str, check: Callable[[str], str]) -> str:
    """typer's prompt, asking again with the reason until ``check`` accepts the answer."""

    def value_proc(value: str) -> str:
        try:
            return check(value)
        except ValueError as exc:
            raise typer.BadParameter(str(exc)) from None

    return str(typer.prompt(question, default=default, value_proc=value_proc))


@_command("Render the Markdown plan of a spec.")
def plan(
    spec: SpecArg = DEFAULT_SPEC,
    output: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option("-o", "--output", help="Write the plan here instead of standard output."),
    ] = None,
    lang: LangOpt = None,
) -> int:
    """Render the Markdown plan of a spec (default: ./plan.yaml)."""
    from infraplan.plan.markdown import render_plan
    from infraplan.spec.load import load_spec

    loaded = load_spec(spec)
    _emit(render_plan(loaded.spec, lang), output)
    return 0


@_command("Write the plan and the starter repo that carries it out.")
def new(
    output: Annotated[Path, typer.Option("-o", "--output", help="Folder of the new repo.")],
    spec: SpecArg = DEFAULT_SPEC,
    lang: LangOpt = None,
    force: Annotated[
        bool,
        typer.Option(
            "--force", help="Write into a folder that holds other files; names each it replaces."
        ),
    ] = False,
    fmt: Annotated[
        TextFormat,
        typer.Option("--format", help="text (messages only) or json (what was written)."),
    ] = "text",
) -> int:
    """Write the starter repo: plan, Terraform, workflows, Dockerfile and manifest.

    Into a folder that holds only the spec (what `init` wrote) no flag is needed;
    anything else needs --force, which names every file it replaces.
    """
    from infraplan.scaffold.command import run_new_command

    return run_new_command(spec, output, lang=lang, force=force, fmt=fmt, say=_done)


DirArg = Annotated[
    Path, typer.Argument(help="The repository folder (default: here).", metavar="DIR")
]
FormatOpt = Annotated[ReportFormat, typer.Option("--format", help="The report's format.")]
TickOpt = Annotated[
    Optional[Path],  # noqa: UP045
    typer.Option("--tick", help="Set the checkboxes of this Markdown plan from the findings."),
]


@_command("Cross-check a plan against a repository, with file:line evidence.")
def check(
    directory: DirArg = Path("."),
    plan: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option(
            "--plan", help="The plan spec (default: DIR/plan.yaml, else none: no value imposed)."
        ),
    ] = None,
    fmt: FormatOpt = "table",
    tick: TickOpt = None,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Parse every file again; read no cache.")
    ] = False,
) -> int:
    """Cross-check a plan against a repository, with file:line evidence."""
    from infraplan.check.command import run_check_command

    return run_check_command(directory, plan=plan, fmt=fmt, tick=tick, use_cache=not no_cache)


@_command("Regenerate the skeleton from plan.yaml, keeping every hand edit.")
def update(
    directory: DirArg = Path("."),
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print the diff of what would change; write nothing.")
    ] = False,
    check_only: Annotated[
        bool,
        typer.Option("--check", help="Exit 1 if the repo is behind its plan or this infraplan."),
    ] = False,
    allow_dirty: Annotated[
        bool, typer.Option("--allow-dirty", help="Run on a git tree with uncommitted changes.")
    ] = False,
    fmt: Annotated[
        TextFormat,
        typer.Option("--format", help="text (the report; --dry-run adds the diff) or json."),
    ] = "text",
) -> int:
    """Regenerate the skeleton from DIR/plan.yaml, keeping every hand edit."""
    from infraplan.update.command import run_update_command

    return run_update_command(
        directory, dry_run=dry_run, check=check_only, allow_dirty=allow_dirty, fmt=fmt
    )


@_command("Estimate the monthly cost against the R4 budget.")
def cost(
    spec: SpecArg = DEFAULT_SPEC,
    fmt: Annotated[CostFormat, typer.Option("--format", help="table or json.")] = ("table"),
    live_prices: Annotated[
        bool,
        typer.Option("--live-prices", help="Refresh prices from the AWS Price List API first."),
    ] = False,
    profile: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(help="AWS profile for --live-prices (default: the standard chain)."),
    ] = None,
) -> int:
    """Estimate the monthly cost of the planned stack against the R4 budget."""
    from infraplan.cost.command import run_cost_command

    return run_cost_command(spec, fmt=fmt, live_prices=live_prices, profile=profile)


@_command("Ask AWS, read-only, whether the plan is deployed and healthy.")
def verify(
    env: Annotated[str, typer.Option("--env", help="The environment to verify, e.g. staging.")],
    directory: DirArg = Path("."),
    profile: Annotated[
        Optional[str], typer.Option("--profile", help="AWS profile.")  # noqa: UP045
    ] = None,
    region: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option("--region", help="AWS region (default: the spec's)."),
    ] = None,
    endpoint_url: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option("--endpoint-url", help="Another endpoint, e.g. LocalStack or moto."),
    ] = None,
    fmt: FormatOpt = "table",
    tick: TickOpt = None,
) -> int:
    """Ask AWS, read-only, whether the plan is deployed and healthy."""
    from infraplan.verify.command import run_verify_command

    return run_verify_command(
        directory,
        env=env,
        profile=profile,
        region=region,
        endpoint_url=endpoint_url,
        fmt=fmt,
        tick=tick,
    )


@_command("Print the JSON Schema of plan.yaml.")
def schema(
    output: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option("-o", "--output", help="Write the schema here instead of standard output."),
    ] = None,
) -> int:
    """Print the JSON Schema of plan.yaml."""
    from infraplan.spec.schema import schema_json

    _emit(schema_json(), output)
    return 0


def _emit(text: str, output: Path | None) -> None:
    """Print ``text``, or write it atomically to ``output``."""
    if output is None:
        sys.stdout.write(text)
        return
    from infraplan.scaffold.writer import write_file

    write_file(output, text.encode("utf-8"))
    _done(f"wrote {output}")


def _done(message: str) -> None:
    """A progress line on standard error; ``--quiet`` drops it."""
    if not _State.quiet:
        typer.echo(message, err=True)


def _report_error(error: InfraplanError) -> None:
    from rich.console import Console
    from rich.markup import escape

    console = Console(stderr=True, highlight=False, soft_wrap=True)
    if isinstance(error, SpecError):
        for issue in error.issues:
            console.print(f"[bold red]error[/] {escape(issue.render())}")
        console.print(f"[bold]{escape(error.message)}[/]")
    elif isinstance(error, UserError):
        console.print(f"[bold red]error[/] {escape(error.message)}")
    else:
        console.print(f"[bold red]internal error[/] {escape(str(error))}")
    hint = getattr(error, "hint", None) if isinstance(error, UserError) else ISSUES_HINT
    if hint:
        console.print(f"[dim]hint:[/] {escape(hint)}")


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; return its exit code (0 ok, 1 findings, 2 bad input, 3 internal error,
    130 interrupted)."""
    _State.quiet = False
    from infraplan.scaffold.interrupts import terminate_as_interrupt

    try:
        with terminate_as_interrupt():  # SIGTERM unwinds: temporary folders are removed
            result = app(args=argv, prog_name="infraplan", standalone_mode=False)
    except typer.Exit as exc:
        return int(exc.exit_code)
    except typer.Abort as exc:
        # click turns Ctrl-C in a prompt into Abort; end of input (EOF) is bad input
        if isinstance(exc.__context__, EOFError):
            typer.echo("no answer: standard input ended", err=True)
            return EXIT_BAD_INPUT
        typer.echo("interrupted", err=True)
        return EXIT_INTERRUPTED
    except typer.TyperException as exc:  # a bad flag or value: click's usage message
        # typer checks a choice through pydantic, which prefixes its own words
        exc.message = exc.message.replace("Value error, ", "")
        show = getattr(exc, "show", None)
        if callable(show):
            show()
        else:  # pragma: no cover - every usage error typer raises can show itself
            typer.echo(f"error: {exc.format_message()}", err=True)
        return EXIT_BAD_INPUT
    except InfraplanError as exc:
        _report_error(exc)
        return exc.exit_code
    except KeyboardInterrupt:
        typer.echo("interrupted", err=True)
        return EXIT_INTERRUPTED
    except Exception as exc:
        typer.echo(f"internal error: {type(exc).__name__}: {exc}", err=True)
        typer.echo(f"hint: {ISSUES_HINT}", err=True)
        typer.echo("set INFRAPLAN_DEBUG=1 to see the traceback", err=True)
        import os

        if os.environ.get("INFRAPLAN_DEBUG"):
            raise
        return EXIT_INTERNAL
    return result if isinstance(result, int) else 0
