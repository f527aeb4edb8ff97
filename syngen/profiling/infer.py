"""Infer each column's kind from its values and learn the facts its sampler needs."""

from __future__ import annotations

import re
from collections import Counter

import pandas as pd

from syngen.data.loader import Table
from syngen.errors import DataError
from syngen.profiling import datetimes
from syngen.profiling.catalogue import Catalogue
from syngen.profiling.dependencies import learn_dependencies
from syngen.profiling.derived import find_derivation
from syngen.profiling.model import ColumnKind, ColumnProfile, DatasetProfile

MAX_SAMPLE = 5000  # values kept per column for empirical sampling
_BOOL_PAIRS = [{"true", "false"}, {"yes", "no"}, {"y", "n"}, {"t", "f"}]
_INT = re.compile(r"^[+-]?\d+$")
_FLOAT = re.compile(r"^[+-]?(\d+\.\d*|\.\d+|\d+)([eE][+-]?\d+)?$")
_ID_CHARS = re.compile(r"^[A-Za-z0-9_\-:.]+$")


def profile_table(
    table: Table,
    catalogue: Catalogue | None = None,
    overrides: dict[str, ColumnKind] | None = None,
    topic: str | None = None,
) -> DatasetProfile:
    """Profile every column; `overrides` forces a kind where the user knows better."""
    overrides = overrides or {}
    frame = table.frame
    columns = [_profile_column(frame, name, catalogue, overrides.get(name)) for name in frame.columns]
    if not any(c.kind is ColumnKind.TEXT for c in columns):
        raise DataError(
            f"{table.source} has no free-text column for a model to write",
            "Give a table with at least one column of sentences (e.g. a review text), "
            "or mark a column as text in the app",
        )
    notes = list(table.notes) + _spreadsheet_notes(frame)
    profile = DatasetProfile(source=table.source, n_rows=len(frame), columns=columns, notes=notes)
    profile.dependencies = learn_dependencies(frame, profile)
    profile.topic = topic or _default_topic(table, catalogue)
    return profile


_SCIENTIFIC = re.compile(r"^\d\.\d+[eE]\+\d+$")


def _spreadsheet_notes(frame: pd.DataFrame) -> list[str]:
    """Spreadsheets turn long numeric ids into 1.23457E+11 and lose digits; say so, the data cannot be repaired."""
    notes = []
    for name in frame.columns:
        present = frame[name][frame[name] != ""]
        if len(present) and present.str.match(_SCIENTIFIC).mean() > 0.5:
            notes.append(f"column '{name}' holds numbers in scientific notation, as a spreadsheet writes long ids; "
                         "digits may be lost: re-export it with the column formatted as text")
    return notes


def _default_topic(table: Table, catalogue: Catalogue | None) -> str:
    category = catalogue.main_category() if catalogue else None
    if category:
        return category
    stem = re.sub(r"[_\-]+", " ", table.source.rsplit("/", 1)[-1].rsplit(".", 1)[0]).strip()
    return stem or "the data"


def _profile_column(frame: pd.DataFrame, name: str, catalogue: Catalogue | None,
                    forced: ColumnKind | None) -> ColumnProfile:
    values = frame[name].astype(str)
    present = values[values != ""]
    base = dict(
        name=name, n_rows=len(values), n_distinct=int(present.nunique()), n_empty=int((values == "").sum()),
        examples=present.drop_duplicates().head(3).tolist(),
    )
    kind, stats = (forced, None) if forced else _infer_kind(frame, name, present, catalogue)
    if stats is None:
        stats = _learn(kind, frame, name, present, catalogue)
    stats["empty_share"] = base["n_empty"] / max(1, len(values))
    return ColumnProfile(kind=kind, stats=stats, **base)


def _infer_kind(frame, name, present: pd.Series, catalogue) -> tuple[ColumnKind, dict | None]:
    if present.empty:
        return ColumnKind.EMPTY, {}
    derivation = find_derivation(frame, name)
    if derivation:
        return ColumnKind.DERIVED, derivation
    if catalogue is not None and present.isin(set(catalogue.item_keys())).mean() >= 0.95:
        return ColumnKind.FOREIGN_KEY, None
    lowered = set(present.str.lower().unique())
    if len(lowered) <= 2 and any(lowered <= pair for pair in _BOOL_PAIRS):
        return ColumnKind.BOOLEAN, None
    if datetimes.detect_formats(present.head(2000).tolist()):
        return ColumnKind.DATETIME, None
    return _infer_plain_kind(present), None


