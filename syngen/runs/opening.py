"""`open_run()`: everything a run needs before its first row, in one place and one order. The outputs are
claimed (checked, and held against a second run), the session prepared, the sink opened (a run
directory resumes here) and the executor chosen; the caller can then say how many rows were kept before
the run makes any."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from syngen.backends.base import Backend
from syngen.data.loader import Table
from syngen.events import EventBus
from syngen.generation.config import GenerationConfig
from syngen.generation.engine import Run, RunResult
from syngen.generation.session import Session, prepare_session
from syngen.profiling.model import DatasetProfile
from syngen.runs.audit import AuditLog, open_audit
from syngen.runs.executors import Executor, open_executor
from syngen.runs.sinks import Sink, claim_outputs, open_sink


@dataclass
class PreparedRun:
    session: Session
    sink: Sink
    executor: Executor
    bus: EventBus
    audit: AuditLog
    executed: bool = False

    @property
    def rows_kept(self) -> int:
        """Rows a previous session of this run already made (a resumed run), before this one makes any."""
        return len(self.sink.rows)

    def execute(self, cancel: threading.Event | None = None) -> RunResult:
        """Make the missing rows and write the output; raises GenerationIncomplete when they cannot be made."""
        self.executed = True
        return Run(self.session, self.bus, cancel, self.sink, self.executor, self.audit).execute()

    def close(self) -> None:
        """Release the run directory and the executor of a run that was opened but never executed."""
        if not self.executed:
            self.sink.close()
            self.audit.close()
            self.executor.close()


@contextmanager
def open_run(config: GenerationConfig, *, bus: EventBus | None = None, session: Session | None = None,
             backend: Backend | None = None, table: Table | None = None,
             profile: DatasetProfile | None = None) -> Iterator[PreparedRun]:
    """Open the run `config` describes. `session`, or `backend`/`table`/`profile`, may be given pre-made (the
    app reuses a loaded model, an uploaded table and a corrected profile); a backend built here reports
    its retries on `bus`. The outputs stay claimed until the block ends."""
    bus = bus or EventBus()
    with claim_outputs(config):  # checked before any work, and held so a second run on the output refuses
        session = session or prepare_session(config, backend=backend, table=table, profile=profile, bus=bus)
        session.maker.record_attempts = session.maker.record_attempts or config.audit  # a session made elsewhere
        sink = open_sink(session)
        try:
            audit = open_audit(config)  # RUN/audit/, opened once the run directory is ours
            executor = open_executor(session)  # Ray is imported only when asked for
        except BaseException:
            sink.close()  # release the run directory's lock and checkpoint it
            raise
        run = PreparedRun(session, sink, executor, bus, audit)
        try:
            yield run
        finally:
            run.close()
