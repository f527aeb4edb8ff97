"""Fidelity on a small table of our own: the same columns, associated the other way round, score lower."""

import pandas as pd
import pytest

from syngen.data.loader import Table
from syngen.evaluation.context import EvalContext
from syngen.evaluation.properties import fidelity
from syngen.profiling import profile_table

# 5 stars come with many helpful votes, 1 star with none; every value appears in both halves of each column.
REAL = pd.DataFrame({"rating": ["5", "1"] * 20, "helpful_vote": ["40", "0", "35", "1", "50", "2", "45", "0"] * 5,
                     "verified": ["yes", "no", "no", "yes"] * 10,
                     "text": [f"Review number {i} says the capsules were {w} this week." for i, w in
                              zip(range(40), ["fine", "bad", "great", "odd"] * 10, strict=True)]})


@pytest.fixture(scope="module")
def profile():
    return profile_table(Table(REAL, "votes", "utf-8", ","))


def score(profile, synthetic: pd.DataFrame) -> float:
    return fidelity.measure(EvalContext(real=REAL, synthetic=synthetic, profile=profile, embedder=None)).score


def test_a_flipped_association_lowers_fidelity(profile):
    flipped = REAL.assign(rating=REAL["rating"].map({"5": "1", "1": "5"}))  # the same marginals
    assert score(profile, REAL.copy()) == pytest.approx(1.0)
    assert score(profile, flipped) < 0.9  # the pair's joint table no longer matches: 1 of 3 metric groups at 2/3


def test_numbers_written_with_decimal_commas_are_compared_as_numbers():
    """A German table's prices ("1.234,57 €") and weights ("3,1") stopped `syngen evaluate` with "ks_complement
    needs real values to compare with": they were read as plain numbers, so none was."""
    real = pd.DataFrame({"Preis": [f"{1000 + 37 * i:,}.{i % 100:02d} €".replace(",", "X").replace(".", ",")
                                   .replace("X", ".") for i in range(40)],
                         "Gewicht_kg": [f"{1 + i % 9},{i % 10}" for i in range(40)],
                         "Kommentar": [f"Gutes Gerät Nummer {i}, die Lieferung kam {w}." for i, w in
                                       zip(range(40), ["schnell", "spät", "pünktlich", "gestern"] * 10, strict=True)]})
    profile = profile_table(Table(real, "euro", "utf-8", ";"))
    assert profile.column("Preis").stats.number_format is not None
    cheaper = real.assign(Preis=real["Preis"].str.replace("1.", "9", regex=False))  # 1.037,01 € -> 9037,01 €
    result = fidelity.measure(EvalContext(real=real, synthetic=real.copy(), profile=profile, embedder=None))
    shapes = {m.column: m.score for m in result.metrics if m.metric == "ks_complement"}
    assert shapes == {"Preis": pytest.approx(1.0), "Gewicht_kg": pytest.approx(1.0)}
    moved = fidelity.measure(EvalContext(real=real, synthetic=cheaper, profile=profile, embedder=None))
    assert next(m.score for m in moved.metrics if m.column == "Preis" and m.metric == "ks_complement") < 0.5


def test_unix_times_are_compared_as_times():
    """Amazon's fine-food reviews date each review by a unix time (1303862400); `syngen evaluate` stopped with "ks_
    complement needs real values to compare with", since an epoch is read only in the column's own formats."""
    real = pd.DataFrame({"Time": [str(1_200_000_000 + 86_400 * 7 * i) for i in range(40)],
                         "Text": [f"Review {i} of the oat snack, it was {w} and arrived on time." for i, w in
                                  zip(range(40), ["fine", "stale", "great", "odd"] * 10, strict=True)]})
    profile = profile_table(Table(real, "food", "utf-8", ","))
    later = real.assign(Time=(real["Time"].astype(int) + 86_400 * 400).astype(str))
    same = fidelity.measure(EvalContext(real=real, synthetic=real.copy(), profile=profile, embedder=None))
    moved = fidelity.measure(EvalContext(real=real, synthetic=later, profile=profile, embedder=None))
    assert next(m.score for m in same.metrics if m.column == "Time") == pytest.approx(1.0)
    assert next(m.score for m in moved.metrics if m.column == "Time") < 0.5
