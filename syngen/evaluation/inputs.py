"""Read a synthetic file as rows of the real table's columns, however messy it is.

SynGen's own outputs are clean tables with a sidecar; raw model answers saved as `.csv` (the study's
seed outputs) are markdown tables, chatty preambles, numbered lines or rows with a column too many. A
clean table is read exactly by the project's loader; anything else goes through the generation answer
parser, which maps what it can onto the columns and counts what it cannot use.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from syngen.data.loader import headerless_names, read_table_bytes
from syngen.errors import DataError
from syngen.output.paths import SIDECAR_SUFFIX

_COUNT_IN_NAME = re.compile(r"_(\d+)_output(\.partial)?$")  # suppl_base_local_10_output.csv asks for 10
_CELL_BREAK = re.compile(r"[,;\t|{}:\"']")
_NUMBERING = re.compile(r"^\s*(\d+[.)]|[-*#]+)\s*")


@dataclass
class SyntheticInput:
    frame: pd.DataFrame  # exactly the real columns, in their order, every cell a string
    source: str
    unusable: int = 0
    format: str = "csv"
    notes: list[str] = field(default_factory=list)
    sidecar: dict[str, Any] | None = None
    expected_rows: int | None = None
    expected_source: str | None = None  # "sidecar" or "file name"

    @property
    def few_shot_rows(self) -> list[int] | None:
        rows = (self.sidecar or {}).get("few_shot_rows")
        return [int(i) for i in rows] if isinstance(rows, list) else None


def load_synthetic(path: str | Path, columns: list[str], text_columns: list[str]) -> SyntheticInput:
    path = Path(path)
    raw = _read(path)
    frame, unusable, fmt, notes = _rows(path, raw, columns, text_columns)
    if not len(frame) and not unusable and len(raw.strip().splitlines()) == 1 and path.suffix.lower() != ".parquet":
        raise DataError(f"{path} holds a header and no rows",
                        "A run that made none writes only its header: generate rows first, or pass another file")
    if not len(frame) and not unusable:  # records that exist but break the format are scored: validity 0
        raise DataError(f"no row of {path} could be read as the real table's rows ({_names(columns)})",
                        "Pass the rows generated from this real file, or the real file they imitate")
    result = SyntheticInput(frame=frame, source=str(path), unusable=unusable, format=fmt, notes=notes)
    attach_expectations(result, read_sidecar(path), path.stem)
    return result


def from_frame(frame: pd.DataFrame, columns: list[str], source: str, sidecar: dict | None = None) -> SyntheticInput:
    """Rows already in memory (a generation run's result)."""
    result = SyntheticInput(frame=_conform(frame, columns), source=source)
    attach_expectations(result, sidecar, Path(source).stem)
    return result


def attach_expectations(result: SyntheticInput, sidecar: dict | None, stem: str) -> None:
    """Rows asked for: from the sidecar when there is one, else from the study's file naming."""
    result.sidecar = sidecar
    asked = (sidecar or {}).get("rows_asked")
    if isinstance(asked, int) and asked > 0:
        result.expected_rows, result.expected_source = asked, "sidecar"
        return
    match = _COUNT_IN_NAME.search(stem)
    if match:
        result.expected_rows, result.expected_source = int(match.group(1)), "file name"


def sidecar_of(path: Path) -> Path | None:
    """The sidecar beside a synthetic file: `OUT.syngen.json`, else the `.json` earlier versions wrote."""
    for sidecar in (path.with_name(path.name + SIDECAR_SUFFIX), path.with_suffix(".json")):
        if sidecar != path and sidecar.is_file():
            return sidecar
    return None


def read_sidecar(path: Path) -> dict[str, Any] | None:
    sidecar = sidecar_of(path)
    if sidecar is None:
        return None
    try:
        data = json.loads(sidecar.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DataError(f"the sidecar {sidecar} is not readable JSON ({exc})",
                        "Fix or remove it; it is only used for rows asked and few-shot rows") from exc
    if not isinstance(data, dict):
        raise DataError(f"the sidecar {sidecar} is not a JSON object", "Fix or remove it")
    return data


def _read(path: Path) -> bytes:
    if not path.exists():
        raise DataError(f"{path} does not exist", "Check the path given to --synthetic")
    if not path.is_file():
        raise DataError(f"{path} is not a file", "Pass the synthetic CSV, JSONL or Parquet file")
    raw = path.read_bytes()
    if not raw.strip():
        raise DataError(f"{path} is empty", "Pass a file with generated rows")
    if b"\x00" in raw[:65536] and path.suffix.lower() != ".parquet":
        raise DataError(f"{path} looks like a binary file, not generated rows",
                        "Pass the CSV, JSONL or Parquet file that generation wrote")
    return raw


def _rows(path: Path, raw: bytes, columns: list[str], text_columns: list[str]) -> tuple:
    if path.suffix.lower() == ".parquet":
        frame = _read_parquet(path)
        _check_shares_a_column(path, [str(c) for c in frame.columns], columns)
        return _conform(frame, columns), 0, "parquet", _extra_columns(frame, columns)
    text = raw.decode("utf-8", errors="replace")
    header = _has_header(text, columns)
    if header:
        _check_shares_a_column(path, _names_in(text), columns)
    table = _clean_table(raw, str(path), columns, header)
    if table is not None:
        return _conform(table, columns), 0, "csv", _extra_columns(table, columns)
    return _parse_answer(raw.decode("utf-8", errors="replace"), columns, text_columns)


def _clean_table(raw: bytes, source: str, columns: list[str], header: bool = True) -> pd.DataFrame | None:
    """The table as written if it has every real column (and maybe more: derived columns, which the scores
    leave out); None sends it to the parser."""
    try:  # markers=False: generated rows are read by the real table's markers
        frame = read_table_bytes(raw, source=source, markers=False, header=header).frame
    except DataError:
        return None  # not a well-formed table: exactly the case the answer parser exists for
    # Names that only match once stripped (", title, text") come with padded values: the parser's job.
    return frame if set(map(str, frame.columns)) >= set(columns) else None


def _extra_columns(frame: pd.DataFrame, columns: list[str]) -> list[str]:
    """A note naming the columns the real table lacks (a run's derived columns): they are not scored."""
    extra = [str(c) for c in frame.columns if str(c) not in columns]
    if not extra:
        return []
    return [f"column{'s' if len(extra) > 1 else ''} {', '.join(extra)} not in the real table: not scored"]


def _has_header(text: str, columns: list[str]) -> bool:
    """Rows of a real table without a header row (its columns column_1..N) have none, unless they name them."""
    if columns != headerless_names(len(columns)):
        return True
    first = next((line for line in text.splitlines() if line.strip()), "")
    return columns[0] in _CELL_BREAK.split(first)


def _names_in(text: str, lines: int = 50) -> list[str]:
    """Every cell, key or label of the first lines: where a header, a JSON key or `Name: value` would be."""
    head = [line for line in text.splitlines() if line.strip()][:lines]
    return [_NUMBERING.sub("", cell).strip() for line in head for cell in _CELL_BREAK.split(line)]


def _check_shares_a_column(path: Path, found: list[str], columns: list[str]) -> None:
    """A file naming none of the real columns (no header, key or label) is not rows of this table: its
    scores would be meaningless (an empty file scores a perfect privacy)."""
    wanted = {c.strip().casefold() for c in columns}
    if not wanted & {name.casefold() for name in found if name}:
        raise DataError(f"{path} shares no column with the real table ({_names(columns)})",
                        "Pass the rows generated from this real file (with their header), or the real file they "
                        "imitate")


def _names(columns: list[str]) -> str:
    return ", ".join(columns[:8]) + (f" and {len(columns) - 8} more" if len(columns) > 8 else "")


def _parse_answer(text: str, columns: list[str], text_columns: list[str]) -> tuple:
    from syngen.parsing import parse_answer

    parsed = parse_answer(text, columns, text_columns)
    frame = pd.DataFrame(parsed.rows, columns=columns)
    return _conform(frame, columns), parsed.unusable, parsed.format, list(parsed.notes)


def _read_parquet(path: Path) -> pd.DataFrame:
    try:
        return pd.read_parquet(path)
    except ImportError as exc:
        raise DataError("reading Parquet needs pyarrow", "Install it: pip install 'syngen[parquet]'") from exc
    except Exception as exc:  # pyarrow raises its own error types for a damaged file
        raise DataError(f"{path} is not a readable Parquet file ({exc})", "Pass the file generation wrote") from exc


def _conform(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """The real columns in the real order; a missing column is empty, every value a string."""
    frame = frame.copy()
    frame.columns = [str(c) for c in frame.columns]
    for column in columns:
        if column not in frame.columns:
            frame[column] = ""
    return frame[columns].fillna("").astype(str).reset_index(drop=True)
