"""Base images and toolchains: one table with end-of-support dates, used by the
Dockerfile, the CI workflows and .github/dependabot.yml alike."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest

from infraplan.scaffold.runtimes import RUNTIMES, Runtime, Support, expired
from tools.rendering import load_workflow, render

# Dependabot's package-ecosystem values, from "Dependabot options reference"
# (GitHub Docs, code-security/dependabot/working-with-dependabot/dependabot-options-reference).
ECOSYSTEMS = {
    "bundler", "cargo", "composer", "devcontainers", "docker", "docker-compose", "dotnet-sdk",
    "elm", "github-actions", "gitsubmodule", "gomod", "gradle", "helm", "maven", "mix", "npm",
    "nuget", "pip", "pub", "swift", "terraform", "uv",
}  # fmt: skip


# --- the dates ------------------------------------------------------------------------


def test_no_base_image_or_toolchain_is_past_its_end_of_support() -> None:
    """Fails on the day a component's support ends: update infraplan/scaffold/runtimes.py."""
    assert expired(dt.date.today()) == []


def test_a_past_date_is_reported() -> None:
    old = Runtime(
        "go",
        "golang:1.23.4-alpine3.20",
        "alpine:3.20.3",
        "",
        "gomod",
        (Support("Alpine Linux 3.20", dt.date(2026, 4, 1), "https://endoflife.date/alpine"),),
    )
    assert expired(dt.date(2026, 4, 1), {"go": old}) == [
        "go: Alpine Linux 3.20 (ended 2026-04-01, https://endoflife.date/alpine)"
    ]
    assert expired(dt.date(2026, 3, 31), {"go": old}) == []


_OS = re.compile(r"alpine[-:]?(\d+\.\d+)|(trixie|bookworm)")


@pytest.mark.parametrize("name", RUNTIMES)
def test_every_image_names_an_os_release_with_a_date(name: str) -> None:
    """A tag bumped to a new OS release without its date in the table fails here."""
    rt = RUNTIMES[name]
    dated = " ".join(s.component for s in rt.support)
    for image in (rt.build_image, rt.run_image):
        if image.startswith("maven:"):
            continue  # build stage only; its JDK is the run image's, dated
        match = _OS.search(image)
        assert match, f"{image}: no OS release in the tag"
        release = match.group(1) or {"trixie": "13", "bookworm": "12"}[match.group(2)]
        assert release in dated, f"{image}: {release} has no date in {dated}"
    assert not any("alpine3.20" in i or "alpine3.21" in i for i in (rt.build_image, rt.run_image))


# --- the templates read the table -----------------------------------------------------


def _from_lines(dockerfile: str) -> list[str]:
    return [line.split()[1] for line in dockerfile.splitlines() if line.startswith("FROM ")]


@pytest.mark.parametrize("name", RUNTIMES)
def test_dockerfile_uses_the_table(name: str) -> None:
    dockerfile = render("docker", service={"runtime": name})["Dockerfile"]
    rt = RUNTIMES[name]
    assert _from_lines(dockerfile) == [rt.build_image, rt.run_image]
    assert rt.supported_until.isoformat() in dockerfile


def _steps(name: str) -> list[dict[str, Any]]:
    ci = load_workflow(
        render("github-actions", service={"runtime": name})[".github/workflows/ci.yml"]
    )
    return [step for job in ci["jobs"].values() for step in job.get("steps", [])]


@pytest.mark.parametrize(
    ("name", "action", "key"),
    [
        ("python", "actions/setup-python", "python-version"),
        ("node", "actions/setup-node", "node-version"),
        ("java", "actions/setup-java", "java-version"),
    ],
)
def test_ci_installs_the_tables_language_version(name: str, action: str, key: str) -> None:
    [setup] = [s for s in _steps(name) if s.get("uses", "").startswith(action + "@")]
    assert str(setup["with"][key]) == RUNTIMES[name].ci_version
    language = RUNTIMES[name].build_image.split(":")[1]
    version = RUNTIMES[name].ci_version
    assert re.search(rf"(^|-){re.escape(version)}[.-]", language), (version, language)


def _run_go_version_step(dockerfile: str, tmp_path: Path) -> tuple[str, str]:
    [step] = [s for s in _steps("go") if s.get("id") == "go"]
    (tmp_path / "Dockerfile").write_text(dockerfile, encoding="utf-8")
    out, env = tmp_path / "output", tmp_path / "env"
    out.touch()
    env.touch()
    proc = subprocess.run(
        ["bash", "-e", "-c", step["run"]],
        cwd=tmp_path,
        env={"GITHUB_OUTPUT": str(out), "GITHUB_ENV": str(env), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
    )
    return out.read_text() if proc.returncode == 0 else f"exit {proc.returncode}", env.read_text()


def test_go_ci_builds_with_the_dockerfiles_go_and_no_toolchain_download(tmp_path: Path) -> None:
    """The image builds with GOTOOLCHAIN=local; CI must use the same Go the same way, or a
    go.mod that asks for a newer Go passes CI and breaks the image build."""
    dockerfile = render("docker", service={"runtime": "go"})["Dockerfile"]
    output, env = _run_go_version_step(dockerfile, tmp_path)
    image_go = RUNTIMES["go"].build_image.split(":")[1].split("-")[0]
    assert output == f"version={image_go}\n"
    assert env == "GOTOOLCHAIN=local\n"
    [setup] = [s for s in _steps("go") if s.get("uses", "").startswith("actions/setup-go@")]
    assert setup["with"] == {"go-version": "${{ steps.go.outputs.version }}"}
    # A Dockerfile that lost its golang stage stops CI with an error.
    output, _ = _run_go_version_step("FROM alpine:3.23.3\n", tmp_path)
    assert output == "exit 1"


# --- dependabot -----------------------------------------------------------------------


@pytest.mark.parametrize("name", RUNTIMES)
def test_dependabot_updates_images_actions_and_the_runtimes_packages(name: str) -> None:
    text = render("github-actions", service={"runtime": name})[".github/dependabot.yml"]
    config = load_workflow(text)
    assert config["version"] == 2
    updates = config["updates"]
    ecosystems = [u["package-ecosystem"] for u in updates]
    expected = ["docker", "github-actions"] + [e for e in [RUNTIMES[name].ecosystem] if e]
    assert ecosystems == expected
    assert set(ecosystems) <= ECOSYSTEMS
    for update in updates:
        assert update["directory"] == "/"
        assert update["schedule"]["interval"] in {"daily", "weekly", "monthly"}


# --- the generic runtime's README says what its Dockerfile and CI run -------------------


def test_generic_readme_names_what_the_dockerfile_and_ci_run() -> None:
    overrides: dict[str, Any] = {"service": {"runtime": "generic"}}
    readme = render("repo", **overrides)["README.md"]
    dockerfile = render("docker", **overrides)["Dockerfile"]
    runs = [line[4:] for line in dockerfile.splitlines() if line.startswith("RUN ")]
    cmd = next(line for line in dockerfile.splitlines() if line.startswith("CMD "))
    ci_runs = [s["run"].strip() for s in _steps("generic") if s.get("name") in ("Lint", "Test")]
    assert runs and ci_runs
    for command in [*runs, *ci_runs, cmd.split('"')[1]]:
        assert f"`{command}`" in readme, command
