"""Validity: does each cell have the format the real column has, are the rows usable and as many as
asked, are identifiers as unique as real ones, and does each date come after the date it follows in the real
rows (a reply after its review)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from syngen.evaluation.context import EvalContext
from syngen.evaluation.formats import build_checks
from syngen.evaluation.metrics.adherence import CountAccuracy, PassShare, UsableShare
from syngen.evaluation.metrics.sampled import RepeatedShare
from syngen.evaluation.results import MetricResult, PropertyResult, run_metric
from syngen.profiling.model import ColumnKind, Ordering
from syngen.profiling.orders import seconds

NAME = "validity"
EXAMPLES = 3


def measure(ctx: EvalContext) -> PropertyResult:
    checks = build_checks(ctx.profile)
    real = ctx.cached(("real", "checks"), lambda: {name: check(ctx.real) for name, check in checks.items()})
    synthetic = {name: check(ctx.synthetic) for name, check in checks.items()}
    results = [run_metric(PassShare("format_adherence"), real[c], synthetic[c], column=c) for c in checks]
    real_rows, synthetic_rows = _all_pass(real, len(ctx.real)), _all_pass(synthetic, len(ctx.synthetic))
    results.append(run_metric(PassShare("valid_rows"), real_rows, synthetic_rows))
    results.append(run_metric(UsableShare(), ctx.unusable, len(ctx.synthetic)))
    if ctx.expected_rows:
        results.append(run_metric(CountAccuracy(), ctx.expected_rows, len(ctx.synthetic)))
    results += _duplicate_ids(ctx)
    results += [_date_order(ctx, order) for order in ctx.profile.orders]
    details = {"valid_rows": int(synthetic_rows.sum()), "invalid_examples": _examples(ctx, synthetic)}
    return PropertyResult(NAME, results, details=details)


def _date_order(ctx: EvalContext, order: Ordering) -> MetricResult:
    real = ctx.cached(("real", "date_order", order.then), lambda: in_order(ctx.real, ctx, order))
    return run_metric(PassShare("date_order"), real, in_order(ctx.synthetic, ctx, order), column=order.then)


def in_order(frame: pd.DataFrame, ctx: EvalContext, order: Ordering) -> np.ndarray:
    """Per row: its `then` date is not before its `first` (a row missing either, or unreadable, passes)."""
    first, then = (seconds(frame, ctx.profile.column(name)) for name in (order.first, order.then))
    return (first.isna() | then.isna() | (then >= first)).to_numpy()


def _all_pass(masks: dict[str, np.ndarray], rows: int) -> np.ndarray:
    passed = np.ones(rows, dtype=bool)
    for mask in masks.values():
        passed &= mask
    return passed


def _duplicate_ids(ctx: EvalContext) -> list[MetricResult]:
    metric = RepeatedShare(seed=ctx.seed)
    return [run_metric(metric, ctx.column("real", c).tolist(), ctx.column("synthetic", c).tolist(), column=c,
                       label="duplicate_ids")
            for c in ctx.columns_of(ColumnKind.IDENTIFIER)]


def _examples(ctx: EvalContext, masks: dict[str, np.ndarray]) -> dict[str, list[str]]:
    """A few failing values per column, so a reader sees what was wrong, not only how often."""
    examples = {}
    for name, mask in masks.items():
        failing = ctx.column("synthetic", name)[~mask]
        if len(failing):
            examples[name] = list(dict.fromkeys(failing.tolist()))[:EXAMPLES]
    return examples
