"""Columns whose values are sets of labels joined by a mark ("taste|price", "billing; login"): a multi-label column.

Such a column is sampled as a category (its real combinations), but its text is checked and its values stated
label by label: one of 79 combinations says little to a classifier, "does the text speak of price" says much.
A value is a label set when its column recombines a few short labels: most labels occur in several
combinations, some also alone, and there are fewer labels than combinations. Lists of names ("Smith, John"),
places ("Austin, TX") and sentences do not: their parts outnumber the values they make, or never stand alone.
"""

from __future__ import annotations

import ast
import json
import re
from collections import Counter
from dataclasses import dataclass

import pandas as pd

SEPARATORS = ("|", ";", ",")  # "/" is left out: "n/a", "km/h" and "and/or" are single values
MAX_LABELS = 30  # more distinct parts than this are a vocabulary, not a set of labels
MAX_LABEL_WORDS = 3
MIN_JOINED_ROWS = 10  # values holding the separator, and their share of all values
MIN_JOINED_SHARE = 0.05
MAX_COMBINATION_SHARE = 0.5  # distinct values per row: a category's, as in infer; argument lists are nearly all new
MIN_ALONE = 2  # labels that are some row's only label: "Smith, Ann" and "Austin, TX" have none
REUSED_SHARE = 0.8  # of the labels' uses in joined values, the share by labels seen in two or more combinations
_NUMBER = re.compile(r"[\d.,%\s$€£-]+")
LIST_SHARE = 0.95  # of a column's values that read as a list literal for it to be a column of label lists
MIN_LIST_USES = 3  # times a label is used, on average: more distinct items than that is a list of free texts
LIST_SAMPLE = 2000  # values read to judge a column


@dataclass(frozen=True)
class LabelSet:
    separator: str
    labels: dict[str, int]  # label -> real rows carrying it, most common first


def split_labels(value: str, separator: str) -> list[str]:
    """A value's labels, as written ("taste | price" -> taste, price)."""
    return [part.strip() for part in str(value).split(separator) if part.strip()]


def find_label_set(present: pd.Series) -> LabelSet | None:
    """The separator and labels of a column of label sets; None for any other column."""
    values = present.astype(str).value_counts()
    for separator in SEPARATORS:
        found = _as_label_set(values, separator)
        if found is not None:
            return found
    return None


def _as_label_set(values: pd.Series, separator: str) -> LabelSet | None:
    joined = values[values.index.str.contains(separator, regex=False)]
    if (joined.sum() < max(MIN_JOINED_ROWS, MIN_JOINED_SHARE * values.sum())
            or len(values) > MAX_COMBINATION_SHARE * values.sum()):
        return None
    labels: Counter[str] = Counter()
    combinations: Counter[str] = Counter()
    for value, count in values.items():
        parts = split_labels(value, separator)
        if not parts or len(parts) != len(set(parts)):
            return None  # a value of marks only, or "a|a": not a set
        for label in parts:
            labels[label] += int(count)
            combinations[label] += 1
        if len(labels) > MAX_LABELS:
            return None  # a text column's commas: stop at once, not after splitting a million sentences
    alone = sum(1 for value in values.index if len(split_labels(value, separator)) == 1)
    if not 2 <= len(labels) < len(values) or alone < MIN_ALONE:
        return None
    if any(len(label.split()) > MAX_LABEL_WORDS or _NUMBER.fullmatch(label) for label in labels):
        return None
    uses = Counter(label for value in joined.index for label in split_labels(value, separator))
    reused = sum(n for label, n in uses.items() if combinations[label] >= 2)
    if reused < REUSED_SHARE * sum(uses.values()):
        return None
    return LabelSet(separator, dict(labels.most_common()))


def count_listed_labels(present: pd.Series) -> int | None:
    """How many distinct labels a column of label lists written as literals holds ("[' Leisure trip ', ' Couple ']",
    as the hotel-review corpus writes its tags; `["Action", "Drama"]`; `[{"id": 28, "name": "Action"}]`), or None
    for any other column. Its values are drawn whole from the real rows, so each list keeps its own kinds of label
    (one trip type, one length of stay): written by a model they came out cut ("'Submitted from a']")."""
    values = present.astype(str).head(LIST_SAMPLE)
    lists = [items for items in map(_list_literal, values) if items is not None]
    if len(values) == 0 or len(lists) < LIST_SHARE * len(values):
        return None
    labels = Counter(item for items in lists for item in items)
    if not labels or sum(labels.values()) < MIN_LIST_USES * len(labels):
        return None
    return len(labels)


def _list_literal(value: str) -> list[str] | None:
    """The items of a value written as a JSON or Python list (each as one canonical string), or None."""
    text = value.strip()
    if not (text.startswith("[") and text.endswith("]")):
        return None
    for read in (json.loads, ast.literal_eval):
        try:
            items = read(text)
        except (ValueError, SyntaxError, MemoryError, RecursionError):
            continue
        if isinstance(items, list):
            return [item if isinstance(item, str) else json.dumps(item, sort_keys=True) for item in items]
    return None
