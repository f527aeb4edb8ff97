"""Say in a few words how a column's values are written (for `syngen profile` and the app)."""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from syngen.profiling.model import (
    ColumnKind,
    ColumnProfile,
    CountStats,
    DatasetProfile,
    DatetimeStats,
    DerivedStats,
    IdentifierStats,
    NumberStats,
    PatternStats,
    ShortTextStats,
    TextStats,
)
from syngen.profiling.numbers import NumberFormat


def column_format(column: ColumnProfile) -> str:
    describe = _DESCRIBERS.get(column.kind)
    return describe(column.stats) if describe else ""


def _numbers(stats: NumberStats) -> str:
    fmt = stats.number_format or NumberFormat()
    places = "whole numbers" if fmt.whole else "/".join(sorted(fmt.decimals, key=int)) + " decimals"
    return f"like {fmt.describe()} ({places}), {stats.min:g} to {stats.max:g}{_masses(stats)}"


def _masses(stats: NumberStats) -> str:
    """The numbers drawn exactly, most held first (at most three named): "; drawn exactly: 1.0 (76% of values)"."""
    if not stats.masses or not stats.sample:
        return ""
    held = {written: (bisect_right(stats.sample, float(key)) - bisect_left(stats.sample, float(key)))
            / len(stats.sample) for key, written in stats.masses.items()}
    top = sorted(held.items(), key=lambda item: -item[1])
    named = ", ".join(f"{written} ({share:.0%}{' of values' if i == 0 else ''})"
                      for i, (written, share) in enumerate(top[:3]))
    return f"; drawn exactly: {named}{', ...' if len(top) > 3 else ''}"


def _datetime(stats: DatetimeStats) -> str:
    formats = ", ".join(f"{fmt} {share:.0%}" for fmt, share in stats.formats.items())
    extras = [f"offsets {', '.join(stats.offsets)}"] if stats.offsets else []
    if stats.day_first is not None:
        extras.append("day first" if stats.day_first else "month first")
    if stats.minute_step > 1:
        extras.append({1440: "always at midnight", 60: "on the hour"}.get(stats.minute_step,
                                                                         f"minutes in steps of {stats.minute_step}"))
    elif stats.zero_seconds and any("%S" in f for f in stats.formats):
        extras.append("seconds always :00")
    return "; ".join([formats, *extras])


def _counts(stats: CountStats) -> str:
    if stats.separator:
        shown = ", ".join(list(stats.labels)[:4]) + (", ..." if len(stats.labels) > 4 else "")
        return f"{len(stats.labels)} labels ({shown}) joined by '{stats.separator}', {len(stats.counts)} combinations"
    counts = stats.counts
    shown = ", ".join(list(counts)[:4])
    return f"{len(counts)} values: {shown}" + (", ..." if len(counts) > 4 else "")


def _identifier(stats: IdentifierStats) -> str:
    if stats.counter is not None:
        counter = stats.counter
        first, last = (counter.written(n) for n in (counter.first, counter.last))
        steps = f"in steps of {counter.step}" if counter.even else f"in uneven steps (most often {counter.step})"
        return f"a count from {first} to {last} {steps}; new rows go on from {counter.value(0)}"
    lengths = "/".join(stats.lengths)
    described = f"prefix {stats.prefix!r}, {lengths} characters" if stats.prefix else f"{lengths} characters"
    return described + ("; each place keeps its real characters" if stats.positions else "")


def _pattern(stats: PatternStats) -> str:
    if stats.positions:
        return f"codes of {len(stats.positions)} characters; each place keeps its real characters"
    coarse = stats.coarse
    return f"{len(coarse)} shapes: " + ", ".join(coarse[:3]) + (", ..." if len(coarse) > 3 else "")


def _short_text(stats: ShortTextStats) -> str:
    return f"up to {stats.max_words} words, made by a sampler (never a real value)"


def _text(stats: TextStats) -> str:
    return f"median {stats.median_words:.0f} words, written by the model"


def _derived(stats: DerivedStats) -> str:
    source = stats.source
    return f"{stats.format} of {source}" if stats.format else f"copy of {source}"


_DESCRIBERS = {
    ColumnKind.INTEGER: _numbers, ColumnKind.FLOAT: _numbers, ColumnKind.DATETIME: _datetime,
    ColumnKind.CATEGORICAL: _counts, ColumnKind.BOOLEAN: _counts, ColumnKind.FOREIGN_KEY: _counts,
    ColumnKind.IDENTIFIER: _identifier, ColumnKind.PATTERN: _pattern, ColumnKind.SHORT_TEXT: _short_text,
    ColumnKind.TEXT: _text, ColumnKind.DERIVED: _derived,
}


def profile_rows(profile: DatasetProfile) -> list[dict]:
    """One plain dict a column: name, kind, format, empty share, reason, and what its emptiness follows."""
    rows = []
    for column in profile.columns:
        rule = profile.emptiness_of(column.name)
        dependency = profile.dependency_of(column.name)
        follows = rule.parent if rule else (dependency.parent if dependency else None)
        rows.append({"column": column.name, "kind": column.kind.value, "format": _with_order(profile, column),
                     "empty_share": round(column.stats.empty_share, 4), "follows": follows,
                     "distinct": column.n_distinct, "reason": column.reason})
    return rows


def _with_order(profile: DatasetProfile, column: ColumnProfile) -> str:
    """The column's format, and the date column it never comes before (profiling/orders.py), with the real gaps."""
    order = next((o for o in profile.orders if o.then == column.name), None)
    described = column_format(column)
    if order is None:
        return described
    return f"{described}; never before {order.first} (real gaps {_span(order.gaps[0])} to {_span(order.gaps[-1])})"


def _span(seconds: float) -> str:
    for unit, size in (("day", 86_400), ("hour", 3_600), ("minute", 60)):
        if seconds >= size:
            amount = seconds / size
            return f"{amount:.0f} {unit}{'s' if round(amount) != 1 else ''}"
    return f"{seconds:.0f} s"
