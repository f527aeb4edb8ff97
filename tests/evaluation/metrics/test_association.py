import pandas as pd
import pytest

from syngen.errors import MetricError
from syngen.evaluation.metrics.association import AssociationSimilarity, chi_square, contingency, cramers_v


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
