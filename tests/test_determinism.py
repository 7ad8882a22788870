"""The same spec gives the same bytes in any process: no dict or set order, no hash seed,
no clock, no temporary path leaks into the output."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import EXAMPLES, tree_snapshot

EXAMPLE = EXAMPLES / "checkout" / "plan.yaml"

# Each test starts infraplan in new processes.
pytestmark = pytest.mark.slow


def _infraplan(args: list[str], *, seed: str, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    return subprocess.run(
        [sys.executable, "-m", "infraplan", *args], capture_output=True, cwd=cwd, env=env
    )


def test_plan_is_the_same_bytes_under_other_hash_seeds(tmp_path: Path) -> None:
    outputs = set()
    for seed in ("0", "1", "4242"):
        for lang in ("es", "en"):
            done = _infraplan(["plan", str(EXAMPLE), "--lang", lang], seed=seed, cwd=tmp_path)
            assert done.returncode == 0, done.stderr.decode()
            outputs.add((lang, done.stdout))
    assert len(outputs) == 2  # one per language, whatever the seed


def test_new_writes_the_same_tree_under_other_hash_seeds_and_folders(tmp_path: Path) -> None:
    trees = []
    for seed, folder in (("0", "a"), ("31337", "another/deeper")):
        out = tmp_path / folder / "repo"
        out.parent.mkdir(parents=True)
        done = _infraplan(["new", str(EXAMPLE), "-o", str(out)], seed=seed, cwd=tmp_path)
        assert done.returncode == 0, done.stderr.decode()
        trees.append(tree_snapshot(out))
    assert trees[0].keys() == trees[1].keys()
    differing = sorted(p for p in trees[0] if trees[0][p] != trees[1][p])
    assert differing == []
