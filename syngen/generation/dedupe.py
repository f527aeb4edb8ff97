"""Exact and near-duplicate detection of generated texts against real rows, shown examples and each other."""

from __future__ import annotations

import re

from rapidfuzz import fuzz, process

NEAR_THRESHOLD = 90.0  # rapidfuzz ratio (0-100) at or above which two texts count as near copies
_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    return _SPACE.sub(" ", str(text)).strip().lower()


class DuplicateIndex:
    """Remembers texts; `check` says whether a new text copies one of them, and which kind of copy."""

    def __init__(self, near_threshold: float = NEAR_THRESHOLD, min_words_for_near: int = 4) -> None:
        self.near_threshold = near_threshold
        self.min_words_for_near = min_words_for_near
        self._exact: set[str] = set()
        self._texts: list[str] = []

    def add(self, text: str) -> None:
        key = normalise(text)
        if key and key not in self._exact:
            self._exact.add(key)
            self._texts.append(key)

    def add_all(self, texts) -> None:
        for text in texts:
            self.add(text)

    def check(self, text: str) -> str | None:
        """'exact_copy', 'near_copy' or None."""
        key = normalise(text)
        if key in self._exact:
            return "exact_copy"
        # Short texts ("Great product") legitimately resemble each other; only longer ones can be near copies.
        if len(key.split()) < self.min_words_for_near or not self._texts:
            return None
        match = process.extractOne(key, self._texts, scorer=fuzz.ratio, score_cutoff=self.near_threshold)
        return "near_copy" if match else None
