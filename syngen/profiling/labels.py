"""Which of a table's label columns its text predicts, learned from the real rows.

For every small category column, boolean and binned number column, and every text column, a TF-IDF +
logistic-regression classifier (scikit-learn) is cross-validated on the real rows; where sentence vectors are at
hand (all-MiniLM-L6-v2), a logistic regression on the texts' vectors is averaged with it, so a word the real rows
never used is still read by its meaning ("sweet and delicious" on a 1-star row). Where the text predicts
the label clearly better than chance (by more than luck gives on that many rows, and better than the same
classifier on shuffled labels), it is kept
as a check: a generated row whose text gives its own label a probability below what nearly every real row
of that label gets (a threshold calibrated on the real rows' out-of-fold probabilities) contradicts it.

A scale's check lets a text stand on a neighbouring value (a 4-star text on a 5-star row), except a fixed phrase:
a text the real rows repeat word for word with one value only, more often than a text that fits the neighbours
too would by chance ("Five Stars": 156 real titles, all 5 stars; "Three Stars" on a 4-star row was once passed).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from rapidfuzz.utils import default_process

from syngen.profiling.embedder import Encoder
from syngen.profiling.labelsets import split_labels
from syngen.profiling.model import ColumnKind, ColumnProfile, DatasetProfile, LabelCheckSummary
from syngen.profiling.numbers import NumberFormat, parse_series

MIN_LABELLED_ROWS = 30  # fewer rows cannot show that a text predicts anything
MIN_CLASS_ROWS = 8  # rarer values get no check: their out-of-fold probabilities say too little
MAX_ROWS = 4000  # rows used to learn each check; more adds seconds, not judgement
MAX_ENCODED_ROWS = 2000  # with sentence vectors: each new text costs ~17 ms to encode (once: a disk cache keeps it)
MARGIN = 0.05  # balanced accuracy a check needs above chance and above shuffled labels
# Share of a value's real rows each check of the main label would reject, and all other labels' checks together
# (measured: README; `_calibrate_secondary`).
THRESHOLD_QUANTILE = 0.08
FOLDS = 5
PERMUTATIONS = 2
CLEAR_MARGIN = 0.15  # above chance by this much, shuffled labels need not be tried
# A check also needs this many standard deviations of a blind guess's balanced accuracy above chance: on a few
# hundred rows two shuffles say little (a 240-row table's random yes/no column scored 0.57-0.60, shuffled 0.46).
LUCK_SDS = 3.0
NUMBER_BINS = 3
# A category of up to this many values can be a label (a package's section among 53: "python", "perl", "doc"); a
# value needs MIN_CLASS_ROWS real rows to be checked, so a long tail of rare values goes unchecked, not misjudged.
MAX_LABEL_VALUES = 60
MAX_SCALE_VALUES = 10  # a category of numbers with this many values at most is a scale (a rating), not a count
FIXED_MIN_ROWS = 3  # real rows a fixed phrase needs
# A phrase is fixed when a text fitting its value's neighbours too would fall on that one value in all its rows with
# less than this chance (by the values' shares): "Five Stars" x156 and "Three Stars" x7 are, "Great taste" x11
# (5 stars, against 4 and 5 together: 0.83^11 = 0.13) is not.
FIXED_CHANCE = 0.01


@dataclass
class Labeler:
    """Maps a column's values to the classes a check predicts: categories as they are, numbers to bins, and a set
    of labels ("taste|price") to whether it holds one label (`part`): "taste" or "no taste"."""

    column: str
    edges: list[float] | None = None  # bin edges for a number column
    number_format: NumberFormat | None = None  # how its numbers are written ("$1,234.50", "45%")
    part: str | None = None  # a multi-label column's one label this labeler asks about
    separator: str = "|"

    @property
    def name(self) -> str:
        """What the check is of, as reasons and reports name it: "rating", "aspects=taste"."""
        return self.column if self.part is None else f"{self.column}={self.part}"

    def describe_value(self, value: str) -> str:
        """A row's value as a user reads it against this check: "rating = 4", "aspects with taste"."""
        if self.part is None:
            return f"{self.column} = {value}"
        return f"{self.column} {'with' if self.class_of(value) == self.part else 'without'} {self.part}"

    def classes_of(self, values: pd.Series) -> pd.Series:
        if self.part is not None:
            return values.astype(str).map(self._holds)
        if self.edges is None:
            return values.astype(str)
        numbers = (pd.to_numeric(values, errors="coerce") if self.number_format is None
                   else parse_series(self.number_format, values.astype(str)))
        bins = np.searchsorted(self.edges, numbers, side="right")
        return pd.Series(np.where(numbers.isna(), "", [self._bin_name(b) for b in bins]), index=values.index)

    def class_of(self, value: str) -> str:
        if self.part is not None:
            return self._holds(str(value))
        if self.edges is None:  # what classes_of gives, without a Series: called twice a row and check
            return str(value)
        return str(self.classes_of(pd.Series([value])).iloc[0])

    def rank(self, value: str) -> float | None:
        """Where a class sits on its scale (a rating's number, a bin's lower edge); None for a nominal class."""
        if self.edges is not None:
            low = value.strip("[").split(",")[0]
            return float("-inf") if low == "min" else float(low)
        try:
            return float(value)
        except ValueError:
            return None

    def neighbourhoods(self, classes: list[str]) -> np.ndarray:
        """classes x classes, 1 where a text supporting the row's class may also support the column's: the class
        itself, and on a scale of three or more its neighbours (a 4-star text on a 5-star row is no
        contradiction; a 1-star one is)."""
        size = len(classes)
        ranks = [self.rank(c) for c in classes]
        if size < 3 or any(r is None for r in ranks):
            return np.eye(size)
        order = np.argsort(ranks)
        position = np.empty(size, dtype=int)
        position[order] = np.arange(size)
        return (np.abs(position[:, None] - position[None, :]) <= 1).astype(float)

    def _holds(self, value: str) -> str:
        """An empty set holds no label (a review tagged with no aspect); where empty only means unknown, the "no"
        class's threshold, calibrated on its real texts, is the lower for it."""
        return self.part if self.part in split_labels(value, self.separator) else f"no {self.part}"

    def _bin_name(self, index: int) -> str:
        edges = self.edges or []
        low = "min" if index == 0 else f"{edges[index - 1]:g}"
        high = "max" if index >= len(edges) else f"{edges[index]:g}"
        return f"[{low}, {high})"


