import pytest

from syngen.errors import MetricError
from syngen.evaluation.metrics.adherence import CountAccuracy, PassShare, UsableShare


def test_pass_share():
    breakdown = PassShare().compute_breakdown([True, True], [True, False, False, True])
    assert breakdown == {"raw": 0.5, "real": 1.0, "failed": 2}
    assert PassShare().compute([True], []) == 0.0


def test_count_accuracy_is_symmetric():
    metric = CountAccuracy()
    assert metric.normalize(metric.compute(10, 5)) == metric.normalize(metric.compute(10, 20)) == 0.5
    assert metric.normalize(metric.compute(10, 10)) == 1.0
    assert metric.normalize(metric.compute(10, 0)) == 0.0
    with pytest.raises(MetricError):
        metric.compute(0, 3)


def test_usable_share():
    assert UsableShare().compute(real=2, synthetic=8) == 0.8
    assert UsableShare().compute(real=0, synthetic=0) == 0.0
