"""Output formats: which one a file name asks for, and the spreadsheet export.

CSV, JSONL and Parquet hold exactly the generated values. A cell that begins like a spreadsheet formula
(`=1+1`, `@SUM(..)`) is then run by a spreadsheet that opens the CSV (OWASP "CSV injection"), so the
safe ways to open rows in a spreadsheet are the `.xlsx` export, where every cell is written as text, and
the opt-in `--spreadsheet-safe` CSV, where such cells get a `'` prefix (and so differ from what was made).
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from typing import Any

import pandas as pd

from syngen.errors import ConfigError, OutputError

EXTENSIONS = {".csv": "csv", ".tsv": "tsv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".parquet": "parquet",
              ".xlsx": "xlsx", ".hf": "hf"}  # hf: a folder holding a Hugging Face dataset (Dataset.save_to_disk)
XLSX_MAX_ROWS = 1_048_575  # one sheet's rows, less the header
XLSX_MAX_CELL = 32_767  # characters in one cell
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")


def output_format(out: str, given: str | None) -> str:
    """The format of the file `out`: its extension's, unless `given` (--format) names one. A name whose
    extension says another format, or no known format at all, is refused rather than guessed."""
    if out.endswith(("/", "\\")):
        raise ConfigError(f"--out {out} names a folder", f"Give --out a file name, e.g. {out}rows.csv")
    suffix = Path(out).suffix.lower()
    implied = EXTENSIONS.get(suffix)
    if given and implied and given != implied:
        raise ConfigError(f"--out {out} ends in {suffix} but --format is {given}",
                          f"Drop --format (the extension decides), or name the file .{given}")
    if implied or given:
        return implied or given
    raise ConfigError(f"cannot tell the output format from the name {out}",
                      "End --out in .csv, .tsv, .jsonl (JSON Lines), .parquet, .xlsx or .hf (a Hugging Face dataset "
                      "folder), or pass --format")


def check_format_options(fmt: str, rows: int, spreadsheet_safe: bool, raw_export: bool) -> None:
    if spreadsheet_safe and raw_export:
        raise ConfigError("--raw-export and --spreadsheet-safe contradict each other",
                          "Drop --raw-export: rows are written exactly as made unless --spreadsheet-safe is given")
    if spreadsheet_safe and fmt not in ("csv", "tsv"):
        raise ConfigError(f"--spreadsheet-safe applies to CSV and TSV, not {fmt}",
                          "Drop it (.xlsx cells are always text), or write .csv")
    if fmt == "xlsx" and rows > XLSX_MAX_ROWS:
        raise ConfigError(f"{rows:,} rows do not fit one spreadsheet sheet ({XLSX_MAX_ROWS:,} at most)",
                          "Write .csv, .jsonl or .parquet instead")
    if fmt == "hf":
        require_datasets()  # before the run, not after it


def require_datasets() -> None:
    """The hf format needs the `datasets` library (the hf-datasets extra); found without importing it."""
    if importlib.util.find_spec("datasets") is None:
        raise ConfigError("writing a Hugging Face dataset (--format hf) needs the datasets library",
                          "Install it with: pip install 'syngen[hf-datasets]', or choose csv, jsonl or parquet")


def is_saved_dataset(path: Path) -> bool:
    """A folder Dataset.save_to_disk wrote (the only folders an output may replace)."""
    return path.is_dir() and not path.is_symlink() and all(
        (path / name).is_file() for name in ("state.json", "dataset_info.json"))


def read_hf_dataset(folder: Path) -> pd.DataFrame:
    """The rows of a dataset folder --format hf wrote (syngen evaluate reads it like a file)."""
    require_datasets()
    from datasets import load_from_disk

    return load_from_disk(str(folder)).to_pandas()


def write_hf_dataset(frame: pd.DataFrame, folder: Path) -> None:
    """The rows as a `datasets.Dataset` saved to `folder`, every column a string as generated."""
    require_datasets()
    from datasets import Dataset, Features, Value

    features = Features({str(name): Value("string") for name in frame.columns})
    table = frame.astype(object).map(lambda value: None if _missing(value) else str(value))
    Dataset.from_pandas(table, features=features, preserve_index=False).save_to_disk(str(folder))


def is_formula_like(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(_FORMULA_START) and not _PLAIN_NUMBER.match(value)


def count_formula_like(frame: pd.DataFrame) -> int:
    """Cells a spreadsheet would run as a formula if it opened them from a CSV."""
    return int(frame.map(is_formula_like).to_numpy().sum()) if len(frame) else 0


def neutralise_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """Prefix a quote to cells a spreadsheet would run as a formula (OWASP CSV injection); numbers stay."""
    return frame.map(lambda value: "'" + value if is_formula_like(value) else value)


def write_xlsx(frame: pd.DataFrame, path: Path) -> None:
    """One sheet, every cell (header included) a text cell: nothing a spreadsheet could evaluate."""
    _check_fits_a_sheet(frame)
    try:
        import xlsxwriter
    except ImportError as exc:
        raise ConfigError("writing .xlsx needs xlsxwriter", "Install it with: pip install 'syngen[xlsx]'") from exc
    options = {"constant_memory": True, "strings_to_numbers": False, "strings_to_formulas": False,
               "strings_to_urls": False}
    with xlsxwriter.Workbook(str(path), options) as book:
        sheet = book.add_worksheet("rows")
        for column, name in enumerate(frame.columns):
            sheet.write_string(0, column, str(name))
        for row, values in enumerate(frame.itertuples(index=False, name=None), start=1):
            for column, value in enumerate(values):
                if not _blank(value):
                    sheet.write_string(row, column, str(value))


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and pd.isna(value))


def _blank(value: Any) -> bool:
    return value is None or value == "" or (isinstance(value, float) and pd.isna(value))


def _check_fits_a_sheet(frame: pd.DataFrame) -> None:
    if len(frame) > XLSX_MAX_ROWS:
        raise OutputError(f"{len(frame):,} rows do not fit one spreadsheet sheet ({XLSX_MAX_ROWS:,} at most)",
                          "Write .csv, .jsonl or .parquet instead")
    longest = frame.map(lambda v: len(v) if isinstance(v, str) else 0).to_numpy().max() if frame.size else 0
    if longest > XLSX_MAX_CELL:
        raise OutputError(f"a cell of {longest:,} characters does not fit a spreadsheet cell "
                          f"({XLSX_MAX_CELL:,} at most)", "Write .csv, .jsonl or .parquet instead")
