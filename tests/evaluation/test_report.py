"""The report's JSON, scorecard and HTML on one real evaluation with a sidecar and calibration."""

import json
import re

import pytest

from syngen.evaluation import evaluate_input
from syngen.evaluation.html_report import render
from syngen.evaluation.inputs import from_frame
from syngen.evaluation.scorecard import scorecard


@pytest.fixture(scope="module")
def report(real_profile, halves, embedder):
    table, catalogue, profile = real_profile
    first = table.frame
    synthetic = first.iloc[:40].copy().reset_index(drop=True)
    synthetic.loc[5:, "text"] = halves[1]["text"].iloc[:35].str.upper().to_numpy()
    sidecar = {"rows_asked": 50, "few_shot_rows": [0, 1, 2]}
    rows = from_frame(synthetic, profile.names, "run_output.csv", sidecar=sidecar)
    return evaluate_input(table, profile, rows, catalogue, embedder=embedder)


def test_json_has_the_promised_fields(report):
    data = json.loads(json.dumps(report.to_dict(), allow_nan=False))
    assert (data["rows"], data["expected_rows"], data["expected_rows_source"]) == (40, 50, "sidecar")
    assert data["valid_rows"] == 40
    privacy = data["properties"]["privacy"]
    # rows 0-4 are real rows kept as they were, three of them the few-shot rows
    assert privacy["exact_copies"] >= 5 and privacy["few_shot_exact_copies"] == 3
    for name, prop in data["properties"].items():
        assert 0.0 <= prop["score"] <= 1.0, name
        assert 0.0 <= prop["reference"] <= 1.0, name
        assert prop["metrics"], name
    validity = {m["metric"]: m for m in data["properties"]["validity"]["metrics"]}
    assert validity["count_accuracy"]["score"] == pytest.approx(0.8)
    assert data["calibration"]["synthetic_rows"] == 40


def test_scorecard_is_short_and_complete(report):
    text = scorecard(report)
    assert len(text.splitlines()) <= 20
    for name in ("validity", "fidelity", "length", "complexity", "diversity", "drift", "privacy", "overall"):
        assert re.search(rf"^{name}\s+\d\.\d\d", text, re.MULTILINE), name
    assert "rows 40 of 50 asked" in text and "3 exact" in text


def test_html_is_one_self_contained_file(report):
    page = render(report)
    assert page.count("data:image/png;base64,") >= 10
    assert not re.search(r"(src|href)=['\"](https?:|//)", page)
    assert "<script" not in page
    assert "Copies of real texts" in page


def test_the_words_that_tell_synthetic_texts_from_real_ones_are_in_the_json_and_the_page(report):
    detection = [m for m in report.properties["drift"].metrics if m.metric == "text_detection"]
    assert len(detection) == 1 and 0.0 <= detection[0].score <= 1.0
    assert detection[0].details["synthetic_uses_more"]  # 40 texts a side: some words differ by 5 points
    assert "Words that tell synthetic texts from real ones" in render(report)
    assert "ROC AUC" in scorecard(report)
