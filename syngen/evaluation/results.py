"""What a metric and a property report: raw values, scores in [0, 1], and the numbers behind them."""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from syngen.evaluation.metrics.base import Metric


@dataclass
class MetricResult:
    metric: str
    column: str | None
    raw: float
    score: float
    details: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"metric": self.metric, "column": self.column, "raw": _safe(self.raw), "score": round(self.score, 4),
                **{k: _safe(v) for k, v in self.details.items()}}


def run_metric(metric: Metric, real: Any, synthetic: Any, column: str | None = None,
               label: str | None = None) -> MetricResult:
    """Compute one metric; `label` names it in the report when one class serves several measurements
    (a KS complement of word counts and one of reading ease)."""
    breakdown = metric.compute_breakdown(real, synthetic)
    raw = float(breakdown.pop("raw"))
    return MetricResult(label or metric.name, column, raw, metric.normalize(raw), breakdown)


@dataclass
class PropertyResult:
    """A property's score is the mean over its metrics, each metric first averaged over its columns, so
    a metric computed on ten columns weighs as much as one computed once."""

    name: str
    metrics: list[MetricResult] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)  # JSON-ready extras (copy counts, far texts)
    series: dict[str, Any] = field(default_factory=dict)  # arrays for the plots; never serialised
    notes: list[str] = field(default_factory=list)
    reference: float | None = None  # the score of real half vs real half (a perfect generator)

    @property
    def score(self) -> float | None:
        means = self.metric_means()
        return sum(means.values()) / len(means) if means else None

    def metric_means(self) -> dict[str, float]:
        groups: dict[str, list[float]] = defaultdict(list)
        for result in self.metrics:
            groups[result.metric].append(result.score)
        return {name: sum(s) / len(s) for name, s in groups.items()}

    def to_dict(self) -> dict[str, Any]:
        score = self.score
        return {
            "score": None if score is None else round(score, 4),
            "reference": None if self.reference is None else round(self.reference, 4),
            **{k: _safe(v) for k, v in self.details.items()},
            "metrics": [m.to_dict() for m in self.metrics],
            "notes": list(self.notes),
        }


def _safe(value: Any) -> Any:
    """JSON has no NaN or infinity; numpy numbers become plain ones."""
    if isinstance(value, dict):
        return {str(k): _safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_safe(v) for v in value]
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()
    if isinstance(value, float):
        return round(value, 6) if math.isfinite(value) else None
    return value
