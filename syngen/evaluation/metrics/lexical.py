"""Lexical diversity of a text column: distinct n-grams, compressibility and pairwise self-similarity,
each compared with the real column on an equal budget (see `sampled`)."""

from __future__ import annotations

import re
import zlib
from collections import Counter
from collections.abc import Sequence

import numpy as np

from syngen.evaluation.metrics.sampled import EqualBudgetMetric

_TOKEN = re.compile(r"[\w']+")
SELF_SIMILARITY_SAMPLE = 200  # 200 texts give 19,900 pairs: a stable mean in well under a second


def tokenize(text: str) -> list[str]:
    return _TOKEN.findall(text.lower())


def distinct_n(token_lists: Sequence[Sequence[str]], n: int) -> float:
    """Distinct n-grams / all n-grams, n-grams never crossing from one text into the next."""
    grams = [tuple(tokens[i:i + n]) for tokens in token_lists for i in range(len(tokens) - n + 1)]
    return len(set(grams)) / len(grams) if grams else 0.0


class DistinctN(EqualBudgetMetric):
    """Distinct-n (Li et al. 2016) of the synthetic texts over that of the real texts, same token count."""

    def __init__(self, n: int, repeats: int = 5, seed: int = 0) -> None:
        super().__init__(repeats, seed)
        self.n = n
        self.name = f"distinct_{n}"

    def measure(self, items: list[list[str]]) -> float:
        return distinct_n(items, self.n)

    def size(self, items: list[list[str]]) -> int:
        return sum(len(tokens) for tokens in items)

    def take(self, items: list[list[str]], budget: int) -> list[list[str]]:
        taken, left = [], budget
        for tokens in items:
            if left <= 0:
                break
            taken.append(tokens[:left])
            left -= len(tokens)
        return taken


class CompressionRatio(EqualBudgetMetric):
    """zlib-compressed size / raw size of the joined texts: repetitive text compresses better."""

    name = "compression_ratio"

    def measure(self, items: list[str]) -> float:
        raw = "\n".join(items).encode("utf-8")
        return len(zlib.compress(raw, 9)) / len(raw) if raw else 0.0

    def size(self, items: list[str]) -> int:
        return sum(len(text) + 1 for text in items)

    def take(self, items: list[str], budget: int) -> list[str]:
        joined = "\n".join(items)
        return [joined[:budget]]


class SelfSimilarity(EqualBudgetMetric):
    """Mean pairwise similarity (rapidfuzz token_sort_ratio) within a sample: homogenised, templated
    answers are more alike than real reviews are."""

    name = "self_similarity"
    max_budget = SELF_SIMILARITY_SAMPLE

    def measure(self, items: list[str]) -> float:
        from rapidfuzz import fuzz, process

        if len(items) < 2:
            return 0.0
        scores = process.cdist(items, items, scorer=fuzz.token_sort_ratio, dtype=np.float32, workers=-1)
        off_diagonal = scores.sum() - np.trace(scores)
        return float(off_diagonal / (len(items) * (len(items) - 1)) / 100.0)


def repeated_values(real: Sequence[str], synthetic: Sequence[str], top: int = 5) -> list[dict]:
    """The synthetic values repeated most often, with their share in the synthetic and the real data."""
    if not synthetic:
        return []
    real_counts, synthetic_counts = Counter(real), Counter(synthetic)
    return [
        {"value": value, "synthetic_share": count / len(synthetic),
         "real_share": real_counts.get(value, 0) / max(1, len(real))}
        for value, count in synthetic_counts.most_common(top) if count > 1
    ]
