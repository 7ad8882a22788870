"""Parse the repository's Terraform files: from the cache, else in parallel across cores.

hcl2 is pure Python and CPU-bound, so files are parsed in a process pool once
there are enough of them to pay for the workers; a progress bar goes to stderr
when stderr is a terminal.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.context
import os
import sys
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from infraplan.check.cache import ParseCache, content_key
from infraplan.check.conflicts import first_side
from infraplan.check.discovery import MAX_BYTES, decode
from infraplan.hcl.parse import (
    PARSED_FORMAT,
    parse_terraform_text,
    parse_tfvars_text,
    parser,
)

PARALLEL_MIN_FILES = 48  # below this, starting workers costs more than it saves


@dataclass(frozen=True)
class ParsedFile:
    path: str
    kind: str  # "tf" | "tfvars" | "hcl" (Terragrunt, read whole like a tfvars file)
    data: dict[str, Any]  # see infraplan.hcl.parse; "error" set when the file did not parse


def _salt() -> str:
    try:
        from importlib.metadata import version

        hcl2_version = version("python-hcl2")
    except Exception:  # a missing distribution only means a colder cache
        hcl2_version = "unknown"
    return f"{hcl2_version}/{PARSED_FORMAT}"


def _parse_job(job: tuple[str, str]) -> dict[str, Any]:
    """Parse one file; leftover merge conflict markers are read with their first side,
    and ``conflict`` keeps the line of the first marker."""
    kind, text = job
    text, conflict = first_side(text)
    parsed = parse_terraform_text(text) if kind == "tf" else parse_tfvars_text(text)
    return {**parsed, "conflict": conflict}


def parse_terraform_files(
    root: Path,
    paths: list[tuple[str, str]],
    cache: ParseCache,
    *,
    workers: int | None = None,
    progress: bool | None = None,
) -> list[ParsedFile]:
    """Parse ``(path, kind)`` pairs; unreadable files come back with an ``error``."""
    salt = _salt()
    results: dict[str, ParsedFile] = {}
    todo: list[tuple[str, str, str, str]] = []  # path, kind, key, text
    for path, kind in paths:
        data, problem = _read(root / path)
        if data is None:
            results[path] = ParsedFile(path, kind, _unreadable(kind, problem or "unreadable"))
            continue
        key = content_key(kind, data, salt)
        cached = cache.get(key)
        if cached is not None:
            results[path] = ParsedFile(path, kind, cached)
            continue
        text, problem = decode(data)
        if text is None:
            results[path] = ParsedFile(path, kind, _unreadable(kind, problem or "unreadable"))
            continue
        todo.append((path, kind, key, text))

    jobs = [(kind, text) for _, kind, _, text in todo]
    for (path, kind, key, _), parsed in zip(todo, _run(jobs, workers, progress), strict=True):
        cache.put(key, parsed)
        results[path] = ParsedFile(path, kind, parsed)
    return [results[path] for path, _ in paths]


def _read(path: Path) -> tuple[bytes | None, str | None]:
    try:
        if path.stat().st_size > MAX_BYTES:
            return None, f"larger than {MAX_BYTES // (1024 * 1024)} MB; not read"
        return path.read_bytes(), None
    except OSError as exc:
        return None, f"cannot be read ({exc.strerror or exc})"


def _unreadable(kind: str, why: str) -> dict[str, Any]:
    error = {"message": why, "line": 1}
    return {"blocks": [], "error": error} if kind == "tf" else {"values": {}, "error": error}


def _run(
    jobs: list[tuple[str, str]], workers: int | None, progress: bool | None
) -> list[dict[str, Any]]:
    count = workers if workers is not None else idle_cores()
    show = sys.stderr.isatty() if progress is None else progress
    if count > 1 and len(jobs) >= PARALLEL_MIN_FILES:
        parser()  # build the grammar once; forked workers inherit it
        try:
            with ProcessPoolExecutor(max_workers=count, mp_context=_context()) as pool:
                # Small chunks: files differ in size a lot, and results stream to the bar.
                results = pool.map(_parse_job, jobs, chunksize=2)
                return list(_with_progress(results, len(jobs), show))
        except (BrokenProcessPool, OSError):
            pass  # a worker died (out of memory, killed) or none could start: go serial
    return list(_with_progress(map(_parse_job, jobs), len(jobs), show))


def idle_cores() -> int:
    """Cores this process may use that are not already busy.

    A pool only pays when its workers get a core each: on a loaded machine (a
    shared CI runner, other test suites) extra workers just contend, which the
    benchmark measured as slower than one.
    """
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:
        cores = os.cpu_count() or 1
    try:
        load = os.getloadavg()[0]
    except OSError:
        return cores
    return max(1, min(cores, int(cores - load + 1)))


def _context() -> multiprocessing.context.BaseContext | None:
    """Fork where it is safe (Linux): workers start with everything already imported."""
    if sys.platform.startswith("linux"):
        return multiprocessing.get_context("fork")
    return None


def _with_progress(
    items: Iterator[dict[str, Any]], total: int, show: bool
) -> Iterator[dict[str, Any]]:
    if not show or total < PARALLEL_MIN_FILES:
        yield from items
        return
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("Parsing Terraform", total=total)
        for item in items:
            bar.advance(task)
            yield item
