"""What a perfect generator would score: the real data split in halves, one half evaluated against the
other exactly as the synthetic rows are evaluated against the real ones.

The "synthetic" half is cut to the synthetic file's size, because every score is noisier on fewer rows:
ten real reviews do not match the real length distribution perfectly either. Small sizes are averaged
over several draws so the reference itself is not one lucky or unlucky sample.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from syngen.data.loader import Table
from syngen.evaluation.context import EvalContext
from syngen.evaluation.properties import measure_all
from syngen.profiling import Catalogue, profile_table

SMALL_SAMPLE = 200  # below this many rows a single draw of real rows is too noisy to be a reference
DRAWS_WHEN_SMALL = 5


@dataclass
class Calibration:
    scores: dict[str, float | None]
    real_rows: int
    synthetic_rows: int
    draws: int

    def to_dict(self) -> dict:
        return {"method": "real half vs real half", "real_rows": self.real_rows,
                "synthetic_rows": self.synthetic_rows, "draws": self.draws}


def calibrate(ctx: EvalContext, catalogue: Catalogue | None) -> Calibration:
    rng = np.random.default_rng(ctx.seed)
    order = rng.permutation(len(ctx.real))
    half = len(order) // 2
    first = ctx.real.iloc[order[:half]].reset_index(drop=True)
    second = ctx.real.iloc[order[half:]].reset_index(drop=True)
    size = min(len(second), len(ctx.synthetic) or ctx.expected_rows or len(second))
    draws = DRAWS_WHEN_SMALL if size < SMALL_SAMPLE else 1
    table = Table(frame=first, source=f"{ctx.profile.source} (first half)", encoding="utf-8", delimiter=",")
    profile = profile_table(table, catalogue, topic=ctx.topic)
    base = _half_context(ctx, first, second.iloc[:0], profile)
    runs = []
    for _ in range(draws):
        sample = second.iloc[rng.permutation(len(second))[:size]].reset_index(drop=True)
        runs.append(measure_all(base.with_synthetic(sample, expected_rows=len(sample) if ctx.expected_rows else None)))
    scores = {name: _mean([run[name].score for run in runs]) for name in runs[0]}
    return Calibration(scores, real_rows=len(first), synthetic_rows=size, draws=draws)


def _half_context(ctx: EvalContext, real: pd.DataFrame, synthetic: pd.DataFrame, profile) -> EvalContext:
    # Mirror the real evaluation: the same few-shot count (rows of the "real" half) and a row count asked
    # for exactly when the synthetic file had one.
    few_shot = None if ctx.few_shot is None else real.iloc[: len(ctx.few_shot)]
    return EvalContext(real=real, synthetic=synthetic, profile=profile, embedder=ctx.embedder, topic=ctx.topic,
                       expected_rows=len(synthetic) if ctx.expected_rows else None, unusable=0,
                       few_shot=few_shot, seed=ctx.seed)


def _mean(values: list[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return float(np.mean(present)) if present else None
