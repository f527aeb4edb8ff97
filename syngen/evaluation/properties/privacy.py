"""Privacy: synthetic texts that copy real ones exactly or nearly (rapidfuzz), also against the few-shot
rows the generator was shown; texts holding two words only one real text uses; real identifiers reused; and
distance to the closest real record compared with a holdout view of the real data (each real text against all
the others)."""

from __future__ import annotations

from syngen.evaluation.context import EvalContext
from syngen.evaluation.metrics.copies import CopiedValueShare, CopyShare, OwnWordsShare
from syngen.evaluation.metrics.distribution import HighTailShare
from syngen.evaluation.results import MetricResult, PropertyResult, run_metric
from syngen.profiling.model import ColumnKind

NAME = "privacy"
QUANTILE = 0.95


def measure(ctx: EvalContext) -> PropertyResult:
    results: list[MetricResult] = []
    for column in ctx.long_text_columns:
        results.append(run_metric(CopyShare(), ctx.texts("real", column), ctx.texts("synthetic", column), column,
                                  label="copy_share"))
        results.append(run_metric(OwnWordsShare(), ctx.texts("real", column), ctx.texts("synthetic", column), column))
        if ctx.few_shot is not None and len(ctx.few_shot):
            results.append(run_metric(CopyShare(), ctx.texts("few_shot", column), ctx.texts("synthetic", column),
                                      column, label="few_shot_copy_share"))
        if ctx.embedder is not None and len(ctx.embedded_rows("real", column)) > 1 and len(
                ctx.embedded_rows("synthetic", column)):
            real_nn, synthetic_nn = ctx.nearest_real(column)
            results.append(run_metric(HighTailShare(QUANTILE), real_nn, synthetic_nn, column,
                                      label="closer_than_real_share"))
    for column in ctx.columns_of(ColumnKind.IDENTIFIER):
        results.append(run_metric(CopiedValueShare(), ctx.column("real", column).tolist(),
                                  ctx.column("synthetic", column).tolist(), column, label="copied_ids_share"))
    return PropertyResult(NAME, results, details=_counts(results, ctx.few_shot is not None))


def _counts(results: list[MetricResult], few_shot_known: bool) -> dict:
    def total(metric: str, key: str) -> int:
        return sum(int(r.details.get(key, 0)) for r in results if r.metric == metric)

    examples = [e for r in results if r.metric == "copy_share" for e in r.details.get("examples", [])]
    return {
        "exact_copies": total("copy_share", "exact"),
        "near_copies": total("copy_share", "near"),
        "few_shot_exact_copies": total("few_shot_copy_share", "exact") if few_shot_known else None,
        "few_shot_near_copies": total("few_shot_copy_share", "near") if few_shot_known else None,
        "own_words_texts": total("own_words_share", "count"),
        "copied_ids": total("copied_ids_share", "count"),
        "copy_examples": examples[:5],
    }
