"""Infer each column's kind from its values (with the reason, in words) and learn the facts its sampler needs.

Cost: each column is read a fixed number of times (O(n) per column) except the dependency tree, which
compares every pair of structured columns (O(k^2 * n) with a small constant: integer codes and bincount).
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pandas as pd

from syngen.data.loader import Table
from syngen.errors import DataError
from syngen.profiling import datetimes, learners, numbers, patterns, ranges
from syngen.profiling.affixes import learn_affix_parents
from syngen.profiling.catalogue import Catalogue
from syngen.profiling.composed import find_compositions
from syngen.profiling.dependencies import learn_dependencies, structured_keys
from syngen.profiling.derived import DerivationFinder
from syngen.profiling.embedder import RecentTexts, sentence_encoder
from syngen.profiling.emptiness import learn_emptiness
from syngen.profiling.framed import find_frames
from syngen.profiling.labelsets import LabelSet, count_listed_labels, find_label_set
from syngen.profiling.measures import find_measures
from syngen.profiling.model import ColumnKind, ColumnProfile, DatasetProfile, main_text_of
from syngen.profiling.orders import learn_orders
from syngen.profiling.tied import SAMPLE_ROWS, TIED_AUC, tied_share

# Words a file name gives its split, version or state, not its subject: "train.csv" made every prompt ask for
# "one new entry about train". Listed by hand: no library names them, and a topic they leave is "the data".
_FILE_WORDS = frozenset({"train", "training", "test", "testing", "val", "valid", "validation", "dev", "data",
                         "dataset", "datasets", "sample", "samples", "subset", "split", "export", "exported",
                         "dump", "input", "output", "raw", "clean", "cleaned", "processed", "final", "full",
                         "copy", "new", "old", "tmp", "temp", "df", "dataframe", "table", "file", "csv", "tsv", "v",
                         "upload"})
Progress = Callable[[int, int, str], None]  # (columns done, columns in all, column name)
_BOOL_PAIRS = [{"true", "false"}, {"yes", "no"}, {"y", "n"}, {"t", "f"}]
_ID_CHARS = re.compile(r"^[A-Za-z0-9_\-:.]+$")
# A column whose values are mostly reused ("Debian Perl Group <pkg-perl@...>", 83% of rows) is a set of names drawn
# from, not text to write: the model mangled every such address it was asked for.
REPEATED_ROWS = 0.75
NAME_WORDS = 6  # longer values are sentences, however often the table repeats them
_TIME_NAMES = re.compile(r"time|date|epoch|created|updated|_at$|^ts$", re.I)
# "id", "row_no", "Unnamed: 0" (a written pandas index), "UserId", "orderID"; not "paid" or "valid"
_ID_NAMES = re.compile(r"(?i:^(?:id|idx|index|no|nr|#)$|[_\s.-](?:id|idx|no|nr)$|^unnamed: ?\d+$)|[a-z0-9](?:Id|ID)$")


def profile_table(
    table: Table,
    catalogue: Catalogue | None = None,
    overrides: dict[str, ColumnKind] | None = None,
    topic: str | None = None,
    progress: Progress | None = None,
    require_text: bool = True,
) -> DatasetProfile:
    """Profile every column; `overrides` forces a kind where the user knows better. `progress` hears of each
    column as it is done; without `require_text` a table with no column for the model is still profiled."""
    overrides = overrides or {}
    frame = table.frame
    _check_overrides(overrides, frame, table.source)
    finder = DerivationFinder(frame)
    columns = []
    for index, name in enumerate(frame.columns):
        columns.append(_profile_column(frame, name, catalogue, overrides.get(name), finder))
        if progress:
            progress(index + 1, len(frame.columns), name)
    columns = _tie_short_texts(frame, columns, catalogue, finder, set(overrides))
    if require_text and not any(c.kind is ColumnKind.TEXT for c in columns):
        raise DataError(
            f"{table.source} has no free-text column for a model to write",
            "Give a table with at least one column of sentences (e.g. a review text), "
            "or mark a column as text (--kind COLUMN=text, or in the app)",
        )
    notes = list(table.notes) + _spreadsheet_notes(frame)
    profile = DatasetProfile(source=table.source, n_rows=len(frame), columns=columns, notes=notes)
    _learn_compositions(frame, profile, set(overrides))
    _learn_frames(frame, profile, set(overrides))
    # A column computed from the row (a word count of its text) is no parent to plan by: generated rows compute it
    # after the plan. Planned under one, "No Negative" fell on any score once the count was set aside.
    computed = set(profile.compositions) | set(profile.frames)
    keyed = {name: keys for name, keys in structured_keys(frame, profile).items() if name not in computed}
    profile.dependencies = learn_dependencies(frame, profile, keyed)
    profile.emptiness = learn_emptiness(frame, profile, keyed, profile.dependencies)
    profile.orders = learn_orders(frame, profile)
    learn_affix_parents(frame, profile)
    profile.topic = topic or _default_topic(table, catalogue)
    return profile


def _tie_short_texts(frame: pd.DataFrame, columns: list[ColumnProfile], catalogue: Catalogue | None,
                     finder: DerivationFinder, forced: set[str]) -> list[ColumnProfile]:
    """Short free text that its row's main text tells (a clue's answer, a question's tags) becomes a text column
    the model writes with it (`profiling/tied.py`); not one the user typed."""
    texts = [c for c in columns if c.kind is ColumnKind.TEXT]
    judged = {c.name for c in columns if c.kind is ColumnKind.SHORT_TEXT and c.name not in forced}
    if not texts or not judged:
        return columns
    main = main_text_of(texts)
    encoder = RecentTexts(sentence_encoder(), size=2 * SAMPLE_ROWS)  # the main texts, encoded once for all columns
    shares = {name: tied_share(frame[name], frame[main], encoder) for name in judged}
    return [_written_with(frame, column, main, shares[column.name], catalogue, finder)
            if (shares.get(column.name) or 0.0) >= TIED_AUC else column for column in columns]


def _written_with(frame: pd.DataFrame, column: ColumnProfile, main: str, share: float, catalogue: Catalogue | None,
                  finder: DerivationFinder) -> ColumnProfile:
    written = _profile_column(frame, column.name, catalogue, ColumnKind.TEXT, finder)
    return written.model_copy(update={"reason": f"a few words each that its row's '{main}' tells (sentence "
                                                f"vectors pair them, AUC {share:.2f})"})


def _learn_compositions(frame: pd.DataFrame, profile: DatasetProfile, forced: set[str]) -> None:
    """Columns written from the row's other columns (a link from its module and name); not one the user typed,
    one another column copies a part of (it stays the source), nor the last text column left to the model."""
    sources = _derived_sources(profile)
    texts = {c.name for c in profile.text_columns}
    for name, (template, share) in {**find_compositions(frame, profile), **find_measures(frame, profile)}.items():
        if name in forced or name in sources or (name in texts and texts <= {name, *profile.compositions}):
            continue
        profile.compositions[name] = template
        profile.notes.append(f"'{name}' is written from each row's other columns as {template} ({share:.0%} of the "
                             "real rows are): generated rows compute it so (replace it with --derive)")


def _derived_sources(profile: DatasetProfile) -> set[str | None]:
    """Columns another column copies a part of (a date of a timestamp): they stay sources, never computed."""
    return {getattr(c.stats, "source", None) for c in profile.of_kind(ColumnKind.DERIVED)}


def _learn_frames(frame: pd.DataFrame, profile: DatasetProfile, forced: set[str]) -> None:
    """Columns written mostly from the row's other values around a varying part (a title of winery, vintage and
    variety); the same exclusions as compositions."""
    kept = forced | _derived_sources(profile)
    texts = {c.name for c in profile.text_columns}
    for name, framed in find_frames(frame, profile, set(profile.compositions)).items():
        if name in kept or (name in texts and texts <= {name, *profile.compositions, *profile.frames}):
            continue
        profile.frames[name] = framed
        example = framed.frames[0].shown()
        profile.notes.append(f"'{name}' is mostly its row's {', '.join(framed.sources)} ({framed.share:.0%} of the "
                             f"real values, e.g. {example}): each generated row fills a real row's frame with its "
                             "own values (replace it with --derive)")


def _check_overrides(overrides: dict[str, ColumnKind], frame: pd.DataFrame, source: str) -> None:
    unknown = [name for name in overrides if name not in frame.columns]
    if unknown:
        raise DataError(f"--kind names a column {source} does not have: {', '.join(unknown)}",
                        f"Its columns are: {', '.join(map(str, frame.columns))}")


_SCIENTIFIC = re.compile(r"^\d\.\d+[eE]\+\d+$")


def _spreadsheet_notes(frame: pd.DataFrame) -> list[str]:
    """Spreadsheets turn long numeric ids into 1.23457E+11 and lose digits; say so, the data cannot be repaired."""
    notes = []
    for name in frame.columns:
        head = frame[name].head(500)
        present = head[head != ""]
        if len(present) and present.str.match(_SCIENTIFIC).mean() > 0.5 and present.str.len().max() <= 12:
            notes.append(f"column '{name}' holds numbers in scientific notation, as a spreadsheet writes long ids; "
                         "digits may be lost: re-export it with the column formatted as text")
    return notes


def _default_topic(table: Table, catalogue: Catalogue | None) -> str:
    category = catalogue.main_category() if catalogue else None
    if category:
        return category
    stem = re.sub(r"[_\-.<>]+", " ", table.source.rsplit("/", 1)[-1].rsplit(".", 1)[0])
    words = [w for w in stem.split() if w.lower() not in _FILE_WORDS and not any(c.isdigit() for c in w)]
    return " ".join(words) or "the data"


def _profile_column(frame: pd.DataFrame, name: str, catalogue: Catalogue | None,
                    forced: ColumnKind | None, finder: DerivationFinder) -> ColumnProfile:
    values = frame[name].astype(str)
    present = values[values != ""]
    base = dict(
        name=name, n_rows=len(values), n_distinct=int(present.nunique()), n_empty=int((values == "").sum()),
        examples=present.drop_duplicates().head(3).tolist(),
    )
    if forced:
        kind, reason, stats = forced, "set by the user", None
        if forced is ColumnKind.CATEGORICAL:
            stats = _label_set_stats(present, find_label_set(present))
        if forced is ColumnKind.DERIVED:
            stats = finder.find(name) or {"source": None, "format": None}
    else:
        kind, reason, stats = _infer_kind(name, present, catalogue, finder)
    if stats is None:
        stats = _learn(kind, name, present, catalogue)
    stats["empty_share"] = base["n_empty"] / max(1, len(values))
    return ColumnProfile(kind=kind, stats=stats, reason=reason, **base)


def _infer_kind(name: str, present: pd.Series, catalogue, finder: DerivationFinder):
    if present.empty:
        return ColumnKind.EMPTY, "every value is empty", {}
    derivation = finder.find(name)
    if derivation:
        how = f"the {derivation['format']} part of" if derivation["format"] else "a copy of"
        return ColumnKind.DERIVED, f"always {how} '{derivation['source']}'", derivation
    if catalogue is not None and (name == catalogue.data_column
                                  or present.isin(set(catalogue.item_keys())).mean() >= 0.95):
        return ColumnKind.FOREIGN_KEY, f"holds keys of the catalogue's '{catalogue.key_column}'", None
    lowered = set(present.str.lower().unique()[:3])
    if len(lowered) <= 2 and any(lowered <= pair for pair in _BOOL_PAIRS):
        return ColumnKind.BOOLEAN, "two values of a yes/no pair", None
    if _is_epoch(name, present):
        return ColumnKind.DATETIME, "10-digit integers within 2000-2036 in a time-named column: epoch seconds", None
    formats = datetimes.detect_formats(present.tolist())
    if formats and datetimes.EPOCH not in formats:
        try:
            stats = learners.learn_datetime(present, formats)
        except learners.Unreadable:
            stats = None  # strptime read a sample that pandas cannot read whole: not a datetime column after all
        if stats is not None:
            return ColumnKind.DATETIME, "dates/times written " + ", ".join(list(formats)[:3]), stats
    counter = learners.learn_counter(present, id_named=bool(_ID_NAMES.search(name)))
    if counter is not None:
        why = "distinct whole numbers in even steps" if counter["even"] else "distinct whole numbers in an id column"
        return ColumnKind.IDENTIFIER, f"{why}: a count (row numbers), never reused", learners.learn_identifier(
            present, counter)
    listed = count_listed_labels(present)
    if listed is not None:
        return (ColumnKind.CATEGORICAL, f"lists of {listed} labels written as [...] ({present.nunique()} lists), "
                "each drawn whole from a real row", None)
    label_set = find_label_set(present)
    if label_set is not None:
        return (ColumnKind.CATEGORICAL, f"sets of {len(label_set.labels)} labels joined by "
                f"'{label_set.separator}' ({present.nunique()} combinations)", _label_set_stats(present, label_set))
    kind, reason = _infer_plain_kind(present)
    return kind, reason, None


def _label_set_stats(present: pd.Series, label_set: LabelSet | None) -> dict:
    """A category's counts, with its separator and labels when its values are label sets."""
    stats = learners.learn_counts(present)
    if label_set is not None:
        stats |= {"separator": label_set.separator, "labels": label_set.labels}
    return stats


