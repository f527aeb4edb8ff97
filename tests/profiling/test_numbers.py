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
