import math

import pytest

from syngen.errors import MetricError
from syngen.evaluation.metrics.base import Goal, Metric, ratio


class Fixed(Metric):
    def __init__(self, goal, low=0.0, high=1.0):
        self.goal, self.min_value, self.max_value = goal, low, high


def test_normalize_follows_goal_and_range():
    assert Fixed(Goal.MAXIMIZE).normalize(0.25) == 0.25
    assert Fixed(Goal.MINIMIZE).normalize(0.25) == 0.75
    assert Fixed(Goal.MAXIMIZE, 0, 10).normalize(5) == 0.5
    assert Fixed(Goal.MAXIMIZE).normalize(3) == 1.0  # clipped into [0, 1]
    assert Fixed(Goal.TARGET).normalize(4) == 0.25


def test_normalize_refuses_nan_and_infinite_ranges():
    with pytest.raises(MetricError):
        Fixed(Goal.MAXIMIZE).normalize(float("nan"))
    with pytest.raises(MetricError):
        Fixed(Goal.MAXIMIZE, 0, math.inf).normalize(1)


def test_ratio_edge_cases():
    assert ratio(0, 0) == 1.0
    assert ratio(1, 0) == math.inf
    assert ratio(3, 6) == 0.5
