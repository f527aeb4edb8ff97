"""The app's background work (a run, its quality report, a grid) in threads that end before the interpreter does.

They are daemon threads, so that nothing waits on a run for hours. But a daemon thread still inside native code
(numpy, llama.cpp) when the interpreter finalizes is torn down there, and tearing down a C++ frame aborts the whole
process ("terminate called without an active exception", exit code 134, seen at the end of the app's tests with a
quality report still being measured). So at exit each live worker is asked to stop and waited for.
"""

from __future__ import annotations

import atexit
import threading
import time
from collections.abc import Callable

EXIT_WAIT_S = 60.0  # in all: a run stops at its next chunk, a report cannot be stopped and takes seconds

_live: list[tuple[threading.Thread, Callable[[], None]]] = []
_lock = threading.Lock()


def worker(target: Callable[[], None], name: str, stop: Callable[[], None] | None = None) -> threading.Thread:
    """A daemon thread (not started) that the interpreter's exit stops with `stop` and waits for."""
    thread = threading.Thread(target=target, name=name, daemon=True)
    with _lock:
        _live[:] = [(t, s) for t, s in _live if t.is_alive() or not t.ident]  # drop the finished ones
        _live.append((thread, stop or (lambda: None)))
    return thread


@atexit.register
def end_workers(timeout: float = EXIT_WAIT_S) -> None:
    with _lock:
        live = [(t, s) for t, s in _live if t.is_alive()]
    for _, stop in live:
        stop()
    deadline = time.monotonic() + timeout
    for thread, _ in live:
        thread.join(max(0.0, deadline - time.monotonic()))
