"""Diversity: lexical (distinct-1/2/3, compressibility, pairwise self-similarity), repetition (one text
or a templated title like "Five Stars" far more often than real), and semantic (Vendi score and mean
pairwise cosine of sentence embeddings). Every figure is compared with the real column's own."""

from __future__ import annotations

from syngen.evaluation.context import EvalContext
from syngen.evaluation.metrics.lexical import CompressionRatio, DistinctN, SelfSimilarity, repeated_values, tokenize
from syngen.evaluation.metrics.sampled import RepeatedShare
from syngen.evaluation.metrics.semantic import MeanPairwiseCosine, VendiScore
from syngen.evaluation.results import MetricResult, PropertyResult, run_metric

NAME = "diversity"


def measure(ctx: EvalContext) -> PropertyResult:
    results: list[MetricResult] = []
    repeated = {}
    for column in ctx.text_columns:
        results += _lexical(ctx, column)
        repeated[column] = repeated_values(ctx.column("real", column).tolist(),
                                           ctx.column("synthetic", column).tolist())
    if ctx.embedder is not None:
        for column in ctx.long_text_columns:
            results += _semantic(ctx, column)
    return PropertyResult(NAME, results, details={"repeated_values": repeated})


def _lexical(ctx: EvalContext, column: str) -> list[MetricResult]:
    # The texts there are: an empty cell has no words (fidelity's text_empty_share compares how many are empty).
    real = [t for t in ctx.texts("real", column) if t.strip()]
    synthetic = [t for t in ctx.texts("synthetic", column) if t.strip()]
    if not real or not synthetic:
        return []
    real_tokens, synthetic_tokens = [tokenize(t) for t in real], [tokenize(t) for t in synthetic]
    results = [run_metric(DistinctN(n, seed=ctx.seed), real_tokens, synthetic_tokens, column) for n in (1, 2, 3)]
    results.append(run_metric(CompressionRatio(seed=ctx.seed), real, synthetic, column))
    results.append(run_metric(SelfSimilarity(seed=ctx.seed), real, synthetic, column))
    raw_real = [v for v in ctx.column("real", column).tolist() if str(v).strip()]
    raw_synthetic = [v for v in ctx.column("synthetic", column).tolist() if str(v).strip()]
    results.append(run_metric(RepeatedShare(seed=ctx.seed), raw_real, raw_synthetic, column))
    return results


def _semantic(ctx: EvalContext, column: str) -> list[MetricResult]:
    real = list(ctx.embeddings("real", column))
    synthetic = list(ctx.embeddings("synthetic", column))
    if len(real) < 2 or len(synthetic) < 2:
        return []
    return [run_metric(VendiScore(seed=ctx.seed), real, synthetic, column),
            run_metric(MeanPairwiseCosine(seed=ctx.seed), real, synthetic, column)]
