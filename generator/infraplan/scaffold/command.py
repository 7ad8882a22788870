"""What ``infraplan new`` runs: load the spec, build the starter repo in memory, write it."""

from __future__ import annotations

import sys
from pathlib import Path

from infraplan.catalogue import Lang
from infraplan.errors import EXIT_OK
from infraplan.scaffold.repo import build_starter_repo
from infraplan.scaffold.writer import check_target, write_tree
from infraplan.spec.load import load_spec


def run_new_command(spec_path: Path, output: Path, *, lang: Lang | None, force: bool) -> int:
    check_target(output, force=force)
    loaded = load_spec(spec_path)
    repo = build_starter_repo(loaded.spec, loaded.text, lang)
    write_tree(output, {f.path: (f.content, f.executable) for f in repo.files}, force=force)
    say = sys.stderr.write
    say(f"wrote {len(repo.files)} files to {output}\n")
    for task in repo.tasks:
        say(f"  task {task.id}: {len(task.files)} files, {len(task.resources)} resources\n")
    say(f"next: read {output / 'PLAN.md'}, then `infraplan check {output}`\n")
    return EXIT_OK