def _is_epoch(name: str, present: pd.Series) -> bool:
    return bool(_TIME_NAMES.search(name)) and present.head(2000).map(datetimes.is_epoch).all()


def _infer_plain_kind(present: pd.Series) -> tuple[ColumnKind, str]:
    distinct = present.nunique()
    share = distinct / len(present)
    fmt = numbers.learn_format(present.tolist()) or ranges.learn_range(present.tolist())
    if fmt is not None:
        return _numeric_kind(present, fmt, distinct, share)
    words = present.head(5000).str.count(r"\S+")  # the shape of a column shows in its first thousands
    if words.mean() < 1.2 and present.str.fullmatch(_ID_CHARS).all() and present.str.contains(r"\d").mean() >= 0.5:
        if share > 0.9 and len(present) > 20:
            return ColumnKind.IDENTIFIER, f"codes, {share:.0%} distinct"
        if share > 0.5 and patterns.looks_patterned(present.head(5000).tolist()):
            return ColumnKind.PATTERN, f"codes of few shapes, {share:.0%} distinct"
        return ColumnKind.CATEGORICAL, f"codes repeated: {distinct} distinct of {len(present)}"
    if words.mean() >= 3 and share > 0.5:
        return ColumnKind.TEXT, f"sentences of {words.median():.0f} words, {share:.0%} distinct"
    if share < 0.1 or (distinct <= 30 and (share <= 0.5 or len(present) < 10)):
        return ColumnKind.CATEGORICAL, f"{distinct} distinct values of {len(present)}"
    if share <= 0.5 and words.median() <= NAME_WORDS and _repeated_share(present) >= REPEATED_ROWS:
        return ColumnKind.CATEGORICAL, f"values repeated: {distinct} distinct of {len(present)}"
    if words.mean() < 3 and patterns.looks_patterned(present.head(5000).tolist()):
        return ColumnKind.PATTERN, "few shapes of digits, letters and marks"
    if words.quantile(0.9) <= 4:
        return ColumnKind.SHORT_TEXT, f"a few words each ({words.mean():.1f} on average), {share:.0%} distinct"
    return ColumnKind.TEXT, f"words, {share:.0%} distinct"


