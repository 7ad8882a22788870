"""The command line as a user runs it: exit codes, messages, no tracebacks, fast help."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import EXAMPLES, Run, tree_snapshot
from infraplan import __version__
from infraplan.spec.load import load_spec
from infraplan.spec.schema import SCHEMA_FILE

HEAVY = ("pydantic", "ruamel", "cookiecutter", "hcl2", "boto3", "botocore", "jinja2", "rich")


def test_version(run_cli: Callable[..., Run]) -> None:
    result = run_cli("--version")
    assert result.code == 0 and result.out.strip() == f"infraplan {__version__}"


def test_help_lists_the_commands(run_cli: Callable[..., Run]) -> None:
    """Every command registered on the app, with its summary, in the order registered."""
    from infraplan.cli import app

    result = run_cli("--help")
    assert result.code == 0
    listed = result.out.split("Commands:", 1)[1]
    registered = [(c.name or c.callback.__name__, c.short_help) for c in app.registered_commands]
    assert len(registered) >= 8
    rows = [line.split(None, 1) for line in listed.splitlines() if line.startswith("  ")]
    shown = [(row[0], row[1]) for row in rows if len(row) == 2 and row[0].isalpha()]
    assert shown[: len(registered)] == registered


def test_help_imports_no_heavy_library() -> None:
    code = (
        "import sys\nfrom infraplan.cli import main\nmain(['--help'])\n"
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r}))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip().splitlines()[-1] == "[]"


def test_unknown_flag_is_bad_input(run_cli: Callable[..., Run]) -> None:
    result = run_cli("plan", "--no-such-flag")
    assert result.code == 2


def test_console_script_and_module_both_run(tmp_path: Path) -> None:
    example = str(EXAMPLES / "minimal" / "plan.yaml")
    script = Path(sys.executable).parent / "infraplan"
    for cmd in ([str(script)], [sys.executable, "-m", "infraplan"]):
        done = subprocess.run([*cmd, "plan", example], capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        assert done.stdout.startswith("# 🏗️ PROMPT DE PLANIFICACIÓN DE INFRAESTRUCTURA")


def test_internal_error_exits_3_with_a_hint_and_no_traceback(
    run_cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    import infraplan.plan.markdown

    def broken(*_: object, **__: object) -> str:
        raise RuntimeError("boom")

    monkeypatch.setattr(infraplan.plan.markdown, "render_plan", broken)
    monkeypatch.delenv("INFRAPLAN_DEBUG", raising=False)
    result = run_cli("plan", str(EXAMPLES / "minimal" / "plan.yaml"))
    assert result.code == 3
    assert "internal error: RuntimeError: boom" in result.err
    assert "please report it" in result.err
    assert "Traceback" not in result.err + result.out


def test_init_writes_a_valid_commented_spec_and_its_schema(
    tmp_path: Path, run_cli: Callable[..., Run]
) -> None:
    target = tmp_path / "shop" / "plan.yaml"
    target.parent.mkdir()
    result = run_cli("init", str(target), "--no-input", "--repository", "acme/shop")
    assert result.code == 0, result.err
    text = target.read_text(encoding="utf-8")
    assert text.startswith(f"# yaml-language-server: $schema=./{SCHEMA_FILE}\n")
    assert "# R1 seguridad" in text  # es, the default language: comments in Spanish
    spec = load_spec(target).spec
    assert spec.project == "shop" and spec.ci.repository == "acme/shop"
    schema = json.loads((target.parent / SCHEMA_FILE).read_text(encoding="utf-8"))
    assert "project" in schema["properties"]


def test_init_refuses_to_overwrite(tmp_path: Path, run_cli: Callable[..., Run]) -> None:
    target = tmp_path / "plan.yaml"
    target.write_text("mine\n")
    result = run_cli("init", str(target), "--no-input")
    assert result.code == 2 and "--force" in result.err
    assert target.read_text() == "mine\n"
    assert run_cli("init", str(target), "--no-input", "--force").code == 0
    assert target.read_text() != "mine\n"


def test_init_with_a_bad_answer_writes_nothing(tmp_path: Path, run_cli: Callable[..., Run]) -> None:
    before = tree_snapshot(tmp_path)
    result = run_cli("init", str(tmp_path / "plan.yaml"), "--no-input", "--project", "Bad_Name")
    assert result.code == 2 and "project" in result.err
    assert tree_snapshot(tmp_path) == before


def test_schema_is_json_schema_of_the_spec(run_cli: Callable[..., Run]) -> None:
    result = run_cli("schema")
    schema = json.loads(result.out)
    assert schema["required"] == ["project", "ci"]
    assert schema["additionalProperties"] is False
    assert "cidr" in schema["$defs"]["Network"]["properties"]


def test_every_command_is_wired(tmp_path: Path, run_cli: Callable[..., Run]) -> None:
    """Each command runs through the CLI as a user types it (deep tests live beside each)."""
    repo = tmp_path / "repo"
    assert run_cli("new", str(EXAMPLES / "checkout" / "plan.yaml"), "-o", str(repo)).code == 0

    checked = run_cli("check", str(repo), "--format", "json")
    assert checked.code == 0, checked.err
    report = json.loads(checked.out)
    assert report["tasks"] and all(t["status"] in ("pass", "live") for t in report["tasks"])

    assert run_cli("update", str(repo), "--check", "--allow-dirty").code == 0

    estimate = run_cli("cost", str(repo / "plan.yaml"), "--format", "json")
    assert estimate.code in (0, 1) and json.loads(estimate.out)

    missing_env = run_cli("verify", str(repo))
    assert missing_env.code == 2 and "--env" in missing_env.err