@dataclass
class TextMeaning:
    """A check's second reader: a logistic regression on the texts' sentence vectors."""

    encoder: Encoder
    classifier: Any  # a fitted LogisticRegression, the same classes in the same order as the words' pipeline

    def probabilities(self, texts: list[str]) -> np.ndarray:
        return self.classifier.predict_proba(self.encoder.encode(texts))


@dataclass
class LabelCheck:
    """One kept classifier: `probability(text, value)` and the per-class threshold below which it objects."""

    labeler: Labeler
    text: str
    model: Any  # a fitted sklearn Pipeline
    thresholds: dict[str, float]
    summary: LabelCheckSummary
    meaning: TextMeaning | None = None  # averaged with `model` where sentence vectors are at hand
    fixed: dict[str, str] = field(default_factory=dict)  # a fixed phrase (as `phrase` writes it) -> its one class
    _index: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        classes = [str(c) for c in self.model.classes_]
        if self.meaning is not None and [str(c) for c in self.meaning.classifier.classes_] != classes:
            raise ValueError("the two readers of a label check must know the same classes in the same order")
        self._index = {c: i for i, c in enumerate(classes)}
        self._near = self.labeler.neighbourhoods(classes)
        self._one = OneText(self.model)

    @property
    def label(self) -> str:
        """What the check is of ("rating", "aspects=taste"): its reasons and reports name it so."""
        return self.labeler.name

    @property
    def column(self) -> str:
        """The column whose value a row's text is checked against."""
        return self.labeler.column

    def describe_value(self, value: str) -> str:
        return self.labeler.describe_value(value)

    def probabilities(self, texts: list[str], values: list[str]) -> list[float | None]:
        """How much each row's text supports its own class (with its neighbours on a scale); None where the
        value has no check (rare, empty, unseen)."""
        classes = [self.labeler.class_of(v) for v in values]
        known = [i for i, c in enumerate(classes) if c in self.thresholds]
        result: list[float | None] = [None] * len(texts)
        if known:
            chosen = [texts[i] for i in known]
            support = self._read(self.model.predict_proba(chosen), chosen) @ self._near
            for row, i in enumerate(known):
                result[i] = 0.0 if self._against_phrase(texts[i], classes[i]) else float(
                    support[row, self._index[classes[i]]])
        return result

    def margin(self, text: str, value: str) -> float | None:
        """log(P(value | text) / threshold): below 0 the text contradicts the value; None: not checked. One row
        at a time (generation judges each answer as it comes), so through OneText, not predict_proba."""
        label = self.labeler.class_of(value)
        if label not in self.thresholds:
            return None
        if self._against_phrase(text, label):
            return float(np.log(1e-9 / self.thresholds[label]))
        both = self._read(self._one.probabilities(text)[np.newaxis, :], [text])[0]
        probability = float(both @ self._near[:, self._index[label]])
        return float(np.log(max(probability, 1e-9) / self.thresholds[label]))

    def _against_phrase(self, text: str, label: str) -> bool:
        return bool(self.fixed) and self.fixed.get(phrase(text), label) != label

    def _read(self, words: np.ndarray, texts: list[str]) -> np.ndarray:
        """The words' class probabilities of `texts`, averaged with their meaning's where the check reads it."""
        return words if self.meaning is None else (words + self.meaning.probabilities(texts)) / 2


