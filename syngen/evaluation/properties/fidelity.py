"""Fidelity of the structured columns, and of how often each text column is empty: each column's distribution
(TV complement for categories, KS complement for numbers and dates) and the association between pairs of columns
(rating x helpful votes, asin x parent_asin), by two metrics: the joint frequency tables (an association turned
around scores low) and the strength of the association (Cramér's V, which a joint table's distance dilutes when a
few cells hold most rows: a lost association between columns with many values barely moves it)."""

from __future__ import annotations

from itertools import combinations

import numpy as np
import pandas as pd

from syngen.evaluation.context import EvalContext
from syngen.evaluation.formats import is_open_numeric
from syngen.evaluation.metrics.association import AssociationSimilarity, ContingencySimilarity
from syngen.evaluation.metrics.distribution import KSComplement, TVComplement
from syngen.evaluation.results import MetricResult, PropertyResult, run_metric
from syngen.profiling import datetimes
from syngen.profiling.model import ColumnKind, ColumnProfile, NumberStats
from syngen.profiling.numbers import parse_series

NAME = "fidelity"
STRUCTURED = (ColumnKind.CATEGORICAL, ColumnKind.BOOLEAN, ColumnKind.FOREIGN_KEY, ColumnKind.INTEGER,
              ColumnKind.FLOAT, ColumnKind.DATETIME)
TOP_CATEGORIES = 10  # rarer categories pool into "other" so pair statistics stay stable on small samples
NUMBER_BINS = 5
EMPTY_GAP = 0.1  # a text column empty this much more or less often than the real one is named in the notes


def measure(ctx: EvalContext) -> PropertyResult:
    columns = [ctx.profile.column(name) for name in ctx.columns_of(*STRUCTURED)]
    results = [_shape(ctx, column) for column in columns]
    varying = [c for c in columns if ctx.column("real", c.name).nunique() > 1]
    results += [result for first, second in combinations(varying, 2) for result in _pair(ctx, first, second)]
    presence, notes = _presence(ctx)
    results += presence
    series = {c.name: {"real": _values(ctx, "real", c), "synthetic": _values(ctx, "synthetic", c)}
              for c in columns}
    return PropertyResult(NAME, results, series=series, notes=notes)


def _presence(ctx: EvalContext) -> tuple[list[MetricResult], list[str]]:
    """How each sometimes-empty text column's share of empty cells compares, and a note where it is off by more than
    EMPTY_GAP: the text-quality metrics read only the texts there are, so this is where a run that wrote none of a
    column's texts shows (TV complement of filled against empty)."""
    results, notes = [], []
    for name in ctx.text_columns:
        real, synthetic = ([text.strip() != "" for text in ctx.texts(side, name)] for side in ("real", "synthetic"))
        if all(real) and all(synthetic):
            continue
        result = run_metric(TVComplement(), real, synthetic, name, label="text_empty_share")
        results.append(result)
        if result.raw < 1 - EMPTY_GAP:
            notes.append(f"'{name}' is empty in {_empty_share(synthetic):.0%} of the synthetic rows, against "
                         f"{_empty_share(real):.0%} of the real rows")
    return results, notes


def _empty_share(filled: list[bool]) -> float:
    return filled.count(False) / max(1, len(filled))


def is_numeric(column: ColumnProfile) -> bool:
    return column.kind in (ColumnKind.INTEGER, ColumnKind.FLOAT, ColumnKind.DATETIME) or (
        column.kind is ColumnKind.CATEGORICAL and is_open_numeric(column))


def _values(ctx: EvalContext, side: str, column: ColumnProfile) -> list:
    """Numbers (dates as epoch seconds, unreadable values as NaN) or category strings."""
    def compute() -> list:
        raw = ctx.column(side, column.name)
        if column.kind is ColumnKind.DATETIME:
            formats = list(column.stats.formats)
            return [_epoch(v, formats) for v in raw]
        if is_numeric(column):
            # "1.234,50 €", "15 %": read as the column writes them
            fmt = column.stats.number_format if isinstance(column.stats, NumberStats) else None
            numbers = pd.to_numeric(raw, errors="coerce") if fmt is None else parse_series(fmt, raw)
            return numbers.astype(float).tolist()
        return raw.tolist()

    return ctx.cached(("values", side, column.name), compute)


def _epoch(value: str, formats: list[str]) -> float:
    """Epoch seconds, or seconds of the day for a time alone (as profiled: a column of times had no values to
    compare, and the evaluation stopped), read in the column's formats first (epoch seconds are no candidate
    format of their own: a column of Amazon's unix review times stopped it too)."""
    fmt = datetimes.match_format(value, formats) or datetimes.match_format(value)  # both read it stripped
    if fmt is None:
        return float("nan")
    moment = datetimes.parse(value, fmt)
    if datetimes.is_time_only(fmt):
        return float(moment.hour * 3600 + moment.minute * 60 + moment.second)
    return datetimes.to_epoch(moment)


def _shape(ctx: EvalContext, column: ColumnProfile) -> MetricResult:
    metric = KSComplement() if is_numeric(column) else TVComplement()
    return run_metric(metric, _values(ctx, "real", column), _values(ctx, "synthetic", column), column=column.name)


def _pair(ctx: EvalContext, first: ColumnProfile, second: ColumnProfile) -> list[MetricResult]:
    real = pd.DataFrame({"a": _codes(ctx, first, "real"), "b": _codes(ctx, second, "real")})
    synthetic = pd.DataFrame({"a": _codes(ctx, first, "synthetic"), "b": _codes(ctx, second, "synthetic")})
    pair = f"{first.name} x {second.name}"
    return [run_metric(metric, real, synthetic, column=pair) for metric in (ContingencySimilarity(),
                                                                           AssociationSimilarity())]


def _codes(ctx: EvalContext, column: ColumnProfile, side: str) -> np.ndarray:
    """Category codes on the real data's terms: quantile bins for numbers, top categories for the rest;
    values the real data never has (unreadable numbers, new categories) get a code of their own."""
    values = _values(ctx, side, column)
    if is_numeric(column):
        real = np.asarray(_values(ctx, "real", column), dtype=float)
        edges = np.unique(np.nanquantile(real, np.linspace(0, 1, NUMBER_BINS + 1)[1:-1]))
        numbers = np.asarray(values, dtype=float)
        return np.where(np.isnan(numbers), -1, np.digitize(numbers, edges)).astype(str)
    top = pd.Series(_values(ctx, "real", column)).value_counts().index[:TOP_CATEGORIES]
    return np.where(pd.Series(values).isin(set(top)), values, "other").astype(str)
