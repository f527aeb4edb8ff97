"""Per-column format checks learned from the real data's profile: what a valid cell looks like.

Each check maps a whole frame to one boolean per row, so the validity property can score columns one by
one and also count the rows where every column passes.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np
import pandas as pd

from syngen.profiling import datetimes, patterns
from syngen.profiling.model import ColumnKind, ColumnProfile, DatasetProfile

Check = Callable[[pd.DataFrame], np.ndarray]
CLOSED_SET_MAX = 10  # a numeric column with at most this many values (a 1-5 rating) is a closed set
_INT = re.compile(r"[+-]?\d+")
_FLOAT = re.compile(r"[+-]?(\d+\.\d*|\.\d+|\d+)([eE][+-]?\d+)?")
_BOOL_PAIRS = [("true", "false"), ("yes", "no"), ("y", "n"), ("t", "f"), ("1", "0")]


def build_checks(profile: DatasetProfile) -> dict[str, Check]:
    return {column.name: _check_for(column, profile) for column in profile.columns}


def _check_for(column: ColumnProfile, profile: DatasetProfile) -> Check:
    builders = {
        ColumnKind.IDENTIFIER: _identifier, ColumnKind.CATEGORICAL: _categorical,
        ColumnKind.FOREIGN_KEY: _foreign_key, ColumnKind.BOOLEAN: _boolean, ColumnKind.INTEGER: _integer,
        ColumnKind.FLOAT: _float, ColumnKind.DATETIME: _datetime,
        ColumnKind.DERIVED: lambda c: _derived(c, _source_formats(c, profile)),
        ColumnKind.PATTERN: _pattern, ColumnKind.SHORT_TEXT: _short_text,
    }
    builder = builders.get(column.kind)
    value_check = builder(column) if builder else (lambda frame, values: np.ones(len(values), dtype=bool))
    allow_empty = column.kind is ColumnKind.EMPTY or column.stats.empty_share > 0

    def check(frame: pd.DataFrame) -> np.ndarray:
        if column.name not in frame.columns:
            return np.zeros(len(frame), dtype=bool)
        values = frame[column.name].astype(str)
        # Empty means "" as in the profile; the real data has reviews that are a single space.
        empty = (values == "").to_numpy()
        return np.where(empty, allow_empty, value_check(frame, values))

    return check


def _matches(pattern: re.Pattern) -> Callable[[pd.DataFrame, pd.Series], np.ndarray]:
    return lambda frame, values: values.str.fullmatch(pattern).to_numpy(dtype=bool)


def _member_of(allowed: set[str]) -> Callable[[pd.DataFrame, pd.Series], np.ndarray]:
    return lambda frame, values: values.isin(allowed).to_numpy()


def _identifier(column: ColumnProfile) -> Callable:
    stats = column.stats
    if stats.counter is not None:
        return lambda frame, values: values.map(stats.counter.written_like).to_numpy(dtype=bool)
    lengths = {int(k) for k in stats.lengths}
    alphabet = re.escape(stats.alphabet) or r"\w"
    pattern = re.compile(re.escape(stats.prefix) + f"[{alphabet}]*")
    if stats.positions:
        pattern = re.compile(stats.places_pattern())

    def check(frame: pd.DataFrame, values: pd.Series) -> np.ndarray:
        shaped = values.str.fullmatch(pattern).to_numpy(dtype=bool)
        return shaped & values.str.len().isin(lengths).to_numpy() if lengths else shaped

    return check


def is_open_numeric(column: ColumnProfile) -> bool:
    """A categorical column of many distinct numbers (helpful votes 0..55) behaves like a number column:
    a count never seen in the real data is still plausible."""
    known = column.counts
    return len(known) > CLOSED_SET_MAX and all(_FLOAT.fullmatch(v) for v in known)


def _categorical(column: ColumnProfile) -> Callable:
    known = set(column.counts)
    if not is_open_numeric(column):
        return _member_of(known)
    integers = all(_INT.fullmatch(v) for v in known)
    return _number(_INT if integers else _FLOAT, signed=any(v.startswith("-") for v in known))


def _foreign_key(column: ColumnProfile) -> Callable:
    return _member_of(set(column.counts))


def _boolean(column: ColumnProfile) -> Callable:
    seen = set(column.counts)
    allowed = set(seen)
    for pair in _BOOL_PAIRS:
        if {v.lower() for v in seen} <= set(pair):
            # Only True ever appears in the real data, but False written the same way is as valid.
            style = _case_style(next(iter(seen)))
            allowed |= {style(word) for word in pair}
    return _member_of(allowed)


def _case_style(example: str) -> Callable[[str], str]:
    if example.isupper():
        return str.upper
    if example[:1].isupper():
        return str.capitalize
    return str.lower


def _number(pattern: re.Pattern, signed: bool) -> Callable:
    shape = _matches(pattern)

    def check(frame: pd.DataFrame, values: pd.Series) -> np.ndarray:
        ok = shape(frame, values)
        return ok if signed else ok & ~values.str.startswith("-").to_numpy()

    return check


def _integer(column: ColumnProfile) -> Callable:
    return _formatted(column) or _number(_INT, signed=column.stats.min < 0)


def _float(column: ColumnProfile) -> Callable:
    return _formatted(column) or _number(_FLOAT, signed=column.stats.min < 0)


def _formatted(column: ColumnProfile) -> Callable | None:
    """Written in the column's number format ($1,234.50, 20,5 %, 5.13e+00), with its decimals, and a sign
    only if real values had one."""
    fmt = column.stats.number_format
    if fmt is None:
        return None
    decimals = {int(d) for d in fmt.decimals}
    most = max(decimals)
    signed = column.stats.min < 0

    def valid(value: str) -> bool:
        if fmt.range_separator:
            ends = fmt.split(value)
            return ends is not None and fmt.parse_range(value) is not None and all(map(one, ends))
        return one(value)

    def one(value: str) -> bool:
        match = fmt.regex().fullmatch(value)
        if match is None or (not signed and "-" in match.group("sign") + match.group("sign2")):
            return False
        fraction = match.group("frac") or ""
        if fmt.whole and fraction.strip("0"):
            return False  # 53.4 where every real price is 15.0
        return len(fraction) <= most if fmt.strip_zeros else len(fraction) in decimals

    return lambda frame, values: np.array([valid(v) for v in values], dtype=bool)


def _datetime(column: ColumnProfile) -> Callable:
    formats = column.formats
    return lambda frame, values: np.array([datetimes.match_format(v, formats) is not None for v in values],
                                          dtype=bool)


def _pattern(column: ColumnProfile) -> Callable:
    if column.stats.positions:
        return _matches(re.compile(column.stats.places_pattern()))
    return _matches(patterns.shape_regex(column.stats.coarse))


def _short_text(column: ColumnProfile) -> Callable:
    most = column.stats.max_words
    return lambda frame, values: ((values.str.strip() != "") & (values.str.split().str.len() <= most)).to_numpy()


def _source_formats(column: ColumnProfile, profile: DatasetProfile) -> list[str] | None:
    source = column.stats.source
    return profile.column(source).formats or None if source in profile.names else None


def _derived(column: ColumnProfile, allowed: list[str] | None) -> Callable:
    source, fmt = column.stats.source, column.stats.format

    def check(frame: pd.DataFrame, values: pd.Series) -> np.ndarray:
        if source not in frame.columns:
            return np.zeros(len(values), dtype=bool)
        sources = frame[source].astype(str)
        if fmt is None:
            return (values == sources).to_numpy()
        return np.array([_derive(s, fmt, allowed) == v for s, v in zip(sources, values, strict=True)], dtype=bool)

    return check


def _derive(value: str, fmt: str, allowed: list[str] | None) -> str | None:
    source_format = datetimes.match_format(value, allowed)
    return None if source_format is None else datetimes.parse(value, source_format).strftime(fmt)
