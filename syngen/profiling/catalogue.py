"""A catalogue that ids in the data refer to: product titles and categories for the prompts."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pandas as pd

from syngen.data.loader import Table, load_table
from syngen.errors import DataError


@dataclass
class Catalogue:
    """Rows keyed by `key_column`; `title_column` names an item, `category_column` groups it."""

    table: Table
    key_column: str
    title_column: str | None
    category_column: str | None
    data_column: str | None = None  # the data's column that holds the catalogue's keys

    @property
    def frame(self) -> pd.DataFrame:
        return self.table.frame

    def item_keys(self) -> list[str]:
        return self.frame[self.key_column].tolist()

    def describe(self, key: str) -> dict[str, str]:
        """The catalogue fields of one item that tell it from others, for the prompt ({} if the key is unknown)."""
        rows = self.frame[self.frame[self.key_column] == key]
        shared = self.shared_columns
        return {} if rows.empty else {k: str(v) for k, v in rows.iloc[0].items() if k not in shared}

    @cached_property
    def shared_columns(self) -> frozenset[str]:
        """Fields of one value for every item ("cat1: Vitamins & Supplements" on all 90): they say nothing of one
        item, the topic says them already, and stated in each row's prompt they were written into its texts (11 of
        37 prompt fragments of 60 supplements rows, seed 11)."""
        frame = self.frame.replace("", pd.NA)
        if len(frame) < 2:
            return frozenset()
        return frozenset(name for name in frame.columns if name != self.key_column and frame[name].nunique() <= 1)

    def main_category(self) -> str | None:
        if not self.category_column:
            return None
        values = self.frame[self.category_column].replace("", pd.NA).dropna()
        return None if values.empty else str(values.mode().iloc[0])


def load_catalogue(path: str | Path, data: Table) -> Catalogue:
    """Load a catalogue and find which of its columns the data refers to."""
    table = load_table(path)
    key, data_column = _find_key_column(table.frame, data.frame)
    if key is None:
        raise DataError(
            f"no column of the catalogue {path} matches the values of any column in {data.source}",
            "Pass a catalogue whose key column (e.g. a product id) holds the ids used in the data, or drop --products",
        )
    title = _find_title_column(table.frame, exclude={key})
    category = _find_category_column(table.frame, exclude={key, title})
    return Catalogue(table=table, key_column=key, title_column=title, category_column=category,
                     data_column=data_column)


def _find_key_column(catalogue: pd.DataFrame, data: pd.DataFrame) -> tuple[str | None, str | None]:
    """The catalogue's key column and the data column holding its keys. Either side may be partial: most of
    the data's values are catalogue keys, or most catalogue keys appear in the data (10 of 90 products)."""
    best, best_overlap = (None, None), 0.0
    for key in catalogue.columns:
        keys = set(catalogue[key]) - {""}
        if len(keys) < len(catalogue) * 0.95:
            continue
        for column in data.columns:
            values = data[column][data[column] != ""]
            if values.empty:
                continue
            distinct = set(values)
            covered = len(keys & distinct) / len(keys) if len(distinct) >= len(keys) else 0.0
            overlap = max(values.isin(keys).mean(), covered)
            if overlap > best_overlap:
                best, best_overlap = (key, column), overlap
    return best if best_overlap >= 0.5 else (None, None)


def _mean_words(series: pd.Series) -> float:
    return float(series.str.split().str.len().mean() or 0)


def _find_title_column(frame: pd.DataFrame, exclude: set) -> str | None:
    named = [c for c in frame.columns if c not in exclude and any(w in c.lower() for w in ("title", "name"))]
    if named:
        return named[0]
    candidates = [c for c in frame.columns if c not in exclude and frame[c].nunique() > len(frame) * 0.8]
    return max(candidates, key=lambda c: _mean_words(frame[c]), default=None)


def _find_category_column(frame: pd.DataFrame, exclude: set) -> str | None:
    candidates = [c for c in frame.columns if c not in exclude and frame[c].nunique() <= max(1, len(frame) // 2)]
    if not candidates:
        return None
    # The most specific grouping (most distinct values) says the most about what an item is; ties go to the
    # later column, which in category paths is the deeper level.
    return max(reversed(candidates), key=lambda c: frame[c].nunique())
