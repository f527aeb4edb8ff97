"""The run directory on its own: shards that survive torn writes, a manifest that is checked against them,
the fingerprint that refuses another configuration, the lock, and --new-run."""

import json
import signal
import subprocess
import sys
import time

import pytest

from syngen.errors import ConfigError, DataError
from syngen.generation.config import GenerationConfig
from syngen.runs.rundir import RunDirectory, expand_ranges, position_ranges, row_id
from syngen.runs.shards import ShardWriter, read_shards
from syngen.runs.sinks import open_durable_sink

MODEL = {"backend": "scripted", "model": "m", "model_sha256": "abc", "model_path": "/somewhere/m.gguf"}


def config_dict(demo_paths, **extra) -> dict:
    reviews, products = demo_paths
    return GenerationConfig(data=str(reviews), products=str(products), num_samples=5, **extra).public_dict()


def row(i: int) -> dict[str, str]:
    return {"text": f"row {i}", "rating": str(i % 5 + 1)}


def test_shard_lines_round_trip_and_rotate_at_max_rows(tmp_path):
    writer = ShardWriter(tmp_path / "part-00000.jsonl", seed=7, max_rows=2)
    for position in (0, 1, 3, 4, 6):
        writer.append(position, row(position))
    writer.close()
    paths = sorted(tmp_path.glob("part-*.jsonl"))
    assert [p.name for p in paths] == ["part-00000.jsonl", "part-00001.jsonl", "part-00002.jsonl"]
    assert [len(p.read_text().splitlines()) for p in paths] == [2, 2, 1]
    contents = read_shards(paths, seed=7)
    assert contents.rows == {p: row(p) for p in (0, 1, 3, 4, 6)} and contents.torn_lines == 0
    assert json.loads(paths[0].read_text().splitlines()[1])["id"] == row_id(7, 1) == "s7p1"


def test_the_examples_shown_are_kept_with_the_rows_and_restored(tmp_path, demo_paths):
    sink = open_durable_sink(tmp_path / "run", config_dict(demo_paths), MODEL)
    shown: set[int] = set()
    sink.keep_shown(shown)
    shown.update({4, 9})
    sink.add_chunk([(0, row(0))], 1)
    shown.add(2)
    sink.add_chunk([(1, row(1))], 2)
    sink.add_chunk([(2, row(2))], 3)
    sink.run.unlock()  # killed: the manifest never heard of these examples, the shards have them
    lines = [json.loads(line) for line in next((tmp_path / "run" / "shards").iterdir()).read_text().splitlines()]
    assert [line.get("shown") for line in lines] == [[4, 9], [2], None]
    again = open_durable_sink(tmp_path / "run", config_dict(demo_paths), MODEL)
    restored: set[int] = {7}
    again.keep_shown(restored)
    assert restored == {2, 4, 7, 9}
    again.close()
    assert json.loads((tmp_path / "run" / "manifest.json").read_text())["few_shot_rows"] == [2, 4, 7, 9]


def test_a_torn_last_line_is_ignored_and_its_row_not_counted(tmp_path):
    writer = ShardWriter(tmp_path / "part-00000.jsonl", seed=0, max_rows=10)
    writer.append(0, row(0))
    writer.close()
    whole = json.dumps({"id": "s0p1", "position": 1, "row": row(1)})
    with open(tmp_path / "part-00000.jsonl", "a") as handle:
        handle.write(whole)  # complete JSON, but its newline never reached the disk: not committed
    contents = read_shards([tmp_path / "part-00000.jsonl"], seed=0)
    assert contents.rows == {0: row(0)} and contents.torn_lines == 1


def test_a_writer_never_appends_to_an_existing_shard(tmp_path):
    (tmp_path / "part-00000.jsonl").write_text('{"torn')
    writer = ShardWriter(tmp_path / "part-00000.jsonl", seed=0, max_rows=10)
    with pytest.raises(FileExistsError):
        writer.append(0, row(0))


@pytest.mark.parametrize("line", [
    b'{"id": "s0p1", "position": 1}\n',  # no row
    b'{"id": "s9p1", "position": 1, "row": {}}\n',  # the id of another seed
    b'not json at all\n',
])
def test_a_damaged_complete_line_is_an_error_not_skipped(tmp_path, line):
    path = tmp_path / "part-00000.jsonl"
    path.write_bytes(line + b'{"id": "s0p2", "position": 2, "row": {}}\n')
    with pytest.raises(DataError, match="line 1 is damaged"):
        read_shards([path], seed=0)


