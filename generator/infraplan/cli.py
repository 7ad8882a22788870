"""The ``infraplan`` command line: parse flags, call the library, print, return an exit code.

Heavy libraries (pydantic, ruamel.yaml, cookiecutter, hcl2, boto3) are imported
inside the commands that need them, so ``infraplan --help`` stays fast.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from infraplan import __version__
from infraplan.errors import EXIT_BAD_INPUT, EXIT_INTERNAL, InfraplanError, SpecError, UserError

app = typer.Typer(
    name="infraplan",
    help="One plan.yaml: the Markdown infrastructure plan and the starter repo that carries it "
    "out, checked against each other.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

ISSUES_HINT = (
    "this is a bug in infraplan; please report it with the command you ran, "
    "`infraplan --version` and the message above"
)


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
) -> None:
    """One plan.yaml: the Markdown plan and the starter repo, checked against each other."""


SpecArg = Annotated[Path, typer.Argument(help="The plan spec (plan.yaml).", metavar="SPEC")]
LangOpt = Annotated[
    Optional[str],  # noqa: UP045 - typer needs Optional on Python 3.10
    typer.Option("--lang", help="Language of the Markdown plan: es or en (default: the spec's)."),
]


def _lang(value: str | None) -> str | None:
    if value is not None and value not in ("es", "en"):
        raise UserError(
            f"--lang: {value!r} is not a language infraplan writes", hint="use es or en"
        )
    return value


@app.command()
def plan(
    spec: SpecArg,
    output: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option("-o", "--output", help="Write the plan here instead of standard output."),
    ] = None,
    lang: LangOpt = None,
) -> int:
    """Render the Markdown plan of a spec."""
    from infraplan.plan.markdown import render_plan
    from infraplan.spec.load import load_spec

    language = _lang(lang)
    loaded = load_spec(spec)
    _emit(render_plan(loaded.spec, language), output)  # type: ignore[arg-type]
    return 0


@app.command()
def new(
    spec: SpecArg,
    output: Annotated[Path, typer.Option("-o", "--output", help="Folder of the new repo.")],
    lang: LangOpt = None,
    force: Annotated[
        bool, typer.Option("--force", help="Write into a folder that is not empty.")
    ] = False,
) -> int:
    """Write the starter repo: plan, Terraform, workflows, Dockerfile and manifest."""
    from infraplan.scaffold.command import run_new_command

    return run_new_command(spec, output, lang=_lang(lang), force=force)  # type: ignore[arg-type]


DirArg = Annotated[
    Path, typer.Argument(help="The repository folder (default: here).", metavar="DIR")
]
FormatOpt = Annotated[
    str, typer.Option("--format", help="table, json, sarif or markdown.", metavar="FORMAT")
]
TickOpt = Annotated[
    Optional[Path],  # noqa: UP045
    typer.Option("--tick", help="Set the checkboxes of this Markdown plan from the findings."),
]


@app.command()
def check(
    directory: DirArg = Path("."),
    plan: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option("--plan", help="The plan spec (default: DIR/plan.yaml, else the defaults)."),
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


@app.command()
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
) -> int:
    """Regenerate the skeleton from DIR/plan.yaml, keeping every hand edit."""
    from infraplan.update.command import run_update_command

    return run_update_command(directory, dry_run=dry_run, check=check_only, allow_dirty=allow_dirty)


@app.command()
def verify(
    directory: DirArg = Path("."),
    env: Annotated[str, typer.Option("--env", help="The environment to verify.")] = "",
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

    if not env:
        raise UserError("--env is required", hint="name one of the spec's environments")
    return run_verify_command(
        directory,
        env=env,
        profile=profile,
        region=region,
        endpoint_url=endpoint_url,
        fmt=fmt,
        tick=tick,
    )


@app.command()
def cost(
    spec: SpecArg,
    fmt: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
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


@app.command()
def init(
    path: Annotated[Path, typer.Argument(help="Where to write the spec.")] = Path("plan.yaml"),
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
) -> int:
    """Write a commented starter plan.yaml."""
    from infraplan.init.command import run_init_command

    interactive = not no_input and sys.stdin.isatty()
    return run_init_command(
        path,
        project=project,
        repository=repository,
        region=region,
        language=_lang(lang),
        force=force,
        prompt=(lambda question, default: typer.prompt(question, default=default))
        if interactive
        else None,
    )


@app.command()
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
    """Run the CLI; return its exit code (0 ok, 1 findings, 2 bad input, 3 internal error)."""
    try:  # recent typer ships its own copy of click
        from typer._click.exceptions import ClickException
    except ImportError:  # pragma: no cover - older typer uses click itself
        from click import ClickException  # type: ignore[assignment]

    try:
        result = app(args=argv, prog_name="infraplan", standalone_mode=False)
    except typer.Exit as exc:
        return int(exc.exit_code)
    except typer.Abort:
        typer.echo("aborted", err=True)
        return EXIT_BAD_INPUT
    except ClickException as exc:
        exc.show()
        return EXIT_BAD_INPUT
    except InfraplanError as exc:
        _report_error(exc)
        return exc.exit_code
    except KeyboardInterrupt:
        typer.echo("interrupted", err=True)
        return 130
    except Exception as exc:
        typer.echo(f"internal error: {type(exc).__name__}: {exc}", err=True)
        typer.echo(f"hint: {ISSUES_HINT}", err=True)
        typer.echo("set INFRAPLAN_DEBUG=1 to see the traceback", err=True)
        import os

        if os.environ.get("INFRAPLAN_DEBUG"):
            raise
        return EXIT_INTERNAL
    return result if isinstance(result, int) else 0
