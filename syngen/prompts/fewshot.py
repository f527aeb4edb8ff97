"""Choose the real rows shown to the model as examples: stratified by the row's category and rotated,
so the output does not collapse onto a few examples. Every choice is recorded for the privacy check."""

from __future__ import annotations

import numpy as np
import pandas as pd

from syngen.profiling.model import DatasetProfile

MAX_EXAMPLE_WORDS = 45  # long examples cost prompt time on small CPUs and teach little more


class FewShotPicker:
    def __init__(self, frame: pd.DataFrame, profile: DatasetProfile, k: int, seed: int) -> None:
        self.frame = frame
        self.profile = profile
        self.k = k
        self.seed = seed
        self.text_columns = [c.name for c in profile.text_columns]
        self.main_text = profile.main_text
        self.stratum = self._stratum_column()
        self.shown: set[int] = set()
        words = frame[self.main_text].str.split().str.len().fillna(0)
        self._usable = frame.index[(words >= 2) & (words <= MAX_EXAMPLE_WORDS)]
        if len(self._usable) < k:
            self._usable = frame.index

    def _stratum_column(self) -> str | None:
        """The categorical column with the fewest values (>1): e.g. the rating of a review."""
        candidates = self.profile.small_categories()
        return min(candidates, key=lambda c: c.n_distinct).name if candidates else None

    def pick(self, block: int, position: int, values: dict[str, str]) -> list[int]:
        """Row indices for one prompt: k-1 examples shared by every row of a block (so llama.cpp can
        reuse the prompt prefix), then one from the row's own stratum (e.g. a review with its rating)."""
        if self.k == 0:
            return []
        shared_rng = np.random.default_rng([self.seed, block, 1])
        shared = [int(i) for i in shared_rng.choice(self._usable, size=min(self.k - 1, len(self._usable)),
                                                    replace=False)]
        pool = self._usable.difference(shared)
        if self.stratum:
            same = pool[self.frame.loc[pool, self.stratum] == values.get(self.stratum, "")]
            pool = same if len(same) else pool
        own = [int(np.random.default_rng([self.seed, position, 2]).choice(pool))] if len(pool) else []
        indices = shared + own
        self.shown.update(indices)
        return indices

    def example(self, index: int) -> dict[str, str]:
        row = self.frame.loc[index]
        shown = {self.stratum: row[self.stratum]} if self.stratum else {}
        shown.update({c: row[c] for c in self.text_columns})
        return shown
