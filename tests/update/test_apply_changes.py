"""writer.apply_changes: the one write of an update, all or nothing, inside the repo only."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from scenario import tree

from infraplan.errors import UserError
from infraplan.scaffold.writer import apply_changes


@pytest.fixture
def root(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    (repo / ".infraplan").mkdir(parents=True)
    (repo / "a.txt").write_bytes(b"a\n")
    (repo / "deep" / "er").mkdir(parents=True)
    (repo / "deep" / "er" / "b.txt").write_bytes(b"b\n")
    (repo / "keep.bin").write_bytes(b"\0\1\2")
    return repo


def test_writes_creates_and_deletes_in_one_go(root: Path) -> None:
    apply_changes(
        root,
        {"a.txt": (b"A\n", False), "new/dir/run.sh": (b"#!/bin/sh\n", True)},
        ["deep/er/b.txt"],
    )
    assert tree(root) == {"a.txt": b"A\n", "keep.bin": b"\0\1\2", "new/dir/run.sh": b"#!/bin/sh\n"}
    assert os.access(root / "new/dir/run.sh", os.X_OK)
    assert not (root / "deep").exists()  # emptied folders go too
    assert list((root / ".infraplan").iterdir()) == []  # no staging left behind


def test_a_path_outside_the_repo_is_refused_before_anything_is_written(root: Path) -> None:
    before = tree(root)
    for bad in ("../escape.txt", "/etc/passwd", "a/../../x"):
        with pytest.raises(UserError):
            apply_changes(root, {"a.txt": (b"changed\n", False), bad: (b"x", False)})
    assert tree(root) == before
    assert not (root.parent / "escape.txt").exists()


def test_a_symlink_out_of_the_repo_is_refused(root: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (root / "link").symlink_to(outside)
    with pytest.raises(UserError):
        apply_changes(root, {"link/evil.txt": (b"x", False)})
    assert list(outside.iterdir()) == []


def test_failure_midway_puts_everything_back(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = tree(root)
    real_replace = os.replace
    calls = {"n": 0}

    def flaky(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        calls["n"] += 1
        if calls["n"] == 4:
            raise OSError(13, "Permission denied")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", flaky)
    with pytest.raises(UserError, match="nothing was changed"):
        apply_changes(
            root,
            {"a.txt": (b"A\n", False), "new/c.txt": (b"c\n", False), "z.txt": (b"z\n", False)},
            ["deep/er/b.txt"],
        )
    assert tree(root) == before
    assert not (root / "new").exists()


def test_a_folder_where_a_file_should_go_is_refused(root: Path) -> None:
    with pytest.raises(UserError, match="is a folder"):
        apply_changes(root, {"deep": (b"x", False)})
    assert (root / "deep" / "er" / "b.txt").read_bytes() == b"b\n"


def test_a_journal_naming_a_path_outside_the_repo_is_refused(root: Path, tmp_path: Path) -> None:
    """A repo from anyone may carry a crafted journal: recovery checks every path first."""
    import json

    from infraplan.scaffold.writer import JOURNAL, TXN_DIR, finish_interrupted_write

    txn = root / TXN_DIR
    (txn / "new").mkdir(parents=True)
    (txn / "new" / "0").write_bytes(b"owned\n")
    ops = [{"path": "../escaped.txt", "write": True, "before": None}]
    (txn / JOURNAL).write_text(json.dumps({"version": 1, "ops": ops}), encoding="utf-8")

    with pytest.raises(UserError, match="leaves the target folder"):
        finish_interrupted_write(root)
    assert not (tmp_path / "escaped.txt").exists()
