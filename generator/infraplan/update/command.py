"""``infraplan update [DIR]``: bring a repo up to date with its plan.yaml, keeping every edit.

Report lines go to standard error; ``--dry-run`` prints its diff to standard
output. Exit codes: 0 done (or up to date), 1 conflicts marked (or, with
``--check``, the repo is behind), 2 bad input, nothing written.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.text import Text

from infraplan.errors import EXIT_FINDINGS, EXIT_OK
from infraplan.formats import TEXT_FORMATS, check_format
from infraplan.scaffold.bases import BASES_PATH, is_legacy_base_path
from infraplan.scaffold.manifest import MANIFEST_PATH, SPEC_PATH
from infraplan.scaffold.writer import safe_target
from infraplan.update.changes import Outcome
from infraplan.update.diff import unified_diff
from infraplan.update.gitstate import refuse_dirty_tree
from infraplan.update.output import update_json
from infraplan.update.pending import PendingUpdate, apply_update, prepare_update

_STYLE = {
    Outcome.CREATED: "green",
    Outcome.UPDATED: "cyan",
    Outcome.MERGED: "cyan",
    Outcome.CONFLICT: "bold red",
    Outcome.REMOVED: "yellow",
    Outcome.KEPT_EDITED: "magenta",
    Outcome.STAYS_DELETED: "magenta",
    Outcome.SEEDED_CHANGED: "magenta",
    Outcome.LINKED: "magenta",
}


def run_update_command(
    directory: Path, *, dry_run: bool, check: bool, allow_dirty: bool, fmt: str = "text"
) -> int:
    """Update the repo at ``directory``; return the exit code. Raises UserError on bad input.

    ``fmt="json"`` prints what was (or would be) done as JSON on standard output,
    instead of ``--dry-run``'s diff; the report lines stay on standard error."""
    check_format(fmt, TEXT_FORMATS)
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    pending = prepare_update(Path(directory))
    code = _run(err, pending, dry_run=dry_run, check=check, allow_dirty=allow_dirty, fmt=fmt)
    if fmt == "json":
        written = not (dry_run or check) and not pending.files.unresolved
        sys.stdout.write(update_json(pending, written=written))
    return code


def _run(
    err: Console,
    pending: PendingUpdate,
    *,
    dry_run: bool,
    check: bool,
    allow_dirty: bool,
    fmt: str,
) -> int:
    if pending.recovered:
        err.print(f"[bold]{escape(pending.recovered)}[/]")
    if pending.files.unresolved:
        for path in pending.files.unresolved:
            err.print(f"  [bold red]unresolved[/] {escape(path)}")
        err.print(
            "[bold]these files still hold conflict markers (an earlier update's, or git's "
            "with an edit of yours on a side); resolve them first. Nothing was changed.[/]"
        )
        return EXIT_FINDINGS
    if dry_run and fmt != "json":
        print_diff(pending)
    if dry_run or check:
        report(err, pending, would=True)
        if check:
            if pending.behind:
                err.print("[bold]behind its plan: run `infraplan update` and commit the result[/]")
                return EXIT_FINDINGS
            return EXIT_OK
        err.print("[dim]dry run: nothing was written[/]")
        return EXIT_FINDINGS if pending.conflicts else EXIT_OK
    if not allow_dirty:
        touched = {*pending.writes(), *pending.deletions()}
        refuse_dirty_tree(pending.root, spec_name=SPEC_PATH, touched=touched)
    apply_update(pending)
    report(err, pending, would=False)
    return EXIT_FINDINGS if pending.conflicts else EXIT_OK


def report(err: Console, pending: PendingUpdate, *, would: bool) -> None:
    """One line per file that changes or needs the user's attention, then a summary."""
    if would and pending.behind:
        err.print("[dim]what `infraplan update` would do:[/]")
    if pending.from_version != pending.to_version:
        err.print(f"infraplan {pending.from_version or '?'} → {pending.to_version}")
    if pending.spec_changed:
        err.print(f"{SPEC_PATH} changed since the last update")
    if pending.language_change is not None:
        old, new = pending.language_change
        err.print(f"the plan's language changes from {old} to {new}: PLAN.md is rendered again")
    for change in pending.changes():
        style = _STYLE.get(change.outcome)
        if style is None:
            continue
        note = change.note
        tasks = pending.tasks_by_file.get(change.path, [])
        if change.outcome is Outcome.CREATED and tasks:
            note = f"task {', '.join(tasks)}"
        if change.outcome is Outcome.STAYS_DELETED:
            note = "you deleted it; it stays deleted"
        suffix = f" [dim]({escape(note)})[/]" if note else ""
        label = change.outcome.value
        err.print(f"  [{style}]{label:<9}[/] {escape(change.path)}{suffix}")
        if change.plan_change is not None:
            _print_plan_change(err, change.path, *change.plan_change)
    if not pending.behind:
        err.print("already up to date with the plan and this infraplan")
        return
    counts = Counter(c.outcome for c in pending.changes() if c.outcome in _STYLE)
    if counts:
        err.print(
            ", ".join(f"{n} {outcome.value}" for outcome, n in sorted(counts.items(), key=_order))
        )
    parts = [p for p in (MANIFEST_PATH, BASES_PATH) if p in pending.state_writes]
    if pending.state_deletions:
        parts.append(f"{len(pending.state_deletions)} old base copies moved into {BASES_PATH}")
    if parts:
        verb = "would update" if would else "updated"
        err.print(f"  [dim]{verb} {escape(', '.join(parts))}[/]")
    conflicts = pending.conflicts
    if conflicts:
        many = len(conflicts) > 1
        verb = "would have" if would else "have" if many else "has"
        err.print(
            f"[bold red]{len(conflicts)} file{'s' if many else ''} {verb} "
            "conflicts[/]: look for <<<<<<< yours … >>>>>>> infraplan, keep what is right, "
            "remove the markers, commit"
        )
        for change in conflicts:
            err.print(f"  [bold red]conflict[/] {escape(change.path)}")


def _order(item: tuple[Outcome, int]) -> int:
    return list(_STYLE).index(item[0])


def _print_plan_change(err: Console, path: str, old: bytes | None, new: bytes) -> None:
    """What the plan changed in a seeded file, indented, for the user to port by hand."""
    if old is None:
        err.print("            [dim](no copy of the plan's previous version to compare)[/]")
        return
    for line in unified_diff(path, old, new).splitlines()[1:]:
        err.print(Text(f"            {line}", style="dim"))


def print_diff(pending: PendingUpdate) -> None:
    """The unified diff of every file the update would write or delete."""
    out = Console(file=sys.stdout, highlight=False, soft_wrap=True, emoji=False, markup=False)
    before = {c.path: c.before for c in pending.changes()}
    chunks: list[str] = []
    writes = pending.writes()
    for path in sorted({*writes, *pending.deletions()}):
        if path == BASES_PATH or is_legacy_base_path(path):
            continue  # copies of generated files: their content shows in the files' own diffs
        old = before[path] if path in before else _current(pending.root, path)
        new = writes[path][0] if path in writes else None
        chunks.append(unified_diff(path, old, new))
    text = "".join(chunks)
    if not out.is_terminal:
        sys.stdout.write(text)
        return
    for line in text.splitlines():
        style = "green" if line.startswith("+") else "red" if line.startswith("-") else ""
        out.print(Text(line, style=style))


def _current(root: Path, path: str) -> bytes | None:
    target = safe_target(root, path)
    return target.read_bytes() if target.is_file() else None
