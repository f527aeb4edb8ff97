"""Which text columns never merely repeat the catalogue facts their prompt shows, learned from the real rows.

A small model asked for a review title of "Northfield Naturals Vitamin D3 5000 IU" often answers "Northfield":
a piece of the item's name, copied from the prompt. Some real titles do that too ("Biotin" on a biotin
product), so a column is checked only where real rows rarely do it (under ECHO_MAX_SHARE of them).
"""

from __future__ import annotations

import re

import pandas as pd

from syngen.profiling.catalogue import Catalogue
from syngen.profiling.model import ColumnKind, DatasetProfile

ECHO_MAX_SHARE = 0.05  # a column whose real texts echo their item this often or more is not checked
SAMPLE_ROWS = 2000
_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)


def tokens(text: object) -> str:
    """Lower-cased words and numbers joined by single spaces, padded so that spans match whole words only."""
    return " " + " ".join(_TOKEN.findall(str(text).lower())) + " "


def is_echo(text: str, context: dict[str, str]) -> bool:
    """True when the whole text is a run of consecutive words of one of the context values."""
    words = tokens(text)
    return words.strip() != "" and any(words in tokens(value) for value in context.values())


def echo_columns(frame: pd.DataFrame, profile: DatasetProfile, catalogue: Catalogue | None) -> frozenset[str]:
    """The text columns whose real texts rarely just repeat their item's catalogue facts."""
    keys = profile.of_kind(ColumnKind.FOREIGN_KEY)
    if catalogue is None or not keys:
        return frozenset()
    items = _contexts(catalogue)
    sample = frame.sample(min(len(frame), SAMPLE_ROWS), random_state=0)
    contexts = [items.get(str(key), {}) for key in sample[keys[0].name]]
    checked = []
    for column in profile.text_columns:
        pairs = [(t, c) for t, c in zip(sample[column.name].astype(str), contexts, strict=True) if t.strip() and c]
        if pairs and sum(is_echo(t, c) for t, c in pairs) / len(pairs) < ECHO_MAX_SHARE:
            checked.append(column.name)
    return frozenset(checked)


def _contexts(catalogue: Catalogue) -> dict[str, dict[str, str]]:
    fields = [c for c in catalogue.frame.columns if c != catalogue.key_column]
    rows = catalogue.frame.drop_duplicates(catalogue.key_column).set_index(catalogue.key_column)[fields]
    return {str(key): {k: str(v) for k, v in values.items() if str(v)} for key, values in rows.iterrows()}
