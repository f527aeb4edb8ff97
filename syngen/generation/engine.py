"""The generation engine: plan positions, make rows (concurrently when the backend allows), accept them
in plan order, top up rejected ones, and write exactly N rows with a sidecar.

Rows are accepted in plan-position order whatever the concurrency, so the same seed, model and data
always give the same rows.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from syngen import __version__, events
from syngen.errors import BackendError, GenerationIncomplete
from syngen.events import EventBus
from syngen.generation.config import GenerationConfig
from syngen.generation.config_file import write_run_file
from syngen.generation.dedupe import DuplicateIndex
from syngen.generation.quotas import LabelQuota, QuotaSelection
from syngen.generation.reasons import RejectReason
from syngen.generation.rows import RowOutcome
from syngen.generation.session import Session
from syngen.output import count_formula_like, partial_path, sidecar_path, write_sidecar, write_table
from syngen.output.paths import remove_stale_partial
from syngen.output.writer import writable_encoding
from syngen.profiling.model import ColumnKind, DatasetProfile, IdentifierStats
from syngen.redact import redact
from syngen.runs.audit import AuditLog, AuditRecord, NoAudit
from syngen.runs.executors import Executor
from syngen.runs.sinks import Sink, align_up

EARLY_STOP_AFTER = 20  # positions tried before the failure rate may stop a run
EARLY_STOP_RATE = 0.9  # a run making one row in six (news in AG News's shape) goes on; one making none stops
# The switch of a check learned from the real texts, named when it rejected most answers: on a table unlike the
# ones it was measured on (templated tickets, news read as the model's own news writing) it may judge wrongly.
_FIXES = {
    RejectReason.STOCK_TEXT.value: "If the texts rejected as the model's stock writing (see --preview) read like real "
                                   "ones, pass --no-stock-check, and --topic to say what the texts are about. ",
    RejectReason.OFF_TOPIC.value: "If the texts rejected as off the topic (see --preview) read like real ones, pass "
                                  "--no-topic-check. ",
}


@dataclass
class RunStats:
    started: float = field(default_factory=time.monotonic)
    positions: int = 0
    calls_rejected: Counter = field(default_factory=Counter)
    positions_failed: int = 0
    tokens_in: int = 0
    tokens_out: int = 0
    accepted_tokens: int = 0

    def record(self, outcome: RowOutcome) -> None:
        self.positions += 1
        self.calls_rejected.update(outcome.reasons)
        self.tokens_in += outcome.tokens_in
        self.tokens_out += outcome.tokens_out

    @property
    def seconds(self) -> float:
        return time.monotonic() - self.started


@dataclass
class RunResult:
    rows: pd.DataFrame
    output_path: Path
    sidecar_path: Path
    sidecar: dict[str, Any]
    complete: bool = True
    cancelled: bool = False


class Run:
    """One execution of a configuration; `execute()` returns the result or raises GenerationIncomplete.

    Rows are made a chunk at a time: the row at plan position p depends only on its chunk
    [p - p % S, p - p % S + S), S fixed for the run (`sink.chunk_size`), so a resumed run, a grown run and
    a run on Ray give the rows of an uninterrupted one. Cancellation and early stop act between chunks."""

    def __init__(self, session: Session, bus: EventBus | None, cancel: threading.Event | None, sink: Sink,
                 executor: Executor, audit: AuditLog | None = None) -> None:
        self.session = session
        self.config = session.config
        self.bus = bus or EventBus()
        self.cancel = cancel or threading.Event()
        self.sink = sink
        self.executor = executor
        self.audit = audit or NoAudit()
        self.given_up: dict[int, str] = {}  # position -> why, for the audit of the chunk being taken
        self.chunk = sink.chunk_size
        self.stats = RunStats()
        self.generated = DuplicateIndex(near=session.picker.main_text not in session.maker.templated)
        self.ids: dict[str, set[str]] = {c.name: set() for c in session.profile.of_kind(ColumnKind.IDENTIFIER)}
        self.selection = QuotaSelection(_quota(session), self.config.num_samples)
        self._restore()
        self.sink.keep_stats(self.stats)  # a durable sink adds up the figures of every session of a run

    def _restore(self) -> None:
        """Take a resumed or grown run's rows chunk by chunk, as an uninterrupted run of this size would have, up to
        the chunk where it would have stopped (a grown run's quotas may be settled before the smaller run's were)."""
        chunk = -1
        for position in sorted(self.sink.rows):
            if position // self.chunk != chunk and self.selection.settled:
                break
            chunk = position // self.chunk
            self._remember(self.sink.rows[position])
            self.selection.add(position, self.sink.rows[position])

    def execute(self) -> RunResult:
        asked = self.config.num_samples
        self.bus.emit(events.RUN_STARTED, rows_asked=asked, backend=self.config.model,
                      model=self.session.backend.describe().get("model"))
        try:
            self._fill()
        except BackendError as exc:
            self._raise_incomplete(f"{exc.message}", exc.hint)
        finally:
            self.sink.close()
            self.audit.close()
            self.executor.close()
        if self.cancel.is_set():
            self.bus.emit(events.RUN_CANCELLED, delivered=min(len(self.sink.rows), asked))
            return self._finish(complete=False, cancelled=True)
        if self.selection.available < asked:
            top = self.stats.calls_rejected.most_common(1)
            cause = f"most answers were rejected as {top[0][0]}" if top else "the attempt budget ran out"
            fix = _FIXES.get(top[0][0], "") if top else ""
            self._raise_incomplete(f"the model could not produce {asked} valid rows ({cause})",
                                   f"{fix}Try another --seed, a larger model (--model-path), or fewer --num-samples")
        short = self.selection.shortfall()
        if short:
            quota = self.selection.quota
            self.bus.emit(events.LABELS_SHORT, column=quota.column, texts=list(quota.texts), short=short)
        for number, position in enumerate(self.selection.filled(), start=len(self.selection.chosen) + 1):
            # Progress counts these now: they waited past their label's quota and fill the places left.
            self.bus.emit(events.ROW_ACCEPTED, index=position, accepted=number, asked=asked, tokens_in=0,
                          tokens_out=0, seconds=self.stats.seconds)
        return self._finish(complete=True)

    def _fill(self) -> None:
        asked = self.config.num_samples
        budget = align_up(self.config.attempt_budget(), self.chunk)
        while not self.selection.settled and not self.cancel.is_set():
            start = self.sink.next_position
            stop = min(budget, start + align_up(asked - len(self.selection.chosen), self.chunk))
            if stop <= start or self._failing() or self._chased():
                return
            for outcomes in self.executor.chunks(range(start, stop), self.chunk):
                self._take_chunk(outcomes)
                if self.cancel.is_set() or self._failing() or self._chased():
                    return
                if self.selection.settled:  # after every chunk, as _restore replays it
                    break

    def _take_chunk(self, outcomes: list[RowOutcome]) -> None:
        """Judge a chunk's outcomes in plan order, store its accepted rows together, then report them."""
        accepted = [(outcome, row) for outcome in outcomes if (row := self._judge(outcome)) is not None]
        self.sink.add_chunk([(outcome.position, row) for outcome, row in accepted], outcomes[-1].position + 1)
        # After the rows are stored: a resumed run starts past this chunk, so its audit lines are not repeated.
        seed, kept = self.config.seed, {outcome.position: row for outcome, row in accepted}
        self.audit.add_chunk([AuditRecord.of(o, kept.get(o.position), seed, self.given_up.pop(o.position, ""))
                              for o in outcomes])
        for outcome, row in accepted:
            # A row past its label's quota or past N is kept (for the fill at the end, or a later grow), not reported.
            if self.selection.add(outcome.position, row):
                self.bus.emit(events.ROW_ACCEPTED, index=outcome.position, accepted=len(self.selection.chosen),
                              asked=self.config.num_samples, tokens_in=outcome.tokens_in,
                              tokens_out=outcome.tokens_out, seconds=self.stats.seconds)

    def _judge(self, outcome: RowOutcome) -> dict[str, str] | None:
        self.stats.record(outcome)
        problem = self._duplicate_of_accepted(outcome.row) if outcome.row else None
        if outcome.row is None or problem:
            if problem:
                self.stats.calls_rejected[problem] += 1
            self.stats.positions_failed += 1
            reason = problem or (outcome.reasons[-1] if outcome.reasons else RejectReason.UNKNOWN)
            self.given_up[outcome.position] = str(reason)
            self.bus.emit(events.ROW_REJECTED, index=outcome.position, reason=reason, detail=outcome.last_output[:200])
            return None
        self.stats.accepted_tokens += outcome.accepted_tokens
        self._remember(outcome.row)
        return self.session.derived.apply(outcome.row)  # derived columns are kept and written with the row

    def _duplicate_of_accepted(self, row: dict[str, str]) -> RejectReason | None:
        if any(row.get(name) in seen for name, seen in self.ids.items()):
            return RejectReason.DUPLICATE_ID
        copy = self.generated.check(row[self.session.picker.main_text])
        return copy.duplicate() if copy else None

    def _remember(self, row: dict[str, str]) -> None:
        for name, seen in self.ids.items():
            seen.add(row.get(name, ""))
        self.generated.add(row.get(self.session.picker.main_text, ""))

    def _chased(self) -> bool:
        """N rows are made, and the label quotas were chased as far as they are worth (after each chunk, as
        `_restore` replays it)."""
        return (self.selection.available >= self.config.num_samples
                and self.sink.next_position >= self.config.quota_budget())

    def _failing(self) -> bool:
        """Most positions failed, in this session and in the whole run (a resumed one's earlier sessions included):
        a resumed run stops no earlier than the uninterrupted one would, and one resumed with a better model is
        judged by what it makes now."""
        whole = self.sink.next_position  # every position before it was judged, in this session or an earlier one
        return (_hopeless(self.stats.positions, self.stats.positions_failed)
                and _hopeless(whole, whole - len(self.sink.rows)))

    def frame(self) -> pd.DataFrame:
        ordered = [self.sink.rows[p] for p in self.selection.delivered()]
        frame = pd.DataFrame(ordered, columns=self.session.derived.columns(self.session.profile.names))
        return _counted_on(frame, self.session.profile)

    def _finish(self, complete: bool, cancelled: bool = False) -> RunResult:
        output = self.config.output_path()
        path = output if complete else partial_path(output)
        frame = self.session.table.written(self.frame())  # missing cells as the real table writes them ("NA")
        encoding = writable_encoding(frame, self.session.table.encoding)
        sidecar = redact({**build_sidecar(self, path, complete, cancelled), **self._placement(),
                          "formula_like_cells": count_formula_like(frame), "output_encoding": encoding})
        replace = self.config.force or not complete  # partial files are this run's own leftovers
        write_table(frame, path, self.config.format, self.config.spreadsheet_safe, replace=replace,
                    delimiter=self.session.table.delimiter, header=self.session.table.header_row(list(frame.columns)),
                    encoding=encoding, line_end=self.session.table.line_end)
        write_sidecar(sidecar_path(path), sidecar, replace=replace)
        write_run_file(self.config, path)  # OUT.config.yaml: `syngen generate --config` reruns it
        self.audit.record_written(self.selection.delivered())
        if complete:
            remove_stale_partial(output)
        self.bus.emit(events.RUN_FINISHED, delivered=len(frame), asked=self.config.num_samples,
                      seconds=self.stats.seconds, output=str(path))
        return RunResult(frame, path, sidecar_path(path), sidecar, complete, cancelled)

    def _placement(self) -> dict[str, Any]:
        """Where the rows were made and kept: the run directory (resume) and the executor, for the sidecar."""
        return {**self.sink.describe(), **self.audit.describe(), "executor": self.executor.describe(),
                "chunk_size": self.chunk}

    def _raise_incomplete(self, message: str, hint: str | None) -> None:
        result = self._finish(complete=False)
        delivered = len(result.rows)
        raise GenerationIncomplete(
            f"{message}; {delivered} of {self.config.num_samples} rows passed and were saved in {result.output_path}",
            hint, delivered=delivered, partial_path=result.output_path,
        )


