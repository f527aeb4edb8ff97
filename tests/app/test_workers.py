"""The app's background threads end before the interpreter does: a daemon thread torn down inside native code
aborted the whole process at exit (code 134) after the app's tests."""

from __future__ import annotations

import subprocess
import sys
import threading
import time

from syngen.app.workers import end_workers, worker


def test_exit_stops_a_worker_and_waits_for_it():
    stop = threading.Event()
    finished = []

    def run() -> None:
        while not stop.wait(0.05):
            pass
        time.sleep(0.2)  # winding down after the stop
        finished.append(True)

    thread = worker(run, "test-run", stop=stop.set)
    thread.start()
    end_workers(timeout=10)
    assert stop.is_set() and finished == [True] and not thread.is_alive()


def test_a_worker_that_cannot_be_stopped_is_waited_for_only_so_long():
    release = threading.Event()
    thread = worker(lambda: release.wait(30), "test-stuck")
    thread.start()
    started = time.monotonic()
    end_workers(timeout=0.3)
    assert thread.is_alive() and time.monotonic() - started < 5
    release.set()
    thread.join(5)


def test_the_process_exits_after_its_workers_end_their_work():
    """Without the wait at exit, the interpreter tears a daemon thread down wherever it is: "done" never prints."""
    script = ("import time\nfrom syngen.app.workers import worker\n"
              "worker(lambda: (time.sleep(0.5), print('done', flush=True)), 'test-report').start()\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stdout.strip() == "done", done.stderr
