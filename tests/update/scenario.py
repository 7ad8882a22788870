"""The update scenarios' steps: a real `new`, hand edits, a changed spec, `update`."""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path

from infraplan.cli import main
from infraplan.errors import InfraplanError
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


def edit(repo: Path, path: str, old: str, new: str) -> None:
    """Replace the one occurrence of ``old`` in ``path``: a hand edit."""
    target = repo / path
    text = target.read_bytes().decode("utf-8")
    assert text.count(old) == 1, (path, old)
    target.write_bytes(text.replace(old, new).encode("utf-8"))


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
    done = subprocess.run(
        ["git", "-C", str(repo), *args],
        capture_output=True,
        text=True,
        check=True,
        env={
            "GIT_AUTHOR_NAME": "infraplan tests",
            "GIT_AUTHOR_EMAIL": "tests@example.com",
            "GIT_COMMITTER_NAME": "infraplan tests",
            "GIT_COMMITTER_EMAIL": "tests@example.com",
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_CONFIG_GLOBAL": "/dev/null",
            "PATH": "/usr/bin:/bin:/usr/local/bin",
            "HOME": str(repo),
        },
    )
    return done.stdout


def commit_all(repo: Path, message: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "--allow-empty", "-m", message)
