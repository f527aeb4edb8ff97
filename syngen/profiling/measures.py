"""Find number columns that measure a text column of their row: its length in characters or in words
(`review_length`, `word_count`, common in exported datasets).

Drawn as a number of its own, such a column disagrees with the text the model writes (a `text_len` of 146 beside
an 806-character text), and the real text "predicts" it, so it was checked as a label the model had to match.
Found here, it becomes a derived column (as `--derive` makes one, see composed.py): each generated row computes
it from its own text.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from syngen.profiling.composed import CHECK_ROWS, MIN_ROWS
from syngen.profiling.model import ColumnKind, DatasetProfile

COVERAGE = 0.95  # of the rows with both filled, those the measure gives exactly
MIN_FIXED_ROWS = 5  # rows holding a placeholder text for its fixed value to count as the measure's
MAX_FIXED = 3
MAX_FIXED_SHARE = 0.5  # of the rows, those placeholder texts may stand for
MIN_MEAN_WORDS = 2  # a source of shorter values (codes, categories) measures nothing a reader would count
# name -> (the measure, its Jinja2 expression of the text `{value}`)
MEASURES: dict[str, tuple[Callable[[str], int], str]] = {
    "characters": (len, "{value}|length"),
    "words": (lambda text: len(text.split()), "{value}.split()|length"),
}
_TARGETS = {ColumnKind.INTEGER, ColumnKind.CATEGORICAL}


def find_measures(frame: pd.DataFrame, profile: DatasetProfile) -> dict[str, tuple[str, float]]:
    """Column -> (its Jinja2 template, the share of rows it writes exactly), for each whole-number column that
    measures one text column of its row."""
    head = frame.head(CHECK_ROWS).fillna("").astype(str)
    if len(head) < MIN_ROWS:
        return {}
    sources = [c.name for c in profile.columns if c.kind in (ColumnKind.TEXT, ColumnKind.SHORT_TEXT)
               and head[c.name].str.split().str.len().mean() >= MIN_MEAN_WORDS]
    found = {}
    for column in profile.columns:
        values = head[column.name]
        if column.kind not in _TARGETS or not values.str.fullmatch(r"\d*").all() or not (values != "").any():
            continue
        for source in sources:
            measured = _measure(head[source], values)
            if measured is not None:
                name, share, fixed = measured
                found[column.name] = (_template(source, name, _blank_when_empty(head[source], values), fixed), share)
                break
    return found


def _measure(texts: pd.Series, values: pd.Series) -> tuple[str, float, dict[str, str]] | None:
    """The measure that gives the values (by name), the share of rows it gives, and the fixed values of the texts
    that stand for no text ("No Negative" counted 0 words, as the hotel-review corpus writes it)."""
    both = (texts != "") & (values != "")
    if both.sum() < MIN_ROWS:
        return None
    for name, (measure, _) in MEASURES.items():
        given = texts[both].map(measure).astype(str) == values[both]
        if given.mean() < COVERAGE - MAX_FIXED_SHARE:
            continue
        fixed = _fixed_values(texts[both][~given], values[both][~given])
        share = float((given | texts[both].isin(list(fixed))).mean())
        if share >= COVERAGE:
            return name, share, fixed
    return None


def _fixed_values(texts: pd.Series, values: pd.Series) -> dict[str, str]:
    """Text -> its one value, for the texts many rows hold that the measure does not give (a placeholder such as
    "No Negative" or "N/A" with its own fixed count)."""
    fixed = {}
    counts = texts.value_counts()
    for text in counts.index[counts >= MIN_FIXED_ROWS][:MAX_FIXED]:
        held = values[texts == text].unique()
        if len(held) == 1 and not any(mark in str(text) for mark in "{}%"):  # Jinja2 would read those marks
            fixed[str(text)] = str(held[0])
    return fixed


def _blank_when_empty(texts: pd.Series, values: pd.Series) -> bool:
    """Whether the real rows leave the measure empty where the text is (rather than writing 0)."""
    empty = texts == ""
    return bool(empty.any()) and float((values[empty] == "").mean()) >= 0.5


def _template(source: str, measure: str, blank_when_empty: bool, fixed: dict[str, str]) -> str:
    value = source if source.isidentifier() else f"row[{source!r}]"
    expression = MEASURES[measure][1].format(value=value)
    if blank_when_empty:
        expression = f"{expression} if {value} else ''"
    for text, number in fixed.items():
        expression = f"{number} if {value} == {text!r} else ({expression})"
    return f"{{{{ {expression} }}}}"
