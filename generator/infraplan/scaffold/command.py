"""What ``infraplan new`` runs: load the spec, build the starter repo in memory, write it."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path

from infraplan.catalogue import Lang
from infraplan.errors import EXIT_OK
from infraplan.findings import task_label
from infraplan.formats import TEXT_FORMATS, check_format
from infraplan.plan.markdown import plan_tasks, task_numbers
from infraplan.scaffold.manifest import SPEC_PATH
from infraplan.scaffold.repo import build_starter_repo
from infraplan.scaffold.writer import finish_interrupted_write, write_tree
from infraplan.spec.load import load_spec
from infraplan.spec.model import Spec
from infraplan.spec.monitoring import SLACK_ONLY
from infraplan.spec.naming import PLACEHOLDER_OWNER
from infraplan.spec.schema import SCHEMA_FILE, point_at_local_schema

# ``say(line)`` prints a progress line (the CLI drops them with --quiet).
Say = Callable[[str], None]


def _stderr(line: str) -> None:
    sys.stderr.write(line + "\n")


def spec_warnings(spec: Spec, spec_path: Path) -> list[str]:
    """What may keep the generated repository from deploying, one line each. Warnings,
    not errors: older repositories work with the name form, and a placeholder is valid."""
    ci = spec.ci
    warnings = []
    if not ci.immutable_subject:
        warnings.append(
            f"warning: {spec_path}: ci.repository_owner_id and ci.repository_id are not set, "
            f"so the deploy roles trust the name form repo:{ci.repository}; repositories "
            "created or renamed since 2026-07-15 get the immutable id form and would be "
            f"refused. Add both: gh api repos/{ci.repository} --jq '.owner.id, .id'"
        )
    for index, env in enumerate(spec.environments):
        if env.spot and env.approval:
            warnings.append(
                f"warning: {spec_path}: environments[{index}].spot is true in {env.name}, "
                "which waits for approval (production): AWS may stop its Fargate Spot tasks "
                "with two minutes' warning and does not replace Spot with on-demand capacity "
                "when Spot is short. One task stays on demand; the plan's risk table says "
                "so. Keep Spot for environments that are not production"
            )
    if spec.monitoring.notifies_someone and not spec.monitoring.budget_reaches_someone:
        warnings.append(f"warning: {spec_path}: {SLACK_ONLY}")
    if ci.repository.split("/", 1)[0] == PLACEHOLDER_OWNER:
        warnings.append(
            f"warning: {spec_path}: ci.repository is {ci.repository}, the placeholder "
            "`infraplan init` writes: the deploy roles will trust that repository, not "
            "yours; set ci.repository to your GitHub owner/name"
        )
    return warnings


def run_new_command(
    spec_path: Path,
    output: Path,
    *,
    lang: Lang | None,
    force: bool,
    fmt: str = "text",
    say: Say = _stderr,
) -> int:
    """Write the starter repo into ``output``. Every file replaced is named on standard
    error, even when progress lines are off; ``fmt="json"`` prints what was written."""
    check_format(fmt, TEXT_FORMATS)
    if output.is_dir():
        finish_interrupted_write(output)  # a `new` cut short: completed, or its staging removed
    loaded = load_spec(spec_path)
    # The repo's plan.yaml names the schema written beside it, wherever the spec came from.
    repo = build_starter_repo(loaded.spec, point_at_local_schema(loaded.text), lang)
    for warning in spec_warnings(loaded.spec, spec_path):
        _stderr(warning)  # a warning: shown even with --quiet, like init's notices
    files = {f.path: (f.content, f.executable) for f in repo.files}
    # `new plan.yaml -o .`: the spec is the file written; only its schema comment changes.
    in_place = (output / SPEC_PATH).resolve() == spec_path.resolve()
    replaced = write_tree(output, files, force=force, replaceable=(SPEC_PATH,) if in_place else ())
    for path in replaced:
        if in_place and path == SPEC_PATH:
            _stderr(f"{spec_path}: its schema comment now names {SCHEMA_FILE}, written beside it")
        else:
            _stderr(f"replaced {output / path} (its earlier content differed)")
    say(f"wrote {len(repo.files)} files to {output}")
    numbers = task_numbers(plan_tasks(loaded.spec, loaded.spec.language))  # as PLAN.md
    for task in repo.tasks:
        label = task_label(task.id, numbers.get(task.id, ""))
        say(f"  task {label}: {len(task.files)} files, {len(task.resources)} resources")
    say(f"next: read {output / 'PLAN.md'}, then `infraplan check {output}`")
    if fmt == "json":
        report = {
            "output": str(output),
            "files": sorted(files),
            "replaced": replaced,
            "tasks": [
                {
                    "id": t.id,
                    "number": numbers.get(t.id, t.id),
                    "files": list(t.files),
                    "resources": list(t.resources),
                }
                for t in repo.tasks
            ],
        }
        sys.stdout.write(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    return EXIT_OK
