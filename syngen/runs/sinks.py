"""Where accepted rows go as they are made. The in-memory sink is the default; the durable sink writes
them into a run directory as they come, and on opening loads what an earlier process of the same run
had accepted, which is how a run resumes (the engine rebuilds its duplicate checks from `rows`)."""

from __future__ import annotations

import os
import socket
import time
from collections import Counter
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any, Protocol

from syngen.errors import ConfigError, DataError
from syngen.output.paths import check_run_dir, claim_output
from syngen.runs.rundir import RunDirectory, expand_ranges, fingerprint_fields, position_ranges
from syngen.runs.shards import ShardWriter, read_shards

CHECKPOINT_SECONDS = 5.0  # the manifest may lag the shards by this much; the shards never lag
MIN_CHUNK = 8  # rows made together by a backend that answers one request at a time: enough for rows with
# equal prompt prefixes to meet (a server's prompt cache), and few enough to keep a quick start quick


def align_up(position: int, size: int) -> int:
    return -(-position // size) * size


CHUNK_BATCHES = 2  # a chunk holds this many batches: its last rows' retries run on few sequences, and the
# rows waiting behind keep the others busy meanwhile (embedded model, 40 rows: 112 s against 131 s for one batch)


def chunk_size_for(batch_size: int, rows_asked: int) -> int:
    """S, the rows made together: two of the backend's batches (MIN_CHUNK when it takes one request at a time),
    but never more than the rows asked, so a 5-row quick start makes 5 rows, not 8. Runs asking at least a
    chunk share S, so they make the same row at each position whatever N; a run keeps its S when it grows."""
    return max(1, min(CHUNK_BATCHES * batch_size if batch_size > 1 else MIN_CHUNK, rows_asked))


class Sink(Protocol):
    """Where accepted rows go. `rows` and `next_position` are what the run starts from (a resumed run's)."""

    rows: dict[int, dict[str, str]]
    next_position: int
    chunk_size: int

    def add_chunk(self, rows: list[tuple[int, dict[str, str]]], stop: int) -> None: ...

    def keep_stats(self, stats: Any) -> None: ...

    def describe(self) -> dict[str, Any]: ...

    def close(self) -> None: ...


class MemorySink:
    def __init__(self, chunk_size: int) -> None:
        self.rows: dict[int, dict[str, str]] = {}
        self.next_position = 0
        self.chunk_size = chunk_size

    def add_chunk(self, rows: list[tuple[int, dict[str, str]]], stop: int) -> None:
        """Keep a chunk's accepted rows and record that every plan position below `stop` was tried."""
        self.rows.update(rows)
        self.next_position = max(self.next_position, stop)

    def keep_stats(self, stats: Any) -> None:
        """Only a durable sink adds up the figures of several sessions."""

    def close(self) -> None:
        """Nothing to flush in memory."""

    def describe(self) -> dict[str, Any]:
        """What the sidecar records about where the rows were kept."""
        return {}


class DurableSink(MemorySink):
    """Rows go to fsync'd shards before the engine counts them; progress goes to the manifest."""

    def __init__(self, run: RunDirectory, manifest: dict[str, Any], rows_asked: int, max_rows_per_file: int,
                 set_aside: Path | None = None) -> None:
        super().__init__(int(manifest["chunk_size"]))
        self._opened = time.monotonic()
        self.run, self.manifest, self.rows_asked = run, manifest, rows_asked
        seed = int(manifest["seed"])
        contents = read_shards(run.shard_paths(), seed)
        _check_manifest_rows(run, manifest, contents.rows)
        self.rows = dict(sorted(contents.rows.items()))
        self.shown: set[int] = contents.shown | set(manifest.get("few_shot_rows", []))
        self._saved_shown = set(self.shown)
        # A chunk's rows are written together: a chunk with a row on disk was finished, even if the manifest,
        # written after the shards, had not caught up.
        last = align_up(max(self.rows) + 1, self.chunk_size) if self.rows else 0
        self.next_position = max(manifest["positions_tried"], last)
        self.restored = len(self.rows)
        self._ranges = position_ranges(self.rows)  # from the shards: they may be ahead of the manifest
        self._writer = ShardWriter(run.next_shard_path(), seed, max_rows_per_file)
        self._facts = {"run_dir": str(run.path), "rows_restored": self.restored,
                       "positions_skipped": self.next_position, "torn_lines_ignored": contents.torn_lines,
                       "previous_run_set_aside": str(set_aside) if set_aside else None}
        manifest["sessions"].append({"started": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "pid": os.getpid(),
                                     "host": socket.gethostname(), "cwd": os.getcwd(),
                                     "executor": manifest["config"].get("executor"),
                                     **{k: v for k, v in self._facts.items() if k != "run_dir"}})
        self._earlier = manifest.get("totals") or {}  # what the run's earlier sessions cost
        self._stats = None
        self._checkpoint("running")

    def keep_stats(self, stats) -> None:
        """Keep the engine's RunStats of this session, so the manifest and the sidecar can give the whole
        run's figures (tokens, positions tried, rejections, time) across every session, not only this one."""
        self._stats = stats

    def totals(self) -> dict[str, Any]:
        earlier, stats = self._earlier, self._stats
        if stats is None:
            return dict(earlier)
        rejections = Counter(earlier.get("rejections", {})) + stats.calls_rejected
        return {"positions_tried": earlier.get("positions_tried", 0) + stats.positions,
                "tokens_in": earlier.get("tokens_in", 0) + stats.tokens_in,
                "tokens_out": earlier.get("tokens_out", 0) + stats.tokens_out,
                "rejections": dict(rejections),
                "wall_seconds": round(earlier.get("wall_seconds", 0) + stats.seconds, 2)}

    def keep_shown(self, shown: set[int]) -> None:
        """Record the run's few-shot examples with its rows: `shown` is the live set the prompts fill (the
        sidecar's privacy record); it is given the examples of the rows made before a resume."""
        shown.update(self.shown)
        self.shown = shown

    def add_chunk(self, rows: list[tuple[int, dict[str, str]]], stop: int) -> None:
        new = sorted(self.shown - self._saved_shown) if len(self.shown) > len(self._saved_shown) else None
        self._writer.append_chunk(rows, new)  # on disk, in one write, before the engine counts them
        self._saved_shown.update(new or ())
        super().add_chunk(rows, stop)
        for position, _ in rows:
            if self._ranges and self._ranges[-1][1] == position:
                self._ranges[-1][1] = position + 1
            else:
                self._ranges.append([position, position + 1])
        if time.monotonic() - self._last_checkpoint >= CHECKPOINT_SECONDS:
            self._checkpoint("running")

    def close(self) -> None:
        self._writer.close()
        done = len(self.rows) >= self.rows_asked
        self._checkpoint("all rows accepted" if done else "stopped")
        self.run.unlock()

    def describe(self) -> dict[str, Any]:
        made = len(self.rows) - self.restored
        facts = {"run": {**self._facts, "rows_made": made, "all_sessions": self.totals(),
                         "shards_written": [p.name for p in self._writer.files_written]}}
        if self.restored:  # rows made earlier took no time in this process: count only the new ones
            minutes = max(time.monotonic() - self._opened, 1e-9) / 60
            facts["rows_per_minute"] = round(made / minutes, 2)
        return facts

    def _checkpoint(self, state: str) -> None:
        self.manifest.update(state=state, rows_asked=self.rows_asked, positions_tried=self.next_position,
                             rows_accepted=len(self.rows), accepted_positions=self._ranges,
                             few_shot_rows=sorted(self.shown), totals=self.totals())
        self.run.checkpoint(self.manifest)
        self._last_checkpoint = time.monotonic()


def _check_manifest_rows(run: RunDirectory, manifest: dict[str, Any], rows: dict[int, Any]) -> None:
    """The manifest is written after the shards, so a row it lists and no shard holds was lost afterwards."""
    missing = expand_ranges(manifest["accepted_positions"]) - rows.keys()
    if missing:
        raise DataError(f"{len(missing)} accepted rows of the run in {run.path} are missing from its shards "
                        f"(positions {sorted(missing)[:5]}...)",
                        "Restore the shard files, or pass --new-run to start over")


def open_durable_sink(path: Path, config: dict[str, Any], model: dict[str, Any], new_run: bool = False,
                      max_rows_per_file: int = 10_000, chunk_size: int = MIN_CHUNK) -> DurableSink:
    """Open the run in `path`: resume it if it was made by the same configuration (with the chunk size it
    recorded), start it with `chunk_size` if there is none (or `new_run`), refuse with one line if it was
    made by another configuration."""
    run = RunDirectory(path)
    check_run_dir(path)
    if path.exists() and not run.exists() and any(p.name not in ("lock", "shards") for p in path.iterdir()):
        raise ConfigError(f"{path} is not a SynGen run directory and is not empty", "Choose another --run-dir")
    fields = fingerprint_fields(config, model)
    run.lock()
    try:
        set_aside = None
        if run.exists() and new_run:
            set_aside = run.set_aside()
            run.unlock()
            run.lock()
        manifest = run.check_same_run(fields) if run.exists() else run.new_manifest(fields, config, chunk_size)
        manifest["config"] = config  # options outside the fingerprint (executor, format...) are this session's
        return DurableSink(run, manifest, int(config["num_samples"]), max_rows_per_file, set_aside)
    except BaseException:
        run.unlock()
        raise


def claim_outputs(config) -> AbstractContextManager[None]:
    """Check every file the run will write (output, sidecar, partial files, run directory) against its
    inputs and the rules of syngen.output.paths, and hold the output for this run until the block ends."""
    inputs = {"--data": config.data, "--products": config.products, "--model-path": config.model_path}
    return claim_output(config.output_path(), config.force, inputs, config.run_dir)


def open_sink(session) -> Sink:
    """The sink a configuration asks for: durable when it names a run directory, in memory otherwise. A
    resumed run keeps the chunk size recorded in its run directory."""
    config = session.config
    chunk = chunk_size_for(session.backend.batch_size(), config.num_samples)
    if not config.run_dir:
        return MemorySink(chunk)
    sink = open_durable_sink(Path(config.run_dir), config.public_dict(), session.backend.describe(),
                             new_run=config.new_run, max_rows_per_file=config.max_rows_per_file, chunk_size=chunk)
    sink.keep_shown(session.picker.shown)
    return sink
