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


NOTED = pd.DataFrame({
    "rating": REAL["rating"],
    "text": REAL["text"],
    "note": [f"Called support {i} times about the {w}, then {v}." if i % 3 else "" for i, (w, v) in
             enumerate(zip(["lid", "seal", "label", "box", "cap", "scoop"] * 4,
                           ["gave up", "got a refund", "waited", "it was fixed"] * 6, strict=True))],
})


def test_a_text_column_left_empty_is_measured_as_missing_not_as_perfect(embedder):
    """A run that wrote none of a column's texts: its empty cells were embedded and found as close to the real
    texts as they are to each other (drift 1.00), and its words scored distinct-1 1.00."""
    from syngen.evaluation.properties import consistency, diversity, drift, fidelity

    profile = profile_table(Table(NOTED, "noted", "utf-8", ","))
    synthetic = NOTED.assign(note="").iloc[:12].reset_index(drop=True)
    ctx = EvalContext(real=NOTED, synthetic=synthetic, profile=profile, embedder=embedder)
    shares = [m for m in fidelity.measure(ctx).metrics if m.metric == "text_empty_share"]
    assert [m.column for m in shares] == ["note"] and shares[0].raw == pytest.approx(1 - 2 / 3, abs=0.01)
    assert "'note' is empty in 100% of the synthetic rows, against 33% of the real rows" in fidelity.measure(ctx).notes
    assert not [m for m in diversity.measure(ctx).metrics if m.column == "note"]
    assert not [m for m in consistency.measure(ctx).metrics if m.column == "note"]
    measured = drift.measure(ctx)
    assert not [m for m in measured.metrics if m.column == "note"]
    assert measured.details["texts_measured"]["synthetic"] == 12  # the 12 texts, none of the 12 empty notes
