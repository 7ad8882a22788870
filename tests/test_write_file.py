"""``-o``: the one-file writer keeps what stands at the path (a link, a pipe, a device)."""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any

import pytest

from infraplan.errors import UserError
from infraplan.scaffold.writer import write_file

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "checkout" / "plan.yaml"


def test_a_regular_file_is_replaced_whole_and_keeps_its_mode(tmp_path: Path) -> None:
    target = tmp_path / "PLAN.md"
    target.write_bytes(b"old")
    target.chmod(0o640)
    write_file(target, b"new")
    assert target.read_bytes() == b"new" and (target.stat().st_mode & 0o777) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["PLAN.md"]  # no temporary left


def test_a_symlink_stays_a_link_and_its_target_gets_the_content(tmp_path: Path) -> None:
    real = tmp_path / "docs" / "PLAN.md"
    real.parent.mkdir()
    real.write_bytes(b"old")
    link = tmp_path / "PLAN.md"
    link.symlink_to(real)
    write_file(link, b"new")
    assert link.is_symlink() and real.read_bytes() == b"new"


def test_a_named_pipe_is_written_to_not_replaced(tmp_path: Path) -> None:
    # What `-o /dev/null` needs too: a rename would put a regular file where the device was.
    pipe = tmp_path / "out"
    os.mkfifo(pipe)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(pipe.read_bytes()), daemon=True)
    reader.start()
    write_file(pipe, b"plan text")
    reader.join(timeout=10)
    assert received == [b"plan text"]
    assert not pipe.is_file() and pipe.exists()  # still the pipe


def test_a_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="is a folder"):
        write_file(tmp_path, b"x")


def test_the_cli_writes_the_plan_into_a_pipe(tmp_path: Path, run_cli: Any) -> None:
    # A pipe stands in for /dev/null: a regression here must not break the machine's own.
    pipe = tmp_path / "plan-pipe"
    os.mkfifo(pipe)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(pipe.read_bytes()), daemon=True)
    reader.start()
    result = run_cli("plan", str(EXAMPLE), "-o", str(pipe))
    reader.join(timeout=30)
    assert result.code == 0, result.err
    assert received and received[0].startswith(b"#") and not pipe.is_file()
