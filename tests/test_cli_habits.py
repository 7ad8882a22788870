"""What a user of any good CLI expects: help that fits and says the exit codes, the
commands in the order they are met, typer's choices, completion, NO_COLOR, --quiet,
results on stdout and messages on stderr, Ctrl-C as 130, ./plan.yaml by default."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import EXAMPLES, Run

COMMANDS_IN_ORDER = ["init", "plan", "new", "check", "update", "cost", "verify", "schema"]
CLI = [sys.executable, "-m", "infraplan"]

pytestmark = pytest.mark.slow  # each test runs the CLI as its own process


def _run(*args: str, cwd: Path | None = None, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CLI, *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, "COLUMNS": "80", **env},
        timeout=120,
    )


def test_help_lists_commands_in_the_order_a_user_meets_them_uncut() -> None:
    out = _run("--help").stdout
    section = out.split("Commands:", 1)[1]
    listed = re.findall(r"^  (\w+)\s{2,}", section, flags=re.M)
    assert listed == COMMANDS_IN_ORDER
    assert "..." not in section  # click cuts a summary that does not fit with "..."


@pytest.mark.parametrize("args", [(), *((c,) for c in COMMANDS_IN_ORDER)])
def test_every_help_lists_the_exit_codes(args: tuple[str, ...]) -> None:
    out = " ".join(_run(*args, "--help").stdout.split())
    for code in ("0 all good", "1 findings", "2 bad input", "3 internal error", "130 interrupted"):
        assert code in out, (args, code)


def test_verify_help_marks_env_required(run_cli: Callable[..., Run]) -> None:
    out = _run("verify", "--help").stdout
    env_line = out[out.index("--env") :].split("--profile")[0]
    assert "[required]" in env_line


@pytest.mark.parametrize(
    ("args", "accepted"),
    [
        (("check", "--format", "xml"), "'table', 'json', 'sarif', 'markdown'"),
        (("verify", "--env", "staging", "--format", "xml"), "'table', 'json', 'sarif'"),
        (("cost", "--format", "xml"), "'table', 'json'"),
        (("plan", "--lang", "fr"), "'es', 'en'"),
    ],
)
def test_a_bad_choice_is_one_message_from_typer(
    run_cli: Callable[..., Run], args: tuple[str, ...], accepted: str
) -> None:
    result = run_cli(*args)
    assert result.code == 2
    assert result.err.count("Error") == 1 and accepted in result.err
    assert "Traceback" not in result.err and "Value error" not in result.err


def test_plan_without_argument_reads_plan_yaml_here(tmp_path: Path) -> None:
    (tmp_path / "plan.yaml").write_bytes((EXAMPLES / "minimal" / "plan.yaml").read_bytes())
    done = _run("plan", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("# 🏗️ PROMPT DE PLANIFICACIÓN")
    missing = _run("plan", cwd=tmp_path / ".." / "..")
    assert missing.returncode == 2 and "plan.yaml: no such file" in missing.stderr


def test_results_on_stdout_messages_on_stderr_and_quiet(tmp_path: Path) -> None:
    spec = str(EXAMPLES / "minimal" / "plan.yaml")
    loud = _run("new", spec, "-o", str(tmp_path / "a"), "--format", "json")
    assert loud.returncode == 0, loud.stderr
    report = json.loads(loud.stdout)  # stdout is the machine-readable result alone
    assert "PLAN.md" in report["files"] and report["replaced"] == []
    assert {t["id"] for t in report["tasks"]} >= {"1.1", "2.1"}
    assert "wrote" in loud.stderr and "next:" in loud.stderr

    quiet = _run("--quiet", "new", spec, "-o", str(tmp_path / "b"), "--format", "json")
    assert quiet.returncode == 0
    assert json.loads(quiet.stdout) == {**report, "output": str(tmp_path / "b")}
    # --quiet drops progress lines, never a warning (the minimal plan has no repository ids)
    assert "wrote" not in quiet.stderr and "next:" not in quiet.stderr
    assert quiet.stderr.splitlines() == [w for w in loud.stderr.splitlines() if "warning:" in w]
    assert quiet.stderr


# An SGR sequence that sets a foreground or background color (no-color.org: NO_COLOR
# "prevents the addition of ANSI color"; bold and dim are not colors).
COLOR = re.compile(r"\x1b\[(?:\d+;)*(?:3[0-8]|4[0-8]|9[0-7]|10[0-7])(?:;\d+)*m")


@pytest.mark.parametrize("command", ["error", "check"])
def test_no_color_is_respected(tmp_path: Path, command: str) -> None:
    bad = tmp_path / "plan.yaml"
    bad.write_text("project: Bad_Name\nci: {repository: a/b}\n", encoding="utf-8")
    args = ("plan", str(bad)) if command == "error" else ("check", str(tmp_path))
    forced = {"FORCE_COLOR": "1", "TERM": "xterm-256color"}
    colored = _run(*args, **forced)
    assert COLOR.search(colored.stdout + colored.stderr)  # the test can see color
    plain = _run(*args, **forced, NO_COLOR="1")
    assert plain.returncode == colored.returncode
    assert not COLOR.search(plain.stdout + plain.stderr)


def test_shell_completion_is_typers() -> None:
    script = _run("--show-completion", "bash", _TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION="1")
    assert script.returncode == 0 and "infraplan" in script.stdout
    words = _run(
        _INFRAPLAN_COMPLETE="complete_bash",
        COMP_WORDS="infraplan ch",
        COMP_CWORD="1",
    )
    assert "check" in words.stdout.split()


def test_verify_without_credentials_is_one_error_exit_2(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    assert _run("new", str(EXAMPLES / "minimal" / "plan.yaml"), "-o", str(repo)).returncode == 0
    no_aws = {
        "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "none"),
        "AWS_CONFIG_FILE": str(tmp_path / "none"),
        "AWS_EC2_METADATA_DISABLED": "true",
        "AWS_ACCESS_KEY_ID": "",
        "AWS_SECRET_ACCESS_KEY": "",
        "AWS_PROFILE": "",
    }
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    done = subprocess.run(
        [*CLI, "verify", str(repo), "--env", "staging"],
        capture_output=True,
        text=True,
        env={**env, **{k: v for k, v in no_aws.items() if v}},
        timeout=120,
    )
    assert done.returncode == 2, done.stderr
    assert done.stderr.count("no AWS credentials found") == 1
    assert done.stdout == ""


def test_every_reporting_command_prints_json_alone_on_stdout(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    made = _run("new", str(EXAMPLES / "minimal" / "plan.yaml"), "-o", str(repo), "--format", "json")
    assert json.loads(made.stdout)["tasks"]
    checked = _run("check", str(repo), "--format", "json")
    assert json.loads(checked.stdout)["rules"]
    priced = _run("cost", str(repo / "plan.yaml"), "--format", "json")
    assert json.loads(priced.stdout)
    spec = repo / "plan.yaml"
    spec.write_text(spec.read_text("utf-8") + "secrets: [SMTP_URL]\n", encoding="utf-8")
    would = _run("update", str(repo), "--dry-run", "--allow-dirty", "--format", "json")
    report = json.loads(would.stdout)  # the diff is not mixed in
    assert report["written"] is False and report["behind"] is True and report["spec_changed"]
    assert {"path": "PLAN.md", "outcome": "updated", "conflicts": 0, "note": ""} in report["files"]
    done = _run("update", str(repo), "--allow-dirty", "--format", "json")
    assert json.loads(done.stdout)["written"] is True
    again = _run("update", str(repo), "--check", "--format", "json")
    assert json.loads(again.stdout) | {"root": ""} == {
        **json.loads(again.stdout),
        "root": "",
        "behind": False,
        "files": [],
    }
