"""Time `infraplan --help` against `cookiecutter --help`, side by side.

Both commands run alternately in the same loop, so machine noise hits both
alike; the ratio of medians is the figure to read (target: at most 0.5).

    .venv/bin/python benchmarks/help_time.py [--runs 30]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path


def _command(name: str) -> list[str]:
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.exists() else shutil.which(name)
    if not found:
        raise SystemExit(f"{name} is not installed in this environment")
    return [found, "--help"]


def _time(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    ours, peer = _command("infraplan"), _command("cookiecutter")
    _time(ours), _time(peer)  # warm the file cache for both
    times: dict[str, list[float]] = {"infraplan": [], "cookiecutter": []}
    for _ in range(args.runs):
        times["infraplan"].append(_time(ours))
        times["cookiecutter"].append(_time(peer))
    med = {name: statistics.median(values) for name, values in times.items()}
    ratio = med["infraplan"] / med["cookiecutter"]
    print(f"runs: {args.runs}, alternating")
    for name, value in med.items():
        print(f"{name:>13} --help  median {value * 1000:7.1f} ms")
    print(f"ratio infraplan/cookiecutter: {ratio:.2f} (target <= 0.50)")
    return 0 if ratio <= 0.5 else 1


if __name__ == "__main__":
    raise SystemExit(main())
