"""The audit trail (--audit) as a user meets it: every judged position's prompts, raw answers and verdicts kept
in the run directory, one line each, accepted or given up; a resumed run adds to it without repeating; the
sidecar says where it is; one row's record is read back by its position or its id."""

import json
from pathlib import Path

import pytest

from syngen.errors import DataError
from syngen.generation.config import GenerationConfig
from syngen.generation.session import prepare_session
from syngen.runs import open_run
from syngen.runs.audit import AUDIT_DIR, read_audit, read_audit_record
from tests.runs.audit_helpers import WRONG, WrongThenRight, hopeless_at, write_table


@pytest.fixture
def config(tmp_path):
    data = write_table(tmp_path / "real.csv")
    return GenerationConfig(data=str(data), num_samples=6, seed=0, audit=True, out=str(tmp_path / "o.csv"),
                            run_dir=str(tmp_path / "o.csv.run"))


def run(config, backend):
    with open_run(config, session=prepare_session(config, backend=backend)) as prepared:
        return prepared.execute()


def audit_lines(config) -> list[dict]:
    return [json.loads(line) for path in sorted((Path(config.run_dir) / AUDIT_DIR).glob("part-*.jsonl"))
            for line in path.read_text().splitlines()]


def test_each_accepted_and_each_given_up_position_has_one_line_with_its_prompts_and_answers(config):
    result = run(config, hopeless_at(2))
    lines = audit_lines(config)
    assert sorted(line["position"] for line in lines) == list(range(result.sidecar["plan_positions_tried"]))
    given_up = next(line for line in lines if line["position"] == 2)
    assert not given_up["accepted"] and given_up["row"] is None and given_up["reason"] == "unparseable"
    assert [a["answer"] for a in given_up["attempts"]] == [WRONG] * 3, "every answer, retries included"
    kept = next(line for line in lines if line["accepted"] and len(line["attempts"]) == 2)
    assert kept["id"] == f"s0p{kept['position']}" and kept["reason"] == ""
    first, retry = kept["attempts"]
    assert first["reason"] == "unparseable" and not first["kept"] and first["answer"] == WRONG
    assert retry["kept"] and retry["reason"] == "" and retry["attempt"] == 1
    assert first["messages"][-1]["role"] == "user" and "Real examples" in first["messages"][-1]["content"]
    assert retry["messages"][-1]["content"].startswith(first["messages"][-1]["content"]), "the first prompt, then"
    assert "rejected" in retry["messages"][-1]["content"][len(first["messages"][-1]["content"]):]  # the reason
    written = result.rows.to_dict("records")
    trail = read_audit(config.run_dir)  # row i of the output, wherever the label quotas took it from
    assert [trail.row(i).row for i in range(len(written))] == written and all(trail.row(i).accepted for i in range(6))


def test_the_sidecar_says_the_audit_is_on_and_where_it_is(config):
    result = run(config, WrongThenRight({}))
    audit = result.sidecar["audit"]
    assert audit["on"] and audit["kept_in"].endswith("o.csv.run/" + AUDIT_DIR)
    assert audit["records_written"] == result.sidecar["plan_positions_tried"]


def test_without_audit_nothing_is_kept_and_the_sidecar_says_nothing(config):
    plain = config.model_copy(update={"audit": False})
    result = run(plain, WrongThenRight({}))
    assert "audit" not in result.sidecar
    assert not (Path(config.run_dir) / AUDIT_DIR).exists()


def test_a_resumed_run_appends_to_the_audit_and_repeats_no_position(config):
    run(config, WrongThenRight({}))
    first = audit_lines(config)
    grown = config.model_copy(update={"num_samples": 14, "force": True})
    result = run(grown, WrongThenRight({}))
    lines = audit_lines(config)
    positions = [line["position"] for line in lines]
    assert lines[: len(first)] == first, "the earlier session's lines are kept as they were"
    assert len(positions) == len(set(positions)) == result.sidecar["run"]["all_sessions"]["positions_tried"]
    assert len(read_audit(config.run_dir)) == len(positions)


def test_the_audit_can_be_turned_on_when_resuming(config):
    plain = config.model_copy(update={"audit": False})
    run(plain, WrongThenRight({}))
    grown = config.model_copy(update={"num_samples": 30, "force": True})  # audit on: the same run, resumed
    result = run(grown, WrongThenRight({}))
    skipped = result.sidecar["run"]["positions_skipped"]
    assert result.sidecar["run"]["rows_restored"] >= 6 and skipped > 0, "resumed, not started over"
    trail = read_audit(config.run_dir)
    assert min(r.position for r in trail) == skipped, "the audit holds the rows made since it was turned on"
    with pytest.raises(DataError, match="no audit record of position 0"):
        trail.position(0)


def test_one_rows_record_is_read_by_position_by_id_and_by_output_row(config):
    result = run(config, hopeless_at(1))
    retried = next(r for r in read_audit(config.run_dir) if r.accepted and len(r.attempts) > 1)
    by_position = read_audit_record(config.run_dir, retried.position)
    assert by_position == retried
    assert read_audit_record(config.run_dir, f"s0p{retried.position}") == by_position
    trail = read_audit(config.run_dir)
    assert [trail.row(i).row for i in range(6)] == result.rows.to_dict("records"), "row i of the output"
    assert 1 not in [trail.row(i).position for i in range(6)], "position 1 was given up"
    assert "kept after" in str(by_position) and "rejected as unparseable" in str(by_position)
    with pytest.raises(DataError, match="not a row id"):
        trail.position("nonsense")


def test_a_torn_last_line_is_ignored_and_a_damaged_one_named(config):
    run(config, WrongThenRight({}))
    path = sorted((Path(config.run_dir) / AUDIT_DIR).glob("*.jsonl"))[0]
    lines = path.read_text().splitlines()
    path.write_text("\n".join(lines) + '\n{"position": 99, "acc')  # a kill in mid-write
    assert 99 not in read_audit(config.run_dir).records
    path.write_text("garbage\n" + "\n".join(lines) + "\n")
    with pytest.raises(DataError, match="line 1 is damaged"):
        read_audit(config.run_dir)


def test_a_run_directory_without_an_audit_says_how_to_get_one(tmp_path):
    with pytest.raises(DataError, match="kept no audit.*--audit"):
        read_audit(tmp_path)