class OneText:
    """The fitted TF-IDF + logistic-regression pipeline's predict_proba for one text, as the same arithmetic on
    its fitted arrays. By hand because scikit-learn has no cheap path for a single document: its validation and
    sparse matrices cost ~3 ms a call, against ~0.1 ms here; equal to predict_proba to rounding (tested)."""

    def __init__(self, pipeline: Any) -> None:
        vectorizer, classifier = pipeline[0], pipeline[-1]
        self.analyze = vectorizer.build_analyzer()  # scikit-learn's own tokens and n-grams
        self.vocabulary: dict[str, int] = vectorizer.vocabulary_
        self.idf: np.ndarray = vectorizer.idf_
        self.sublinear = vectorizer.sublinear_tf
        self.coef: np.ndarray = classifier.coef_
        self.intercept: np.ndarray = classifier.intercept_

    def probabilities(self, text: str) -> np.ndarray:
        """One probability per class, in the classifier's order of classes."""
        counts = Counter(self.vocabulary[t] for t in self.analyze(text) if t in self.vocabulary)
        columns = np.array(sorted(counts), dtype=np.intp)
        weights = np.array([counts[c] for c in columns], dtype=np.float64)
        if self.sublinear:
            weights = np.log(weights) + 1.0
        weights *= self.idf[columns]
        norm = np.sqrt(weights @ weights)
        if norm > 0:
            weights /= norm
        scores = self.coef[:, columns] @ weights + self.intercept
        if len(scores) == 1:  # two classes: one score, for the second class
            second = 1.0 / (1.0 + np.exp(-scores[0]))
            return np.array([1.0 - second, second])
        exps = np.exp(scores - scores.max())
        return exps / exps.sum()


def phrase(text: str) -> str:
    """A text as a fixed phrase is compared: lower-cased, marks gone ("Five Stars!" is "five stars")."""
    return " ".join(default_process(text).split())


def fixed_phrases(x: list[str], y: np.ndarray, near: np.ndarray) -> dict[str, str]:
    """The texts the real rows repeat with one class only, where a text fitting that class's neighbours (`near`:
    classes x classes, as `Labeler.neighbourhoods` gives) too would do so by chance less than FIXED_CHANCE."""
    classes, counts = np.unique(y, return_counts=True)
    shares = counts / counts.sum()
    seen: dict[str, list[str]] = {}
    for text, label in zip(x, y, strict=True):
        key = phrase(text)
        if key:
            seen.setdefault(key, []).append(str(label))
    fixed = {}
    for key, labels in seen.items():
        if len(labels) < FIXED_MIN_ROWS or len(set(labels)) > 1:
            continue
        own = int(np.searchsorted(classes, labels[0]))
        chance = shares[own] / float(shares @ near[own])
        if chance ** len(labels) < FIXED_CHANCE:
            fixed[key] = labels[0]
    return fixed


