"""Association between two columns, compared between real and synthetic (SDMetrics' column pair trends).

Both columns arrive already turned into category codes (numbers and dates binned on the real data's
quantiles), so one comparison serves every pair of kinds. `ContingencySimilarity` compares the joint
frequency tables themselves, as SDMetrics does: it sees an association turned around ("5 stars with many
helpful votes" become "1 star with many"), which a comparison of strengths (Cramér's V) scores as perfect.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from syngen.errors import MetricError
from syngen.evaluation.metrics.base import Goal, Metric


def contingency(first: pd.Series, second: pd.Series) -> np.ndarray:
    rows, _ = pd.factorize(first.to_numpy())
    cols, _ = pd.factorize(second.to_numpy())
    table = np.zeros((rows.max(initial=-1) + 1, cols.max(initial=-1) + 1))
    np.add.at(table, (rows, cols), 1.0)
    return table


def chi_square(table: np.ndarray) -> float:
    total = table.sum()
    expected = np.outer(table.sum(axis=1), table.sum(axis=0)) / total
    mask = expected > 0
    return float((((table - expected) ** 2)[mask] / expected[mask]).sum())


def cramers_v(first: pd.Series, second: pd.Series) -> float:
    """Bias-corrected Cramér's V (Bergsma 2013). The plain V is inflated on small samples, which would
    make a 10-row synthetic table look strongly associated whatever its content."""
    table = contingency(first, second)
    n = table.sum()
    rows, cols = table.shape
    if n < 2 or rows < 2 or cols < 2:
        return 0.0
    phi2 = chi_square(table) / n
    phi2_corrected = max(0.0, phi2 - (cols - 1) * (rows - 1) / (n - 1))
    rows_corrected = rows - (rows - 1) ** 2 / (n - 1)
    cols_corrected = cols - (cols - 1) ** 2 / (n - 1)
    denominator = min(rows_corrected - 1, cols_corrected - 1)
    if denominator <= 0:
        return 0.0
    return float(min(1.0, math.sqrt(phi2_corrected / denominator)))


class AssociationSimilarity(Metric):
    """1 - |V(real) - V(synthetic)| for one pair of columns; each side is a two-column frame of codes."""

    name = "association_similarity"
    goal = Goal.MAXIMIZE

    def compute_breakdown(self, real: pd.DataFrame, synthetic: pd.DataFrame) -> dict[str, Any]:
        if real.shape[1] != 2 or synthetic.shape[1] != 2:
            raise MetricError(f"{self.name} compares two columns, got {real.shape[1]} and {synthetic.shape[1]}")
        if len(real) < 2:
            raise MetricError(f"{self.name} needs at least two real rows")
        real_v = cramers_v(real.iloc[:, 0], real.iloc[:, 1])
        if len(synthetic) < 2:  # no association can be read from fewer than two rows
            return {"raw": 0.0, "real": real_v, "synthetic": None}
        synthetic_v = cramers_v(synthetic.iloc[:, 0], synthetic.iloc[:, 1])
        return {"raw": 1.0 - abs(real_v - synthetic_v), "real": real_v, "synthetic": synthetic_v}


def joint_shares(pair: pd.DataFrame) -> pd.Series:
    """The share of rows in each (first, second) cell of a two-column frame; empty cells are absent."""
    named = pair.set_axis(["first", "second"], axis=1)
    return named.value_counts(normalize=True, dropna=False)


class ContingencySimilarity(Metric):
    """1 - the total variation distance between the real and the synthetic joint frequency tables of two
    columns (SDMetrics' ContingencySimilarity). Cramér's V of each side is kept to show the strengths."""

    name = "contingency_similarity"
    goal = Goal.MAXIMIZE

    def compute_breakdown(self, real: pd.DataFrame, synthetic: pd.DataFrame) -> dict[str, Any]:
        if real.shape[1] != 2 or synthetic.shape[1] != 2:
            raise MetricError(f"{self.name} compares two columns, got {real.shape[1]} and {synthetic.shape[1]}")
        if len(real) == 0:
            raise MetricError(f"{self.name} needs real rows")
        real_v = cramers_v(real.iloc[:, 0], real.iloc[:, 1])
        if len(synthetic) == 0:
            return {"raw": 0.0, "real_v": real_v, "synthetic_v": None}
        real_shares, synthetic_shares = joint_shares(real).align(joint_shares(synthetic), fill_value=0.0)
        distance = 0.5 * float((real_shares - synthetic_shares).abs().sum())
        return {"raw": max(0.0, 1.0 - distance), "real_v": real_v,
                "synthetic_v": cramers_v(synthetic.iloc[:, 0], synthetic.iloc[:, 1])}
