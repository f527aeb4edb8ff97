"""Category columns of many values that the real texts name: a wine's variety, a drug review's condition.

A category of up to 20 values is stated in every prompt anyway (prompts/fewshot.py), and one whose values the text
predicts is checked by a classifier (labels.py). A column of more values, or of values too rare to learn (61 grape
varieties, a few rows each), was neither: a row's text was written blind to it, and 20 wine rows came out with
"Classic Melon: jasmine, honeysuckle" beside the variety Sangiovese (their real texts name their own variety in 54%
of rows and another one instead in 1%; the generated ones in 2 and 3 of 20).

Where the real texts name their own row's value (the whole value, case aside) in a good share of rows, far more
often than a text names another row's value, the value is stated in every prompt. Where they almost never name
another value of the column instead of their own, a text that does contradicts its row: `label_mismatch` of the
column. A value is named when its words stand in the text in a row, case and marks aside ("diabetes type 2" names
"Diabetes, Type 2"), found by looking a text's runs of words up in the set of values, so a column of thousands of
values costs no more than one of ten: no classifier can learn a value from a handful of rows, and a name is what
the text says.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from syngen.profiling.model import ColumnKind, DatasetProfile, NamedValuesSummary

MIN_NAMED_SHARE = 0.10  # real rows whose texts name their own value: fewer, and the value says little about texts
CHANCE_RATIO = 3.0  # ... and this many times the rows whose texts name another row's value (texts shuffled)
MAX_OTHER_SHARE = 0.02  # real rows naming another value and not their own: more, and such a text is no contradiction
MIN_VALUE_CHARS = 3  # shorter values ("A", "NZ") are named by chance as parts of other words
MAX_VALUE_WORDS = 5  # a longer value is a sentence, not a name
MAX_ROWS = 4000  # rows read to learn it; more add seconds, not judgement
MAX_VALUES = 5000  # a column of more values is an identifier in all but kind
_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class NamedValues:
    """One column whose values the texts name; `checked`: a text naming another of its values, not its own, is
    rejected. Values and texts are compared as runs of lower-case words ("Diabetes, Type 2" is named by "diabetes
    type 2"), looked up in a set: linear in a text's length however many values the column has."""

    column: str
    values: frozenset[str]  # the column's values that a text can name, as `_key` writes them
    longest: int  # words in the longest of them
    checked: bool

    def named(self, text: str) -> set[str]:
        """The column's values `text` names (as `_key` writes them)."""
        words = _WORD.findall(text.lower())
        runs = (" ".join(words[i:i + n]) for n in range(1, self.longest + 1) for i in range(len(words) - n + 1))
        return {run for run in runs if run in self.values}

    def named_instead(self, text: str, value: str, named: set[str] | None = None) -> str | None:
        """Another value of the column the text names while not naming `value` (nor one holding it or held in it):
        "cabernet franc" in the text of a Muscat row; None when it names its own or none, or the row's value is not
        one a text can name (empty, "NA"). `named`: what `named(text)` gave, where known."""
        own = _key(value)
        if own not in self.values:
            return None
        named = self.named(text) if named is None else named
        if own in named:
            return None
        return next((found for found in sorted(named) if own not in found and found not in own), None)


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
    nameable = {_key(v) for v in values if _nameable(v)}
    if len(nameable) < 2:
        return None
    named = NamedValues(name, frozenset(nameable), max(len(key.split()) for key in nameable), checked=False)
    shuffled = np.random.default_rng(seed).permutation(len(values))
    own = chance = other = 0
    for i, text in enumerate(texts):
        found = named.named(text)
        own += _key(values[i]) in found
        chance += _key(values[shuffled[i]]) in found
        other += named.named_instead(text, values[i], found) is not None
    own_share, chance_share, other_share = own / len(texts), chance / len(texts), other / len(texts)
    if own_share < MIN_NAMED_SHARE or own_share < CHANCE_RATIO * chance_share:
        return None
    checked = other_share <= MAX_OTHER_SHARE
    summary = NamedValuesSummary(column=name, named_share=round(own_share, 4), chance_share=round(chance_share, 4),
                                 other_share=round(other_share, 4), checked=checked)
    return replace(named, checked=checked), summary


def _key(value: str) -> str:
    return " ".join(_WORD.findall(value.lower()))


def _nameable(value: str) -> bool:
    key = _key(value)
    return len(key) >= MIN_VALUE_CHARS and any(c.isalpha() for c in key) and len(key.split()) <= MAX_VALUE_WORDS
