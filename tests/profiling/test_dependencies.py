import pandas as pd
import pytest

from syngen.profiling.dependencies import cramers_v


def test_cramers_v_is_one_when_a_column_determines_another():
    a = pd.Series(list("aabbcc") * 10)
    b = a.map({"a": "x", "b": "y", "c": "z"})
    assert cramers_v(a, b) == pytest.approx(1.0, abs=0.02)


def test_cramers_v_is_zero_for_independent_columns():
    a = pd.Series(["p", "q"] * 50)
    b = pd.Series(["u"] * 50 + ["v"] * 50)  # every combination equally often
    assert cramers_v(a, b) == pytest.approx(0.0, abs=1e-9)
