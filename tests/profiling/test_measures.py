"""A number column that measures its row's text (characters or words: `review_length`, `word_count`) is computed
from each generated text; drawn on its own, a `text_len` of 146 stood beside an 806-character text, and the real
text "predicted" it, so it was checked as a label."""

import random

import jinja2
import pandas as pd

from syngen.data.loader import read_table_bytes
from syngen.profiling import profile_table
from tests.fakes import scripted_run

WORDS = ["tea", "mug", "leaf", "green", "strong", "fresh", "bitter", "sweet", "cup", "pot", "brew", "aroma",
         "smooth", "loose", "bag", "morning", "evening", "calm", "warm", "taste"]


def _reviews(rows: int = 120) -> pd.DataFrame:
    rng = random.Random(6)
    texts = ["" if i % 10 == 3 else " ".join(rng.sample(WORDS, rng.randint(4, 15))).capitalize() + "."
             for i in range(rows)]
    return pd.DataFrame({
        "text": texts,
        "stars": [str(rng.randint(1, 5)) for _ in range(rows)],
        "chars": [str(len(t)) if t else "" for t in texts],
        "words": [str(len(t.split())) for t in texts],  # 0 for an empty text
    })


def test_columns_measuring_the_text_are_written_from_it():
    table = read_table_bytes(_reviews().to_csv(index=False).encode(), source="teas.csv")
    compositions = profile_table(table).compositions
    assert compositions == {"chars": "{{ text|length if text else '' }}", "words": "{{ text.split()|length }}"}


def test_generated_rows_measure_their_own_text(tmp_path):
    data = tmp_path / "teas.csv"
    _reviews().to_csv(data, index=False)
    rng = random.Random(2)
    rows = scripted_run(data, tmp_path / "out.csv", lambda: {
        "text": " ".join(rng.sample(WORDS, rng.randint(3, 16))).capitalize() + "."}, num_samples=12, seed=1).rows
    filled = rows[rows["text"] != ""]
    assert len(filled) >= 8
    assert (filled["chars"] == filled["text"].str.len().astype(str)).all()
    assert (rows["words"] == rows["text"].str.split().str.len().astype(str)).all()
    assert (rows.loc[rows["text"] == "", "chars"] == "").all()


def test_a_count_with_a_fixed_value_for_a_placeholder_text_is_written_from_the_text():
    """The hotel-review corpus counts a review's words, and writes "No Negative" (no review) with a count of 0:
    a fifth of the rows broke the measure, so the count was drawn on its own (13 beside "The room was broken")."""
    frame = _reviews()
    placeholder = frame.index % 5 == 1
    frame.loc[placeholder, "text"] = "No Negative"
    frame["words"] = [("0" if p else str(len(t.split()))) for p, t in zip(placeholder, frame["text"], strict=True)]
    table = read_table_bytes(frame.drop(columns="chars").to_csv(index=False).encode(), source="hotels.csv")
    template = profile_table(table).compositions["words"]
    assert template == "{{ 0 if text == 'No Negative' else (text.split()|length) }}"
    render = jinja2.Environment().from_string(template).render
    assert render(text="No Negative") == "0" and render(text="The room was broken") == "4"
