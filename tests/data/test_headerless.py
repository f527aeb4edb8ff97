"""A table whose first row is data, not column names (the SMS spam collection: "ham<TAB>Go until jurong point..."),
is read with every row as data, its columns called column_1..N, and its generated rows written without a header
too; before, the first real row became the header and was written at the top of every output."""

import random

import pandas as pd

from syngen.data.loader import load_table, read_table_bytes
from syngen.evaluation.runner import evaluate_files
from tests.fakes import scripted_run

WORDS = ["call", "me", "later", "bus", "late", "again", "dinner", "tonight", "see", "you", "soon", "class", "notes",
         "send", "exam", "party", "home", "milk", "keys", "traffic"]


def _messages(rows: int = 120, seed: int = 5) -> pd.DataFrame:
    rng = random.Random(seed)
    return pd.DataFrame({
        "label": ["spam" if i % 5 == 0 else "ham" for i in range(rows)],
        "message": [" ".join(rng.sample(WORDS, rng.randint(5, 12))).capitalize() + "." for _ in range(rows)],
        "sent": [f"2024-03-{1 + i % 28:02d} 1{i % 10}:0{i % 6}" for i in range(rows)],
    })


def _bytes(frame: pd.DataFrame, header: bool, sep: str = "\t") -> bytes:
    return frame.to_csv(index=False, header=header, sep=sep).encode()


def test_a_table_without_a_header_row_keeps_its_first_row_as_data():
    frame = _messages()
    table = read_table_bytes(_bytes(frame, header=False), source="sms.tsv")
    assert not table.header and table.columns == ["column_1", "column_2", "column_3"]
    assert len(table.frame) == len(frame) and table.frame.iloc[0].tolist() == frame.iloc[0].tolist()
    assert any("the first row holds data, not column names" in note for note in table.notes)


def test_names_over_their_values_are_a_header():
    frame = _messages()
    assert read_table_bytes(_bytes(frame, header=True), source="sms.tsv").header
    rated = pd.DataFrame({"rating": [str(1 + i % 5) for i in range(60)],
                          "title": [f"Good buy number {i}" for i in range(60)]})
    assert read_table_bytes(_bytes(rated, header=True, sep=","), source="r.csv").columns == ["rating", "title"]
    years = pd.DataFrame({"1990": ["3.5", "2.25"] * 20, "1991": ["4.0", "1.5"] * 20, "1992": ["2.0", "7.1"] * 20})
    assert read_table_bytes(_bytes(years, header=True, sep=","), source="y.csv").columns == ["1990", "1991", "1992"]


def test_a_header_repeated_below_is_still_a_header():
    frame = _messages()
    repeated = pd.concat([frame.head(60), pd.DataFrame([frame.columns.tolist()], columns=frame.columns),
                          frame.tail(60)])
    assert read_table_bytes(_bytes(repeated, header=True), source="joined.tsv").columns == frame.columns.tolist()


def test_rows_of_a_headerless_table_are_written_and_scored_without_a_header(tmp_path):
    data = tmp_path / "sms.tsv"
    data.write_bytes(_bytes(_messages(), header=False))
    rng = random.Random(3)
    result = scripted_run(data, tmp_path / "out.tsv", lambda: {
        "column_2": " ".join(rng.sample(WORDS, rng.randint(6, 12))).capitalize() + "."}, num_samples=12, seed=2)

    lines = (tmp_path / "out.tsv").read_text().splitlines()
    assert len(lines) == 12 and lines[0].split("\t")[0] in ("ham", "spam")
    assert lines[0].split("\t") == result.rows.iloc[0].tolist()
    report = evaluate_files(data, tmp_path / "out.tsv", embeddings=False, calibration=False)
    assert len(report.context.synthetic) == 12


def test_blank_header_cells_are_written_blank_again(tmp_path):
    """The SMS spam collection's header is `v1,v2,,,`: three trailing columns with no name."""
    path = tmp_path / "spam.csv"
    path.write_text("v1,v2,,,\n" + "".join(f"ham,see you at {i} lar,,,\n" for i in range(20)))
    table = load_table(path)
    assert table.columns == ["v1", "v2", "column_3", "column_4", "column_5"]
    assert table.header_row(table.columns) == ["v1", "v2", "", "", ""]
    assert table.header_row(["v1", "v2"]) is True
