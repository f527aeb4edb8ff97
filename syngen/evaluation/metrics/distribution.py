"""Metrics comparing the distribution of one column: categories, numbers, dates, text lengths."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

import numpy as np

from syngen.errors import MetricError
from syngen.evaluation.metrics.base import Goal, Metric, ratio


def tv_distance(real: Sequence[Any], synthetic: Sequence[Any]) -> float:
    """Total variation distance between the two empirical category distributions."""
    p, q = Counter(real), Counter(synthetic)
    n_p, n_q = len(real), len(synthetic)
    return 0.5 * sum(abs(p[k] / n_p - q[k] / n_q) for k in set(p) | set(q))


def ks_statistic(real: np.ndarray, synthetic: np.ndarray) -> float:
    """Two-sample Kolmogorov-Smirnov statistic: the largest gap between the empirical CDFs."""
    a, b = np.sort(real), np.sort(synthetic)
    points = np.concatenate([a, b])
    cdf_a = np.searchsorted(a, points, side="right") / len(a)
    cdf_b = np.searchsorted(b, points, side="right") / len(b)
    return float(np.max(np.abs(cdf_a - cdf_b)))


def _numbers(values: Sequence[Any]) -> np.ndarray:
    array = np.asarray(values, dtype=float)
    return array[np.isfinite(array)]


def _require_real(name: str, real: Sequence[Any]) -> None:
    if len(real) == 0:
        raise MetricError(f"{name} needs real values to compare with, and got none")


class TVComplement(Metric):
    """1 - total variation distance between category shares (SDMetrics' TVComplement)."""

    name = "tv_complement"
    goal = Goal.MAXIMIZE

    def compute_breakdown(self, real: Sequence[Any], synthetic: Sequence[Any]) -> dict[str, Any]:
        _require_real(self.name, real)
        if len(synthetic) == 0:  # nothing generated: as far from the real shares as it can be
            return {"raw": 0.0, "categories_real": len(set(real)), "categories_synthetic": 0}
        raw = 1.0 - tv_distance(list(real), list(synthetic))
        return {"raw": raw, "categories_real": len(set(real)), "categories_synthetic": len(set(synthetic))}


class KSComplement(Metric):
    """1 - the Kolmogorov-Smirnov statistic between two numeric samples (SDMetrics' KSComplement).
    Values that are not finite numbers are dropped; a synthetic side with none scores 0."""

    name = "ks_complement"
    goal = Goal.MAXIMIZE

    def compute_breakdown(self, real: Sequence[Any], synthetic: Sequence[Any]) -> dict[str, Any]:
        a, b = _numbers(real), _numbers(synthetic)
        _require_real(self.name, a)
        if len(b) == 0:
            return {"raw": 0.0, "real_median": float(np.median(a)), "synthetic_median": None}
        return {"raw": 1.0 - ks_statistic(a, b), "real_median": float(np.median(a)),
                "synthetic_median": float(np.median(b))}


class MedianRatio(Metric):
    """synthetic median / real median; 1 is a match, 0.5 and 2 are equally far off."""

    name = "median_ratio"
    goal = Goal.TARGET
    max_value = float("inf")

    def compute_breakdown(self, real: Sequence[Any], synthetic: Sequence[Any]) -> dict[str, Any]:
        a, b = _numbers(real), _numbers(synthetic)
        _require_real(self.name, a)
        if len(b) == 0:
            return {"raw": 0.0, "real": float(np.median(a)), "synthetic": None}
        real_median, synthetic_median = float(np.median(a)), float(np.median(b))
        return {"raw": ratio(synthetic_median, real_median), "real": real_median, "synthetic": synthetic_median}


class LowTailShare(Metric):
    """Share of synthetic values below the real values' `quantile` (e.g. similarity to the nearest real
    text). A generator like the real data puts `quantile` of its values there; only the excess counts."""

    name = "low_tail_share"
    goal = Goal.MINIMIZE

    def __init__(self, quantile: float = 0.05, name: str | None = None) -> None:
        self.quantile = quantile
        self.name = name or self.name

    def threshold(self, real: Sequence[float]) -> float:
        return float(np.quantile(_numbers(real), self.quantile))

    def compute_breakdown(self, real: Sequence[Any], synthetic: Sequence[Any]) -> dict[str, Any]:
        a, b = _numbers(real), _numbers(synthetic)
        _require_real(self.name, a)
        limit = self.threshold(a)
        share = float(np.mean(b < limit)) if len(b) else 1.0
        return {"raw": share, "threshold": limit, "expected": self.quantile, "count": int(np.sum(b < limit))}

    def normalize(self, raw: float) -> float:
        return float(min(1.0, max(0.0, 1.0 - max(0.0, raw - self.quantile) / (1.0 - self.quantile))))


class HighTailShare(LowTailShare):
    """Share of synthetic values above the real values' `quantile` (e.g. closer to a real record than
    95% of real records are to their nearest other real record)."""

    name = "high_tail_share"

    def __init__(self, quantile: float = 0.95, name: str | None = None) -> None:
        super().__init__(quantile, name)

    def compute_breakdown(self, real: Sequence[Any], synthetic: Sequence[Any]) -> dict[str, Any]:
        a, b = _numbers(real), _numbers(synthetic)
        _require_real(self.name, a)
        limit = self.threshold(a)
        share = float(np.mean(b > limit)) if len(b) else 0.0
        return {"raw": share, "threshold": limit, "expected": 1.0 - self.quantile, "count": int(np.sum(b > limit))}

    def normalize(self, raw: float) -> float:
        expected = 1.0 - self.quantile
        return float(min(1.0, max(0.0, 1.0 - max(0.0, raw - expected) / (1.0 - expected))))
