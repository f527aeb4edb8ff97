import json

import pandas as pd
import pytest

from syngen.errors import DataError
from syngen.evaluation.inputs import from_frame, load_synthetic

COLUMNS = ["rating", "title", "text"]


def test_clean_csv_is_read_exactly(tmp_path):
    path = tmp_path / "rows.csv"
    pd.DataFrame({"rating": ["5"], "title": [" padded "], "text": ["a, b"]}).to_csv(path, index=False)
    rows = load_synthetic(path, COLUMNS, ["title", "text"])
    assert (rows.format, rows.unusable, rows.expected_rows) == ("csv", 0, None)
    assert rows.frame.iloc[0].tolist() == ["5", " padded ", "a, b"]


def test_sidecar_gives_rows_asked_and_few_shot(tmp_path):
    path = tmp_path / "out.csv"
    pd.DataFrame({"rating": ["5", "4"], "title": ["t", "u"], "text": ["x", "y"]}).to_csv(path, index=False)
    (tmp_path / "out.json").write_text(json.dumps({"rows_asked": 3, "few_shot_rows": [0, 7]}))
    rows = load_synthetic(path, COLUMNS, ["text"])
    assert (rows.expected_rows, rows.expected_source, rows.few_shot_rows) == (3, "sidecar", [0, 7])


def test_messy_answer_goes_through_the_parser(tmp_path):
    path = tmp_path / "suppl_base_x_4_output.csv"
    path.write_text("Here are the rows:\n\n| rating | title | text |\n|---|---|---|\n| 5 | Good | Nice stuff |\n")
    rows = load_synthetic(path, COLUMNS, ["title", "text"])
    assert rows.format == "markdown"
    assert rows.frame.iloc[0].tolist() == ["5", "Good", "Nice stuff"]
    assert (rows.expected_rows, rows.expected_source) == (4, "file name")


def test_missing_columns_are_empty():
    rows = from_frame(pd.DataFrame({"text": ["x"], "extra": ["y"]}), COLUMNS, "mem.csv")
    assert rows.frame.columns.tolist() == COLUMNS
    assert rows.frame.iloc[0].tolist() == ["", "", "x"]


@pytest.mark.parametrize("content", [b"", b"   \n", b"\x00\x01binary"])
def test_unusable_files_raise_data_error(tmp_path, content):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with pytest.raises(DataError):
        load_synthetic(path, COLUMNS, ["text"])


def test_missing_file_and_bad_sidecar(tmp_path):
    with pytest.raises(DataError, match="does not exist"):
        load_synthetic(tmp_path / "nope.csv", COLUMNS, ["text"])
    path = tmp_path / "out.csv"
    path.write_text("rating,title,text\n5,a,b\n")
    (tmp_path / "out.json").write_text("{not json")
    with pytest.raises(DataError, match="sidecar"):
        load_synthetic(path, COLUMNS, ["text"])


def test_a_file_of_a_header_alone_is_said_to_hold_no_rows(tmp_path):
    """A run that made no row writes its header to the .partial file; evaluate said no row of it "could be read as
    the real table's rows", as though its rows were of another table."""
    path = tmp_path / "out.partial.csv"
    path.write_text("rating,title,text\n")
    with pytest.raises(DataError, match="holds a header and no rows") as raised:
        load_synthetic(path, COLUMNS, ["text"])
    assert "generate rows first" in raised.value.one_line()
