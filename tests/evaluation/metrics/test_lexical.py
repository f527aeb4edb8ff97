import pytest

from syngen.evaluation.metrics.lexical import (
    CompressionRatio,
    DistinctN,
    SelfSimilarity,
    distinct_n,
    repeated_values,
    tokenize,
)
from syngen.evaluation.metrics.sampled import RepeatedShare


def test_tokenize_and_distinct_n_by_hand():
    assert tokenize("It's GOOD, really good.") == ["it's", "good", "really", "good"]
    assert distinct_n([["a", "b", "a", "b"]], 1) == 0.5
    assert distinct_n([["a", "b", "a", "b"]], 2) == pytest.approx(2 / 3)  # ab, ba, ab
    assert distinct_n([["a", "b"], ["b", "c"]], 2) == 1.0  # no bigram across texts
    assert distinct_n([], 1) == 0.0


def test_distinct_n_compares_equal_token_budgets():
    # real is cut to the synthetic's 4 tokens: "a b a b" (0.5) against "a b c d" (1.0)
    metric = DistinctN(1, repeats=1)
    breakdown = metric.compute_breakdown([["a", "b", "a", "b", "a", "b", "a", "b"]], [["a", "b", "c", "d"]])
    assert breakdown["budget"] == 4
    assert (breakdown["real"], breakdown["synthetic"], breakdown["raw"]) == (0.5, 1.0, 2.0)
    assert metric.normalize(breakdown["raw"]) == 0.5


def test_compression_ratio_sees_repetition():
    words = ["zinc", "iron", "sleep", "mood", "energy", "taste", "pills"]
    varied = [f"review {i} mentions {w}" for i, w in enumerate(words)]
    metric = CompressionRatio(repeats=1)
    assert metric.normalize(metric.compute(varied, varied)) == 1.0
    assert metric.normalize(metric.compute(varied, ["same text here"] * 7)) < 0.7


def test_self_similarity_of_identical_texts_is_one():
    metric = SelfSimilarity(repeats=1)
    breakdown = metric.compute_breakdown(["a b c", "x y z", "one two"], ["same words"] * 3)
    assert breakdown["synthetic"] == pytest.approx(1.0)
    assert breakdown["real"] < 0.5


def test_repeated_share_by_hand():
    metric = RepeatedShare(repeats=1)
    # synthetic: all four values repeated (1.0); real: none repeated (0.0)
    breakdown = metric.compute_breakdown(list("abcd"), list("aabb"))
    assert (breakdown["real"], breakdown["synthetic"], breakdown["raw"]) == (0.0, 1.0, 1.0)
    assert metric.normalize(1.0) == 0.0
    assert metric.compute(list("abcd"), []) == 1.0


def test_repeated_values_lists_shares():
    listed = repeated_values(["Five Stars", "Good", "Five Stars", "Ok"], ["Five Stars"] * 3 + ["Meh"])
    assert listed == [{"value": "Five Stars", "synthetic_share": 0.75, "real_share": 0.5}]
