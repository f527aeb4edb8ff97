"""Text figures for the benchmarks: what the project's consistency property measures, plus the two
supplements-specific measures of the content issue (positive 4-5 vs negative 1-2 stars, read from the text
and from the title by classifiers trained on the real rows). The knob table is in knob_table.py."""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import balanced_accuracy_score
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.pipeline import make_pipeline

from syngen.evaluation.context import EvalContext
from syngen.evaluation.properties import consistency, drift

CONTRADICTION = 0.9  # a title contradicts the stars when a classifier gives the opposite polarity this much


def text_figures(session, rows: pd.DataFrame) -> dict[str, object]:
    real = session.table.frame
    figures: dict[str, object] = {}
    result = consistency.measure(EvalContext(real=real, synthetic=rows, profile=session.profile, embedder=None))
    for metric in result.metrics:
        name = f"{metric.metric} ({metric.column})"
        figures[name] = f"{metric.raw:.3f} (real {metric.details.get('real', 0):.3f})"
    figures.update(_far_from_real(real, rows, session))
    figures["text-rating agreement, pos/neg (real CV)"] = _polarity_agreement(real, rows, "text")
    figures["title-rating agreement, pos/neg (real CV)"] = _polarity_agreement(real, rows, "title")
    figures["titles contradicting the stars (real CV)"] = _contradictions(real, rows)
    return figures


def _far_from_real(real: pd.DataFrame, rows: pd.DataFrame, session) -> dict[str, str]:
    """The report's drift figures (texts further from every real text than 95% of real texts are; how well a
    classifier tells the texts from real ones), with the generator's own numpy encoder: the same vectors, without
    torch in this process's peak RSS."""
    from syngen.profiling.embedder import sentence_encoder

    context = EvalContext(real=real, synthetic=rows, profile=session.profile, embedder=sentence_encoder(),
                          topic=session.profile.topic)
    figures = {}
    for m in drift.measure(context).metrics:
        if m.metric == "far_from_real_share":
            figures[f"{m.metric} ({m.column})"] = f"{m.raw:.3f} (real {m.details['expected']:.3f})"
        elif m.metric == "text_detection":  # 0.5: a classifier cannot tell the texts from real ones
            more = ", ".join(f"{w['word']} {w['synthetic']:.0%}/{w['real']:.0%}"
                             for w in m.details["synthetic_uses_more"])
            figures[f"told from real, ROC AUC ({m.column})"] = f"{m.raw:.3f} (0.5); uses more: {more}"
    return figures


def _polar(frame: pd.DataFrame) -> pd.DataFrame:
    stars = pd.to_numeric(frame["rating"], errors="coerce")
    kept = frame[stars != 3].copy()
    kept["polarity"] = np.where(pd.to_numeric(kept["rating"]) >= 4, "positive", "negative")
    return kept


def _model():
    return make_pipeline(TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True),
                         LogisticRegression(C=4.0, class_weight="balanced", max_iter=1000))


def _fit(real: pd.DataFrame, column: str):
    polar = _polar(real)
    x, y = polar[column].astype(str).tolist(), polar["polarity"].to_numpy()
    folds = StratifiedKFold(5, shuffle=True, random_state=0)
    out_of_fold = cross_val_predict(_model(), x, y, cv=folds, method="predict_proba")
    return _model().fit(x, y), polar, out_of_fold


def _polarity_agreement(real: pd.DataFrame, rows: pd.DataFrame, column: str) -> str:
    model, polar, out_of_fold = _fit(real, column)
    real_score = balanced_accuracy_score(polar["polarity"], model.classes_[out_of_fold.argmax(axis=1)])
    synthetic = _polar(rows)
    predicted = model.predict(synthetic[column].astype(str).tolist())
    return f"{balanced_accuracy_score(synthetic['polarity'], predicted):.3f} ({real_score:.3f})"


def _contradictions(real: pd.DataFrame, rows: pd.DataFrame) -> str:
    model, polar, out_of_fold = _fit(real, "title")
    real_share = _contradiction_share(polar["polarity"].to_numpy(), out_of_fold, model.classes_)
    synthetic = _polar(rows)
    probabilities = model.predict_proba(synthetic["title"].astype(str).tolist())
    share = _contradiction_share(synthetic["polarity"].to_numpy(), probabilities, model.classes_)
    return f"{share:.1%} ({real_share:.1%})"


def _contradiction_share(truth: np.ndarray, probabilities: np.ndarray, classes: np.ndarray) -> float:
    own = probabilities[np.arange(len(truth)), np.searchsorted(classes, truth)]
    return float(np.mean(own <= 1 - CONTRADICTION)) if len(truth) else 0.0

