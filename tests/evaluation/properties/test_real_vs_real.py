"""Integration on the real reviews: one real half against the other scores high on every property, and
each kind of damage scores low on the property that should catch it (and not on the others)."""

import numpy as np
import pandas as pd
import pytest

from syngen.evaluation.properties import measure_all


@pytest.fixture(scope="module")
def real_scores(half_context, halves):
    return measure_all(half_context.with_synthetic(halves[1]))


def _scores(half_context, synthetic: pd.DataFrame) -> dict[str, float]:
    return {name: prop.score for name, prop in measure_all(half_context.with_synthetic(synthetic)).items()}


def test_real_halves_score_high_on_every_property(real_scores):
    for name, prop in real_scores.items():
        assert prop.score >= 0.85, (name, prop.score)
    assert real_scores["privacy"].details["exact_copies"] <= 5  # short stock phrases only


def test_rows_copied_from_the_real_data_fail_privacy_only(half_context, halves, real_scores):
    first, second = halves
    copied = first.iloc[: len(second)].reset_index(drop=True)
    scores = _scores(half_context, copied)
    assert scores["privacy"] < 0.2
    assert all(scores[name] >= 0.95 for name in ("validity", "fidelity", "length", "diversity"))


def test_one_repeated_text_fails_diversity(half_context, halves, real_scores):
    second = halves[1]
    repeated = second.assign(text=second["text"].iloc[0])
    scores = _scores(half_context, repeated)
    assert scores["diversity"] < real_scores["diversity"].score - 0.4
    assert scores["validity"] >= 0.95 and scores["fidelity"] >= 0.9


def test_truncated_texts_fail_length(half_context, halves, real_scores):
    second = halves[1]
    truncated = second.assign(text=[" ".join(t.split()[:3]) for t in second["text"]])
    scores = _scores(half_context, truncated)
    assert scores["length"] < real_scores["length"].score - 0.3
    assert scores["validity"] >= 0.95 and scores["fidelity"] >= 0.9


def test_swapped_columns_fail_validity_and_fidelity(half_context, halves, real_scores):
    second = halves[1]
    swapped = second.assign(rating=second["helpful_vote"], helpful_vote=second["rating"], asin=second["user_id"],
                            user_id=second["asin"], date=second["time"], time=second["date"])
    scores = _scores(half_context, swapped)
    assert scores["validity"] < 0.6
    assert scores["fidelity"] < real_scores["fidelity"].score - 0.25


def test_independently_shuffled_columns_break_associations(half_context, halves, real_scores):
    second = halves[1]
    rng = np.random.default_rng(1)
    shuffled = second.apply(lambda column: column.to_numpy()[rng.permutation(len(column))])
    result = measure_all(half_context.with_synthetic(shuffled))
    pairs = {m.column: m.score for m in result["fidelity"].metrics if m.metric == "contingency_similarity"}
    assert pairs["asin x parent_asin"] < 0.4  # one determines the other in the real data
    assert result["fidelity"].score < real_scores["fidelity"].score - 0.04
    # date and time no longer agree with the timestamp
    assert result["validity"].score < real_scores["validity"].score - 0.15
