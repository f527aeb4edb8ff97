"""Number formats are learned from the values and written back exactly the same way."""

import pytest

from syngen.profiling.numbers import learn_format


@pytest.mark.parametrize(
    "values",
    [
        ["$41,541.13", "$1,200.00", "$5.10"],  # currency, thousands, fixed decimals
        ["9,324,377", "12,001", "5"],  # thousands separators on integers
        ["54%", "3%", "100%"],  # percents
        ["20,50", "3,10", "1.234,50"],  # decimal commas with dots for thousands
        ["5.13e+00", "1.20e-03"],  # scientific notation
        ["0.6842", "0.68", "1"],  # at most 4 decimals, trailing zeros stripped
        ["3.0", "4.5"],  # integer-valued floats keep their .0
        ["02134", "10001", "00501"],  # zero-padded codes keep their leading zeros
        ["+5", "-3", "+12"],  # explicit signs
        ["-$5.00", "$3.00"],
    ],
)
def test_values_are_read_and_written_back_exactly(values):
    fmt = learn_format(values)
    assert fmt is not None
    for value in values:
        places = len(value.split(fmt.decimal_mark)[1].rstrip("%")) if fmt.decimal_mark in value else 0
        assert fmt.render(fmt.parse(value), places if not fmt.exponent else 2) == value


def test_words_are_not_numbers():
    assert learn_format(["abc", "12 apples", "C0042"]) is None


def test_a_value_that_breaks_the_format_does_not_parse():
    fmt = learn_format(["$41,541.13", "$1,200.00"])
    assert fmt.parse("41541.13") is None and fmt.parse(", price:") is None and fmt.parse("$1,234.5") == 1234.5


def test_whole_numbers_written_as_floats_stay_whole():
    """Prices a missing value turned into floats (15.0, 22.0: the wine reviews' price column) are drawn as whole
    numbers written so, and a drawn 53.4 would be a broken format."""
    import numpy as np
    import pandas as pd

    from syngen.data.loader import read_table_bytes
    from syngen.evaluation.formats import build_checks
    from syngen.profiling.describe import column_format
    from syngen.profiling.infer import profile_table
    from syngen.sampling.columns import sample_number

    prices = [f"{p}.0" if p % 13 else "" for p in range(7, 207)]
    notes = [f"A fine wine with notes of cherry and oak, number {i} of the tasting." for i in range(len(prices))]
    frame = pd.DataFrame({"price": prices, "note": notes})
    profile = profile_table(read_table_bytes(frame.to_csv(index=False).encode(), source="wine.csv"))
    column = profile.column("price")
    assert column.stats.number_format.whole and "(whole numbers)" in column_format(column)
    rng = np.random.default_rng(3)
    drawn = [sample_number(column, float(rng.uniform()), rng) for _ in range(200)]
    assert all(value.endswith(".0") for value in drawn), drawn
    assert len(set(drawn)) > 50
    check = build_checks(profile)["price"]
    assert check(pd.DataFrame({"price": ["53.0", "53.4", "53"]})).tolist() == [True, False, False]
    assert not learn_format(["15.0", "22.5"]).whole


def _confidences(rows: int = 300) -> list[str]:
    """An annotator confidence as pandas writes it: 1.0 in 76% of the rows, else up to four decimals."""
    import numpy as np

    rng = np.random.default_rng(3)
    return ["1.0" if rng.random() < 0.76 else repr(round(float(rng.uniform(0.3, 0.95)), 4)) for _ in range(rows)]


def test_floats_written_in_their_shortest_form_keep_it_whole_numbers_too():
    fmt = learn_format(_confidences() + ["0.5"])
    assert fmt.strip_zeros and fmt.point_zero
    assert [fmt.render(v, 4) for v in (1.0, 0.5, 0.3486)] == ["1.0", "0.5", "0.3486"], "not 1.0000 nor 0.5000"
    fixed = learn_format(["1.00", "0.35", "0.50"])
    assert not fixed.strip_zeros and fixed.render(1.0, 2) == "1.00", "fixed decimals stay fixed"


def test_a_number_most_rows_hold_is_drawn_exactly_as_often_as_real_rows_hold_it():
    import numpy as np
    import pandas as pd

    from syngen.profiling.learners import learn_numbers
    from syngen.profiling.model import ColumnKind, ColumnProfile, NumberStats
    from syngen.sampling.columns import sample_number

    real = _confidences(1000)
    column = ColumnProfile(name="confidence", kind=ColumnKind.FLOAT, n_rows=1000, n_distinct=len(set(real)), n_empty=0,
                           stats=NumberStats(**learn_numbers(pd.Series(real))))
    assert column.stats.masses == {"1.0": "1.0"}
    from syngen.profiling.describe import column_format

    assert "; drawn exactly: 1.0 (7" in column_format(column), "the profile says so"
    rng = np.random.default_rng(0)
    drawn = [sample_number(column, float(u), rng) for u in rng.uniform(size=2000)]
    assert abs(drawn.count("1.0") / 2000 - real.count("1.0") / 1000) < 0.04
    near = sum(0.97 < float(v) < 1.0 for v in drawn)
    assert near < 0.02 * 2000, "noise no longer smears the 1.0s into 0.99x"
    assert "1.0000" not in drawn and all(float(v) <= 1.0 for v in drawn)
