"""The audit trail: every row's prompts and raw answers, with the verdict on each (distilabel keeps these
beside each row). A run with `audit` on keeps one JSON line per plan position it judged, accepted or given
up, in `RUN/audit/part-NNNNN.jsonl`, appended and fsync'd a chunk at a time after the chunk's rows are in
the shards: a resumed run appends to the trail of the sessions before it, and a killed one loses at most
the chunk in flight. Without a run directory (the Python API, the app) the trail is kept in memory.

Line: {"id", "position", "accepted", "reason", "row", "attempts": [{attempt, messages, answer, reason, detail,
kept}]}; `reason` says why a given-up position was given up.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, Protocol

from syngen.errors import DataError
from syngen.generation.rows import Attempt, RowOutcome
from syngen.runs.rundir import expand_ranges, fsync_dir, position_ranges, row_id, write_json_atomic

AUDIT_DIR = "audit"
WRITTEN_FILE = "written.json"  # the plan positions of the output's rows, as ranges, rewritten by each session


@dataclass
class AuditRecord:
    """How one plan position was made: each answer the model gave, its verdict, and the row kept (if any)."""

    position: int
    accepted: bool
    row: dict[str, str] | None = None
    reason: str = ""  # why the position was given up ("" when accepted)
    attempts: list[Attempt] = field(default_factory=list)
    id: str = ""

    @classmethod
    def of(cls, outcome: RowOutcome, row: dict[str, str] | None, seed: int, reason: str = "") -> AuditRecord:
        """`row` is the row as accepted (None: the position was given up, for `reason`)."""
        if row is None and not reason:
            reason = outcome.reasons[-1] if outcome.reasons else "unknown"
        return cls(outcome.position, row is not None, row, "" if row is not None else reason,
                   list(outcome.attempts), row_id(seed, outcome.position))

    @classmethod
    def from_json(cls, record: dict[str, Any]) -> AuditRecord:
        attempts = [Attempt(**attempt) for attempt in record.get("attempts", [])]
        return cls(int(record["position"]), bool(record["accepted"]), record.get("row"), record.get("reason", ""),
                   attempts, record.get("id", ""))

    def verdict(self) -> str:
        """'kept after 2 answers' or 'given up (label_mismatch:rating) after 3 answers'."""
        answers = f"{len(self.attempts)} answer{'s' if len(self.attempts) != 1 else ''}"
        return f"kept after {answers}" if self.accepted else f"given up ({self.reason}) after {answers}"

    def __str__(self) -> str:
        from syngen.runs.audit_view import record_text

        return record_text(self)


def answer_verdict(attempt: Attempt) -> str:
    """kept; passed but not kept (a better candidate was); or rejected: REASON (DETAIL). A passing answer's detail
    says what was cut from it (its last sentences, for a fragment)."""
    cut = f", {attempt.detail}" if attempt.detail and not attempt.reason else ""
    if attempt.kept:
        return f"kept{cut}"
    if not attempt.reason:
        return f"passed every check{cut}, but another candidate fitted the row better"
    detail = f": {attempt.detail}" if attempt.detail and attempt.detail != attempt.reason else ""
    return f"rejected as {attempt.reason}{detail}"


@dataclass
class AuditTrail:
    """The records of a run, by plan position; `row(i)` is the record of the i-th row of the run's output."""

    records: dict[int, AuditRecord] = field(default_factory=dict)
    path: Path | None = None  # the folder the trail was read from (None: kept in memory)
    written: list[int] | None = None  # the output rows' positions (label quotas may skip accepted rows)

    def add(self, record: AuditRecord) -> None:
        self.records[record.position] = record  # a position judged again (resume) keeps its latest verdict

    def position(self, position: int | str) -> AuditRecord:
        """The record of a plan position, given as a number or as its row id (s{seed}p{position})."""
        number = _position_of(position)
        if number not in self.records:
            where = f"in {self.path}" if self.path else "in this run's audit"
            raise DataError(f"there is no audit record of position {position} {where}",
                            "Was the audit on when that row was made? Its rows were made with --audit only "
                            "from the session that turned it on")
        return self.records[number]

    def row(self, index: int) -> AuditRecord:
        """The record of the output's `index`-th row (rows are written in plan order; without the run's record of
        which, its accepted rows)."""
        accepted = self.written if self.written is not None else sorted(
            p for p, record in self.records.items() if record.accepted)
        if not 0 <= index < len(accepted):
            raise DataError(f"the audit has no row {index} (it holds {len(accepted)} accepted rows)",
                            "Give the row's number in the output, from 0")
        return self.records[accepted[index]]

    def __len__(self) -> int:
        return len(self.records)

    def __iter__(self) -> Iterator[AuditRecord]:
        return iter(self.records[p] for p in sorted(self.records))

    def __repr__(self) -> str:
        kept = sum(record.accepted for record in self.records.values())
        where = f" in {self.path}" if self.path else ""
        return f"AuditTrail({len(self)} positions, {kept} rows kept{where})"


def _position_of(position: int | str) -> int:
    if isinstance(position, int):
        return position
    text = str(position)
    try:
        return int(text.rsplit("p", 1)[-1])
    except ValueError:
        raise DataError(f"{position!r} is not a row id or a plan position",
                        "Give a position (e.g. 3) or a row id (e.g. s0p3)") from None


