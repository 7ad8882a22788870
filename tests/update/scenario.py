"""The update scenarios' steps: a real `new`, hand edits, a changed spec, `update`."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from infraplan.cli import main
from infraplan.errors import InfraplanError
from infraplan.scaffold.manifest import MANIFEST_PATH
from infraplan.scaffold.render import File
from infraplan.spec.model import Spec
from infraplan.update.command import run_update_command

SPEC = """\
version: 1
project: shop
title: Shop on ECS Fargate
date: 2026-11-29
language: en
requirements:
  deploy_minutes: 10
  monthly_budget_usd: 100
service: {name: shop, port: 8080, health_check_path: /healthz}
aws: {region: eu-west-1}
network: {az_count: 2}
ci: {repository: acme/shop, preview_environments: false}
environments:
  - {name: staging}
  - {name: production, approval: true}
monitoring: {cpu_alarm_percent: 80}
secrets: [DATABASE_URL]
"""


def change_spec(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


def make_repo(root: Path, spec_text: str = SPEC) -> Path:
    """`infraplan new` into ``root/repo`` from ``spec_text``."""
    spec = root / "plan.yaml"
    spec.write_text(spec_text, encoding="utf-8")
    repo = root / "repo"
    assert main(["new", str(spec), "-o", str(repo)]) == 0
    return repo


def set_spec(repo: Path, text: str) -> None:
    (repo / "plan.yaml").write_text(text, encoding="utf-8")


def edit(repo: Path, path: str, old: str, new: str, *, nth: int | None = None) -> None:
    """A hand edit: replace ``old`` (the one occurrence, or the ``nth``, from 1) in ``path``."""
    target = repo / path
    text = target.read_bytes().decode("utf-8")
    if nth is None:
        assert text.count(old) == 1, (path, old)
        nth = 1
    assert text.count(old) >= nth, (path, old, nth)
    at = -1
    for _ in range(nth):
        at = text.index(old, at + 1)
    target.write_bytes((text[:at] + new + text[at + len(old) :]).encode("utf-8"))


def read(repo: Path, path: str) -> str:
    return (repo / path).read_bytes().decode("utf-8")


def manifest(repo: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((repo / MANIFEST_PATH).read_bytes())
    return data


def upgrade(
    monkeypatch: pytest.MonkeyPatch,
    version: str,
    rewrites: dict[str, tuple[str, str]],
) -> None:
    """Install a newer infraplan whose templates render differently.

    ``rewrites`` maps a generated path to (old text, new text): what the new
    templates change. The old templates are gone: only the new ones render.
    """
    import infraplan
    from infraplan.scaffold import repo as starter_repo

    older = starter_repo.__dict__["render_code"]

    def render(spec: Spec) -> list[File]:
        files = []
        for file in older(spec):
            if file.path in rewrites:
                old, new = rewrites[file.path]
                text = file.content.decode("utf-8")
                assert text.count(old) == 1, (file.path, old)
                file = File(file.path, text.replace(old, new).encode("utf-8"), file.executable)
            files.append(file)
        return files

    monkeypatch.setattr(infraplan, "__version__", version)
    monkeypatch.setattr("infraplan.scaffold.repo.render_code", render)


def assert_second_update_is_noop(repo: Path) -> None:
    before = tree_hash(repo)
    assert update(repo, check=True) == 0
    assert update(repo) == 0
    assert tree_hash(repo) == before


def update(
    repo: Path, *, dry_run: bool = False, check: bool = False, allow_dirty: bool = False
) -> int:
    """`infraplan update` as the CLI runs it: an InfraplanError becomes its exit code."""
    try:
        return run_update_command(repo, dry_run=dry_run, check=check, allow_dirty=allow_dirty)
    except InfraplanError as exc:
        return exc.exit_code


def tree(repo: Path) -> dict[str, bytes]:
    return {
        p.relative_to(repo).as_posix(): p.read_bytes()
        for p in sorted(repo.rglob("*"))
        if p.is_file() and ".git" not in p.relative_to(repo).parts
    }


def tree_hash(repo: Path) -> str:
    digest = hashlib.sha256()
    for path, content in tree(repo).items():
        digest.update(path.encode() + b"\0" + hashlib.sha256(content).digest())
    return digest.hexdigest()


def git(repo: Path, *args: str) -> str:
    """Run git in ``repo`` as a neutral user: no personal or system configuration."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(
        GIT_AUTHOR_NAME="infraplan tests",
        GIT_AUTHOR_EMAIL="tests@example.com",
        GIT_COMMITTER_NAME="infraplan tests",
        GIT_COMMITTER_EMAIL="tests@example.com",
        GIT_CONFIG_NOSYSTEM="1",
        GIT_CONFIG_GLOBAL=os.devnull,
    )
    done = subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, text=True, check=True, env=env
    )
    return done.stdout


def commit_all(repo: Path, message: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "--allow-empty", "-m", message)


def repo_with_branch(root: Path, spec_text: str, branch: str) -> Path:
    """A git repo fresh from `new` on ``main``, and a branch ``branch`` where plan.yaml
    became ``spec_text`` and `update` ran and was committed; ``main`` checked out."""
    repo = make_repo(root)
    git(repo, "init", "-q", "-b", "main")
    commit_all(repo, "infraplan new")
    git(repo, "checkout", "-q", "-b", branch)
    set_spec(repo, spec_text)
    assert update(repo) == 0
    commit_all(repo, f"{branch}: plan.yaml changed")
    git(repo, "checkout", "-q", "main")
    return repo