def label_candidates(profile: DatasetProfile) -> list[Labeler]:
    """Categories and booleans as they are (beyond a small category's values only names, not numbers: such a
    count is a long tail, helpful votes 0 to 40); integer and float columns in quantile bins; a multi-label
    column label by label."""
    small = {c.name for c in profile.small_categories()}
    sets = {c.name: c.label_set for c in profile.label_set_columns() if c.label_set is not None}
    found = [Labeler(c.name) for c in profile.small_categories(MAX_LABEL_VALUES)
             if (c.name in small or not _numeric_values(c)) and c.name not in sets]
    for name, label_set in sets.items():
        found += [Labeler(name, part=label, separator=label_set.separator)
                  for label, rows in label_set.labels.items()
                  if rows >= MIN_CLASS_ROWS]  # a rarer label cannot be learned: no note for each of a long tail
    for column in profile.of_kind(ColumnKind.INTEGER, ColumnKind.FLOAT):
        edges = _quantile_edges(column.stats.sample)
        if edges:
            found.append(Labeler(column.name, edges, column.stats.number_format))
    return found


def _numeric_values(column: ColumnProfile) -> bool:
    return pd.to_numeric(pd.Series([str(v) for v in column.stats.counts]), errors="coerce").notna().all()


def _quantile_edges(sample: list[float]) -> list[float] | None:
    if len(sample) < MIN_LABELLED_ROWS:
        return None
    edges = sorted(set(np.quantile(sample, np.linspace(0, 1, NUMBER_BINS + 1)[1:-1]).tolist()))
    return edges or None


@dataclass(frozen=True)
class Readers:
    """How a check reads texts by their meaning: `encoder` for generated texts, `cached` (the same encoder
    behind a disk cache) for the real ones, the same every run. None: by their words alone."""

    encoder: Encoder
    cached: Encoder


def learn_label_checks(frame: pd.DataFrame, profile: DatasetProfile, seed: int = 0,
                       readers: Readers | None = None) -> tuple[list[LabelCheck], list[LabelCheckSummary]]:
    """Every (text column, label column) pair tried; the checks kept, and a summary of each pair."""
    from threadpoolctl import threadpool_limits

    # Small sparse fits: BLAS threads only contend with each other (measured 5 s -> 0.1 s a fit on 2 cores).
    with threadpool_limits(limits=1):
        return _learn_all(frame, profile, seed, readers)


@dataclass(frozen=True)
class RealSupport:
    """How much each real row's text supports its own class under one check, out of fold."""

    rows: np.ndarray  # the rows' frame index labels
    classes: np.ndarray
    own: np.ndarray

    def ranks(self) -> pd.Series:
        """Each row's support as a share of its class's rows with no more support (its empirical quantile)."""
        frame = pd.DataFrame({"cls": self.classes, "own": self.own}, index=self.rows)
        return frame.groupby("cls")["own"].rank(method="max", pct=True)


def _learn_all(frame: pd.DataFrame, profile: DatasetProfile, seed: int,
               readers: Readers | None) -> tuple[list[LabelCheck], list[LabelCheckSummary]]:
    checks, supports, summaries = [], [], []
    for text in profile.text_columns:
        for labeler in label_candidates(profile):
            check, summary, support = _learn_pair(frame, text.name, labeler, seed, readers)
            summaries.append(summary)
            if check is not None and support is not None:
                checks.append(check)
                supports.append(support)
    _calibrate_secondary(checks, supports)
    return checks, summaries


def strongest_first(checks: list[LabelCheck]) -> list[LabelCheck]:
    """Checks by how far above chance the real text predicts their label: the first is the table's main label."""
    return sorted(checks, key=lambda check: -check.summary.lift)


def _calibrate_secondary(checks: list[LabelCheck], supports: list[RealSupport]) -> None:
    """The label the text predicts best (whose values choose a row's examples) keeps THRESHOLD_QUANTILE a check;
    the checks of every other label are calibrated together: their thresholds sit at the one quantile at which
    THRESHOLD_QUANTILE of the real rows fail at least one of them. Every check at the full share, eight checks
    of a Debian package table rejected 38% of its real rows; all of them together at one share, the demo's
    title check fell to 3.6% and passed a praising title at one star. When the best is one label of a set
    ("aspects=taste"), the set's checks are its group, calibrated together the same way."""
    if not checks:
        return
    main = strongest_first(checks)[0].column
    pairs = list(zip(checks, supports, strict=True))
    _calibrate_together([(check, support) for check, support in pairs if check.column == main])
    _calibrate_together([(check, support) for check, support in pairs if check.column != main])