def _quota(session: Session) -> LabelQuota | None:
    texts = [column.name for column in session.profile.text_columns]
    return LabelQuota.of_plan(session.quota_labeler, texts, session.maker.planner, session.config.num_samples,
                              exact=session.quota_exact)


def _hopeless(tried: int, failed: int) -> bool:
    return tried >= EARLY_STOP_AFTER and failed / tried > EARLY_STOP_RATE


def build_sidecar(run: Run, path: Path, complete: bool, cancelled: bool) -> dict[str, Any]:
    stats, session = run.stats, run.session
    delivered = min(len(run.sink.rows), run.config.num_samples)
    minutes = max(stats.seconds, 1e-9) / 60
    return {
        "syngen_version": __version__,
        "output": str(path),
        "complete": complete,
        "cancelled": cancelled,
        "config": run.config.public_dict(),
        "model": session.backend.describe(),
        "seed": run.config.seed,
        "temperature": session.maker.temperature,  # the asked one, scaled by the diversity knob
        "topic": session.profile.topic,
        "rows_asked": run.config.num_samples,
        "rows_delivered": delivered,
        "plan_positions_tried": stats.positions,
        "rows_accepted": len(run.sink.rows),  # more than delivered: rows past their label's quota, kept for a grow
        "rejections": dict(stats.calls_rejected),
        "tokens_in": stats.tokens_in,
        "tokens_out": stats.tokens_out,
        "tokens_in_accepted_rows": stats.accepted_tokens,
        "token_efficiency": round(stats.accepted_tokens / stats.tokens_out, 4) if stats.tokens_out else None,
        "estimated_cost": session.backend.estimate_cost(stats.tokens_in, stats.tokens_out),
        "wall_seconds": round(stats.seconds, 2),
        "rows_per_minute": round(delivered / minutes, 2),
        "few_shot_rows": sorted(session.picker.shown),
        "data_notes": list(session.profile.notes),
        **session.profile.checks_record(),
        "columns": {c.name: c.kind.value for c in session.profile.columns},
        "derived_columns": dict(session.derived.written),  # column -> template (--derive, or found in the data)
        "conditions": session.maker.planner.conditions.record(run.frame()),  # asked, and delivered
        "label_quota": _quota_record(run.selection),
    }


