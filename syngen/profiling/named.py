"""Category columns of many values that the real texts name: a wine's variety, a drug review's condition.

A category of up to 20 values is stated in every prompt anyway (prompts/fewshot.py), and one whose values the text
predicts is checked by a classifier (labels.py). A column of more values, or of values too rare to learn (61 grape
varieties, a few rows each), was neither: a row's text was written blind to it, and 20 wine rows came out with
"Classic Melon: jasmine, honeysuckle" beside the variety Sangiovese (their real texts name their own variety in 54%
of rows and another one instead in 1%; the generated ones in 2 and 3 of 20).

Where the real texts name their own row's value (the whole value, case aside) in a good share of rows, far more
often than a text names another row's value, the value is stated in every prompt. Where they almost never name
another value of the column instead of their own, a text that does contradicts its row: `label_mismatch` of the
column. The names are matched as whole words with a regular expression: no classifier can learn a value from a
handful of rows, and a name is what the text says.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from syngen.profiling.model import ColumnKind, DatasetProfile, NamedValuesSummary

MIN_NAMED_SHARE = 0.10  # real rows whose texts name their own value: fewer, and the value says little about texts
CHANCE_RATIO = 3.0  # ... and this many times the rows whose texts name another row's value (texts shuffled)
MAX_OTHER_SHARE = 0.02  # real rows naming another value and not their own: more, and such a text is no contradiction
MIN_VALUE_CHARS = 3  # shorter values ("A", "NZ") are named by chance as parts of other words' places
MAX_ROWS = 4000  # rows read to learn it; more add seconds, not judgement
MAX_VALUES = 5000  # a column of more values is an identifier in all but kind


@dataclass(frozen=True)
class NamedValues:
    """One column whose values the texts name; `checked`: a text naming another of its values, not its own, is
    rejected."""

    column: str
    values: frozenset[str]  # the column's values, lower case, that a text can name
    pattern: re.Pattern[str]  # any of them as whole words, longest first
    checked: bool

    def names_own(self, text: str, value: str) -> bool:
        value = value.strip().lower()
        return value in self.values and _whole(value).search(text) is not None

    def named_instead(self, text: str, value: str) -> str | None:
        """Another value of the column the text names while not naming `value` (nor one holding it): "Cabernet
        Franc" in the text of a Muscat row; None when it names its own or none, or the row's value is not one a
        text can name (empty, "NA")."""
        own = value.strip().lower()
        if own not in self.values or self.names_own(text, value):
            return None
        for match in self.pattern.finditer(text):
            found = match.group(0).lower()
            if found != own and own not in found and found not in own:
                return match.group(0)
        return None


def find_named_values(frame: pd.DataFrame, profile: DatasetProfile, seed: int
                      ) -> tuple[list[NamedValues], list[NamedValuesSummary]]:
    """The category columns whose values the real texts name, each with its summary. A small one is stated anyway
    and may be checked by a classifier too: its texts may still name another value ("Italy" on a France row), which
    a classifier calibrated on texts that mostly name none lets pass."""
    texts = [c.name for c in profile.text_columns]
    if not texts or frame.empty:
        return [], []
    if len(frame) > MAX_ROWS:
        frame = frame.sample(n=MAX_ROWS, random_state=seed)
    joined = frame[texts].fillna("").astype(str).agg(" ".join, axis=1).tolist()
    found, summaries = [], []
    for column in profile.of_kind(ColumnKind.CATEGORICAL):
        if column.label_set is not None or not 1 < column.n_distinct <= MAX_VALUES:
            continue
        learned = _learn(column.name, frame[column.name].fillna("").astype(str).tolist(), joined, seed)
        if learned is not None:
            found.append(learned[0])
            summaries.append(learned[1])
    return found, summaries


def _learn(name: str, values: list[str], texts: list[str], seed: int
           ) -> tuple[NamedValues, NamedValuesSummary] | None:
    nameable = sorted({v.strip().lower() for v in values if _nameable(v)}, key=len, reverse=True)
    if len(nameable) < 2:
        return None
    named = NamedValues(name, frozenset(nameable), _any_of(nameable), checked=False)
    own = np.array([named.names_own(t, v) for v, t in zip(values, texts, strict=True)])
    shuffled = np.random.default_rng(seed).permutation(len(values))
    chance = np.array([named.names_own(texts[i], v) for v, i in zip(values, shuffled, strict=True)])
    if own.mean() < MIN_NAMED_SHARE or own.mean() < CHANCE_RATIO * chance.mean():
        return None
    other = float(np.mean([named.named_instead(t, v) is not None for v, t in zip(values, texts, strict=True)]))
    checked = other <= MAX_OTHER_SHARE
    summary = NamedValuesSummary(column=name, named_share=round(float(own.mean()), 4),
                                 chance_share=round(float(chance.mean()), 4), other_share=round(other, 4),
                                 checked=checked)
    return NamedValues(name, named.values, named.pattern, checked), summary


def _nameable(value: str) -> bool:
    value = value.strip()
    return len(value) >= MIN_VALUE_CHARS and any(c.isalpha() for c in value)


@lru_cache(maxsize=4096)
def _whole(value: str) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w){re.escape(value)}(?!\w)", re.IGNORECASE)


def _any_of(values: list[str]) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(v) for v in values) + r")(?!\w)", re.IGNORECASE)
