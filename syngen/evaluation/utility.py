"""ML utility: do the synthetic rows teach a text classifier what the real rows teach it?

A fast classifier (TF-IDF and logistic regression) learns a category column from a text column. Two
comparisons, each scored on the same held-out real rows with a bootstrap interval on the difference:
  - train on synthetic, test on real (TSTR) against train on as many real rows (TRTR), macro-F1;
  - augmentation: the real training rows plus all synthetic rows against the real rows alone, on the
    F1 of the rarest real class the synthetic rows hold (and macro-F1, to show the others do not pay).
Synthetic rows that hold only some of the classes (made with --where) are compared on those classes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from syngen.errors import ConfigError, DataError
from syngen.evaluation.utility_stats import Paired, paired_bootstrap
from syngen.profiling.model import ColumnKind, DatasetProfile

MIN_PER_CLASS = 5  # real rows of each class: three to train on, two to test on
TEST_SHARE = 0.3
CATEGORY_KINDS = (ColumnKind.CATEGORICAL, ColumnKind.BOOLEAN)


@dataclass(frozen=True)
class Comparison:
    name: str  # tstr | augmentation | augmentation_macro
    what: str  # one line a reader understands
    measure: str  # macro_f1 | f1 of one class
    classes: list[str]
    scores: Paired
    candidate_rows: int  # rows the candidate (synthetic, augmented) model was trained on
    baseline_rows: int  # rows the baseline (real) model was trained on

    def to_dict(self) -> dict[str, Any]:
        return {"what": self.what, "measure": self.measure, "classes": self.classes,
                "candidate": self.scores.candidate.to_dict(), "baseline": self.scores.baseline.to_dict(),
                "difference": self.scores.difference.to_dict(), "candidate_rows": self.candidate_rows,
                "baseline_rows": self.baseline_rows}


@dataclass
class UtilityResult:
    label: str
    text: str
    classes: list[str]  # the real column's classes
    test_rows: int
    comparisons: dict[str, Comparison] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"label": self.label, "text": self.text, "classes": self.classes, "test_rows": self.test_rows,
                "classifier": "TF-IDF (words and word pairs) + logistic regression",
                "comparisons": {name: c.to_dict() for name, c in self.comparisons.items()}, "notes": self.notes}


@dataclass(frozen=True)
class _Rows:
    texts: pd.Series
    labels: pd.Series

    def take(self, positions) -> _Rows:
        return _Rows(self.texts.iloc[positions], self.labels.iloc[positions])

    def plus(self, other: _Rows) -> _Rows:
        return _Rows(pd.concat([self.texts, other.texts]), pd.concat([self.labels, other.labels]))

    def of(self, classes: list[str]) -> _Rows:
        keep = self.labels.isin(classes).to_numpy()
        return _Rows(self.texts[keep], self.labels[keep])


def measure_utility(real: pd.DataFrame, synthetic: pd.DataFrame, profile: DatasetProfile, label: str,
                    text: str | None = None, seed: int = 0) -> UtilityResult:
    """Train on synthetic / real / both, test on held-out real rows; see the module's docstring."""
    text = check_utility(real, profile, label, text)
    if label not in synthetic.columns or text not in synthetic.columns:
        raise DataError(f"the synthetic rows have no {label} or no {text} column",
                        "Evaluate rows generated from this real table")
    real_rows, synthetic_rows = _rows(real, label, text), _rows(synthetic, label, text)
    classes = _check_classes(real_rows, synthetic_rows, label)
    train, test = _split(real_rows, seed)
    result = UtilityResult(label, text, classes, len(test.labels))
    _train_on_synthetic(result, train, test, synthetic_rows, seed)
    _augment(result, train, test, synthetic_rows, seed)
    return result


def check_utility(real: pd.DataFrame, profile: DatasetProfile, label: str, text: str | None = None) -> str:
    """Before any work: the columns can be measured, and the real rows have enough of each class. Returns
    the text column (the main text unless one is given)."""
    text = text or _main_text(profile)
    _check_columns(profile, label, text)
    _check_real_classes(_rows(real, label, text), label)
    return text


def _main_text(profile: DatasetProfile) -> str:
    if not profile.text_columns:
        raise DataError("the real table has no free-text column for the utility classifier to read",
                        "Evaluate a table with a text column, or drop --utility")
    return profile.main_text


def _check_columns(profile: DatasetProfile, label: str, text: str) -> None:
    categories = [c.name for c in profile.of_kind(*CATEGORY_KINDS)]
    for option, name in (("--utility", label), ("--utility-text", text)):
        if name not in profile.names:
            raise ConfigError(f"{option} {name}: the real table has no such column",
                              f"Choose one of: {', '.join(profile.names)}")
    if label not in categories:
        raise ConfigError(f"--utility {label} is a {profile.column(label).kind.value} column, not a category",
                          f"Choose a category column: {', '.join(categories) or 'the real table has none'}")
    if profile.column(text).kind is not ColumnKind.TEXT:
        texts = [c.name for c in profile.text_columns]
        raise ConfigError(f"--utility-text {text} is a {profile.column(text).kind.value} column, not free text",
                          f"Choose a text column: {', '.join(texts) or 'the real table has none'}")