def _calibrate_together(group: list[tuple[LabelCheck, RealSupport]]) -> None:
    """One column's checks (a rating read from title and text) keep their own thresholds: only checks of two or
    more labels are calibrated together."""
    if len({check.label for check, _ in group}) < 2:
        return
    lowest = pd.concat([support.ranks() for _, support in group], axis=1).min(axis=1)
    quantile = float(np.quantile(lowest.to_numpy(), THRESHOLD_QUANTILE))
    for check, support in group:
        check.thresholds = _thresholds(support, quantile)
        check.summary.real_share = round(quantile, 4)


def _thresholds(support: RealSupport, quantile: float) -> dict[str, float]:
    return {str(c): float(np.quantile(support.own[support.classes == c], quantile))
            for c in np.unique(support.classes)}


def _learn_pair(frame: pd.DataFrame, text: str, labeler: Labeler, seed: int,
                readers: Readers | None) -> tuple[LabelCheck | None, LabelCheckSummary, RealSupport | None]:
    texts = frame[text].astype(str)
    labeler = _scale_groups(labeler, frame[labeler.column].astype(str)[texts.str.strip() != ""])
    classes = labeler.classes_of(frame[labeler.column].astype(str))
    keep = (texts.str.strip() != "") & (classes != "")
    counts = classes[keep].value_counts()
    frequent = counts[counts >= MIN_CLASS_ROWS].index
    keep &= classes.isin(frequent)
    summary = LabelCheckSummary(label=labeler.name, column=labeler.column, text=text, checked=False,
                                classes=[str(c) for c in sorted(frequent)])
    if keep.sum() < MIN_LABELLED_ROWS or len(frequent) < 2:
        summary.reason = (f"fewer than {MIN_LABELLED_ROWS} labelled rows" if len(frequent) >= 2
                          else f"fewer than two values with {MIN_CLASS_ROWS}+ rows")
        return None, summary, None
    rows, x, y = _subsample(texts[keep], classes[keep], seed, MAX_ROWS if readers is None else MAX_ENCODED_ROWS)
    vectors = np.asarray(readers.cached.encode(x), dtype=np.float32) if readers is not None else None
    check, summary, own = _fit_if_predictive(x, y, labeler, text, summary, seed, vectors, readers)
    return check, summary, None if own is None else RealSupport(rows, y, own)


def _scale_groups(labeler: Labeler, values: pd.Series) -> Labeler:
    """A category that is a numeric scale with rare values (a small table's 1-, 2- and 3-star rows) is checked in
    groups of neighbouring values with MIN_CLASS_ROWS rows each, so its rare ends are checked too. A count with a
    long tail (helpful votes: 0, 1, 2, ... 40) is not a scale: grouping its tail made a weak check of it."""
    counts = values[values.str.strip() != ""].value_counts()
    numbers = pd.to_numeric(pd.Series(counts.index), errors="coerce")
    if (labeler.edges is not None or labeler.part is not None or numbers.isna().any()
            or not 3 <= len(counts) <= MAX_SCALE_VALUES or counts.min() >= MIN_CLASS_ROWS):
        return labeler
    ordered = sorted(zip(numbers.tolist(), counts.tolist(), strict=True))
    starts, size = [ordered[0][0]], 0
    for number, count in ordered:
        if size >= MIN_CLASS_ROWS:
            starts.append(number)
            size = 0
        size += count
    if size < MIN_CLASS_ROWS and len(starts) > 1:
        starts.pop()  # a short last group joins the one before it
    return Labeler(labeler.column, starts[1:]) if len(starts) > 1 else labeler


def _subsample(texts: pd.Series, classes: pd.Series, seed: int,
               most: int) -> tuple[np.ndarray, list[str], np.ndarray]:
    if len(texts) > most:
        chosen = np.sort(np.random.default_rng(seed).choice(len(texts), most, replace=False))
        texts, classes = texts.iloc[chosen], classes.iloc[chosen]
    return texts.index.to_numpy(), texts.tolist(), classes.to_numpy(dtype=str)


