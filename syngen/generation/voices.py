"""Is a generated text written as its own column's real texts are, not as another text column's?

Some tables hold text columns in different languages (an English message and its translation) or registers (a
function's signature and its summary), and a small model often writes one column's text the other's way: the
English column in French. Where two text columns hardly share their commonest words, a character n-gram classifier
(scikit-learn) learns to tell each column's real texts from the others'; a generated text that it gives less
probability for its own column than (almost) every real text of that column gets is rejected. Columns of one
language and register (a review's title and text) share most common words and get no check.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from itertools import combinations
from typing import Any

import pandas as pd

from syngen.profiling.model import VoiceCheckSummary
from syngen.profiling.textshape import words

MIN_TEXTS = 50  # real texts a column needs before its way of writing can be learned
MAX_TEXTS = 2000  # per column: enough to learn a language or register, and fast
TOP_WORDS = 200
MAX_OVERLAP = 0.2  # Jaccard of two columns' commonest words below this: written apart (the demo's title and text: 0.39)
MIN_ACCURACY = 0.75  # cross-validated balanced accuracy of telling the columns apart, or no check
REAL_REJECT_SHARE = 0.01  # of real texts a column's threshold rejects
MAX_CHARS = 400  # of each text read: a language or register shows in its first sentences, and long cells stay cheap


@dataclass
class ColumnVoices:
    """Tells the `columns`' real texts apart; `threshold[c]`: the least probability of its own column a text of
    column c may get."""

    columns: list[str]
    model: Any  # a fitted scikit-learn pipeline; its classes are `columns`
    thresholds: dict[str, float]
    summary: VoiceCheckSummary

    def written_as(self, name: str, text: str) -> str | None:
        """The other column `text` reads like, where it reads too little like its own `name`; else None."""
        if name not in self.thresholds or not text.strip():
            return None
        probabilities = dict(zip(self.model.classes_, self.model.predict_proba([text[:MAX_CHARS]])[0], strict=True))
        if probabilities[name] >= self.thresholds[name]:
            return None
        return max((c for c in self.columns if c != name), key=probabilities.__getitem__)


def learn_column_voices(texts: dict[str, pd.Series], seed: int) -> ColumnVoices | None:
    """From each text column's real values; None where no two columns are written apart, or they cannot be
    told apart reliably."""
    present = {name: _sample(values, seed) for name, values in texts.items()}
    present = {name: values for name, values in present.items() if len(values) >= MIN_TEXTS}
    tops = {name: _top_words(values) for name, values in present.items()}
    apart = sorted({name for a, b in combinations(tops, 2) if _overlap(tops[a], tops[b]) < MAX_OVERLAP
                    for name in (a, b)}, key=list(present).index)
    if len(apart) < 2:
        return None
    x = [t for name in apart for t in present[name]]
    y = [name for name in apart for _ in present[name]]
    own, accuracy = _out_of_fold(x, y, seed)
    if accuracy < MIN_ACCURACY:
        return None
    truth = pd.Series(y)
    thresholds = {name: float(own[truth == name].quantile(REAL_REJECT_SHARE)) for name in apart}
    model = _pipeline(seed).fit(x, y)
    summary = VoiceCheckSummary(columns=apart, balanced_accuracy=round(accuracy, 3), real_share=REAL_REJECT_SHARE)
    return ColumnVoices(list(model.classes_), model, thresholds, summary)


def _sample(values: pd.Series, seed: int) -> list[str]:
    kept = values.dropna().astype(str)
    kept = kept[kept.str.strip() != ""]
    kept = kept.sample(n=MAX_TEXTS, random_state=seed) if len(kept) > MAX_TEXTS else kept
    return [text[:MAX_CHARS] for text in kept]


def _top_words(texts: list[str]) -> set[str]:
    counts = Counter(w for t in texts for w in words(t))
    return {w for w, _ in counts.most_common(TOP_WORDS)}


def _overlap(a: set[str], b: set[str]) -> float:
    return len(a & b) / max(1, len(a | b))


def _out_of_fold(x: list[str], y: list[str], seed: int) -> tuple[pd.Series, float]:
    """Each real text's out-of-fold probability of its own column, and the balanced accuracy."""
    from sklearn.metrics import balanced_accuracy_score
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=seed)
    probabilities = cross_val_predict(_pipeline(seed), x, y, cv=folds, method="predict_proba")
    classes = sorted(set(y))  # scikit-learn orders the classes so
    own = pd.Series([row[classes.index(label)] for row, label in zip(probabilities, y, strict=True)])
    predicted = [classes[i] for i in probabilities.argmax(axis=1)]
    return own, float(balanced_accuracy_score(y, predicted))


def _pipeline(seed: int):
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    # Character n-grams within words: a language shows in three letters ("sch", "ção"), a register in its marks.
    return make_pipeline(TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), min_df=2, sublinear_tf=True,
                                         max_features=50_000),
                         LogisticRegression(max_iter=2000, class_weight="balanced", random_state=seed))
