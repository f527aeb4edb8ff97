"""Complexity of the sentence columns: readability (Flesch reading ease, Flesch-Kincaid grade) and
vocabulary rarity (share of words outside the Dale-Chall familiar words), compared as distributions."""

from __future__ import annotations

from syngen.evaluation.context import EvalContext
from syngen.evaluation.metrics.distribution import KSComplement
from syngen.evaluation.results import MetricResult, PropertyResult, run_metric
from syngen.evaluation.textfeatures import Readability, readability

NAME = "complexity"
FIELDS = {"reading_ease": "reading_ease_ks_complement", "grade": "grade_ks_complement",
          "rarity": "rarity_ks_complement"}


def measure(ctx: EvalContext) -> PropertyResult:
    results: list[MetricResult] = []
    series = {}
    for column in ctx.long_text_columns:
        scores = {side: _scores(ctx, side, column) for side in ("real", "synthetic")}
        if not scores["real"]:
            continue  # a real column without words has no readability to match
        values = {field: {side: [getattr(s, field) for s in scores[side]] for side in scores} for field in FIELDS}
        results += [run_metric(KSComplement(), v["real"], v["synthetic"], column, label=FIELDS[field])
                    for field, v in values.items()]
        series[column] = values
    return PropertyResult(NAME, results, series=series)


def _scores(ctx: EvalContext, side: str, column: str) -> list[Readability]:
    return [r for r in (readability(t) for t in ctx.texts(side, column)) if r is not None]
