"""Time `infraplan new` on the example against plain cookiecutter rendering the same templates.

Side by side, alternating in one loop so machine noise hits both alike:
- ours: `infraplan new examples/checkout/plan.yaml -o DIR` (validation, rendering,
  the task map with python-hcl2, PLAN.md, manifest, merge bases, atomic write);
- peer: `cookiecutter --no-input` once per piece, as many runs as `new` renders
  (the env piece once per environment), with the templates' own defaults.

    .venv/bin/python benchmarks/new_time.py [--runs 10]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "checkout" / "plan.yaml"


def _bin(name: str) -> str:
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.exists() else shutil.which(name)
    if not found:
        raise SystemExit(f"{name} is not installed in this environment")
    return found


def _pieces() -> list[str]:
    sys.path.insert(0, str(ROOT / "generator"))
    from infraplan.scaffold.render import ENV_PIECES, REPO_PIECES
    from infraplan.spec.load import load_spec

    envs = len(load_spec(EXAMPLE).spec.environments)
    return list(REPO_PIECES) + [piece for piece in ENV_PIECES for _ in range(envs)]


def _time_ours(infraplan: str) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        subprocess.run(
            [infraplan, "new", str(EXAMPLE), "-o", f"{tmp}/repo"],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        return time.perf_counter() - start


def _time_peer(cookiecutter: str, pieces: list[str]) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        for index, piece in enumerate(pieces):
            subprocess.run(
                [
                    cookiecutter,
                    "--no-input",
                    "-o",
                    f"{tmp}/{index}",
                    str(ROOT / "cookiecutters" / piece),
                ],
                check=True,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    infraplan, cookiecutter = _bin("infraplan"), _bin("cookiecutter")
    pieces = _pieces()
    _time_ours(infraplan), _time_peer(cookiecutter, pieces)  # warm caches
    ours, peer = [], []
    for _ in range(args.runs):
        ours.append(_time_ours(infraplan))
        peer.append(_time_peer(cookiecutter, pieces))
    mo, mp = statistics.median(ours), statistics.median(peer)
    print(f"runs: {args.runs}, alternating; cookiecutter renders {len(pieces)} pieces per run")
    print(f"infraplan new            median {mo * 1000:8.1f} ms")
    print(f"cookiecutter --no-input  median {mp * 1000:8.1f} ms (sum of {len(pieces)} runs)")
    print(f"ratio infraplan/cookiecutter: {mo / mp:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