def test_position_ranges_compress_and_expand():
    positions = {0, 1, 2, 5, 6, 9}
    assert position_ranges(positions) == [[0, 3], [5, 7], [9, 10]]
    assert expand_ranges(position_ranges(positions)) == positions
    assert position_ranges([]) == []


def test_a_run_reopens_with_its_rows_and_tried_positions(tmp_path, demo_paths):
    config = config_dict(demo_paths)
    sink = open_durable_sink(tmp_path / "run", config, MODEL, chunk_size=1)
    sink.add_chunk([(0, row(0))], 1)
    sink.add_chunk([], 2)  # position 1 was tried and rejected
    sink.add_chunk([(2, row(2))], 3)
    sink.close()
    manifest = json.loads((tmp_path / "run" / "manifest.json").read_text())
    assert manifest["accepted_positions"] == [[0, 1], [2, 3]] and manifest["positions_tried"] == 3
    assert manifest["state"] == "stopped" and manifest["rows_asked"] == 5
    again = open_durable_sink(tmp_path / "run", {**config, "format": "jsonl", "num_samples": 9}, MODEL)
    assert again.rows == {0: row(0), 2: row(2)} and again.next_position == 3 and again.restored == 2
    again.close()
    assert len(json.loads((tmp_path / "run" / "manifest.json").read_text())["sessions"]) == 2


def test_shards_ahead_of_the_manifest_count(tmp_path, demo_paths):
    """Killed after a chunk's fsync but before the next checkpoint: the shard is the truth, and a chunk with
    rows on disk was finished (its rows are written together), so the next run starts at the next chunk."""
    sink = open_durable_sink(tmp_path / "run", config_dict(demo_paths), MODEL, chunk_size=4)
    sink._writer.append_chunk([(p, row(p)) for p in range(3)])  # chunk [0, 4) on disk, manifest never told
    sink.run.unlock()
    again = open_durable_sink(tmp_path / "run", config_dict(demo_paths), MODEL, chunk_size=8)
    assert sorted(again.rows) == [0, 1, 2] and again.next_position == 4 and again.chunk_size == 4
    again.add_chunk([(4, row(4))], 8)
    again.close()
    manifest = json.loads((tmp_path / "run" / "manifest.json").read_text())
    assert manifest["accepted_positions"] == [[0, 3], [4, 5]] and manifest["rows_accepted"] == 4
    assert manifest["positions_tried"] == 8 and manifest["chunk_size"] == 4


def test_a_chunk_is_written_whole_or_not_at_all(tmp_path):
    writer = ShardWriter(tmp_path / "part-00000.jsonl", seed=0, max_rows=2)
    writer.append_chunk([(p, row(p)) for p in range(3)], shown=[5])
    writer.append_chunk([(3, row(3))])
    writer.close()
    paths = sorted(tmp_path.glob("part-*.jsonl"))
    assert [len(p.read_text().splitlines()) for p in paths] == [3, 1], "a chunk is never split across shards"
    assert read_shards(paths, seed=0).shown == {5}


def test_a_row_in_the_manifest_but_in_no_shard_is_reported(tmp_path, demo_paths):
    sink = open_durable_sink(tmp_path / "run", config_dict(demo_paths), MODEL)
    sink.add_chunk([(0, row(0))], 1)
    sink.close()
    for path in (tmp_path / "run" / "shards").iterdir():
        path.unlink()
    with pytest.raises(DataError, match="missing from its shards"):
        open_durable_sink(tmp_path / "run", config_dict(demo_paths), MODEL)


@pytest.mark.parametrize(("change", "named"), [
    ({"seed": 1}, "seed 0 -> 1"),
    ({"temperature": 0.3}, "temperature 0.8 -> 0.3"),
    ({"prompt_type": "diversity"}, "prompt_type base -> diversity"),
])
def test_another_configuration_is_refused_in_one_line(tmp_path, demo_paths, change, named):
    open_durable_sink(tmp_path / "run", config_dict(demo_paths), MODEL).close()
    with pytest.raises(ConfigError) as caught:
        open_durable_sink(tmp_path / "run", config_dict(demo_paths, **change), MODEL)
    message = caught.value.one_line()
    assert named in message and "--new-run" in message and "\n" not in message