def _infer_plain_kind(present: pd.Series) -> ColumnKind:
    distinct = present.nunique()
    distinct_share = distinct / len(present)
    mean_words = present.str.split().str.len().mean()
    if present.str.fullmatch(_INT).all():
        few = distinct <= 20 or distinct_share < 0.02
        if distinct_share > 0.95 and present.str.len().nunique() <= 2 and len(present) > 20:
            return ColumnKind.IDENTIFIER
        return ColumnKind.CATEGORICAL if few else ColumnKind.INTEGER
    if present.str.fullmatch(_FLOAT).all():
        return ColumnKind.CATEGORICAL if distinct <= 10 else ColumnKind.FLOAT
    if mean_words < 1.2 and present.str.fullmatch(_ID_CHARS).all():
        if distinct_share > 0.9 and len(present) > 20:
            return ColumnKind.IDENTIFIER
        return ColumnKind.CATEGORICAL
    if mean_words >= 3 and distinct_share > 0.5:
        return ColumnKind.TEXT
    if distinct <= 30 or distinct_share < 0.1:
        return ColumnKind.CATEGORICAL
    return ColumnKind.TEXT


def _learn(kind: ColumnKind, frame, name, present: pd.Series, catalogue) -> dict:
    learners = {
        ColumnKind.IDENTIFIER: _learn_identifier,
        ColumnKind.CATEGORICAL: _learn_counts,
        ColumnKind.BOOLEAN: _learn_counts,
        ColumnKind.INTEGER: _learn_numbers,
        ColumnKind.FLOAT: _learn_numbers,
        ColumnKind.DATETIME: _learn_datetime,
        ColumnKind.TEXT: _learn_text,
    }
    if kind is ColumnKind.FOREIGN_KEY:
        return _learn_foreign_key(present, catalogue)
    if kind is ColumnKind.DERIVED:
        return find_derivation(frame, name) or {"source": None, "format": None}
    learner = learners.get(kind)
    return learner(present) if learner else {}


def _learn_counts(present: pd.Series) -> dict:
    return {"counts": {str(k): int(v) for k, v in Counter(present).most_common()}}


def _learn_numbers(present: pd.Series) -> dict:
    numbers = pd.to_numeric(present, errors="coerce").dropna()
    decimals = present.str.extract(r"\.(\d+)$")[0].dropna().str.len()
    return {
        "min": float(numbers.min()), "max": float(numbers.max()), "mean": float(numbers.mean()),
        "sample": sorted(numbers.sample(min(len(numbers), MAX_SAMPLE), random_state=0).tolist()),
        "decimals": int(decimals.mode().iloc[0]) if not decimals.empty else 0,
    }


def _learn_identifier(present: pd.Series) -> dict:
    values = present.tolist()
    prefix = _common_prefix(values)
    body_chars = sorted(set("".join(v[len(prefix):] for v in values)))
    return {
        "prefix": prefix,
        "alphabet": "".join(body_chars),
        "lengths": {str(k): int(v) for k, v in Counter(len(v) for v in values).most_common()},
        "known": values if len(values) <= 200_000 else values[:200_000],
    }


def _common_prefix(values: list[str]) -> str:
    prefix = values[0]
    for value in values[1:]:
        while not value.startswith(prefix):
            prefix = prefix[:-1]
        if not prefix:
            break
    # A prefix as long as the values themselves would leave nothing to vary.
    return prefix[: max(0, min(len(v) for v in values) - 6)]


def _learn_foreign_key(present: pd.Series, catalogue: Catalogue) -> dict:
    counts = Counter(present)
    return {
        "catalogue_key": catalogue.key_column,
        "counts": {str(k): int(counts.get(k, 0)) for k in catalogue.item_keys()},
    }


def _learn_datetime(present: pd.Series) -> dict:
    formats = datetimes.detect_formats(present.tolist()) or {}
    digits = Counter(datetimes.fraction_digits(v) for v in present if "." in v)
    parsed = [_to_epoch(v) for v in present]
    epochs = sorted(p for p in parsed if p is not None)
    sample = epochs[:: max(1, len(epochs) // MAX_SAMPLE)]
    return {
        "formats": formats,
        "fraction_digits": digits.most_common(1)[0][0] if digits else 0,
        "min": epochs[0], "max": epochs[-1], "sorted_sample": sample,
    }


def _to_epoch(value: str) -> float | None:
    fmt = datetimes.match_format(value)
    if fmt is None:
        return None
    moment = datetimes.parse(value, fmt)
    if datetimes.is_time_only(fmt):
        return moment.hour * 3600 + moment.minute * 60 + moment.second
    return datetimes.to_epoch(moment)


def _learn_text(present: pd.Series) -> dict:
    words = present.str.split().str.len().fillna(0).astype(int)
    sample = words.sample(min(len(words), MAX_SAMPLE), random_state=0)
    return {
        "word_lengths": sorted(sample.tolist()),
        "median_words": float(words.median()),
        "max_words": int(words.max()),
        "char_per_word": float(present.str.len().sum() / max(1, words.sum())),
        "top_values": {str(k): int(v) for k, v in Counter(present).most_common(5) if v > 1},
    }
