import numpy as np
import pandas as pd
import pytest
from scipy.stats.contingency import crosstab

from syngen.errors import MetricError
from syngen.evaluation.metrics.association import (
    AssociationSimilarity,
    ContingencySimilarity,
    chi_square,
    contingency,
    cramers_v,
    joint_shares,
)

# 5 stars come with many helpful votes and 1 star with few; FLIPPED turns that around with the same marginals.
REAL = pd.DataFrame({"rating": ["5"] * 10 + ["1"] * 10, "votes": ["many"] * 10 + ["few"] * 10})
FLIPPED = pd.DataFrame({"rating": ["5"] * 10 + ["1"] * 10, "votes": ["few"] * 10 + ["many"] * 10})


def test_contingency_and_chi_square_by_hand():
    table = contingency(pd.Series(list("aabb")), pd.Series(list("xxyy")))
    assert table.tolist() == [[2, 0], [0, 2]]
    assert chi_square(table) == pytest.approx(4.0)  # each cell (2-1)^2/1


def test_cramers_v_perfect_and_none():
    # perfectly associated 2x2 of 4 rows: the bias correction leaves V = 1 (see module docstring)
    assert cramers_v(pd.Series(list("aabb")), pd.Series(list("xxyy"))) == pytest.approx(1.0)
    assert cramers_v(pd.Series(list("abab" * 5)), pd.Series(list("xxyy" * 5))) == 0.0
    assert cramers_v(pd.Series(list("aaaa")), pd.Series(list("xyxy"))) == 0.0  # constant column


def test_association_similarity():
    real = pd.DataFrame({"a": list("aabb" * 5), "b": list("xxyy" * 5)})
    broken = pd.DataFrame({"a": list("abab" * 5), "b": list("xxyy" * 5)})
    metric = AssociationSimilarity()
    assert metric.compute(real, real) == pytest.approx(1.0)
    assert metric.compute(real, broken) == pytest.approx(0.0)
    assert metric.compute(real, real.iloc[:1]) == 0.0
    with pytest.raises(MetricError):
        metric.compute(real[["a"]], real[["a"]])


def test_contingency_similarity_by_hand():
    real = pd.DataFrame({"a": list("xxyy"), "b": list("1212")})  # every cell 1/4
    synthetic = pd.DataFrame({"a": list("xxxy"), "b": list("1122")})  # x1 1/2, x2 1/4, y2 1/4, y1 0
    # TVD = (|1/4 - 1/2| + 0 + |1/4 - 0| + 0) / 2 = 1/4
    assert ContingencySimilarity().compute(real, synthetic) == pytest.approx(0.75)
    assert ContingencySimilarity().compute(real, real) == pytest.approx(1.0)
    disjoint = pd.DataFrame({"a": list("zz"), "b": list("99")})
    assert ContingencySimilarity().compute(real, disjoint) == pytest.approx(0.0)


def test_contingency_similarity_agrees_with_scipy_crosstabs():
    rng = np.random.default_rng(7)
    real = pd.DataFrame({"a": rng.choice(list("abc"), 300), "b": rng.choice(list("xyz"), 300, p=[0.5, 0.3, 0.2])})
    synthetic = pd.DataFrame({"a": rng.choice(list("abcd"), 200), "b": rng.choice(list("xy"), 200)})
    levels = (sorted(set(real.a) | set(synthetic.a)), sorted(set(real.b) | set(synthetic.b)))
    shares = [crosstab(f.a, f.b, levels=levels).count / len(f) for f in (real, synthetic)]
    expected = 1 - 0.5 * np.abs(shares[0] - shares[1]).sum()
    assert ContingencySimilarity().compute(real, synthetic) == pytest.approx(expected)
    assert joint_shares(real).sum() == pytest.approx(1.0)


def test_a_flipped_association_scores_low_though_its_strength_is_unchanged():
    assert AssociationSimilarity().compute(REAL, FLIPPED) == pytest.approx(1.0)  # same Cramér's V
    breakdown = ContingencySimilarity().compute_breakdown(REAL, FLIPPED)
    assert breakdown["raw"] == pytest.approx(0.0)
    assert breakdown["real_v"] == pytest.approx(breakdown["synthetic_v"])


def test_contingency_similarity_needs_two_columns_and_real_rows():
    with pytest.raises(MetricError):
        ContingencySimilarity().compute(REAL[["rating"]], REAL[["rating"]])
    with pytest.raises(MetricError):
        ContingencySimilarity().compute(REAL.iloc[:0], REAL)
    assert ContingencySimilarity().compute(REAL, REAL.iloc[:0]) == 0.0
