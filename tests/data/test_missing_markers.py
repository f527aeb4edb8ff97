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


def _stays(rows: int = 200) -> pd.DataFrame:
    """A hotel-review shape: the site writes "No Negative" where a guest left the complaint out (a quarter of the
    rows, mostly the happy ones), and counts the complaint's words."""
    rng = random.Random(11)
    score = [rng.choice(["9.6", "8.8", "7.5", "5.4"]) for _ in range(rows)]
    negative = ["No Negative" if s in ("9.6", "8.8") and rng.random() < 0.5
                else " ".join(rng.sample(WORDS, rng.randint(3, 9))).capitalize() for s in score]
    return pd.DataFrame({"score": score, "negative": negative, "words": [
        "0" if n == "No Negative" else str(len(n.split())) for n in negative]})


def test_a_free_text_columns_stand_in_for_a_left_out_text_is_read_as_an_empty_cell():
    table = read_table_bytes(_stays().to_csv(index=False).encode(), source="stays.csv")
    assert table.missing == {"negative": "No Negative"}
    assert 0.15 <= (table.frame["negative"] == "").mean() <= 0.35
    assert any("'No Negative' stands for a text left out" in note for note in table.notes)


def test_a_common_value_of_categories_or_of_a_few_rows_is_no_stand_in():
    rng = random.Random(3)
    frame = pd.DataFrame({
        "city": [rng.choice(["Paris", "Paris", "Paris", "Rome", "Oslo"]) for _ in range(200)],  # a category
        "says": ["Great stay" if i % 10 == 0 else ("Nice room" if i % 20 == 1 else  # not 3 times the next value
                 " ".join(rng.sample(WORDS, 6))) for i in range(200)],
    })
    assert read_table_bytes(frame.to_csv(index=False).encode()).missing == {}
    few = _stays(40)
    assert read_table_bytes(few.to_csv(index=False).encode()).missing == {}


def test_generated_rows_keep_the_stand_ins_real_share_and_the_model_never_writes_it(tmp_path):
    data = tmp_path / "stays.csv"
    _stays().to_csv(data, index=False)
    rng = random.Random(5)
    asked = []

    def answer() -> dict[str, str]:
        asked.append(1)
        text = "No Negative" if len(asked) % 3 == 0 else " ".join(rng.sample(WORDS, 5)).capitalize()
        return {"negative": text}

    result = scripted_run(data, tmp_path / "out.csv", answer, num_samples=60, seed=2)
    written = pd.read_csv(tmp_path / "out.csv", dtype=str, keep_default_na=False)
    stand_ins = written["negative"] == "No Negative"
    assert "" not in set(written["negative"]) and 0.1 <= stand_ins.mean() <= 0.4
    assert set(written.loc[stand_ins, "score"]) <= {"9.6", "8.8"}, "left out by the happy guests, as in the real rows"
    assert (written.loc[stand_ins, "words"] == "0").all()
    assert result.sidecar["rejections"].get("empty_field", 0) > 0, "the model's own 'No Negative' was rejected"


def test_values_that_all_open_with_a_space_are_written_so_too(tmp_path):
    """The hotel-review corpus opens every complaint with a space (" Nothing to complain about"), its stand-in
    "No Negative" aside; the model's texts are tidied of spaces, so the output gives them back."""
    data = tmp_path / "stays.csv"
    stays = _stays()
    stays["negative"] = stays["negative"].where(stays["negative"] == "No Negative", " " + stays["negative"])
    stays.to_csv(data, index=False)
    table = read_table_bytes(data.read_bytes(), source="stays.csv")
    assert table.padding == {"negative": (" ", "")}
    rng = random.Random(8)
    scripted_run(data, tmp_path / "out.csv", lambda: {"negative": " ".join(rng.sample(WORDS, 5)).capitalize()},
                 num_samples=30, seed=4)
    written = pd.read_csv(tmp_path / "out.csv", dtype=str, keep_default_na=False)["negative"]
    texts = written[written != "No Negative"]
    assert len(texts) >= 15 and texts.str.startswith(" ").all() and not texts.str.startswith("  ").any()
    assert read_table_bytes(_table().to_csv(index=False).encode()).padding == {}  # the teas open with none
