"""Number ranges written as one value (`10-20`, `$5 - $9`, `1,000 to 5,000`): both ends in one number format,
the low end never above the high one. Sampled as a low end and a width, so every new range is ordered."""

from __future__ import annotations

from syngen.profiling.numbers import MIN_SHARE, SAMPLE, NumberFormat, learn_format

SEPARATORS = [" - ", " – ", "–", " to ", "-"]
_CODE_DIGITS = 3  # 555-1234 and 12345-6789 are codes: ends of constant length from 3 digits on


def learn_range(values: list[str]) -> NumberFormat | None:
    """The range format that reads at least MIN_SHARE of the values, ordered; None if they are not ranges."""
    values = list(dict.fromkeys(values))[:SAMPLE]
    for separator in SEPARATORS:
        fmt = _try(values, separator)
        if fmt is not None:
            return fmt
    return None


def _try(values: list[str], separator: str) -> NumberFormat | None:
    probe = NumberFormat(range_separator=separator)
    ends = [e for e in map(probe.split, values) if e is not None]
    if len(ends) < MIN_SHARE * len(values):
        return None
    lows, highs = [e[0] for e in ends], [e[1] for e in ends]
    if separator == "-" and _looks_like_code(lows) and _looks_like_code(highs):
        return None
    fmt = learn_format(lows + highs)
    if fmt is None or fmt.width:
        return None
    fmt.range_separator = separator
    ordered = sum(fmt.parse_range(v) is not None for v in values)
    return fmt if ordered >= MIN_SHARE * len(values) else None


def _looks_like_code(ends: list[str]) -> bool:
    lengths = {len(e) for e in ends}
    return len(lengths) == 1 and lengths.pop() >= _CODE_DIGITS
