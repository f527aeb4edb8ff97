"""Output formats: which one a file name asks for, and the spreadsheet export.

CSV, JSONL and Parquet hold exactly the generated values. A cell that begins like a spreadsheet formula
(`=1+1`, `@SUM(..)`) is then run by a spreadsheet that opens the CSV (OWASP "CSV injection"), so the
safe ways to open rows in a spreadsheet are the `.xlsx` export, where every cell is written as text, and
the opt-in `--spreadsheet-safe` CSV, where such cells get a `'` prefix (and so differ from what was made).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pandas as pd

from syngen.errors import ConfigError, OutputError

EXTENSIONS = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".parquet": "parquet", ".xlsx": "xlsx"}
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
                      "End --out in .csv, .jsonl (JSON Lines), .parquet or .xlsx, or pass --format")


def check_format_options(fmt: str, rows: int, spreadsheet_safe: bool, raw_export: bool) -> None:
    if spreadsheet_safe and raw_export:
        raise ConfigError("--raw-export and --spreadsheet-safe contradict each other",
                          "Drop --raw-export: rows are written exactly as made unless --spreadsheet-safe is given")
    if spreadsheet_safe and fmt != "csv":
        raise ConfigError(f"--spreadsheet-safe applies to CSV, not {fmt}",
                          "Drop it (.xlsx cells are always text), or write .csv")
    if fmt == "xlsx" and rows > XLSX_MAX_ROWS:
        raise ConfigError(f"{rows:,} rows do not fit one spreadsheet sheet ({XLSX_MAX_ROWS:,} at most)",
                          "Write .csv, .jsonl or .parquet instead")


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
