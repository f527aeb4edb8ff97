"""Find columns computed from another column, so generated rows keep them consistent."""

from __future__ import annotations

import pandas as pd

from syngen.profiling import datetimes

_CHECK_ROWS = 2000


def find_derivation(frame: pd.DataFrame, name: str) -> dict | None:
    """{"source", "format"} if `name` is a strftime of a datetime column, or {"source", "format": None}
    if it is an exact copy of another column; None otherwise."""
    target = frame[name].head(_CHECK_ROWS).astype(str)
    if (target == "").all():
        return None
    for source in frame.columns:
        if source == name or not _may_derive(frame, source, name):
            continue
        values = frame[source].head(_CHECK_ROWS).astype(str)
        if (values == target).all() and list(frame.columns).index(source) < list(frame.columns).index(name):
            return {"source": source, "format": None}
        fmt = _datetime_part_format(values, target)
        if fmt:
            return {"source": source, "format": fmt}
    return None


def _may_derive(frame: pd.DataFrame, source: str, target: str) -> bool:
    # A derived column never holds more information than its source; this also rules out cycles.
    return frame[source].nunique() >= frame[target].nunique()


def _datetime_part_format(source: pd.Series, target: pd.Series) -> str | None:
    source_formats = datetimes.detect_formats(source.head(200).tolist(), min_share=1.0)
    target_formats = datetimes.detect_formats(target.head(200).tolist(), min_share=1.0)
    if not source_formats or not target_formats or len(target_formats) != 1:
        return None
    target_format = next(iter(target_formats))
    for value, expected in zip(source, target, strict=True):
        if not value and not expected:
            continue
        fmt = datetimes.match_format(value)
        if fmt is None or datetimes.parse(value, fmt).strftime(target_format) != expected:
            return None
    return target_format