class AuditLog(Protocol):
    """Where a run's audit records go, a chunk at a time (after the chunk's rows are stored)."""

    def add_chunk(self, records: list[AuditRecord]) -> None: ...

    def describe(self) -> dict[str, Any]: ...

    def close(self) -> None: ...

    def record_written(self, positions: list[int]) -> None:
        """The plan positions of the rows the output holds, in order (after the output is written)."""
        ...

    def trail(self) -> AuditTrail | None:
        """What was kept (None when the audit is off)."""
        ...


class NoAudit:
    """The audit is off: nothing is kept."""

    def add_chunk(self, records: list[AuditRecord]) -> None:
        """Nothing to keep."""

    def describe(self) -> dict[str, Any]:
        return {}

    def close(self) -> None:
        """Nothing to close."""

    def record_written(self, positions: list[int]) -> None:
        """Nothing to keep."""

    def trail(self) -> AuditTrail | None:
        return None


class MemoryAudit:
    """The trail kept in memory, for a run without a run directory (the Python API, the app)."""

    def __init__(self) -> None:
        self.trail_kept = AuditTrail()

    def add_chunk(self, records: list[AuditRecord]) -> None:
        for record in records:
            self.trail_kept.add(record)

    def describe(self) -> dict[str, Any]:
        return {"audit": {"on": True, "kept_in": "memory"}}

    def close(self) -> None:
        """Nothing to flush."""

    def record_written(self, positions: list[int]) -> None:
        self.trail_kept.written = list(positions)

    def trail(self) -> AuditTrail | None:
        return self.trail_kept


class FileAudit:
    """The trail in RUN/audit/: each process writes new files (never appends to another's), one write and
    one fsync per chunk, like the shards, so a torn line can only be the last one of its file."""

    def __init__(self, run_dir: Path, max_lines: int = 10_000) -> None:
        self.folder = Path(run_dir) / AUDIT_DIR
        self.folder.mkdir(parents=True, exist_ok=True)
        self.max_lines = max_lines
        self._file: BinaryIO | None = None
        self._lines = 0
        self.path = self._next_path()
        self.written = 0

    def add_chunk(self, records: list[AuditRecord]) -> None:
        if not records:
            return
        if self._file is None or self._lines >= self.max_lines:
            self._rotate()
        data = "".join(json.dumps(asdict(record), ensure_ascii=False) + "\n" for record in records)
        self._file.write(data.encode("utf-8"))
        self._file.flush()
        os.fsync(self._file.fileno())  # a SIGKILL keeps written data; a power cut keeps only fsync'd data
        self._lines += len(records)
        self.written += len(records)

    def describe(self) -> dict[str, Any]:
        return {"audit": {"on": True, "kept_in": str(self.folder), "records_written": self.written}}

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None

    def record_written(self, positions: list[int]) -> None:
        write_json_atomic(self.folder / WRITTEN_FILE, {"positions": position_ranges(positions)})

    def trail(self) -> AuditTrail | None:
        """The run's whole trail, its earlier sessions' records included."""
        return read_audit(self.folder.parent)

    def _rotate(self) -> None:
        if self._file is not None:
            self._file.close()
            self.path = self._next_path()
        self._file = open(self.path, "xb")  # noqa: SIM115 - held across chunks; "x": never another's file
        fsync_dir(self.folder)
        self._lines = 0

    def _next_path(self) -> Path:
        existing = sorted(self.folder.glob("part-*.jsonl"))
        number = int(existing[-1].stem.split("-")[1]) + 1 if existing else 0
        return self.folder / f"part-{number:05d}.jsonl"


def open_audit(config) -> AuditLog:
    """The audit a configuration asks for: off, in its run directory, or in memory without one."""
    if not config.audit:
        return NoAudit()
    return FileAudit(Path(config.run_dir)) if config.run_dir else MemoryAudit()


def read_audit(run_dir: str | Path) -> AuditTrail:
    """The audit trail of the run in `run_dir` (a torn last line, from a killed process, is ignored)."""
    folder = Path(run_dir) / AUDIT_DIR
    if not folder.is_dir():
        raise DataError(f"the run in {run_dir} kept no audit", "Run it with --audit to keep prompts and answers")
    trail = AuditTrail(path=folder)
    for path in sorted(folder.glob("part-*.jsonl")):
        for record in _records(path):
            trail.add(record)
    written = folder / WRITTEN_FILE
    if written.is_file():
        trail.written = sorted(expand_ranges(json.loads(written.read_text(encoding="utf-8"))["positions"]))
    return trail


def read_audit_record(run_dir: str | Path, position: int | str) -> AuditRecord:
    """One position's record (by number or row id) from the run in `run_dir`."""
    return read_audit(run_dir).position(position)


def _records(path: Path) -> Iterable[AuditRecord]:
    lines = path.read_bytes().split(b"\n")
    for number, line in enumerate(lines[:-1], start=1):  # the part after the last newline is torn or empty
        try:
            yield AuditRecord.from_json(json.loads(line))
        except (ValueError, KeyError, TypeError) as exc:
            raise DataError(f"{path} line {number} is damaged ({exc})",
                            "Delete the damaged file or line; the run's rows do not depend on it") from None