def _quota_record(selection: QuotaSelection) -> dict[str, Any] | None:
    if selection.quota is None:
        return None
    # "written" as delivered: within tolerance (one row on a small run) it may differ from "asked" with none short.
    return {"column": selection.quota.column, "texts": list(selection.quota.texts), "asked": dict(selection.quota.owed),
            "written": dict(selection.written()), "short": selection.shortfall()}


def run_generation(config: GenerationConfig, bus: EventBus | None = None, cancel: threading.Event | None = None,
                   session: Session | None = None) -> RunResult:
    """Generate `config.num_samples` rows and write them with a sidecar. Raises SynGenError subclasses.
    With `config.run_dir` the rows go to a durable run directory and an earlier run there is resumed;
    with `config.executor == "ray"` the rows are made on a Ray cluster."""
    from syngen.runs.opening import open_run  # the run's seams import this module

    with open_run(config, bus=bus, session=session) as run:
        return run.execute(cancel)


def _counted_on(frame: pd.DataFrame, profile: DatasetProfile) -> pd.DataFrame:
    """Row numbers counted on without gaps in the order written (181, 182, ... after a real 1..180): a row
    makes its number from its plan position, and a position given up or held back for a label quota would
    leave a hole a user reads as a lost row. Numbers with uneven real gaps (a sample of a larger table) stay."""
    for column in profile.columns:
        counter = column.stats.counter if isinstance(column.stats, IdentifierStats) else None
        if counter is not None and counter.even and column.name in frame.columns:
            frame[column.name] = [counter.value(i) for i in range(len(frame))]
    return frame
