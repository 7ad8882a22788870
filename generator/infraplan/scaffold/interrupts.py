"""Signals during a write, and the test hook that stops a write after step N.

SIGINT (Ctrl-C) and SIGTERM received while the writer moves files are held
until the write is complete, then act as usual. Outside a write, SIGTERM
unwinds like Ctrl-C (:func:`terminate_as_interrupt`), so every ``finally``
runs and temporary render and merge folders are removed.

``INFRAPLAN_TEST_STOP_AFTER_STEP=N`` (tests only) makes the writer kill its
own process with SIGKILL right after step N; ``N:TERM`` or ``N:INT`` sends
that signal instead. Crash tests use it to stop a write at every step,
without timing.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from collections.abc import Callable, Iterator

STEP_HOOK = "INFRAPLAN_TEST_STOP_AFTER_STEP"
_SIGNALS = {"TERM": signal.SIGTERM, "INT": signal.SIGINT}


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised like Ctrl-C so that every ``finally`` (temporary folders) runs."""


@contextlib.contextmanager
def signals_held() -> Iterator[None]:
    """SIGINT and SIGTERM wait until the write is complete, then act as usual."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[int] = []

    def hold(signum: int, _frame: object) -> None:
        received.append(signum)

    previous = {sig: signal.signal(sig, hold) for sig in _SIGNALS.values()}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if received:
            raise Terminated() if received[0] == signal.SIGTERM else KeyboardInterrupt()


@contextlib.contextmanager
def terminate_as_interrupt() -> Iterator[None]:
    """For a whole command: SIGTERM unwinds like Ctrl-C, so temporary folders are removed."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(_signum: int, _frame: object) -> None:
        raise Terminated()

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def step_hook() -> Callable[[], None]:
    setting = os.environ.get(STEP_HOOK, "")
    if not setting:
        return lambda: None
    number, _, name = setting.partition(":")
    stop_after, sig = int(number), _SIGNALS.get(name, signal.SIGKILL)
    count = 0

    def step() -> None:
        nonlocal count
        count += 1
        if count == stop_after:
            os.kill(os.getpid(), sig)

    return step
