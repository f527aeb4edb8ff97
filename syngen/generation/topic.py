"""Is a generated text about what the real texts are about?

A small model drifts off the table's subject ("I can't say enough joy I get from creating my own world in this
game" in a table of supplement reviews), in words common enough to pass the vocabulary check. Sentence
embeddings tell: a text is off the topic when its nearest real text is less like it than almost every real text's
own nearest neighbour is (the real texts' leave-one-out similarities set the threshold, so any table works).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from syngen.profiling.embedder import Encoder

OFF_TOPIC_QUANTILE = 0.03  # share of real texts that the check would call off the topic
MIN_TEXTS = 50  # fewer real texts cannot say what is far from all of them
MAX_REFERENCE = 2000  # real texts kept as the reference: a bounded cost per check on any table
MIN_WORDS = 4  # "Works great." is on any topic


@dataclass(frozen=True)
class TopicCheck:
    column: str
    reference: np.ndarray  # normalised embeddings of (a sample of) the real texts
    threshold: float  # nearest-real cosine below which a text is off the topic
    encoder: Encoder

    def similarity(self, text: str) -> float:
        """Cosine of `text` with its nearest real text."""
        return float((self.reference @ self.encoder.encode([text])[0]).max())

    def is_off(self, text: str) -> bool:
        return len(str(text).split()) >= MIN_WORDS and self.similarity(text) < self.threshold


def learn_topic_check(texts: Sequence[str], column: str, encoder: Encoder, seed: int,
                      cached: Encoder | None = None) -> TopicCheck | None:
    """None when the column has too few real texts to say what is off its topic. `cached`: the same encoder
    behind a disk cache, for the real texts (the same every run); generated texts go to `encoder` itself."""
    present = list(dict.fromkeys(t for t in map(str, texts) if len(t.split()) >= MIN_WORDS))
    if len(present) < MIN_TEXTS:
        return None
    if len(present) > MAX_REFERENCE:
        chosen = np.random.default_rng(seed).choice(len(present), MAX_REFERENCE, replace=False)
        present = [present[i] for i in sorted(chosen)]
    reference = np.asarray((cached or encoder).encode(present), dtype=np.float32)
    similarities = reference @ reference.T
    np.fill_diagonal(similarities, -1.0)
    threshold = float(np.quantile(similarities.max(axis=1), OFF_TOPIC_QUANTILE))
    return TopicCheck(column, reference, threshold, encoder)
