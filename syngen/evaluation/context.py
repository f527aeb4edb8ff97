"""Everything the properties measure, with the costly per-column work (cleaning, embeddings, nearest
neighbours) done once and shared between them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from syngen.evaluation.metrics.semantic import nearest_similarity
from syngen.evaluation.textfeatures import clean_text
from syngen.profiling.model import ColumnKind, DatasetProfile

# Sentence embeddings cost ~35 ms of CPU per review on this 2-core machine, so semantic metrics use a
# seeded random sample of rows: all of a real table this size (the reference every synthetic text is held
# against, cached on disk after the first run) and up to 500 synthetic rows, which estimates a share to
# within about two percentage points and is what Vendi and pairwise cosine sample anyway.
EMBEDDING_LIMITS = {"real": 2000, "synthetic": 500}


@dataclass
class EvalContext:
    real: pd.DataFrame
    synthetic: pd.DataFrame
    profile: DatasetProfile
    embedder: Any = None  # syngen.evaluation.embeddings.Embedder; None means no embedding metrics
    topic: str = ""
    expected_rows: int | None = None
    unusable: int = 0
    few_shot: pd.DataFrame | None = None  # the real rows the generator was shown
    seed: int = 0
    _memo: dict[tuple, Any] = field(default_factory=dict, repr=False)  # anything the synthetic side enters
    _real_memo: dict[tuple, Any] = field(default_factory=dict, repr=False)  # real side only: shareable

    def columns_of(self, *kinds: ColumnKind) -> list[str]:
        return [c.name for c in self.profile.of_kind(*kinds) if c.name in self.real.columns]

    @property
    def text_columns(self) -> list[str]:
        return self.columns_of(ColumnKind.TEXT)

    @property
    def long_text_columns(self) -> list[str]:
        """Text columns of sentences (the review text, not its title); all text columns if none is."""
        return [c for c in self.profile.sentence_columns if c in self.text_columns] or self.text_columns

    def column(self, side: str, name: str) -> pd.Series:
        frame = self._frame(side)
        if name in frame.columns:
            return frame[name].astype(str)
        return pd.Series([""] * len(frame), dtype=str)

    def texts(self, side: str, name: str) -> list[str]:
        return self.cached(("texts", side, name), lambda: [clean_text(t) for t in self.column(side, name)])

    def embedding_rows(self, side: str) -> np.ndarray:
        """Positions of the rows whose texts are embedded: all of them, or a seeded random sample."""
        def compute() -> np.ndarray:
            count, limit = len(self._frame(side)), EMBEDDING_LIMITS[side]
            if count <= limit:
                return np.arange(count)
            return np.sort(np.random.default_rng(self.seed).choice(count, limit, replace=False))

        return self.cached((side, "embedding rows"), compute)

    def embedded_rows(self, side: str, name: str) -> np.ndarray:
        """The rows of `embedding_rows(side)` that hold a text in column `name`: an empty cell is no text, and
        embedded it is alike every other empty one (a run that wrote none of a table's complaint narratives was
        scored as close to the real ones as they are to each other)."""
        def compute() -> np.ndarray:
            texts = self.texts(side, name)
            return np.array([i for i in self.embedding_rows(side) if texts[i].strip()], dtype=int)

        return self.cached(("embedded", side, name), compute)

    def embeddings(self, side: str, name: str) -> np.ndarray:
        """Unit vectors of the texts at `embedded_rows(side, name)`, in that order."""
        def compute() -> np.ndarray:
            texts = self.texts(side, name)
            return self.embedder.encode([texts[i] for i in self.embedded_rows(side, name)])

        return self.cached(("embeddings", side, name), compute)

    def topic_vector(self) -> np.ndarray:
        return self.cached(("real", "topic"), lambda: self.embedder.encode([self.topic])[0])

    def nearest_real(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        """(each real text's similarity to its nearest other real text, each synthetic text's similarity
        to its nearest real text): the holdout reference and the measurement for drift and privacy."""
        real = self.embeddings("real", name)
        leave_one_out = self.cached(("real", "nearest", name), lambda: nearest_similarity(real, real, True))
        synthetic = self.cached(("synthetic", "nearest", name),
                                lambda: nearest_similarity(self.embeddings("synthetic", name), real))
        return leave_one_out, synthetic

    def with_synthetic(self, synthetic: pd.DataFrame, **changes: Any) -> EvalContext:
        """The same real side (and everything already computed from it alone) against other rows: the
        calibration measures several samples against one real half."""
        fields = {name: getattr(self, name) for name in ("real", "profile", "embedder", "topic", "expected_rows",
                                                          "unusable", "few_shot", "seed")}
        return EvalContext(synthetic=synthetic, **{**fields, **changes}, _real_memo=self._real_memo)

    def _frame(self, side: str) -> pd.DataFrame:
        if side == "few_shot":
            return self.few_shot if self.few_shot is not None else self.real.iloc[:0]
        return self.real if side == "real" else self.synthetic

    def cached(self, key: tuple, compute) -> Any:
        """Compute once per context; keys naming only the real side are shared with `with_synthetic`
        copies, so they must not depend on anything else (few-shot rows, the synthetic rows)."""
        memo = self._memo if "synthetic" in key or "few_shot" in key else self._real_memo
        if key not in memo:
            memo[key] = compute()
        return memo[key]
