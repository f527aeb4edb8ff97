"""Validity metrics: share of cells passing their column's format, rows delivered vs asked, usable share."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from syngen.errors import MetricError
from syngen.evaluation.metrics.base import Goal, Metric, ratio


class PassShare(Metric):
    """Share of synthetic cells (or rows) whose check passed; the real side's share is reported as the
    check's own sanity figure (close to 1 when the check describes the real data)."""

    goal = Goal.MAXIMIZE

    def __init__(self, name: str = "format_adherence") -> None:
        self.name = name

    def compute_breakdown(self, real: Sequence[bool], synthetic: Sequence[bool]) -> dict[str, Any]:
        real_mask, synthetic_mask = np.asarray(real, dtype=bool), np.asarray(synthetic, dtype=bool)
        real_share = float(real_mask.mean()) if len(real_mask) else None
        if not len(synthetic_mask):
            return {"raw": 0.0, "real": real_share, "failed": 0}
        return {"raw": float(synthetic_mask.mean()), "real": real_share, "failed": int((~synthetic_mask).sum())}


class CountAccuracy(Metric):
    """Rows delivered against rows asked, symmetric: 5 of 10 and 20 of 10 both score 0.5.
    Here `real` is the number asked and `synthetic` the number delivered."""

    name = "count_accuracy"
    goal = Goal.TARGET
    max_value = float("inf")

    def compute_breakdown(self, real: int, synthetic: int) -> dict[str, Any]:
        if real is None or real <= 0:
            raise MetricError("count accuracy needs the number of rows that were asked for")
        return {"raw": ratio(synthetic, real), "asked": int(real), "delivered": int(synthetic)}


class UsableShare(Metric):
    """Share of the records found in the file that could be read as rows. Here `real` is the number of
    unusable records and `synthetic` the number of usable rows."""

    name = "usable_share"
    goal = Goal.MAXIMIZE

    def compute_breakdown(self, real: int, synthetic: int) -> dict[str, Any]:
        total = real + synthetic
        return {"raw": synthetic / total if total else 0.0, "unusable": int(real), "usable": int(synthetic)}
