import math

import numpy as np
import pytest

from syngen.errors import MetricError
from syngen.evaluation.metrics.distribution import (
    HighTailShare,
    KSComplement,
    LowTailShare,
    MedianRatio,
    TVComplement,
    ks_statistic,
    tv_distance,
)


def test_tv_complement_matches_sdmetrics_example():
    # SDMetrics' own unit test: real a,b,c,a,a,b vs synthetic a,b,c,a,b,c -> 1 - 1/6
    real, synthetic = list("abcaab"), list("abcabc")
    assert tv_distance(real, synthetic) == pytest.approx(1 / 6)
    metric = TVComplement()
    assert metric.compute(real, synthetic) == pytest.approx(0.8333, abs=1e-4)
    assert metric.normalize(metric.compute(real, synthetic)) == pytest.approx(0.8333, abs=1e-4)


def test_tv_complement_disjoint_and_empty():
    assert TVComplement().compute(list("aa"), list("bb")) == 0.0
    assert TVComplement().compute(list("ab"), []) == 0.0
    with pytest.raises(MetricError):
        TVComplement().compute([], list("ab"))


def test_ks_statistic_by_hand():
    # CDFs of [1,2,3,4] and [3,4,5,6] differ most at 2: 0.5 vs 0
    assert ks_statistic(np.array([1, 2, 3, 4.0]), np.array([3, 4, 5, 6.0])) == pytest.approx(0.5)
    assert KSComplement().compute([1, 2, 3, 4], [3, 4, 5, 6]) == pytest.approx(0.5)
    assert KSComplement().compute([1, 2, 3], [1, 2, 3]) == 1.0


def test_ks_complement_drops_unreadable_numbers_and_scores_none_as_zero():
    assert KSComplement().compute([1, 2], [float("nan"), 1, 2]) == 1.0
    assert KSComplement().compute([1, 2], [float("nan")]) == 0.0


def test_median_ratio_is_symmetric():
    metric = MedianRatio()
    half, double = metric.compute([2, 4, 6], [1, 2, 3]), metric.compute([2, 4, 6], [4, 8, 12])
    assert (half, double) == (0.5, 2.0)
    assert metric.normalize(half) == metric.normalize(double) == 0.5
    assert metric.normalize(metric.compute([0, 0], [0])) == 1.0
    assert metric.normalize(metric.compute([0, 0], [3])) == 0.0


def test_low_tail_share_counts_only_the_excess():
    real = list(range(100))  # 5th percentile = 4.95
    metric = LowTailShare(0.05)
    breakdown = metric.compute_breakdown(real, [0, 1, 50, 60])
    assert breakdown["threshold"] == pytest.approx(4.95)
    assert breakdown["raw"] == 0.5
    assert metric.normalize(0.5) == pytest.approx(1 - 0.45 / 0.95)
    assert metric.normalize(0.05) == 1.0  # as many as the real data has: perfect
    assert metric.compute(real, []) == 1.0


def test_high_tail_share():
    metric = HighTailShare(0.95)
    breakdown = metric.compute_breakdown(list(range(100)), [99, 99, 10, 20])  # threshold 94.05
    assert breakdown["raw"] == 0.5 and breakdown["count"] == 2
    assert metric.normalize(0.0) == 1.0
    assert math.isclose(metric.normalize(1.0), 0.0)
