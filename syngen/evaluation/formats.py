"""Per-column format checks learned from the real data's profile: what a valid cell looks like.

Each check maps a whole frame to one boolean per row, so the validity property can score columns one by
one and also count the rows where every column passes.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np
import pandas as pd

from syngen.profiling import datetimes
from syngen.profiling.model import ColumnKind, ColumnProfile, DatasetProfile

Check = Callable[[pd.DataFrame], np.ndarray]
CLOSED_SET_MAX = 10  # a numeric column with at most this many values (a 1-5 rating) is a closed set
_INT = re.compile(r"[+-]?\d+")
_FLOAT = re.compile(r"[+-]?(\d+\.\d*|\.\d+|\d+)([eE][+-]?\d+)?")
_BOOL_PAIRS = [("true", "false"), ("yes", "no"), ("y", "n"), ("t", "f"), ("1", "0")]


def build_checks(profile: DatasetProfile) -> dict[str, Check]:
    return {column.name: _check_for(column) for column in profile.columns}


def _check_for(column: ColumnProfile) -> Check:
    builders = {
        ColumnKind.IDENTIFIER: _identifier, ColumnKind.CATEGORICAL: _categorical,
        ColumnKind.FOREIGN_KEY: _foreign_key, ColumnKind.BOOLEAN: _boolean, ColumnKind.INTEGER: _integer,
        ColumnKind.FLOAT: _float, ColumnKind.DATETIME: _datetime, ColumnKind.DERIVED: _derived,
    }
    builder = builders.get(column.kind)
    value_check = builder(column) if builder else (lambda frame, values: np.ones(len(values), dtype=bool))
    allow_empty = column.kind is ColumnKind.EMPTY or column.stats.get("empty_share", 0) > 0

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
    lengths = {int(k) for k in stats.get("lengths", {})}
    alphabet = re.escape(stats.get("alphabet", "")) or r"\w"
    pattern = re.compile(re.escape(stats.get("prefix", "")) + f"[{alphabet}]*")

    def check(frame: pd.DataFrame, values: pd.Series) -> np.ndarray:
        shaped = values.str.fullmatch(pattern).to_numpy(dtype=bool)
        return shaped & values.str.len().isin(lengths).to_numpy() if lengths else shaped

    return check


def is_open_numeric(column: ColumnProfile) -> bool:
    """A categorical column of many distinct numbers (helpful votes 0..55) behaves like a number column:
    a count never seen in the real data is still plausible."""
    known = column.stats.get("counts", {})
    return len(known) > CLOSED_SET_MAX and all(_FLOAT.fullmatch(v) for v in known)


def _categorical(column: ColumnProfile) -> Callable:
    known = set(column.stats.get("counts", {}))
    if not is_open_numeric(column):
        return _member_of(known)
    integers = all(_INT.fullmatch(v) for v in known)
    return _number(_INT if integers else _FLOAT, signed=any(v.startswith("-") for v in known))


def _foreign_key(column: ColumnProfile) -> Callable:
    return _member_of(set(column.stats.get("counts", {})))


def _boolean(column: ColumnProfile) -> Callable:
    seen = set(column.stats.get("counts", {}))
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
    return _number(_INT, signed=column.stats.get("min", 0) < 0)


def _float(column: ColumnProfile) -> Callable:
    return _number(_FLOAT, signed=column.stats.get("min", 0) < 0)


def _datetime(column: ColumnProfile) -> Callable:
    formats = set(column.stats.get("formats", {}))
    return lambda frame, values: np.array([datetimes.match_format(v) in formats for v in values], dtype=bool)


def _derived(column: ColumnProfile) -> Callable:
    source, fmt = column.stats.get("source"), column.stats.get("format")

    def check(frame: pd.DataFrame, values: pd.Series) -> np.ndarray:
        if source not in frame.columns:
            return np.zeros(len(values), dtype=bool)
        sources = frame[source].astype(str)
        if fmt is None:
            return (values == sources).to_numpy()
        return np.array([_derive(s, fmt) == v for s, v in zip(sources, values, strict=True)], dtype=bool)

    return check


def _derive(value: str, fmt: str) -> str | None:
    source_format = datetimes.match_format(value)
    return None if source_format is None else datetimes.parse(value, source_format).strftime(fmt)