def _fit_if_predictive(x: list[str], y: np.ndarray, labeler: Labeler, text: str, summary: LabelCheckSummary,
                       seed: int, vectors: np.ndarray | None = None,
                       readers: Readers | None = None
                       ) -> tuple[LabelCheck | None, LabelCheckSummary, np.ndarray | None]:
    """The check if the text predicts the label, and each real row's out-of-fold support for its own class."""
    from sklearn.metrics import balanced_accuracy_score

    classes = np.unique(y)
    probabilities = _out_of_fold(x, y, seed, vectors)
    accuracy = balanced_accuracy_score(y, classes[probabilities.argmax(axis=1)])
    chance = 1.0 / len(classes)
    shuffled = _shuffled_accuracy(x, y, seed, vectors) if accuracy < chance + CLEAR_MARGIN else chance
    summary.balanced_accuracy, summary.chance, summary.shuffled = float(accuracy), chance, float(shuffled)
    if accuracy < chance + max(MARGIN, _luck(y)) or accuracy < shuffled + MARGIN:
        summary.reason = "the real text does not predict it better than chance"
        return None, summary, None
    summary.checked, summary.real_share = True, THRESHOLD_QUANTILE
    near = labeler.neighbourhoods([str(c) for c in classes])
    own = (probabilities @ near)[np.arange(len(y)), np.searchsorted(classes, y)]
    thresholds = {str(c): float(np.quantile(own[y == c], THRESHOLD_QUANTILE)) for c in classes}
    meaning = None if readers is None else TextMeaning(readers.encoder, _meaning_classifier(seed).fit(vectors, y))
    fixed = fixed_phrases(x, y, near)
    summary.fixed_phrases = len(fixed)
    check = LabelCheck(labeler, text, _pipeline(seed).fit(x, y), thresholds, summary, meaning, fixed)
    return check, summary, own


def _luck(y: np.ndarray) -> float:
    """LUCK_SDS standard deviations of the balanced accuracy of guessing each of k classes at random (1/k each):
    each class's recall is a binomial share of its n_c rows, and balanced accuracy their mean."""
    counts = np.unique(y, return_counts=True)[1]
    k = len(counts)
    return LUCK_SDS * float(np.sqrt(np.sum((1 / k) * (1 - 1 / k) / counts))) / k


def _shuffled_accuracy(x: list[str], y: np.ndarray, seed: int, vectors: np.ndarray | None = None) -> float:
    """The best balanced accuracy on shuffled labels: what a classifier finds in noise on this many rows."""
    from sklearn.metrics import balanced_accuracy_score

    rng, classes = np.random.default_rng(seed), np.unique(y)
    return max(float(balanced_accuracy_score(s, classes[_out_of_fold(x, s, seed, vectors).argmax(axis=1)]))
               for s in (rng.permutation(y) for _ in range(PERMUTATIONS)))


def _out_of_fold(x: list[str], y: np.ndarray, seed: int, vectors: np.ndarray | None = None) -> np.ndarray:
    """Out-of-fold class probabilities: by the words, averaged with the sentence vectors' where given."""
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    folds = StratifiedKFold(n_splits=min(FOLDS, int(np.unique(y, return_counts=True)[1].min())), shuffle=True,
                            random_state=seed)
    words = cross_val_predict(_pipeline(seed), x, y, cv=folds, method="predict_proba")
    if vectors is None:
        return words
    return (words + cross_val_predict(_meaning_classifier(seed), vectors, y, cv=folds, method="predict_proba")) / 2


def _pipeline(seed: int):
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    return make_pipeline(
        TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True, max_features=30000, lowercase=True),
        LogisticRegression(C=4.0, class_weight="balanced", max_iter=300, tol=1e-3, random_state=seed),
    )


def _meaning_classifier(seed: int):
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=4.0, class_weight="balanced", max_iter=1000, random_state=seed)


def label_notes(summaries: list[LabelCheckSummary], profile: DatasetProfile | None = None) -> list[str]:
    """Data notes for label columns whose check is off for want of data (not for lack of signal), and for
    category columns with a single value, which no text can be checked against."""
    notes = [f"no text check for '{s.label}' from '{s.text}': {s.reason}" for s in summaries
             if not s.checked and s.balanced_accuracy is None]
    if profile is not None:
        notes += [f"no text check for '{c.name}': every real row has the same value" for c in
                  profile.of_kind(ColumnKind.CATEGORICAL, ColumnKind.BOOLEAN) if c.n_distinct == 1]
    return notes
