"""The engine with a durable run directory, on a scripted backend whose answers depend only on the plan
position: a crashed run resumes to exactly the rows an uninterrupted run gives, asking nothing twice."""

import json
import re
from pathlib import Path

import pytest

from syngen.generation.engine import run_generation
from syngen.generation.session import prepare_session
from tests.fakes import ScriptedBackend, answer, review_answer
from tests.scale.helpers import (
    BatchSensitiveBackend,
    Crash,
    crashing_at,
    position_of,
    read_shard_records,
    seeded_answer,
)


def run(config, backend):
    return run_generation(config, session=prepare_session(config, backend=backend))


def uninterrupted(config):
    return run(config.model_copy(update={"run_dir": None, "out": config.out + ".ref.csv"}),
               ScriptedBackend(seeded_answer))


def test_a_crashed_run_resumes_to_the_same_rows_asking_nothing_twice(scripted_config):
    config = scripted_config(n=12)  # chunks of 8: [0, 8) finishes, the crash comes in [8, 16)
    with pytest.raises(Crash):
        run(config, crashing_at(8))
    kept = {r["position"]: r["row"] for r in read_shard_records(Path(config.run_dir))}
    assert kept and max(kept) < 8, "the finished chunk is kept, nothing of the crashed one"
    backend = ScriptedBackend(seeded_answer)
    result = run(config, backend)
    asked = {position_of(request) for request in backend.requests}
    assert min(asked) == 8, "a position accepted before the crash was asked for again"
    reference = uninterrupted(config)
    assert result.rows.to_dict("records") == reference.rows.to_dict("records")
    assert result.sidecar["few_shot_rows"] == reference.sidecar["few_shot_rows"], "examples shown before the crash"
    records = read_shard_records(Path(config.run_dir))
    positions = [r["position"] for r in records]
    assert len(set(positions)) == len(positions) and set(kept) <= set(positions)  # each row written once
    assert all(row in result.rows.to_dict("records") for row in kept.values())
    assert result.sidecar["run"]["rows_restored"] == len(kept)
    assert result.sidecar["run"]["rows_made"] == len(records) - len(kept)
    whole = result.sidecar["run"]["all_sessions"]  # both sessions' figures, not only the last one's
    assert whole["positions_tried"] == reference.sidecar["plan_positions_tried"]
    expected = reference.sidecar
    assert (whole["tokens_in"], whole["tokens_out"]) == (expected["tokens_in"], expected["tokens_out"])


def test_a_crash_mid_chunk_resumes_to_the_rows_of_a_model_whose_answers_depend_on_the_batch(scripted_config):
    """Like the embedded model, this backend's answer depends on the other requests of its batch: a resume
    gives the uninterrupted rows only because every run makes the same chunks."""
    config = scripted_config(n=12)
    with pytest.raises(Crash):
        run(config, BatchSensitiveBackend(crash_at=10))
    kept = {r["position"] for r in read_shard_records(Path(config.run_dir))}
    assert kept and max(kept) < 8, "the chunk [0, 8) (two batches) is kept, nothing of the crashed one"
    backend = BatchSensitiveBackend()
    result = run(config, backend)
    assert min(position_of(request) for request in backend.requests) >= 8
    reference = run(config.model_copy(update={"run_dir": None, "out": config.out + ".ref.csv"}),
                    BatchSensitiveBackend())
    assert result.sidecar["chunk_size"] == reference.sidecar["chunk_size"] == 8
    assert result.rows.to_dict("records") == reference.rows.to_dict("records")
    assert result.rows.to_dict("records") != run(
        config.model_copy(update={"run_dir": None, "out": config.out + ".batch2.csv"}),
        BatchSensitiveBackend(batch=2)).rows.to_dict("records"), "the fake must depend on the batch"


def test_rejected_positions_are_not_tried_again_after_a_crash(scripted_config):
    def reject_position_one(request, index):
        if position_of(request) == 1:
            return answer(title="x", text="")  # an empty text is rejected, on every attempt
        if position_of(request) >= 8:
            raise Crash("crash")
        return seeded_answer(request, index)

    config = scripted_config(n=10)
    with pytest.raises(Crash):
        run(config, ScriptedBackend(reject_position_one))
    backend = ScriptedBackend(seeded_answer)
    result = run(config, backend)
    assert 1 not in {position_of(request) for request in backend.requests}
    assert min(position_of(request) for request in backend.requests) == 8
    positions = [r["position"] for r in read_shard_records(Path(config.run_dir))]
    assert 1 not in positions and len(set(positions)) == len(positions) and len(result.rows) == 10


