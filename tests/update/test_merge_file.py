"""merge_file: git's line merge, with line endings, final newlines and binary content kept."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

import pytest

from infraplan.update.merge import has_conflict_markers, merge_file

LABEL = "infraplan 9.9.9"


def test_clean_merge_takes_both_sides() -> None:
    result = merge_file(
        b"a\nb\nc\nd\ne\n", b"A\nb\nc\nd\ne\n", b"a\nb\nc\nd\nE\n", theirs_label=LABEL
    )
    assert (result.content, result.conflicts) == (b"A\nb\nc\nd\nE\n", 0)


def test_conflict_is_marked_git_style() -> None:
    result = merge_file(b"a\nb\nc\n", b"a\nX\nc\n", b"a\nY\nc\n", theirs_label=LABEL)
    assert result.conflicts == 1
    assert result.content == b"a\n<<<<<<< yours\nX\n=======\nY\n>>>>>>> infraplan 9.9.9\nc\n"
    assert has_conflict_markers(result.content)


def test_crlf_file_conflicts_in_crlf() -> None:
    result = merge_file(b"a\nb\nc\n", b"a\r\nX\r\nc\r\n", b"a\nY\nc\n", theirs_label=LABEL)
    assert result.conflicts == 1
    assert result.content.count(b"\n") == result.content.count(b"\r\n")
    assert has_conflict_markers(result.content)


def test_crlf_conversion_alone_is_not_an_edit() -> None:
    result = merge_file(b"a\nb\n", b"a\r\nb\r\n", b"a\nB\n", theirs_label=LABEL)
    assert (result.content, result.conflicts) == (b"a\r\nB\r\n", 0)


def test_no_final_newline_is_kept() -> None:
    result = merge_file(b"a\nb\nc", b"Z\nb\nc", b"a\nb\nY", theirs_label=LABEL)
    assert (result.content, result.conflicts) == (b"Z\nb\nY", 0)


def test_binary_content_is_never_line_merged() -> None:
    mine = b"\0mine\0"
    result = merge_file(b"text\n", mine, b"new text\n", theirs_label=LABEL)
    assert (result.content, result.binary) == (mine, True)
    assert merge_file(b"\0old", b"\0old", b"\0new", theirs_label=LABEL).content == b"\0new"
    assert merge_file(b"\0old", b"\0mine", b"\0old", theirs_label=LABEL).content == b"\0mine"


def test_without_a_base_only_the_differences_conflict() -> None:
    result = merge_file(None, b"same\nmine\nend\n", b"same\ntheirs\nend\n", theirs_label=LABEL)
    assert result.conflicts >= 1
    assert result.content.startswith(b"same\n") and b"mine\n" in result.content
    assert b"theirs\n" in result.content


def test_the_users_git_config_does_not_change_the_markers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # git merge-file reads merge.conflictStyle when it runs inside a repository:
    # make the temporary folder one, configured for diff3 markers.
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    subprocess.run(
        ["git", "-C", str(tmp_path), "config", "merge.conflictStyle", "diff3"], check=True
    )
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    result = merge_file(b"a\nb\nc\n", b"a\nX\nc\n", b"a\nY\nc\n", theirs_label=LABEL)
    assert b"|||||||" not in result.content and result.conflicts == 1


def test_markers_that_are_not_ours_are_not_taken_for_a_conflict() -> None:
    text = b"<<<<<<< HEAD\nx\n=======\ny\n>>>>>>> main\n"  # e.g. a doc about git
    assert not has_conflict_markers(text)
