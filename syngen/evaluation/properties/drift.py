"""Drift: synthetic texts that read unlike the real ones. As a set: how well a classifier tells them from the real
texts (metrics/detection.py), with the words that give them away. One by one: texts far from anything real, by
sentence-embedding similarity to their nearest real text and to the topic (the catalogue's category). The
thresholds are the real data's own 5th percentiles, so a generator like the real data leaves about 5% of its
texts below them; the texts that fall there are listed for a reader to judge."""

from __future__ import annotations

import numpy as np

from syngen.evaluation.context import EvalContext
from syngen.evaluation.metrics.detection import MIN_TEXTS, TextDetection, texts_of
from syngen.evaluation.metrics.distribution import LowTailShare
from syngen.evaluation.results import MetricResult, PropertyResult, run_metric

NAME = "drift"
QUANTILE = 0.05
LISTED = 10


def measure(ctx: EvalContext) -> PropertyResult:
    detected, notes = _detection(ctx)
    if ctx.embedder is None or len(ctx.real) < 2:
        return PropertyResult(NAME, detected,
                              notes=notes + ["far texts not measured: needs sentence embeddings and two real rows"])
    results: list[MetricResult] = list(detected)
    far: list[dict] = []
    series = {}
    for column in ctx.long_text_columns:
        if min(len(ctx.embedded_rows("real", column)), len(ctx.embedded_rows("synthetic", column))) < 1:
            notes.append(f"'{column}': far texts not measured: no text of it on one side")
            continue
        real_nn, synthetic_nn = ctx.nearest_real(column)
        topic = ctx.topic_vector()
        real_topic = ctx.embeddings("real", column) @ topic
        synthetic_topic = ctx.embeddings("synthetic", column) @ topic
        metric = LowTailShare(QUANTILE)
        results += [run_metric(metric, real_nn, synthetic_nn, column, label="far_from_real_share"),
                    run_metric(metric, real_topic, synthetic_topic, column, label="off_topic_share")]
        limits = (metric.threshold(real_nn), metric.threshold(real_topic))
        far += _far_texts(ctx, column, synthetic_nn, synthetic_topic, limits)
        series[column] = {"nearest": {"real": real_nn, "synthetic": synthetic_nn},
                          "topic": {"real": real_topic, "synthetic": synthetic_topic}}
    far.sort(key=lambda item: item["nearest_real_similarity"])
    details = {"far_texts_count": len(far), "far_texts": far[:LISTED], "topic": ctx.topic,
               # every long text column's texts: far_texts_count counts them all (a job posting's three)
               "texts_measured": {side: sum(len(ctx.embedded_rows(side, column)) for column in ctx.long_text_columns)
                                  for side in ("real", "synthetic")}}
    return PropertyResult(NAME, results, details=details, series=series, notes=notes)


def _detection(ctx: EvalContext) -> tuple[list[MetricResult], list[str]]:
    """How well a classifier tells each long text column's synthetic texts from the real ones."""
    results, notes = [], []
    for column in ctx.long_text_columns:
        real, synthetic = ctx.texts("real", column), ctx.texts("synthetic", column)
        if min(len(texts_of(real)), len(texts_of(synthetic))) < MIN_TEXTS:
            notes.append(f"'{column}' not told from real texts: needs {MIN_TEXTS} texts on each side")
            continue
        results.append(run_metric(TextDetection(seed=ctx.seed), real, synthetic, column))
    return results, notes


def _far_texts(ctx: EvalContext, column: str, nearest: np.ndarray, topic: np.ndarray,
               limits: tuple[float, float]) -> list[dict]:
    texts, rows = ctx.texts("synthetic", column), ctx.embedded_rows("synthetic", column)
    flagged = np.flatnonzero((nearest < limits[0]) | (topic < limits[1]))
    return [{"row": int(rows[i]), "column": column, "text": texts[rows[i]][:300],
             "nearest_real_similarity": round(float(nearest[i]), 3), "topic_similarity": round(float(topic[i]), 3)}
            for i in flagged]