def test_a_finished_run_grows_when_more_rows_are_asked(scripted_config):
    run(scripted_config(n=3), ScriptedBackend(seeded_answer))
    backend = ScriptedBackend(seeded_answer)
    bigger = scripted_config(n=5, force=True)
    result = run(bigger, backend)
    assert result.sidecar["chunk_size"] == 3, "a grown run keeps the chunk size it was made with"
    asked = {position_of(request) for request in backend.requests}  # whole chunks after the first run's
    assert min(asked) >= 3 and asked == set(range(min(asked), max(asked) + 1))
    assert min(asked) % 3 == 0 and (max(asked) + 1) % 3 == 0
    assert result.rows.to_dict("records") == uninterrupted(bigger).rows.to_dict("records")


def test_rerunning_a_finished_run_makes_nothing_and_rewrites_the_output(scripted_config, tmp_path):
    first = run(scripted_config(n=3), ScriptedBackend(seeded_answer))
    backend = ScriptedBackend(seeded_answer)
    again = run(scripted_config(n=3, force=True, format="jsonl", out=str(tmp_path / "again.jsonl")), backend)
    assert backend.requests == []
    written = [json.loads(line) for line in again.output_path.read_text().splitlines()]
    assert written == first.rows.to_dict("records")
    assert again.sidecar["executor"] == {"name": "local"}


def test_the_run_directory_records_what_the_sidecar_says(scripted_config):
    result = run(scripted_config(n=3), ScriptedBackend(review_answer))  # passes the demo's rating checks
    run_facts = result.sidecar["run"]
    assert run_facts["rows_restored"] == 0 and run_facts["rows_made"] == 3
    assert run_facts["shards_written"] == ["part-00000.jsonl"]
    records = read_shard_records(Path(result.sidecar["run"]["run_dir"]))
    assert [r["id"] for r in records] == [f"s0p{r['position']}" for r in records] and len(records) == 3


def test_a_resumed_run_stops_early_only_where_the_uninterrupted_run_would(scripted_config):
    """A hopeless run stops early on the whole run's failure rate: a resumed session whose own positions fail more
    than 80% of the time goes on while the earlier session's rows keep the run's rate below that."""
    def mostly_empty(request, index):  # from position 16 on, only every 6th position gets a text
        position = position_of(request)
        return answer(title="", text="") if position >= 16 and position % 6 else seeded_answer(request, index)

    config = scripted_config(n=16)
    run(config, ScriptedBackend(seeded_answer))
    kept = len(read_shard_records(Path(config.run_dir)))  # a whole last chunk: a few rows past 16 are kept
    resumed = run(config.model_copy(update={"num_samples": kept + 4, "force": True}), ScriptedBackend(mostly_empty))
    assert resumed.sidecar["run"]["rows_restored"] == kept
    assert resumed.sidecar["complete"] and len(resumed.rows) == kept + 4


def hard_one_stars(request, index: int) -> str:
    """1-star rows fail at two positions in three, decided by the position alone (the same in every run)."""
    rating = re.search(r"^rating: (\d)", request.messages[-1]["content"], re.M)
    if rating and rating.group(1) == "1" and position_of(request) % 3:
        return "not json"
    return seeded_answer(request, index)


def test_a_grown_run_keeps_the_label_quotas_of_an_uninterrupted_one(scripted_config):
    """Label quotas decide which rows are written (here 1-star rows fall short and other rows fill their places):
    the grown run still writes exactly the rows of an uninterrupted run of its size."""
    run(scripted_config(n=6), ScriptedBackend(hard_one_stars))
    bigger = scripted_config(n=24, force=True)
    grown = run(bigger, ScriptedBackend(hard_one_stars))
    reference = run(bigger.model_copy(update={"run_dir": None, "out": bigger.out + ".ref.csv"}),
                    ScriptedBackend(hard_one_stars))
    assert grown.sidecar["label_quota"] == reference.sidecar["label_quota"]
    assert reference.sidecar["label_quota"]["short"], "the 1-star quota was to fall short"
    assert grown.rows.to_dict("records") == reference.rows.to_dict("records")
