"""Privacy metrics: synthetic texts or ids that copy real ones, exactly or nearly.

What a copy is (at least MIN_WORDS words, normalised text equal or at rapidfuzz ratio >= NEAR_RATIO) and the
index that finds it are generation's (syngen/generation/dedupe.py): a row generation accepted is never
counted here, except in a column whose real texts copy one another (canned messages), where generation refuses
only exact copies of texts occurring once; the real-vs-real calibration shows how much such a column copies
itself. Very short texts are written by many real people too; the real-vs-real calibration shows the
chance level.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from syngen.evaluation.metrics.base import Goal, Metric
from syngen.generation.dedupe import MIN_WORDS, NEAR_RATIO, DuplicateIndex
from syngen.generation.ownwords import learn_own_words

__all__ = ["MIN_WORDS", "NEAR_RATIO", "CopiedValueShare", "CopyShare", "OwnWordsShare", "copy_matches"]


def copy_matches(real: Sequence[str], synthetic: Sequence[str]) -> list[dict[str, Any]]:
    """One entry per synthetic text that copies a real one: its index, the real text (normalised), exact or near.
    Each text costs the same whatever the number of real ones (an LSH index, not all pairs)."""
    index = DuplicateIndex()
    index.add_all(real)
    matches = []
    for i, text in enumerate(synthetic):
        copy = index.find(text)
        if copy is not None:
            matches.append({"index": i, "text": str(text).strip(), "real": copy.of, "kind": copy.kind.value,
                            "score": copy.score})
    return matches


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


class OwnWordsShare(Metric):
    """Share of synthetic texts holding two words or more that one real text alone uses ("prilosec", "hiatal"):
    that text reworded, as generation defines it (syngen/generation/ownwords.py). Real texts share such words
    by chance too (two reviews of one product); the real-vs-real calibration shows how often."""

    name = "own_words_share"
    goal = Goal.MINIMIZE

    def compute_breakdown(self, real: Sequence[str], synthetic: Sequence[str]) -> dict[str, Any]:
        own = learn_own_words({"text": enumerate(real)})
        found = [(i, taken) for i, text in enumerate(synthetic) if (taken := own.taken(str(text))) is not None]
        examples = [{"index": i, "text": str(synthetic[i]).strip(), "real": str(real[row]).strip(), "words": words}
                    for i, (row, words) in found[:5]]
        return {"raw": len(found) / len(synthetic) if len(synthetic) else 0.0, "count": len(found),
                "examples": examples}


class CopiedValueShare(Metric):
    """Share of non-empty synthetic values (e.g. user ids) that are real values, reused as they are."""

    name = "copied_value_share"
    goal = Goal.MINIMIZE

    def compute_breakdown(self, real: Sequence[str], synthetic: Sequence[str]) -> dict[str, Any]:
        known = {v for v in real if v}
        present = [v for v in synthetic if v]
        count = sum(v in known for v in present)
        return {"raw": count / len(present) if present else 0.0, "count": count}
