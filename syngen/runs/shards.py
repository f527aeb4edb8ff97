"""Append-only shards of accepted rows: one JSON object per line, `{"id", "position", "row"}`, plus
`"shown"`: the real rows shown to the model as examples since the previous line (the privacy record).

A line counts only once its newline is on disk: a process killed mid-write (or a power cut) can leave a
torn last line, which reading ignores. Each process writes new shard files and never appends to old
ones, so a torn line is always the last line of its file and is never followed by good data.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from syngen.errors import DataError
from syngen.runs.rundir import fsync_dir, row_id


@dataclass
class ShardContents:
    rows: dict[int, dict[str, str]] = field(default_factory=dict)
    torn_lines: int = 0  # torn last lines ignored (their rows are made again)
    shown: set[int] = field(default_factory=set)  # real rows shown as examples to make these rows


def read_shards(paths: list[Path], seed: int) -> ShardContents:
    contents = ShardContents()
    for path in paths:
        data = path.read_bytes()
        lines = data.split(b"\n")
        if lines[-1]:
            contents.torn_lines += 1
        for number, line in enumerate(lines[:-1], start=1):
            position, row, shown = _parse_line(line, path, number, seed)
            contents.shown.update(shown)
            if contents.rows.setdefault(position, row) != row:
                raise DataError(f"{path} line {number} holds a second, different row for position {position}",
                                "The run directory was changed by hand; pass --new-run to start over")
    return contents


def _parse_line(line: bytes, path: Path, number: int, seed: int) -> tuple[int, dict[str, str], list[int]]:
    """A complete line that does not parse was damaged after it was written (not torn by a crash)."""
    try:
        record = json.loads(line)
        position, row, shown = int(record["position"]), record["row"], record.get("shown", [])
        ok = record["id"] == row_id(seed, position) and isinstance(row, dict) and isinstance(shown, list)
    except (ValueError, KeyError, TypeError):
        ok = False
    if not ok:
        raise DataError(f"{path} line {number} is damaged", "Pass --new-run to start this run again")
    return position, row, shown


class ShardWriter:
    """Writes accepted rows to shards of about `max_rows` lines (a chunk is never split), on disk before the
    call returns."""

    def __init__(self, first_path: Path, seed: int, max_rows: int) -> None:
        self.seed = seed
        self.max_rows = max_rows
        self.path = first_path
        self._handle: int | None = None
        self._rows_in_file = 0
        self.files_written: list[Path] = []

    def append_chunk(self, rows: list[tuple[int, dict[str, str]]], shown: list[int] | None = None) -> None:
        """A chunk's rows in one write and one fsync: a killed process keeps all of a chunk or none of it."""
        if not rows:
            return
        if self._handle is None or self._rows_in_file >= self.max_rows:
            self._rotate()
        lines = []
        for position, row in rows:
            record = {"id": row_id(self.seed, position), "position": position, "row": row}
            if shown and not lines:
                record["shown"] = shown
            lines.append(json.dumps(record, ensure_ascii=False) + "\n")
        _write_all(self._handle, "".join(lines).encode("utf-8"))
        os.fsync(self._handle)  # a SIGKILL keeps written data; a power cut keeps only fsync'd data
        self._rows_in_file += len(rows)

    def append(self, position: int, row: dict[str, str], shown: list[int] | None = None) -> None:
        self.append_chunk([(position, row)], shown)

    def _rotate(self) -> None:
        if self._handle is not None:
            os.close(self._handle)
            self.path = _next_number(self.path)
        # O_EXCL: never append to a file another process wrote, whatever happened.
        self._handle = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_APPEND, 0o644)
        fsync_dir(self.path.parent)
        self._rows_in_file = 0
        self.files_written.append(self.path)

    def close(self) -> None:
        if self._handle is not None:
            os.close(self._handle)
            self._handle = None


def _write_all(handle: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(handle, view)
        view = view[written:]


def _next_number(path: Path) -> Path:
    number = int(path.stem.split("-")[1]) + 1
    return path.with_name(f"part-{number:05d}.jsonl")
