"""One list of formats per command: typer's choices and the library's check agree."""

from __future__ import annotations

from pathlib import Path

import pytest

from infraplan.errors import UserError
from infraplan.formats import COST_FORMATS, REPORT_FORMATS, TEXT_FORMATS


def test_the_cli_offers_exactly_the_formats_the_library_accepts() -> None:
    from typing import get_args, get_type_hints

    from infraplan.cli import app

    callbacks = {c.callback.__name__: c.callback for c in app.registered_commands if c.callback}
    expected = {"check": REPORT_FORMATS, "verify": REPORT_FORMATS, "cost": COST_FORMATS}
    expected |= {"new": TEXT_FORMATS, "update": TEXT_FORMATS}
    for name, formats in expected.items():
        annotated = get_type_hints(callbacks[name], include_extras=True)["fmt"]
        assert get_args(get_args(annotated)[0]) == formats, name


def test_a_library_caller_gets_one_message_for_a_bad_format(tmp_path: Path) -> None:
    from infraplan.check.command import run_check_command
    from infraplan.cost.command import run_cost_command
    from infraplan.verify.command import run_verify_command

    calls = {
        "check": lambda: run_check_command(
            tmp_path, plan=None, fmt="xml", tick=None, use_cache=False
        ),
        "cost": lambda: run_cost_command(tmp_path / "plan.yaml", fmt="xml", live_prices=False),
        "verify": lambda: run_verify_command(
            tmp_path,
            env="staging",
            profile=None,
            region=None,
            endpoint_url=None,
            fmt="xml",
            tick=None,
        ),
    }
    for name, call in calls.items():
        with pytest.raises(UserError) as caught:
            call()
        assert caught.value.message == "--format: 'xml' is not an output format", name
        assert caught.value.hint.startswith("accepted: table, json"), name


def test_new_and_update_refuse_a_bad_format_with_the_same_message(tmp_path: Path) -> None:
    from infraplan.scaffold.command import run_new_command
    from infraplan.update.command import run_update_command

    calls = {
        "new": lambda: run_new_command(
            tmp_path / "plan.yaml", tmp_path / "out", lang=None, force=False, fmt="xml"
        ),
        "update": lambda: run_update_command(
            tmp_path, dry_run=True, check=False, allow_dirty=False, fmt="xml"
        ),
    }
    for name, call in calls.items():
        with pytest.raises(UserError) as caught:
            call()
        assert caught.value.message == "--format: 'xml' is not an output format", name
        assert caught.value.hint == "accepted: text, json", name
    assert not (tmp_path / "out").exists()


def test_only_formats_py_lists_output_formats() -> None:
    """A second list drifts from the CLI's choices: every ``*FORMATS`` name the package
    defines is assigned in infraplan/formats.py."""
    import ast

    import infraplan

    package = Path(infraplan.__file__).parent
    defined = []
    for path in sorted(package.rglob("*.py")):
        for node in ast.parse(path.read_text("utf-8")).body:
            targets = node.targets if isinstance(node, ast.Assign) else []
            if isinstance(node, ast.AnnAssign):
                targets = [node.target]
            for target in targets:
                if isinstance(target, ast.Name) and target.id.endswith("FORMATS"):
                    defined.append(f"{path.relative_to(package)}:{target.id}")
    expected = {f"formats.py:{name}" for name in ("COST_FORMATS", "REPORT_FORMATS", "TEXT_FORMATS")}
    assert set(defined) == expected
