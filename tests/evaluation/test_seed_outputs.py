"""The study's twelve raw model answers: every one evaluates, unusable records are counted, and the
rest is scored."""

import json

import pytest

from syngen.evaluation import evaluate_input
from syngen.evaluation.inputs import load_synthetic

PROPERTIES = {"validity", "fidelity", "length", "complexity", "diversity", "drift", "privacy", "consistency"}


@pytest.fixture(scope="module")
def seed_reports(real_profile, seed_outputs_dir, embedder):
    table, catalogue, profile = real_profile
    reports = {}
    for path in sorted(seed_outputs_dir.glob("*.csv")):
        rows = load_synthetic(path, profile.names, [c.name for c in profile.text_columns])
        reports[path.name] = evaluate_input(table, profile, rows, catalogue, calibration=False, embedder=embedder)
    return reports


def test_all_twelve_evaluate_with_sensible_counts(seed_reports):
    assert len(seed_reports) == 12
    for name, report in seed_reports.items():
        data = json.loads(json.dumps(report.to_dict(), allow_nan=False))
        assert set(data["properties"]) == PROPERTIES
        assert data["expected_rows"] == 10 and data["expected_rows_source"] == "file name"
        # ten rows were asked for: what was read plus what was unusable is about that many
        assert 8 <= data["rows"] + data["unusable_rows"] <= 12, name
        assert 0 <= data["valid_rows"] <= data["rows"]
        for prop in data["properties"].values():
            assert prop["score"] is None or 0.0 <= prop["score"] <= 1.0


def test_unreadable_rows_are_counted_not_scored(seed_reports):
    broken = seed_reports["suppl_diversity_ollama_llama3.2_10_output.csv"]
    assert broken.rows == 0 and broken.synthetic.unusable >= 8  # every line has 12-13 fields for 11 columns
    assert broken.properties["validity"].score == 0.0
    markdown = seed_reports["suppl_diversity_hf_qwen_10_output.csv"]
    assert markdown.synthetic.format == "markdown" and markdown.rows >= 8


def test_seed_outputs_break_the_formats_they_visibly_break(seed_reports):
    cohere = seed_reports["suppl_base_cohere_command-r-plus_10_output.csv"]
    examples = cohere.properties["validity"].details["invalid_examples"]
    assert "user_id" in examples  # 29-character ids where real ones have 28
    assert "2Multiplier016-05-17" in examples["date"]
    complexity = seed_reports["suppl_lang_complexity_cohere_command-r-plus_10_output.csv"]
    rating = complexity.properties["validity"].details["invalid_examples"]["rating"]
    assert "4.5" in rating
