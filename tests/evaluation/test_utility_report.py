"""ML utility where a user reads it: the JSON report, the scorecard, the HTML report and `syngen evaluate`."""

from __future__ import annotations

import json

import pytest

from syngen.cli.main import main
from syngen.data.loader import Table
from syngen.evaluation import evaluate_input
from syngen.evaluation.html_report import render
from syngen.evaluation.inputs import from_frame
from syngen.evaluation.scorecard import scorecard
from syngen.profiling import profile_table

from .test_utility import BALANCED, reviews


@pytest.fixture(scope="module")
def report():
    real = reviews(BALANCED, seed=1)
    table = Table(real, "real.csv", "utf-8", ",")
    profile = profile_table(table)
    synthetic = from_frame(reviews(BALANCED, seed=2), profile.names, "synthetic.csv")
    return evaluate_input(table, profile, synthetic, embeddings=False, calibration=False, utility="label")


def test_the_json_report_holds_each_comparison_with_its_interval(report):
    utility = json.loads(json.dumps(report.to_dict()))["utility"]
    assert utility["label"] == "label" and utility["text"] == "review"
    tstr = utility["comparisons"]["tstr"]
    assert tstr["candidate"]["low"] <= tstr["candidate"]["value"] <= tstr["candidate"]["high"]
    assert set(utility["comparisons"]) == {"tstr", "augmentation", "augmentation_macro"}


def test_the_scorecard_and_html_show_the_utility(report):
    card = scorecard(report)
    assert "utility: a classifier of label from review" in card
    assert "train on synthetic vs on as many real rows" in card and "difference +0.000 [" in card
    page = render(report)
    assert "ML utility: a classifier of label from review" in page and "95% bootstrap intervals" in page


def test_no_utility_asked_means_none_in_the_report():
    real = reviews(BALANCED, seed=1)
    table = Table(real, "real.csv", "utf-8", ",")
    profile = profile_table(table)
    plain = evaluate_input(table, profile, from_frame(real.head(20), profile.names, "s.csv"), embeddings=False,
                           calibration=False)
    assert plain.to_dict()["utility"] is None and "utility" not in scorecard(plain)


@pytest.mark.parametrize("options, words", [
    (["--utility", "review"], "--utility review is a text column, not a category"),
    (["--utility-text", "review"], "--utility-text needs --utility"),
    (["--utility", "label", "--utility-text", "label"], "not free text"),
])
def test_evaluate_refuses_what_it_cannot_measure_in_one_line(tmp_path, capsys, options, words):
    real, synthetic = tmp_path / "real.csv", tmp_path / "synthetic.csv"
    reviews(BALANCED, seed=1).to_csv(real, index=False)
    reviews(BALANCED, seed=2).to_csv(synthetic, index=False)
    code = main(["evaluate", "--real", str(real), "--synthetic", str(synthetic), *options])
    err = capsys.readouterr().err.strip()
    assert code != 0 and len(err.splitlines()) == 1 and words in err


def test_the_experiment_table_has_utility_columns_only_when_asked(report):
    from syngen.evaluation.comparison import comparison_frame
    from syngen.evaluation.experiment import Cell, Grid

    table = comparison_frame(Grid([Cell("m", "base", "done", report=report)], {}, 180))
    cell = table[table["status"] == "done"].iloc[0]
    assert cell["tstr_f1"] == pytest.approx(report.utility.comparisons["tstr"].scores.candidate.value, abs=1e-3)
    assert cell["tstr_minus_trtr"].startswith("+0.000 [") and "f1 of '" in cell["augment_gain"]
    report.utility, kept = None, report.utility
    try:
        assert "tstr_f1" not in comparison_frame(Grid([Cell("m", "base", "done", report=report)], {}, 180)).columns
    finally:
        report.utility = kept


def test_experiment_refuses_a_utility_column_before_generating(tmp_path, capsys):
    real = tmp_path / "real.csv"
    reviews(BALANCED, seed=1).to_csv(real, index=False)
    code = main(["experiment", "--data", str(real), "--utility", "review", "--out", str(tmp_path / "grid"),
                 "--prompt-types", "base"])
    err = capsys.readouterr().err.strip()
    assert code != 0 and err.splitlines()[-1].startswith("error: --utility review is a text column")
    assert not (tmp_path / "grid").exists() or not any((tmp_path / "grid").iterdir())  # nothing generated
