"""The Dockerfile and .dockerignore of ``infraplan new``: one per runtime,
checked with hadolint and read instruction by instruction."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from infraplan.scaffold.context import template_context
from infraplan.scaffold.render import piece_defaults
from tools import linters
from tools.linters import hadolint
from tools.rendering import (
    ADVERSARIAL_TITLE,
    defaults_mismatch,
    load,
    render,
    run_plain_cookiecutter,
    unlisted_keys,
)

PIECE = "docker"
RUNTIMES = ("python", "node", "go", "java", "generic")

CASES: dict[str, dict[str, Any]] = {
    **{runtime: {"service": {"runtime": runtime}} for runtime in RUNTIMES},
    **{
        f"{runtime}-adversarial": {
            "service": {"runtime": runtime, "port": 9000, "health_check_path": "/ops/health-1"},
            "title": ADVERSARIAL_TITLE,
        }
        for runtime in RUNTIMES
    },
}


def instructions(dockerfile: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) of a Dockerfile, continuation lines joined."""
    out: list[tuple[str, str]] = []
    pending = ""
    for line in dockerfile.splitlines():
        if not pending and (not line.strip() or line.lstrip().startswith("#")):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        keyword, _, args = (pending + line).strip().partition(" ")
        out.append((keyword.upper(), " ".join(args.split())))
        pending = ""
    assert not pending, "a continuation line ends the file"
    return out


def stages(dockerfile: str) -> list[list[tuple[str, str]]]:
    result: list[list[tuple[str, str]]] = []
    for keyword, args in instructions(dockerfile):
        if keyword == "FROM":
            result.append([])
        result[-1].append((keyword, args))
    return result


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, str]]:
    return {case: render(PIECE, **overrides) for case, overrides in CASES.items()}


# --- hadolint -------------------------------------------------------------------


@pytest.mark.parametrize("case", CASES)
def test_hadolint_reports_nothing_at_warning_or_above(
    case: str, rendered: dict[str, dict[str, str]], tmp_path: Path
) -> None:
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text(rendered[case]["Dockerfile"], encoding="utf-8")
    assert [str(f) for f in hadolint(dockerfile)] == []


def test_hadolint_fails_on_a_bad_dockerfile(tmp_path: Path) -> None:
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text(
        "FROM python:latest\n"
        "RUN apt-get update && apt-get install -y curl\n"
        "RUN cd /app && pip install flask\n"
        "CMD python app.py\n",
        encoding="utf-8",
    )
    codes = {f.message.split(" ", 1)[0] for f in hadolint(dockerfile)}
    # latest tag, unpinned apt and pip packages, cd in RUN, CMD not in JSON form
    assert {"DL3007", "DL3008", "DL3013", "DL3003", "DL3025"} <= codes


def test_a_missing_hadolint_fails_naming_the_setup_script(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(linters, "_VENV_BIN", tmp_path)
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv(linters.SKIP_ENV, raising=False)
    with pytest.raises(pytest.fail.Exception, match=re.escape(linters.SETUP_SCRIPT)):
        hadolint(tmp_path / "Dockerfile")


# --- what the plan asks of the image ------------------------------------------------


@pytest.mark.parametrize("case", CASES)
def test_dockerfile_is_multi_stage_pinned_and_non_root(
    case: str, rendered: dict[str, dict[str, str]]
) -> None:
    text = rendered[case]["Dockerfile"]
    assert text.startswith("# syntax=docker/dockerfile:1\n")
    assert "pin them by digest" in text
    build, run = stages(text)
    assert build[0][1].endswith(" AS build")
    for stage in (build, run):
        image = stage[0][1].split()[0]
        tag = image.partition(":")[2]
        # a specific version: digits and dots, never a floating tag like latest
        assert re.match(r"^\d+(\.\d+)+", tag), image
    assert any(k == "COPY" and a.startswith("--from=build ") for k, a in run)
    users = [a for k, a in run if k == "USER"]
    assert users and users[-1].split(":")[0] not in ("root", "0")


@pytest.mark.parametrize("case", CASES)
def test_healthcheck_and_exposed_port_follow_the_spec(
    case: str, rendered: dict[str, dict[str, str]]
) -> None:
    context = template_context(load(**CASES[case]))
    run = stages(rendered[case]["Dockerfile"])[-1]
    found = dict(run)
    assert found["EXPOSE"] == str(context["port"])
    health = found["HEALTHCHECK"]
    url = f"http://127.0.0.1:{context['port']}{context['health_check_path']}"
    assert health.startswith("--interval=") and " CMD [" in health
    assert url in health
    # the task definition's healthCheck (which ECS runs) has the same command
    assert json.loads(health.split(" CMD ", 1)[1]) == context["_health_command"]
    assert found["CMD"].startswith("[")  # exec form: signals reach the service


@pytest.mark.parametrize("runtime", RUNTIMES)
def test_each_runtime_builds_its_own_way(runtime: str, rendered: dict[str, dict[str, str]]) -> None:
    build = stages(rendered[runtime]["Dockerfile"])[0]
    expected = {
        "python": "pip install",
        "node": "npm ci",
        "go": "go build",
        "java": "mvn",
        "generic": "./build.sh",
    }[runtime]
    assert any(k == "RUN" and expected in a for k, a in build)


@pytest.mark.parametrize("case", CASES)
def test_dockerignore_keeps_secrets_and_repo_metadata_out(
    case: str, rendered: dict[str, dict[str, str]]
) -> None:
    entries = set(rendered[case][".dockerignore"].split("\n"))
    assert {".git", ".env", "infra", "plan.yaml"} <= entries


# --- user text ----------------------------------------------------------------------

_LABEL = re.compile(r'^org\.opencontainers\.image\.title="(?:[^"\\$\n]|\\.)*"$')


def assert_title_is_one_quoted_label(dockerfile: str, overrides: dict[str, Any]) -> None:
    plain = render(PIECE, **{**overrides, "title": "plain"})["Dockerfile"]
    assert [k for k, _ in instructions(dockerfile)] == [k for k, _ in instructions(plain)]
    [label] = [a for k, a in instructions(dockerfile) if k == "LABEL"]
    # One key, one double-quoted value: no bare quote ends it, no $ expands.
    assert _LABEL.match(label), label


@pytest.mark.parametrize("runtime", RUNTIMES)
def test_adversarial_title_stays_inside_its_label(
    runtime: str, rendered: dict[str, dict[str, str]]
) -> None:
    case = f"{runtime}-adversarial"
    assert_title_is_one_quoted_label(rendered[case]["Dockerfile"], CASES[case])


@settings(max_examples=40, deadline=None)
@given(title=st.text(min_size=1, max_size=60))
def test_any_title_stays_inside_its_label(title: str) -> None:
    assert_title_is_one_quoted_label(render(PIECE, title=title)["Dockerfile"], {})


# --- cookiecutter alone -----------------------------------------------------------


def test_cookiecutter_json_lists_every_key_with_the_context_default() -> None:
    assert piece_defaults(PIECE)["_extensions"] == ["infraplan.escape.EscapeExtension"]
    assert defaults_mismatch(PIECE) == {}
    assert unlisted_keys(PIECE) == set()


def test_plain_cookiecutter_renders_what_infraplan_renders(tmp_path: Path) -> None:
    project = run_plain_cookiecutter(PIECE, tmp_path)
    plain = {p.name: p.read_text("utf-8") for p in project.iterdir()}
    assert plain == render(PIECE)
