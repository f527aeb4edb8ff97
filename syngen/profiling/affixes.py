"""Short text whose shape follows a category: Debian package names begin with "python3-" in section python and end
with "-perl" in section perl, "-doc" in section doc. Drawn from one character chain for the whole column, a name
took any section's shape ("python3-pace-flite" in section rust). So a short-text column whose first or last word
(split at marks) is tied to a category column learns a sample of its values under each of that column's values,
and the sampler writes a row's value from the values seen under the row's own category.

The tie is measured with the dependency tree's bias-corrected Cramér's V between the category and the value's
first and last word (words in fewer than MIN_AFFIX_VALUES values count as one "other" word).
"""

from __future__ import annotations

import re

import pandas as pd

from syngen.profiling.dependencies import cramers_v
from syngen.profiling.model import ColumnKind, ColumnProfile, DatasetProfile

MIN_STRENGTH = 0.3  # weaker ties leave the column to one chain
MAX_PARENT_VALUES = 60  # a category with more values leaves too few names under each
MIN_GROUP_VALUES = 20  # distinct values a category value needs to get a chain of its own
MAX_GROUP_SAMPLE = 400
MIN_AFFIX_VALUES = 5
_WORD = re.compile(r"[^\W_]+")


def learn_affix_parents(frame: pd.DataFrame, profile: DatasetProfile) -> None:
    """Give each short-text column the category its affixes follow best (if any) and its values under each of
    that category's values."""
    parents = profile.small_categories(MAX_PARENT_VALUES)
    for column in profile.of_kind(ColumnKind.SHORT_TEXT):
        _learn_parent(frame, column, parents)


def _learn_parent(frame: pd.DataFrame, column: ColumnProfile, parents: list[ColumnProfile]) -> None:
    values = frame[column.name].astype(str)
    present = values.str.strip() != ""
    firsts, lasts = _affixes(values[present])
    strengths = {parent.name: max(cramers_v(firsts, frame.loc[present, parent.name]),
                                  cramers_v(lasts, frame.loc[present, parent.name])) for parent in parents}
    best = max(strengths, key=strengths.__getitem__, default=None)
    if best is None or strengths[best] < MIN_STRENGTH:
        return
    groups = {}
    for key, group in values[present].groupby(frame.loc[present, best].astype(str)):
        distinct = group.drop_duplicates()
        if len(distinct) >= MIN_GROUP_VALUES:
            groups[str(key)] = distinct.sample(min(len(distinct), MAX_GROUP_SAMPLE), random_state=0).tolist()
    if groups:
        column.stats.parent, column.stats.by_parent = best, groups


def _affixes(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    words = values.map(lambda v: [w.lower() for w in _WORD.findall(v)] or [""])
    return _common(words.str[0]), _common(words.str[-1])


def _common(words: pd.Series) -> pd.Series:
    counts = words.value_counts()
    return words.where(words.map(counts) >= MIN_AFFIX_VALUES, "\x00other")
