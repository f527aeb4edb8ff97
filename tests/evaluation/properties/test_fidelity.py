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
