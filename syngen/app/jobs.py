"""A generation run in a background thread, with progress the page polls.

The engine reports through events; this module turns them into a Progress record guarded by a lock, so
the page script (another thread) can read a consistent snapshot on every rerun. Nothing here touches the
UI library: a background thread must never call it.
"""

from __future__ import annotations

import copy
import json
import logging
import threading
import time
import traceback
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from syngen import events
from syngen.app.state import RunPhase
from syngen.app.workers import worker
from syngen.backends.base import Backend
from syngen.data.loader import Table
from syngen.errors import GenerationIncomplete, SynGenError
from syngen.events import Event, EventBus
from syngen.generation.config import GenerationConfig
from syngen.generation.engine import RunResult
from syngen.output.paths import sidecar_path
from syngen.profiling import Catalogue, DatasetProfile
from syngen.runs import open_run
from syngen.runs.audit import AuditTrail

log = logging.getLogger(__name__)

ABANDONED_AFTER = 60.0  # seconds without the page that started a run before the run is cancelled
WATCH_EVERY = 5.0


@dataclass
class Progress:
    asked: int
    phase: RunPhase = RunPhase.PREPARING
    accepted: int = 0
    rejected: Counter = field(default_factory=Counter)
    seconds: float = 0.0

    @property
    def rows_per_minute(self) -> float:
        return self.accepted / self.seconds * 60 if self.seconds > 0 else 0.0

    @property
    def done(self) -> bool:
        return self.phase.ended


@dataclass
class RunInputs:
    """What a run needs besides its configuration: the data and profile as the page holds them."""

    config: GenerationConfig
    table: Table
    profile: DatasetProfile
    backend: Backend
    owns_backend: bool  # close it after the run (a backend holding a typed key is never kept)
    catalogue: Catalogue | None = None  # for the quality report (the run reads its own from config.products)


class GenerationJob:
    """Run the engine once in a worker thread; `snapshot()` and the result fields are safe to read."""

    def __init__(self, inputs: RunInputs, wanted: Callable[[], bool] | None = None) -> None:
        """`wanted` says whether the page that started the run is still open; a run nobody can see any
        more (tab closed) is cancelled after ABANDONED_AFTER seconds, instead of using the CPU for hours."""
        self.inputs = inputs
        self.wanted = wanted
        self.abandoned = False
        self.cancel = threading.Event()
        self.result: RunResult | None = None
        self.rows: pd.DataFrame | None = None  # what was delivered, also after a cancel or a failure
        self.error: str | None = None
        self.output_path: Path | None = None
        self.sidecar: dict | None = None  # the run's record, as written beside its output
        self.audit: AuditTrail | None = None  # each row's prompts and answers, when the run kept them
        self._progress = Progress(inputs.config.num_samples)
        self._lock = threading.Lock()
        self._started = time.monotonic()
        self._thread = worker(self._work, "syngen-generation", stop=self.cancel.set)

    def start(self) -> GenerationJob:
        self._thread.start()
        if self.wanted is not None:
            # A plain daemon thread: it only sleeps and reads, with no native code for the exit to wait on.
            threading.Thread(target=self._watch, name="syngen-generation-watch", daemon=True).start()
        return self

    def _watch(self) -> None:
        unseen_since: float | None = None
        while self._thread.is_alive() and not self.cancel.wait(WATCH_EVERY):
            if self.wanted():
                unseen_since = None
                continue
            unseen_since = unseen_since or time.monotonic()
            if time.monotonic() - unseen_since >= ABANDONED_AFTER:
                self.abandoned = True
                log.info("cancelling a run whose page was closed %.0f s ago", time.monotonic() - unseen_since)
                self.cancel.set()

    def join(self, timeout: float | None = None) -> None:
        self._thread.join(timeout)

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    def snapshot(self) -> Progress:
        """A copy of the progress; while running, its clock is now (not the last event's time)."""
        with self._lock:
            progress = replace(self._progress, rejected=Counter(self._progress.rejected))
        if not progress.done:
            progress.seconds = time.monotonic() - self._started
        return progress

    def _update(self, **changes) -> None:
        with self._lock:
            for name, value in changes.items():
                setattr(self._progress, name, value)

    def _on_event(self, event: Event) -> None:
        with self._lock:
            progress = self._progress
            progress.seconds = time.monotonic() - self._started
            if event.name == events.RUN_STARTED:
                progress.phase = RunPhase.GENERATING
            elif event.name == events.ROW_ACCEPTED:
                progress.accepted = int(event.data.get("accepted", progress.accepted + 1))
            elif event.name == events.ROW_REJECTED:
                progress.rejected[str(event.data.get("reason", "unknown"))] += 1

    def _work(self) -> None:
        inputs = self.inputs
        bus = EventBus()
        bus.subscribe(self._on_event)
        try:
            # The profile is copied because prepare_session writes the topic into it.
            with open_run(inputs.config, bus=bus, backend=inputs.backend, table=inputs.table,
                          profile=copy.deepcopy(inputs.profile)) as run:
                try:
                    self.result = run.execute(self.cancel)
                finally:  # a failed run's rows that passed are shown too, with their answers
                    self.audit = run.audit.trail()
            self.rows, self.output_path = self.result.rows, self.result.output_path
            self.sidecar = self.result.sidecar
            self._update(phase=RunPhase.CANCELLED if self.result.cancelled else RunPhase.FINISHED)
        except GenerationIncomplete as exc:
            self._fail(exc.one_line(), exc.partial_path)
        except SynGenError as exc:
            self._fail(exc.one_line())
        except Exception as exc:  # a thread's traceback reaches no one: the page must say what happened
            options = self.inputs.config.backend_options
            log.error("generation failed:\n%s", redact(traceback.format_exc(), options))
            self._fail(f"generation stopped on an unexpected error: {type(exc).__name__}: {exc}")
        finally:
            self._update(seconds=time.monotonic() - self._started)
            if inputs.owns_backend:
                inputs.backend.close()

    def _fail(self, message: str, partial: Path | None = None) -> None:
        self.error = redact(message, self.inputs.config.backend_options)
        if partial is not None and Path(partial).exists():
            self.rows = pd.read_csv(partial, dtype=str, keep_default_na=False)
            self.output_path = Path(partial)
            record = sidecar_path(self.output_path)
            self.sidecar = json.loads(record.read_text(encoding="utf-8")) if record.exists() else None
        self._update(phase=RunPhase.FAILED)


def redact(text: str, options: dict) -> str:
    """Hide any secret option's value should a backend's error message repeat it."""
    for name, value in options.items():
        if "key" in name.lower() and isinstance(value, str) and len(value) >= 4:
            text = text.replace(value, "***")
    return text
