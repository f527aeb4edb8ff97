"""Find columns computed from another column, so generated rows keep them consistent.

Per-column facts (distinct count, a hash of the head, datetime formats of the head) are computed once, so
checking every pair of a wide table costs O(k^2) cheap comparisons, not O(k^2 * n) column scans.
"""

from __future__ import annotations

from functools import cached_property

import pandas as pd

from syngen.profiling import datetimes

_CHECK_ROWS = 2000


class DerivationFinder:
    def __init__(self, frame: pd.DataFrame) -> None:
        self.frame = frame
        self.names = list(frame.columns)

    @cached_property
    def _heads(self) -> dict[str, pd.Series]:
        return {name: self.frame[name].head(_CHECK_ROWS).astype(str) for name in self.names}

    @cached_property
    def _distinct(self) -> dict[str, int]:
        return {name: int(self.frame[name].nunique()) for name in self.names}

    @cached_property
    def _hashes(self) -> dict[str, int]:
        return {name: int(pd.util.hash_pandas_object(head, index=False).sum()) for name, head in self._heads.items()}

    @cached_property
    def _date_formats(self) -> dict[str, dict[str, float] | None]:
        return {name: datetimes.detect_formats(head.head(200).tolist(), min_share=1.0)
                for name, head in self._heads.items()}

    def find(self, name: str) -> dict | None:
        """{"source", "format"} if `name` is a strftime of a datetime column, or {"source", "format": None}
        if it is an exact copy of an earlier column; None otherwise."""
        target = self._heads[name]
        if (target == "").all():
            return None
        for source in self.names:
            # A derived column never holds more information than its source; this also rules out cycles.
            if source == name or self._distinct[source] < self._distinct[name]:
                continue
            if self._is_copy(source, name):
                return {"source": source, "format": None}
            fmt = self._datetime_part_format(source, name)
            if fmt:
                return {"source": source, "format": fmt}
        return None

    def _is_copy(self, source: str, name: str) -> bool:
        return (self._hashes[source] == self._hashes[name] and self.names.index(source) < self.names.index(name)
                and bool((self._heads[source] == self._heads[name]).all()))

    def _datetime_part_format(self, source: str, name: str) -> str | None:
        source_formats, target_formats = self._date_formats[source], self._date_formats[name]
        if not source_formats or not target_formats or len(target_formats) != 1:
            return None
        target_format = next(iter(target_formats))
        if target_format == datetimes.EPOCH:
            return None
        allowed = list(source_formats)
        for value, expected in zip(self._heads[source], self._heads[name], strict=True):
            if not value and not expected:
                continue
            fmt = datetimes.match_format(value, allowed)
            if fmt is None or datetimes.parse(value, fmt).strftime(target_format) != expected:
                return None
        return target_format


def find_derivation(frame: pd.DataFrame, name: str) -> dict | None:
    """One column's derivation (a convenience for callers with one column to check)."""
    return DerivationFinder(frame).find(name)
