"""An update killed at every step of its write loses nothing: the next command finishes it.

The writer counts its steps (each staged file, the journal, each move, the
clean-up); ``INFRAPLAN_TEST_STOP_AFTER_STEP=N`` kills the process with SIGKILL
right after step N (no timing involved). For every N until the write
completes, a fresh copy of the repo is updated in a forked process that
dies there; then the next infraplan command runs on it. Before it does
anything else it must complete the write (the journal was written) or undo
it (it was not), and leave no staging behind.
"""

from __future__ import annotations

import os
import shutil
import signal
from collections.abc import Callable
from pathlib import Path

import pytest
from scenario import SPEC, change_spec, make_repo, set_spec, tree

from infraplan.cli import main
from infraplan.scaffold.interrupts import STEP_HOOK
from infraplan.scaffold.writer import TXN_DIR
from infraplan.update.pending import prepare_update

WITH_QA = change_spec(SPEC, "  - {name: staging}\n", "  - {name: staging}\n  - {name: qa}\n")
# Writes several files (workflows, PLAN.md, manifest, bases) and deletes some (the qa root).
CHANGED = change_spec(SPEC, "deploy_minutes: 10", "deploy_minutes: 7")

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")]


def _in_child(work: Path, hook: str) -> int:
    """`infraplan update` in a forked process, with the step hook set; its wait status."""
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        code = 3
        try:
            os.environ[STEP_HOOK] = hook
            code = main(["update", str(work)])
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    return status


def _next_commands(work: Path) -> list[Callable[[], int]]:
    return [
        lambda: main(["update", str(work), "--check"]),
        lambda: main(["check", str(work), "--format", "json", "--no-cache"]),
        lambda: main(["verify", str(work), "--env", "nowhere"]),  # recovers, then bad input
        lambda: main(["update", str(work), "--dry-run"]),
    ]


@pytest.fixture
def prepared(tmp_path: Path) -> tuple[Path, dict[str, bytes], dict[str, bytes], int]:
    """A repo whose plan.yaml changed; its tree before and after the update; how many
    files the update stages before its commit point."""
    repo = make_repo(tmp_path, WITH_QA)
    set_spec(repo, CHANGED)
    pending = prepare_update(repo)
    assert pending.deletions() and len(pending.writes()) >= 4
    old = tree(repo)
    done = tmp_path / "done"
    shutil.copytree(repo, done, symlinks=True)
    assert main(["update", str(done)]) == 0
    return repo, old, tree(done), len(pending.writes())


def test_killed_at_every_step_the_next_command_completes_or_undoes_the_write(
    prepared: tuple[Path, dict[str, bytes], dict[str, bytes], int],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    repo, old, new, staged = prepared
    step = 0
    while True:
        step += 1
        work = tmp_path / f"kill-{step}"
        shutil.copytree(repo, work, symlinks=True)
        status = _in_child(work, str(step))
        if os.WIFEXITED(status):
            assert os.WEXITSTATUS(status) == 0
            assert tree(work) == new
            break
        assert os.WTERMSIG(status) == signal.SIGKILL, step
        interrupted = tree(work)
        assert interrupted != new or step > staged, step  # really cut short

        command = _next_commands(work)[step % 4]
        command()

        assert not (work / TXN_DIR).exists(), step
        expected = old if step <= staged else new  # the journal is the step after staging
        assert tree(work) == expected, step
        assert main(["update", str(work), "--check"]) == (1 if expected is old else 0), step
    capsys.readouterr()
    assert step > staged + 6  # staging, journal, moves and clean-up were all cut


@pytest.mark.parametrize("name", ["TERM", "INT"])
def test_sigterm_or_ctrl_c_during_the_write_waits_for_it_to_complete(
    prepared: tuple[Path, dict[str, bytes], dict[str, bytes], int], tmp_path: Path, name: str
) -> None:
    repo, _old, new, staged = prepared
    for step in (1, staged + 1, staged + 3):
        work = tmp_path / f"{name}-{step}"
        shutil.copytree(repo, work, symlinks=True)
        status = _in_child(work, f"{step}:{name}")
        assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 130, (step, status)
        assert tree(work) == new, step  # the write went through, then the signal acted
        assert not (work / TXN_DIR).exists()


def test_a_journal_for_a_file_you_changed_since_is_not_rolled_over_it(
    prepared: tuple[Path, dict[str, bytes], dict[str, bytes], int], tmp_path: Path
) -> None:
    repo, _old, _new, staged = prepared
    work = tmp_path / "edited-after-crash"
    shutil.copytree(repo, work, symlinks=True)
    status = _in_child(work, str(staged + 1))  # right after the journal: nothing moved yet
    assert os.WIFSIGNALED(status)
    plan = work / "PLAN.md"
    plan.write_bytes(plan.read_bytes() + b"\nmine, written after the crash\n")
    mine = plan.read_bytes()

    assert main(["update", str(work)]) == 2

    assert plan.read_bytes() == mine
