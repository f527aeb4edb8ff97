"""Metrics of a whole collection (diversity, compressibility, repetition) compared on equal-size samples.

Such statistics depend on how much text is measured: ten reviews have more distinct words per word than
a thousand. So each side is cut to the same budget (tokens, characters or items) before measuring, and
the real side is averaged over a few random samples so that a 10-row synthetic file is compared with what
10 real rows typically give, not with one lucky draw.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from syngen.errors import MetricError
from syngen.evaluation.metrics.base import Goal, Metric, ratio


class EqualBudgetMetric(Metric):
    """Measure both sides on the same budget; the raw value is synthetic / real (1 = same)."""

    goal = Goal.TARGET
    max_value = float("inf")
    max_budget = 20_000

    def __init__(self, repeats: int = 5, seed: int = 0) -> None:
        self.repeats = repeats
        self.seed = seed

    def measure(self, items: list[Any]) -> float:
        raise NotImplementedError

    def size(self, items: list[Any]) -> int:
        return len(items)

    def take(self, items: list[Any], budget: int) -> list[Any]:
        return items[:budget]

    def combine(self, synthetic_value: float, real_value: float) -> float:
        return ratio(synthetic_value, real_value)

    def compute_breakdown(self, real: Sequence[Any], synthetic: Sequence[Any]) -> dict[str, Any]:
        real, synthetic = list(real), list(synthetic)
        if not real:
            raise MetricError(f"{self.name} needs real values to compare with, and got none")
        if not synthetic:
            return {"raw": self.empty_raw(), "real": None, "synthetic": None, "budget": 0}
        budget = min(self.size(real), self.size(synthetic), self.max_budget)
        rng = np.random.default_rng(self.seed)
        synthetic_value = self.measure(self.take(_shuffled(synthetic, rng), budget))
        # When the budget takes in all the real data, every draw measures the same items: measure once.
        draws = 1 if budget >= self.size(real) else self.repeats
        real_values = [self.measure(self.take(_shuffled(real, rng), budget)) for _ in range(draws)]
        real_value = float(np.mean(real_values))
        return {"raw": self.combine(synthetic_value, real_value), "real": real_value,
                "synthetic": synthetic_value, "budget": budget}

    def empty_raw(self) -> float:
        return 0.0


def _shuffled(items: list[Any], rng: np.random.Generator) -> list[Any]:
    return [items[i] for i in rng.permutation(len(items))]


class RepeatedShare(EqualBudgetMetric):
    """|share of values that occur more than once in the synthetic sample - the same share in a real
    sample of the same size|: catches one text or title ("Five Stars") repeated more often than real."""

    name = "repeated_share"
    goal = Goal.MINIMIZE
    max_value = 1.0

    def measure(self, items: list[str]) -> float:
        values, counts = np.unique(np.asarray(items, dtype=object).astype(str), return_counts=True)
        return float(counts[counts > 1].sum() / len(items)) if len(items) else 0.0

    def combine(self, synthetic_value: float, real_value: float) -> float:
        return abs(synthetic_value - real_value)

    def empty_raw(self) -> float:
        return 1.0
