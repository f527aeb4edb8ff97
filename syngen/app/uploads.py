"""Turn the page's data source (the bundled demo or uploaded bytes) into a table, catalogue and profile.

An upload's file name is only ever a label: it is cleaned for display and never used to build a path.
The one file the app writes from an upload (the catalogue, which the core reads from disk) goes to a
name made from its content inside the session's private temporary folder.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from syngen.data.loader import Table, load_table, read_table_bytes
from syngen.demo import demo_paths
from syngen.errors import DataError
from syngen.profiling import Catalogue, ColumnKind, DatasetProfile, load_catalogue, profile_table
from syngen.sampling.planner import RowPlanner

MAX_UPLOAD_ENV = "SYNGEN_APP_MAX_UPLOAD_MB"
DEFAULT_MAX_UPLOAD_MB = 50.0
_UNSAFE = re.compile(r"[^\w.\- ()]+")


@dataclass
class LoadedData:
    """The real table the page works on, with its optional catalogue."""

    table: Table
    label: str  # what the page calls the data (a cleaned file name)
    digest: str  # identifies the data and catalogue, so widgets and profiles can be keyed on it
    catalogue: Catalogue | None = None
    catalogue_path: Path | None = None
    catalogue_label: str | None = None
    notes: list[str] = field(default_factory=list)


def upload_limit_mb() -> float:
    """The largest upload accepted; an operator can change it with SYNGEN_APP_MAX_UPLOAD_MB."""
    try:
        return float(os.environ.get(MAX_UPLOAD_ENV, DEFAULT_MAX_UPLOAD_MB))
    except ValueError:
        return DEFAULT_MAX_UPLOAD_MB


def safe_label(name: str) -> str:
    """A display name for an uploaded file: its base name without path parts or odd characters."""
    base = PurePosixPath(name.replace("\\", "/")).name
    cleaned = _UNSAFE.sub("_", base).strip(" ._")
    return cleaned[:80] or "upload.csv"


def check_size(label: str, raw: bytes) -> None:
    limit = upload_limit_mb()
    if len(raw) > limit * 1024 * 1024:
        raise DataError(
            f"{label} is {len(raw) / 1024 / 1024:.1f} MB, more than the app's limit of {limit:g} MB",
            "Upload a sample of the rows, or use `syngen generate --data FILE` from the command line, "
            "which has no size limit",
        )


def read_upload(name: str, raw: bytes) -> Table:
    """Parse uploaded bytes as a table, raising DataError with a message the page can show as is."""
    label = safe_label(name)
    check_size(label, raw)
    try:
        return read_table_bytes(raw, source=label)
    except DataError:
        raise
    except (ValueError, OverflowError, MemoryError) as exc:  # the CSV parser's own limits
        raise DataError(f"{label} could not be read as a table ({exc})", "Export it again as a plain CSV") from exc


def load_demo() -> LoadedData:
    reviews, products = demo_paths()
    table = load_table(reviews)
    table.source = reviews.name
    catalogue = load_catalogue(products, table)
    return LoadedData(table, reviews.name, "demo", catalogue, products, products.name)


def load_upload(name: str, raw: bytes, workdir: Path,
                catalogue_upload: tuple[str, bytes] | None = None) -> LoadedData:
    table = read_upload(name, raw)
    digest = hashlib.sha256(raw).hexdigest()[:16]
    data = LoadedData(table, table.source, digest, notes=list(table.notes))
    if catalogue_upload is not None:
        attach_catalogue(data, *catalogue_upload, workdir=workdir)
    return data


def attach_catalogue(data: LoadedData, name: str, raw: bytes, workdir: Path) -> None:
    """Check an uploaded catalogue, store it under a fixed name, and link it to the data."""
    label = safe_label(name)
    read_upload(name, raw)  # same checks and messages as the data before anything is written
    digest = hashlib.sha256(raw).hexdigest()[:16]
    # Named by content: a run reading an earlier catalogue is never disturbed by a new upload.
    path = workdir / f"catalogue-{digest}.csv"
    path.write_bytes(raw)
    data.catalogue = load_catalogue(path, data.table)
    data.catalogue.table.source = label
    data.catalogue_path, data.catalogue_label = path, label
    data.digest = f"{data.digest}-{digest[:8]}"


def profile_data(data: LoadedData, overrides: dict[str, ColumnKind] | None = None) -> DatasetProfile:
    """Profile the data with the user's kind corrections, and prove the result can plan a row.

    A forced kind that does not fit the values (dates in a column of words) only fails when stats are
    learned or a row is planned; doing both here reports it now, on the column, not mid-run.
    """
    profile = profile_table(data.table, data.catalogue, overrides=overrides or {})
    RowPlanner(profile, data.catalogue, seed=0).skeleton(0)
    return profile


def first_profile(data: LoadedData) -> tuple[DatasetProfile, dict[str, ColumnKind]]:
    """The profile a new table starts with, and the corrections it needed.

    When no column looks like free text (short texts read as categories), the wordiest column with letters
    is taken as the text, as a correction the user sees and can change, instead of refusing the table.
    """
    try:
        return profile_data(data), {}
    except DataError:
        candidate = _text_candidate(data.table)
        if candidate is None:
            raise
    overrides = {candidate: ColumnKind.TEXT}
    return profile_data(data, overrides), overrides


def _text_candidate(table: Table) -> str | None:
    best, best_words = None, 0.0
    for name in table.columns:
        values = table.frame[name].astype(str)
        values = values[values != ""]
        if values.empty or values.str.contains(r"[A-Za-z]{2}", regex=True).mean() < 0.5:
            continue
        words = float(values.str.split().str.len().mean())
        if words > best_words:
            best, best_words = name, words
    return best


def kind_choices(inferred: ColumnKind, has_catalogue: bool) -> list[ColumnKind]:
    """Kinds a user may give a column. Derived and empty need facts only inference finds, and a
    foreign key needs a catalogue, so those are offered only where they already apply."""
    special = {ColumnKind.DERIVED, ColumnKind.EMPTY}
    if not has_catalogue:
        special.add(ColumnKind.FOREIGN_KEY)
    return [k for k in ColumnKind if k not in special or k is inferred]
