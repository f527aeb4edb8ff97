"""`syngen evaluate` end to end, through the real entry point."""

import json

import pytest

from syngen.cli.main import main


def test_evaluate_writes_scorecard_json_and_html(tmp_path, reviews_path, products_path, seed_outputs_dir, capsys):
    synthetic = seed_outputs_dir / "suppl_text_length_hf_qwen_10_output.csv"
    html, data = tmp_path / "out" / "report.html", tmp_path / "report.json"
    code = main(["evaluate", "--real", str(reviews_path), "--synthetic", str(synthetic),
                 "--products", str(products_path), "--report", str(html), "--json", str(data)])
    out = capsys.readouterr().out
    assert code == 0
    assert "validity" in out and "privacy" in out and "rows 8 of 10 asked" in out
    report = json.loads(data.read_text())
    assert report["rows"] == 8 and report["unusable_rows"] >= 1
    assert report["properties"]["drift"]["topic"] == "Vitamins & Supplements"
    assert html.read_text().startswith("<!doctype html>")


@pytest.mark.parametrize("case", ["missing synthetic", "missing real", "binary synthetic", "no text column"])
def test_bad_input_is_one_line_and_non_zero(tmp_path, reviews_path, case, capsys):
    binary = tmp_path / "rows.csv"
    binary.write_bytes(b"\x00\x01\x02")
    numbers = tmp_path / "numbers.csv"
    numbers.write_text("a,b\n1,2\n3,4\n")
    real, synthetic = {
        "missing synthetic": (reviews_path, tmp_path / "nope.csv"),
        "missing real": (tmp_path / "nope.csv", reviews_path),
        "binary synthetic": (reviews_path, binary),
        "no text column": (numbers, numbers),
    }[case]
    code = main(["evaluate", "--real", str(real), "--synthetic", str(synthetic)])
    err = capsys.readouterr().err.strip()
    assert code != 0
    assert len(err.splitlines()) == 1 and err.startswith("error: ")