def test_another_model_or_changed_data_is_refused(tmp_path, demo_paths):
    open_durable_sink(tmp_path / "run", config_dict(demo_paths), MODEL).close()
    with pytest.raises(ConfigError, match="model_identity"):
        open_durable_sink(tmp_path / "run", config_dict(demo_paths), {**MODEL, "model_sha256": "def"})
    data = tmp_path / "data.csv"
    data.write_bytes(demo_paths[0].read_bytes())
    moved = {**config_dict(demo_paths), "data": str(data)}
    open_durable_sink(tmp_path / "run", moved, {**MODEL, "model_path": "/elsewhere/m.gguf"}).close()  # same bytes
    data.write_bytes(demo_paths[0].read_bytes() + b"\n")
    with pytest.raises(ConfigError, match="data_sha256"):
        open_durable_sink(tmp_path / "run", moved, MODEL)


def test_new_run_sets_the_old_one_aside(tmp_path, demo_paths):
    sink = open_durable_sink(tmp_path / "run", config_dict(demo_paths), MODEL)
    sink.add_chunk([(0, row(0))], 1)
    sink.close()
    fresh = open_durable_sink(tmp_path / "run", config_dict(demo_paths, seed=4), MODEL, new_run=True)
    assert fresh.rows == {} and fresh.next_position == 0
    fresh.close()
    old = [p for p in tmp_path.iterdir() if p.name.startswith("run.old-")]
    assert len(old) == 1 and read_shards(RunDirectory(old[0]).shard_paths(), seed=0).rows == {0: row(0)}
    assert fresh.describe()["run"]["previous_run_set_aside"] == str(old[0])


def test_a_folder_that_is_not_a_run_is_left_alone(tmp_path, demo_paths):
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(ConfigError, match="not a SynGen run directory"):
        open_durable_sink(tmp_path, config_dict(demo_paths), MODEL)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_one_process_at_a_time_and_the_lock_dies_with_its_holder(tmp_path, demo_paths):
    code = ("import sys, time, json, pathlib; from syngen.runs.sinks import open_durable_sink; "
            "open_durable_sink(pathlib.Path(sys.argv[1]), json.loads(sys.argv[2]), json.loads(sys.argv[3])); "
            "print('open', flush=True); time.sleep(60)")
    arguments = [str(tmp_path / "run"), json.dumps(config_dict(demo_paths)), json.dumps(MODEL)]
    holder = subprocess.Popen([sys.executable, "-c", code, *arguments], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "open"
        with pytest.raises(ConfigError, match="being run by another syngen process"):
            open_durable_sink(tmp_path / "run", config_dict(demo_paths), MODEL)
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait()
    deadline = time.monotonic() + 5
    while True:  # the kernel releases a dead process's flock at once; allow for a slow reap
        try:
            open_durable_sink(tmp_path / "run", config_dict(demo_paths), MODEL).close()
            break
        except ConfigError:
            assert time.monotonic() < deadline
            time.sleep(0.1)


def test_a_run_from_a_version_with_other_settings_is_refused_with_a_reason(tmp_path, demo_paths):
    open_durable_sink(tmp_path / "run", config_dict(demo_paths), MODEL).close()
    manifest_path = tmp_path / "run" / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["fingerprint"] = "0" * 64  # as if an older SynGen had hashed one more (default) setting
    manifest_path.write_text(json.dumps(manifest))
    with pytest.raises(ConfigError, match="settings recorded by another SynGen version"):
        open_durable_sink(tmp_path / "run", config_dict(demo_paths), MODEL)


def test_another_syngen_version_is_refused(tmp_path, demo_paths, monkeypatch):
    open_durable_sink(tmp_path / "run", config_dict(demo_paths), MODEL).close()
    monkeypatch.setattr("syngen.runs.rundir.__version__", "99.0.0")
    with pytest.raises(ConfigError, match=r"syngen_version .* -> 99\.0\.0"):
        open_durable_sink(tmp_path / "run", config_dict(demo_paths), MODEL)