def _repeated_share(present: pd.Series) -> float:
    """The share of values that occur more than once in the column."""
    counts = present.value_counts()
    return float(counts[counts > 1].sum() / len(present))


def _numeric_kind(present: pd.Series, fmt: numbers.NumberFormat, distinct: int, share: float):
    written = f"numbers written like {fmt.describe()}"
    plain = not (fmt.prefix or fmt.suffix or fmt.thousands or fmt.exponent)
    if fmt.is_integer and plain and share > 0.95 and present.str.len().nunique() <= 2 and len(present) > 20:
        return ColumnKind.IDENTIFIER, f"unique integers of one length, {share:.0%} distinct"
    if distinct <= (20 if fmt.is_integer else 10) or (fmt.is_integer and share < 0.02):
        return ColumnKind.CATEGORICAL, f"{distinct} distinct numbers"
    return (ColumnKind.INTEGER if fmt.is_integer else ColumnKind.FLOAT), written


def _learn(kind: ColumnKind, name: str, present: pd.Series, catalogue: Catalogue | None) -> dict:
    simple = {
        ColumnKind.IDENTIFIER: learners.learn_identifier, ColumnKind.CATEGORICAL: learners.learn_counts,
        ColumnKind.BOOLEAN: learners.learn_counts, ColumnKind.INTEGER: learners.learn_numbers,
        ColumnKind.FLOAT: learners.learn_numbers, ColumnKind.DATETIME: learners.learn_datetime,
        ColumnKind.TEXT: learners.learn_text, ColumnKind.PATTERN: learners.learn_pattern,
        ColumnKind.SHORT_TEXT: learners.learn_short_text,
    }
    if present.empty:
        return {}
    if kind is ColumnKind.FOREIGN_KEY:
        if catalogue is None:
            raise DataError(f"column '{name}' cannot be a foreign_key without a catalogue",
                            "Pass the catalogue with --products, or choose another kind")
        return learners.learn_foreign_key(present, catalogue.item_keys(), catalogue.key_column)
    learner = simple.get(kind)
    try:
        return learner(present) if learner else {}
    except learners.Unreadable as exc:
        raise DataError(f"column '{name}' cannot be profiled as {kind.value}: {exc}",
                        "Choose another kind for it (see syngen profile)") from exc
