"""Privacy metrics: synthetic texts or ids that copy real ones, exactly or nearly.

Very short texts ("Great product", "Good") are written by many real people too, so a text counts as a
copy only if it has at least MIN_COPY_WORDS words; the real-vs-real calibration shows the chance level.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from syngen.evaluation.metrics import base
from syngen.evaluation.metrics.base import Goal, Metric

MIN_COPY_WORDS = 3
NEAR_COPY_SCORE = 90  # rapidfuzz ratio (0-100) on lower-cased, punctuation-free text


def _long_enough(texts: Sequence[str]) -> list[str]:
    return [t.strip() for t in texts if len(t.split()) >= MIN_COPY_WORDS]


def copy_matches(real: Sequence[str], synthetic: Sequence[str]) -> list[dict[str, Any]]:
    """One entry per synthetic text that copies a real one: its index, the real text, exact or near."""
    from rapidfuzz import fuzz, process, utils

    references = sorted(set(_long_enough(real)))
    candidates = [(i, t.strip()) for i, t in enumerate(synthetic) if len(t.split()) >= MIN_COPY_WORDS]
    if not references or not candidates:
        return []
    exact = set(references)
    matches = [{"index": i, "text": t, "real": t, "kind": "exact", "score": 100.0}
               for i, t in candidates if t in exact]
    rest = [(i, t) for i, t in candidates if t not in exact]
    for rows in base.row_chunks(len(rest), len(references)):  # bounded memory: a block of rows at a time
        block = rest[rows]
        scores = process.cdist([t for _, t in block], references, scorer=fuzz.ratio, processor=utils.default_process,
                               score_cutoff=NEAR_COPY_SCORE, dtype=np.uint8, workers=-1)
        for row, (i, text) in enumerate(block):
            best = int(scores[row].argmax())
            if scores[row, best] >= NEAR_COPY_SCORE:
                matches.append({"index": i, "text": text, "real": references[best], "kind": "near",
                                "score": float(scores[row, best])})
    return sorted(matches, key=lambda m: m["index"])


class CopyShare(Metric):
    """Share of synthetic texts that copy a real text: `kind` "exact", "near" (similar but not equal)
    or "any". The breakdown always counts both kinds."""

    goal = Goal.MINIMIZE

    def __init__(self, kind: str = "any", name: str | None = None) -> None:
        self.kind = kind
        self.name = name or f"{kind}_copy_share"

    def compute_breakdown(self, real: Sequence[str], synthetic: Sequence[str]) -> dict[str, Any]:
        matches = copy_matches(real, synthetic)
        counted = [m for m in matches if self.kind in ("any", m["kind"])]
        share = len(counted) / len(synthetic) if len(synthetic) else 0.0
        return {"raw": share, "exact": sum(m["kind"] == "exact" for m in matches),
                "near": sum(m["kind"] == "near" for m in matches), "examples": counted[:5]}


class CopiedValueShare(Metric):
    """Share of non-empty synthetic values (e.g. user ids) that are real values, reused as they are."""

    name = "copied_value_share"
    goal = Goal.MINIMIZE

    def compute_breakdown(self, real: Sequence[str], synthetic: Sequence[str]) -> dict[str, Any]:
        known = {v for v in real if v}
        present = [v for v in synthetic if v]
        count = sum(v in known for v in present)
        return {"raw": count / len(present) if present else 0.0, "count": count}
