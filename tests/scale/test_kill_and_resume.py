"""A real run of the embedded model, killed with SIGKILL part-way twice (after its first chunk, then in a
second session before it kept any row), then resumed: exactly N unique valid rows, the rows accepted
before each kill unchanged and never made again, and the same rows as a run that was never interrupted.
Then a changed configuration is refused in one line."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from syngen.backends.omp import set_thread_wait
from syngen.data import load_table
from syngen.profiling import load_catalogue, profile_table
from syngen.profiling.conformance import row_problems
from tests.scale.conftest import MODEL_BATCH, MODEL_ROWS, MODEL_SEED
from tests.scale.helpers import read_rows, read_shard_records

pytestmark = [pytest.mark.model, pytest.mark.slow]
ENV = set_thread_wait(dict(os.environ))


def syngen(*args: str) -> list[str]:
    return [sys.executable, "-m", "syngen.cli.main", "generate", *args]


def sessions(run_dir: Path) -> int:
    try:
        return len(json.loads((run_dir / "manifest.json").read_text())["sessions"])
    except (OSError, ValueError):  # not written yet, or being replaced
        return 0


def run_until_then_kill(command: list[str], cwd: Path, run_dir: Path, rows: int, session: int) -> list[dict]:
    """Start `syngen generate`, SIGKILL it as soon as `rows` rows are in its shards and its session is in the
    manifest, return the shards."""
    process = subprocess.Popen(command, cwd=cwd, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 300
    try:
        while len(read_shard_records(run_dir)) < rows or sessions(run_dir) < session:
            assert process.poll() is None, f"the run ended before it was killed: {process.communicate()}"
            assert time.monotonic() < deadline, "no rows in the shards after 300 s"
            time.sleep(0.05)
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()
    assert process.returncode == -signal.SIGKILL
    return read_shard_records(run_dir)


def test_killed_twice_then_resumed_gives_exactly_the_uninterrupted_rows(model_args, reference_csv, tmp_path,
                                                                        demo_paths):
    command = syngen(*model_args, "--num-samples", str(MODEL_ROWS), "--out", "rows.csv")
    run_dir = tmp_path / "rows.csv.run"  # the default: beside the output
    first = run_until_then_kill(command, tmp_path, run_dir, rows=1, session=1)  # in the next chunk
    # A chunk's rows are written together: whichever chunk passed first (the model's answers decide, and they differ
    # between CPUs), the shards hold the rows of that one chunk.
    chunks = {r["position"] // (2 * MODEL_BATCH) for r in first}
    assert len(chunks) == 1, f"the rows of one chunk, made together: {sorted(r['position'] for r in first)}"
    second = run_until_then_kill(command, tmp_path, run_dir, rows=len(first), session=2)  # before a row
    assert not (tmp_path / "rows.csv").exists(), "no output before the run is complete"
    assert second[: len(first)] == first, "rows accepted before the first kill changed"
    last_shard = sorted((run_dir / "shards").glob("part-*.jsonl"))[-1]
    with open(last_shard, "a", encoding="utf-8") as handle:
        handle.write('{"id": "s11p9", "position": 9, "row": {"text": "torn by a power cu')  # a torn last line

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    done = subprocess.run(syngen("--resume", str(run_dir), "--quiet"), cwd=elsewhere, env=ENV, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert f"{len(second)} of {MODEL_ROWS} rows were already made" in done.stdout
    assert f"{MODEL_ROWS}/{MODEL_ROWS} rows" in done.stdout

    records = read_shard_records(run_dir)
    positions = [r["position"] for r in records]
    assert len(records) >= MODEL_ROWS and len(set(positions)) == len(records), "a row was made twice or lost"
    assert records[: len(second)] == second, "rows accepted before the second kill changed"
    assert all(r["id"] == f"s{MODEL_SEED}p{r['position']}" for r in records)

    rows = read_rows(tmp_path / "rows.csv")
    assert rows == read_rows(reference_csv), "resumed rows differ from an uninterrupted run's"
    _assert_valid_and_unique(rows, demo_paths)
    sidecar = json.loads((tmp_path / "rows.csv.syngen.json").read_text())
    assert sidecar["run"]["rows_restored"] == len(second) and sidecar["run"]["torn_lines_ignored"] == 1
    assert sidecar["rows_delivered"] == MODEL_ROWS and sidecar["complete"] is True
    reference = json.loads(reference_csv.with_name(reference_csv.name + ".syngen.json").read_text())
    assert sidecar["few_shot_rows"] == reference["few_shot_rows"], "the examples shown before the kills were lost"

    _assert_changed_configuration_is_refused(model_args, tmp_path)


def _assert_valid_and_unique(rows: list[dict[str, str]], demo_paths) -> None:
    table = load_table(demo_paths[0])
    profile = profile_table(table, load_catalogue(demo_paths[1], table))
    assert all(row_problems(profile, row) == [] for row in rows)
    assert len({row["text"] for row in rows}) == len(rows) and len({row["user_id"] for row in rows}) == len(rows)
    assert all(row["text"].strip() for row in rows)


def _assert_changed_configuration_is_refused(model_args, tmp_path: Path) -> None:
    before = (tmp_path / "rows.csv").read_bytes()
    arguments = [*model_args, "--num-samples", str(MODEL_ROWS), "--out", "rows.csv", "--force", "--temperature", "0.3"]
    refused = subprocess.run(syngen(*arguments), cwd=tmp_path, env=ENV, capture_output=True, text=True, timeout=120)
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
    lines = refused.stderr.strip().splitlines()
    assert len(lines) == 1 and "temperature 0.8 -> 0.3" in lines[0] and "--new-run" in lines[0], refused.stderr
    assert (tmp_path / "rows.csv").read_bytes() == before
