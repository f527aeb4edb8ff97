"""A column that writes its missing cells as a marker ("NA", "N/A", "null") is profiled by its values, keeps its
missing share, and gets the marker back in the output (a price column with "NA" in a fifth of its rows was read as
235 categories, dates with "N/A" as digit shapes)."""

import random

import pandas as pd

from syngen.data.loader import read_table_bytes
from syngen.evaluation.runner import evaluate_files
from syngen.profiling import profile_table
from syngen.profiling.model import ColumnKind
from tests.fakes import scripted_run

WORDS = ["tea", "mug", "leaf", "green", "strong", "fresh", "bitter", "sweet", "cup", "pot", "brew", "aroma",
         "smooth", "loose", "bag", "morning", "evening", "calm", "warm", "taste"]


def _table(rows: int = 200) -> pd.DataFrame:
    rng = random.Random(4)
    return pd.DataFrame({
        "note": [" ".join(rng.sample(WORDS, 9)).capitalize() + "." for _ in range(rows)],
        "price": ["NA" if i % 5 == 0 else f"{rng.uniform(2, 40):.2f}" for i in range(rows)],
        "sold": ["N/A" if i % 10 == 3 else f"2024-0{1 + i % 9}-1{i % 9}" for i in range(rows)],
        "code": ["NA" if i % 4 == 0 else ("" if i % 4 == 1 else "EU") for i in range(rows)],  # "" too: NA a value
    })


def test_a_missing_marker_is_read_as_an_empty_cell_and_the_column_by_its_values():
    table = read_table_bytes(_table().to_csv(index=False).encode(), source="teas.csv")
    assert table.missing == {"price": "NA", "sold": "N/A"}
    assert (table.frame["price"] == "").mean() == 0.2 and "NA" in set(table.frame["code"])
    kinds = {c.name: c.kind for c in profile_table(table).columns}
    assert kinds["price"] is ColumnKind.FLOAT and kinds["sold"] is ColumnKind.DATETIME
    assert any("'NA' marks a missing value (20% of rows)" in note for note in table.notes)
    written = table.written(pd.DataFrame({"price": ["3.10", ""], "sold": ["", "2024-01-10"], "code": ["", "EU"]}))
    assert written.to_dict("list") == {"price": ["3.10", "NA"], "sold": ["N/A", "2024-01-10"], "code": ["", "EU"]}
    read = table.as_read(pd.DataFrame({"price": ["NA", "3.10"], "code": ["NA", "EU"]}))
    assert read.to_dict("list") == {"price": ["", "3.10"], "code": ["NA", "EU"]}  # a code's "NA" is a value


def test_generated_rows_write_missing_cells_as_the_real_table_does(tmp_path):
    data = tmp_path / "teas.csv"
    _table().to_csv(data, index=False)
    rng = random.Random(9)
    result = scripted_run(data, tmp_path / "out.csv", lambda: {"note": " ".join(rng.sample(WORDS, 9)) + "."},
                          num_samples=40, seed=2)

    written = pd.read_csv(tmp_path / "out.csv", dtype=str, keep_default_na=False)
    assert "" not in set(written["price"]) and 0.05 <= (written["price"] == "NA").mean() <= 0.4
    assert "" not in set(written["sold"]) and set(written["sold"]) - {"N/A"}
    assert all(value == "NA" or float(value) > 0 for value in written["price"])
    assert result.rows["price"].tolist() == written["price"].tolist()
    report = evaluate_files(data, tmp_path / "out.csv", embeddings=False, calibration=False)
    scored = report.context.synthetic  # scored by the real table's markers: "NA" an empty cell, as in the real rows
    assert (scored["price"] == "").tolist() == (written["price"] == "NA").tolist()
