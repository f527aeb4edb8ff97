"""Properties on tiny tables whose scores can be followed by hand."""

import pandas as pd
import pytest

from syngen.data.loader import Table
from syngen.evaluation.context import EvalContext
from syngen.evaluation.properties import length, privacy, validity
from syngen.profiling import profile_table

REAL = pd.DataFrame({
    "rating": ["5", "4", "5", "1"] * 6,
    "text": [f"{a} {b} {c}" for a in ("These capsules", "My daily zinc", "The fish oil", "This powder")
             for b in ("worked well", "tasted odd", "arrived late") for c in ("for me.", "overall, sadly!")],
})


@pytest.fixture(scope="module")
def profile():
    return profile_table(Table(REAL, "tiny", "utf-8", ","))


def context(profile, synthetic, **extra) -> EvalContext:
    return EvalContext(real=REAL, synthetic=synthetic, profile=profile, embedder=None, **extra)


def test_validity_counts_rows_and_formats(profile):
    synthetic = pd.DataFrame({"rating": ["5", "4.5"], "text": ["fine", "also fine"]})
    result = validity.measure(context(profile, synthetic, expected_rows=4, unusable=2))
    means = result.metric_means()
    assert means["valid_rows"] == 0.5
    assert means["usable_share"] == 0.5  # 2 rows read, 2 unusable
    assert means["count_accuracy"] == 0.5  # 2 of 4 asked
    assert result.details["invalid_examples"] == {"rating": ["4.5"]}
    assert result.details["valid_rows"] == 1


def test_length_of_identical_texts_is_perfect(profile):
    result = length.measure(context(profile, REAL.copy()))
    assert result.score == pytest.approx(1.0)


def test_privacy_without_embeddings_counts_copies(profile):
    synthetic = REAL.iloc[:4].copy()
    synthetic.loc[1, "text"] = synthetic.loc[1, "text"].replace("well", "wel")  # punctuation alone: exact
    few_shot = REAL.iloc[:1]
    result = privacy.measure(context(profile, synthetic, few_shot=few_shot))
    assert (result.details["exact_copies"], result.details["near_copies"]) == (3, 1)
    assert (result.details["few_shot_exact_copies"], result.details["few_shot_near_copies"]) == (1, 0)
    assert result.details["own_words_texts"] == 0  # the tiny table's words are each in several of its texts
    # all four copy a real text; one a few-shot row; none holds words only one real text uses
    assert result.score == pytest.approx((0.0 + 0.75 + 1.0) / 3)
