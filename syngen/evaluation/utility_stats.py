"""F1 scores with bootstrap confidence intervals, two models scored on the same resamples of the test rows.

Written by hand because scikit-learn has no bootstrap and scipy is not a runtime dependency; computing the
per-class counts of all resamples at once as arrays is about a hundred times faster than calling f1_score
a thousand times.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

RESAMPLES = 1000
LEVEL = 0.95
CELLS_AT_ONCE = 2_000_000  # resampled labels held in memory at once (16 MB per array)


@dataclass(frozen=True)
class Interval:
    """A score measured on the test rows, with the bootstrap percentile interval around it."""

    value: float
    low: float
    high: float

    def to_dict(self) -> dict[str, float]:
        return {"value": round(self.value, 4), "low": round(self.low, 4), "high": round(self.high, 4)}

    def __str__(self) -> str:
        return f"{self.value:.3f} [{self.low:.3f}, {self.high:.3f}]"

    def signed(self) -> str:
        """As a difference: +0.031 [-0.080, +0.124]."""
        return f"{self.value:+.3f} [{self.low:+.3f}, {self.high:+.3f}]"


@dataclass(frozen=True)
class Paired:
    candidate: Interval
    baseline: Interval
    difference: Interval  # candidate - baseline on the same resamples: its interval is the one to read


def f1_scores(truth: np.ndarray, predicted: np.ndarray, classes: list) -> np.ndarray:
    """Per-class F1 of each row of `truth`/`predicted` (shape resamples x rows): shape resamples x classes.
    A class neither present nor predicted scores 0, as scikit-learn's zero_division=0."""
    scores = []
    for label in classes:
        is_true, is_predicted = truth == label, predicted == label
        hits = (is_true & is_predicted).sum(axis=-1)
        denominator = is_true.sum(axis=-1) + is_predicted.sum(axis=-1)
        scores.append(np.divide(2 * hits, denominator, out=np.zeros(hits.shape, float), where=denominator > 0))
    return np.stack(scores, axis=-1)


def macro_f1(truth: np.ndarray, predicted: np.ndarray, classes: list) -> np.ndarray:
    """The mean F1 over `classes` (one class: that class's F1, as for the minority an augmentation helps)."""
    return f1_scores(truth, predicted, classes).mean(axis=-1)


def paired_bootstrap(truth, candidate, baseline, classes: list[str], seed: int) -> Paired:
    """Macro-F1 over `classes` of both predictions, on the test rows and on RESAMPLES seeded resamples of
    them (with replacement)."""
    codes = {label: code for code, label in enumerate(sorted({*map(str, truth), *map(str, candidate),
                                                               *map(str, baseline), *classes}))}
    truth, candidate, baseline = (np.array([codes[str(v)] for v in values]) for values in (truth, candidate, baseline))
    scored = [codes[c] for c in classes]
    rng = np.random.default_rng(seed)
    first, second = [], []
    chunk = max(1, min(RESAMPLES, CELLS_AT_ONCE // max(1, len(truth))))  # bounded memory on a large test set
    for start in range(0, RESAMPLES, chunk):
        rows = rng.integers(0, len(truth), size=(min(chunk, RESAMPLES - start), len(truth)))
        first.append(macro_f1(truth[rows], candidate[rows], scored))
        second.append(macro_f1(truth[rows], baseline[rows], scored))
    first, second = np.concatenate(first), np.concatenate(second)
    point_first, point_second = float(macro_f1(truth, candidate, scored)), float(macro_f1(truth, baseline, scored))
    return Paired(_interval(point_first, first), _interval(point_second, second),
                  _interval(point_first - point_second, first - second))


def _interval(value: float, samples: np.ndarray) -> Interval:
    tail = (1 - LEVEL) / 2 * 100
    low, high = np.percentile(samples, [tail, 100 - tail])
    return Interval(value, float(low), float(high))
