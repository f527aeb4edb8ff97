"""The metric contract, after SDMetrics' `BaseMetric`: a small class that compares real with synthetic
values and maps its raw result onto [0, 1], where 1 means "indistinguishable from real".

`compute_breakdown` returns the raw value under "raw" plus whatever a reader needs to judge it (usually
the same statistic measured on the real and on the synthetic side), so reports show numbers, not only
scores.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from enum import Enum
from typing import Any

from syngen.errors import MetricError

# Cells of a query x reference matrix held at once (8 MB of uint8 scores, 32 MB of float32 similarities): a
# whole 10k x 100k matrix would be 1 GB or more.
MAX_CELLS = 8_000_000


class Goal(str, Enum):
    MAXIMIZE = "maximize"
    MINIMIZE = "minimize"
    TARGET = "target"  # the raw value should equal `target` (e.g. a synthetic/real ratio of 1)


class Metric:
    """One measurement. Subclasses set the class attributes and implement `compute_breakdown`."""

    name: str = "metric"
    goal: Goal = Goal.MAXIMIZE
    min_value: float = 0.0
    max_value: float = 1.0
    target: float = 1.0

    def compute_breakdown(self, real: Sequence[Any], synthetic: Sequence[Any]) -> dict[str, Any]:
        raise NotImplementedError

    def compute(self, real: Sequence[Any], synthetic: Sequence[Any]) -> float:
        return float(self.compute_breakdown(real, synthetic)["raw"])

    def normalize(self, raw: float) -> float:
        """Map a raw value onto [0, 1] (1 best) from the goal and the declared range."""
        if raw is None or math.isnan(raw):
            raise MetricError(f"{self.name} produced no value to normalise")
        if self.goal is Goal.TARGET:
            return _ratio_closeness(raw, self.target)
        span = self.max_value - self.min_value
        if not math.isfinite(span) or span <= 0:
            raise MetricError(f"{self.name} has no finite range; it must override normalize()")
        share = (raw - self.min_value) / span
        share = share if self.goal is Goal.MAXIMIZE else 1.0 - share
        return clip01(share)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(name={self.name!r})"


def row_chunks(queries: int, references: int, max_cells: int | None = None) -> Iterator[slice]:
    """Slices of the query rows such that each block of queries x references has at most `max_cells` cells
    (MAX_CELLS by default; one row at least)."""
    rows = max(1, (max_cells or MAX_CELLS) // max(1, references))
    for start in range(0, queries, rows):
        yield slice(start, min(start + rows, queries))


def clip01(value: float) -> float:
    return float(min(1.0, max(0.0, value)))


def _ratio_closeness(raw: float, target: float) -> float:
    # A ratio of 2 and a ratio of 0.5 are equally far from 1: score the smaller over the larger.
    if raw <= 0 or target <= 0:
        return 0.0
    return clip01(min(raw, target) / max(raw, target))


def ratio(synthetic_value: float, real_value: float) -> float:
    """synthetic / real, with 0/0 read as a perfect match and x/0 as infinitely far."""
    if real_value == 0:
        return 1.0 if synthetic_value == 0 else math.inf
    return synthetic_value / real_value
