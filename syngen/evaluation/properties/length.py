"""Length: words and characters per text column, as whole distributions (KS) and as medians."""

from __future__ import annotations

from syngen.evaluation.context import EvalContext
from syngen.evaluation.metrics.distribution import KSComplement, MedianRatio
from syngen.evaluation.results import MetricResult, PropertyResult, run_metric
from syngen.evaluation.textfeatures import word_count

NAME = "length"


def measure(ctx: EvalContext) -> PropertyResult:
    results: list[MetricResult] = []
    series = {}
    for column in ctx.text_columns:
        words = {side: [word_count(t) for t in ctx.texts(side, column)] for side in ("real", "synthetic")}
        chars = {side: [len(t) for t in ctx.texts(side, column)] for side in ("real", "synthetic")}
        results += [
            run_metric(KSComplement(), words["real"], words["synthetic"], column, label="words_ks_complement"),
            run_metric(KSComplement(), chars["real"], chars["synthetic"], column, label="chars_ks_complement"),
            run_metric(MedianRatio(), words["real"], words["synthetic"], column, label="median_words_ratio"),
        ]
        series[column] = {"words": words, "chars": chars}
    return PropertyResult(NAME, results, series=series)