def _rows(frame: pd.DataFrame, label: str, text: str) -> _Rows:
    """Rows with both a label and a text; labels compared as the text they were written as."""
    labels = frame[label].astype("string").str.strip()
    texts = frame[text].astype("string").fillna("")
    keep = (labels.notna() & (labels != "") & (texts.str.strip() != "")).to_numpy()
    return _Rows(texts[keep].astype(str).reset_index(drop=True), labels[keep].astype(str).reset_index(drop=True))


def _check_real_classes(real: _Rows, label: str) -> None:
    counts = real.labels.value_counts()
    if len(counts) < 2:
        raise DataError(f"the real {label} column has {len(counts)} value: a classifier needs two or more",
                        "Choose a category column with several values")
    few = counts[counts < MIN_PER_CLASS]
    if len(few):
        raise DataError(f"{label} value '{few.index[0]}' has {few.iloc[0]} real row(s); the utility test needs "
                        f"{MIN_PER_CLASS} of each class (to train on and to test on)",
                        "Choose a column with fewer, larger classes, or give more real rows")


def _check_classes(real: _Rows, synthetic: _Rows, label: str) -> list[str]:
    if not len(synthetic.labels):
        raise DataError(f"no synthetic row has both a {label} and a text", "Evaluate rows with these columns filled")
    counts = real.labels.value_counts()
    unknown = sorted(set(synthetic.labels) - set(counts.index))
    if unknown:
        raise DataError(f"the synthetic {label} holds '{unknown[0]}', a value the real column never has "
                        f"(it has {', '.join(map(str, sorted(counts.index)))})",
                        "Evaluate rows generated from this real table")
    return sorted(counts.index)


def _split(rows: _Rows, seed: int) -> tuple[_Rows, _Rows]:
    from sklearn.model_selection import train_test_split

    positions = np.arange(len(rows.labels))
    train, test = train_test_split(positions, test_size=TEST_SHARE, random_state=seed, stratify=rows.labels)
    return rows.take(np.sort(train)), rows.take(np.sort(test))


def _fit_predict(train: _Rows, test: _Rows, seed: int) -> np.ndarray:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from threadpoolctl import threadpool_limits

    # Balanced class weights: macro-F1 rewards every class, and unweighted the model predicts the majority.
    model = make_pipeline(TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True),
                          LogisticRegression(max_iter=2000, class_weight="balanced", random_state=seed))
    with threadpool_limits(1):  # BLAS threads on a busy machine made one fit ten times slower (0.5 s -> 5 s)
        model.fit(train.texts.tolist(), train.labels.tolist())
    return model.predict(test.texts.tolist())


def _sample(rows: _Rows, count: int, seed: int, stratify: bool) -> _Rows:
    if count >= len(rows.labels):
        return rows
    from sklearn.model_selection import train_test_split

    positions, _ = train_test_split(np.arange(len(rows.labels)), train_size=count, random_state=seed,
                                    stratify=rows.labels if stratify else None)
    return rows.take(np.sort(positions))


def _train_on_synthetic(result: UtilityResult, train: _Rows, test: _Rows, synthetic: _Rows, seed: int) -> None:
    """TSTR against TRTR with the same number of training rows, on the classes the synthetic rows hold."""
    classes = sorted(set(synthetic.labels))
    if len(classes) < 2:
        result.notes.append(f"the synthetic rows hold one {result.label} value ('{classes[0]}'): no classifier "
                            "can be trained on them alone, so train-on-synthetic is not measured")
        return
    if len(classes) < len(result.classes):
        result.notes.append(f"the synthetic rows hold {len(classes)} of the {len(result.classes)} {result.label} "
                            f"values ({', '.join(classes)}): train-on-synthetic is scored on real rows of those")
    train, test = train.of(classes), test.of(classes)
    count = min(len(synthetic.labels), len(train.labels))
    if count < len(classes) * 2:
        result.notes.append(f"only {count} training rows: train-on-synthetic is not measured")
        return
    synthetic, real = _sample(synthetic, count, seed, stratify=False), _sample(train, count, seed, stratify=True)
    scores = paired_bootstrap(test.labels, _fit_predict(synthetic, test, seed), _fit_predict(real, test, seed),
                              classes, seed)
    result.comparisons["tstr"] = Comparison(
        "tstr", "train on synthetic vs on as many real rows, test on held-out real rows", "macro_f1", classes,
        scores, count, count)


def _augment(result: UtilityResult, train: _Rows, test: _Rows, synthetic: _Rows, seed: int) -> None:
    """Real training rows plus every synthetic row against the real rows alone, on the whole real test set."""
    counts = train.labels.value_counts()
    minority = min(set(synthetic.labels), key=lambda value: (counts.get(value, 0), value))
    augmented = _fit_predict(train.plus(synthetic), test, seed)
    alone = _fit_predict(train, test, seed)
    rows = (len(train.labels) + len(synthetic.labels), len(train.labels))
    result.comparisons["augmentation"] = Comparison(
        "augmentation", f"real + synthetic vs real alone, F1 of the minority class '{minority}'",
        f"f1 of '{minority}'", [minority], paired_bootstrap(test.labels, augmented, alone, [minority], seed), *rows)
    result.comparisons["augmentation_macro"] = Comparison(
        "augmentation_macro", "real + synthetic vs real alone, macro-F1 over every class", "macro_f1",
        result.classes, paired_bootstrap(test.labels, augmented, alone, result.classes, seed), *rows)
