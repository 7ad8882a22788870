"""``infraplan verify``: is what the plan says deployed and healthy? Read-only."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from infraplan import PLAN_FILE
from infraplan.aws import AwsAccess, open_session
from infraplan.errors import EXIT_FINDINGS, EXIT_OK, UserError
from infraplan.findings import Report
from infraplan.formats import REPORT_FORMATS, check_format
from infraplan.scaffold.manifest import Manifest
from infraplan.scaffold.writer import finish_interrupted_write
from infraplan.spec.load import load_spec
from infraplan.verify.output import print_report
from infraplan.verify.plan import planned_env
from infraplan.verify.run import VerifyReport, verify_environment


def run_verify_command(
    directory: Path,
    *,
    env: str,
    profile: str | None,
    region: str | None,
    endpoint_url: str | None,
    fmt: str,
    tick: Path | None,
    session: Any = None,
) -> int:
    """Print the live findings for ``env``; 0 when all pass, 1 otherwise.

    ``directory`` is the repo holding ``plan.yaml`` (or the spec file itself);
    ``session`` is a boto3 session to use instead of opening one.
    """
    check_format(fmt, REPORT_FORMATS)
    if tick is not None and not tick.is_file():
        raise UserError(f"{tick}: no such file", hint="--tick takes the plan's Markdown file")
    result = verify_directory(
        directory,
        env=env,
        profile=profile,
        region=region,
        endpoint_url=endpoint_url,
        session=session,
    )
    print_report(result, fmt)
    if tick is not None:
        tick_live_criteria(tick, result)
    return EXIT_FINDINGS if result.failed else EXIT_OK


def verify_directory(
    directory: Path,
    *,
    env: str,
    profile: str | None = None,
    region: str | None = None,
    endpoint_url: str | None = None,
    session: Any = None,
) -> VerifyReport:
    """The library entry point: load the plan of ``directory`` and verify ``env``."""
    spec_path = directory if directory.is_file() else directory / PLAN_FILE
    if not spec_path.exists():
        raise UserError(
            f"{spec_path}: no such file",
            hint="run verify in a repo that `infraplan new` wrote, or pass its folder",
        )
    finish_interrupted_write(spec_path.parent)
    loaded = load_spec(spec_path)
    manifest = Manifest.load_optional(spec_path.parent)
    plan = planned_env(loaded.spec, env, region=region, manifest=manifest)
    if session is None:
        session = open_session(profile, plan.region)
    return verify_environment(plan, AwsAccess(session, plan.region, endpoint_url))


def tick_live_criteria(plan_md: Path, result: VerifyReport) -> bool:
    """Tick the live acceptance criteria that pass in the Markdown plan, clear those that
    fail; True when the file changed. Tasks are left to ``check``."""
    from infraplan.plan.tick import tick_plan
    from infraplan.scaffold.writer import write_file

    text = plan_md.read_bytes().decode("utf-8")
    ticked = tick_plan(text, Report(criteria=list(result.report.criteria)))
    if ticked == text:
        return False
    write_file(plan_md, ticked.encode("utf-8"))
    return True
