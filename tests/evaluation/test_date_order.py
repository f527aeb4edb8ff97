"""The report's validity says how many generated rows date a column before the date it follows in every real row
(a reply before its review)."""

from syngen.evaluation.runner import evaluate_files
from tests.profiling.test_orders import _tickets


def test_validity_counts_the_rows_whose_dates_break_the_real_order(tmp_path):
    real = _tickets()
    real.to_csv(tmp_path / "real.csv", index=False)
    synthetic = _tickets(rows=40).copy()
    synthetic.loc[synthetic.index[:8], "resolved"] = "01/01/2020 10:00"  # before every opened date
    synthetic.to_csv(tmp_path / "synthetic.csv", index=False)

    report = evaluate_files(tmp_path / "real.csv", tmp_path / "synthetic.csv", embeddings=False, calibration=False)
    order = next(m for m in report.to_dict()["properties"]["validity"]["metrics"] if m["metric"] == "date_order")
    assert order["column"] == "resolved" and order["real"] == 1.0
    assert order["failed"] == 8 and order["raw"] == 32 / 40


def test_a_column_of_times_alone_is_compared_by_the_time_of_day(tmp_path):
    """Read as no value at all before, a column of times (shift_start "08:00") stopped the evaluation."""
    _tickets().to_csv(tmp_path / "real.csv", index=False)
    _tickets(rows=40).to_csv(tmp_path / "synthetic.csv", index=False)
    report = evaluate_files(tmp_path / "real.csv", tmp_path / "synthetic.csv", embeddings=False, calibration=False)
    shape = next(m for m in report.to_dict()["properties"]["fidelity"]["metrics"] if m["column"] == "shift_start")
    assert shape["metric"] == "ks_complement" and shape["raw"] > 0.8
