"""Load any delimited text table into a DataFrame of strings.

Values stay exactly as written (no type guessing, no NA conversion): profiling decides what a column
is, and generated rows are compared with real ones byte for byte.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import re
import statistics
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from syngen.errors import DataError

DEFAULT_MAX_ROWS = 100_000
DEFAULT_MAX_BYTES = 256 * 1024 * 1024  # beyond this only the head of the file is read
_CANDIDATE_DELIMITERS = ",\t;|"
_SNIFF_BYTES = 64 * 1024
WINDOWS_WESTERN = "cp1252"
HEADER_SAMPLE = 500  # records after the first read to judge whether the first is a header
NUMERIC_SHARE = 0.9  # a column of numbers: at least this share of its values read as numbers
CATEGORIES = 20  # a column of at most this many distinct values (or 1 in 20), each twice on average, is a category
TEXT_WORDS, TEXT_LENGTH = 4, 20  # a first cell of this many words, in a column of texts at least this long (median)
_DIGIT = re.compile(r"\d")
_BACKSLASHED = re.compile(r'\\(["\\])')
CHAOS_SLACK = 0.02  # mess (share of odd characters) within which the likelier language wins
# How exports write a missing value (pandas' read_csv defaults, which R, Excel and SQL dumps share): the list is
# pandas', but pandas reads them only to NaN, and SynGen must write each back as its column wrote it.
MISSING_MARKERS = frozenset({"#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN",
                             "<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null",
                             "\\N"})  # and MySQL's and Hive's
# A free-text column's stand-in for a text left out (`stand_in`): a tenth of the rows or more, three times the next
# value's count, in a column of at least 50 rows whose other texts are at least 60% distinct.
STAND_IN_ROWS, STAND_IN_SHARE, STAND_IN_LEAD, STAND_IN_DISTINCT = 50, 0.10, 3, 0.6
PADDED_VALUES, PADDED_SHARE = 20, 0.99  # values that open or close with spaces: at least 20, 99% of them alike


@dataclass
class Table:
    """A real table as read from disk, every cell a string."""

    frame: pd.DataFrame
    source: str
    encoding: str
    delimiter: str
    truncated: bool = False
    notes: list[str] = field(default_factory=list)
    missing: dict[str, str] = field(default_factory=dict)  # column -> the marker its missing cells are written as
    padding: dict[str, tuple[str, str]] = field(default_factory=dict)  # column -> spaces every value opens, closes with
    header: bool = True  # False: the file's first row is data; columns are column_1..N and outputs have no header
    blank_names: frozenset[str] = frozenset()  # columns named column_N for a blank header cell, written blank again
    line_end: str = "\n"  # "\r\n" where the file's first line ends so (a Windows export): outputs end lines alike

    def as_read(self, frame: pd.DataFrame) -> pd.DataFrame:
        """`frame` (rows of this table's columns, as written) with each column's missing-value marker read as an
        empty cell, as this table's own rows were: generated rows are scored by their real table's markers."""
        return _replaced(frame, self.missing, lambda values, marker: (values == marker, ""))

    def written(self, frame: pd.DataFrame) -> pd.DataFrame:
        """`frame` (rows of this table's columns) with each empty cell of a column that writes its missing cells
        as a marker ("NA") written so again, and each value of a column whose real values all open or close with
        a space written so too."""
        frame = _padded(frame, self.padding)
        return _replaced(frame, self.missing, lambda values, marker: (values.isna() | (values == ""), marker))

    def header_row(self, columns: list[str]) -> bool | list[str]:
        """The header a CSV or TSV of `columns` is written with, as this table's was: none (False), the names
        (True), or the names with each column a blank header cell named written blank again (`v1,v2,,,`)."""
        if not self.header or not self.blank_names & set(columns):
            return self.header
        return ["" if str(name) in self.blank_names else str(name) for name in columns]

    @property
    def columns(self) -> list[str]:
        return list(self.frame.columns)


def _padded(frame: pd.DataFrame, padding: dict[str, tuple[str, str]]) -> pd.DataFrame:
    columns = [name for name in padding if name in frame.columns]
    if not columns:
        return frame
    frame = frame.copy()
    for name in columns:
        lead, trail = padding[name]
        values = frame[name]
        filled = values.notna() & (values.astype(str).str.strip() != "")
        frame[name] = values.mask(filled, lead + values.astype(str).str.strip() + trail)
    return frame


def _replaced(frame: pd.DataFrame, markers: dict[str, str],
              where: Callable[[pd.Series, str], tuple[pd.Series, str]]) -> pd.DataFrame:
    """`frame` with, in each column of `markers`, the cells `where` picks (given the column and its marker) set to
    the value it gives; `frame` itself when no column has a marker."""
    if not markers:
        return frame
    frame = frame.copy()
    for name, marker in markers.items():
        if name in frame.columns:
            cells, value = where(frame[name], marker)
            frame[name] = frame[name].mask(cells, value)
    return frame


def load_table(path: str | Path, max_rows: int = DEFAULT_MAX_ROWS, max_bytes: int = DEFAULT_MAX_BYTES) -> Table:
    """Read a CSV/TSV file, sniffing its encoding and delimiter. Raises DataError with a fix."""
    path = Path(path)
    if not path.exists():
        raise DataError(f"{path} does not exist", "Check the path, or pass --data with an existing CSV file")
    if path.is_dir():
        raise DataError(f"{path} is a folder, not a file", "Pass the path of a CSV or TSV file")
    try:
        with path.open("rb") as handle:
            raw = handle.read(max_bytes + 1)
    except OSError as exc:
        raise DataError(f"cannot read {path}: {exc.strerror}", "Check the file's permissions") from exc
    if len(raw) <= max_bytes:
        return read_table_bytes(raw, source=str(path), max_rows=max_rows)
    table = _read_head(raw[:max_bytes], str(path), max_rows)
    table.truncated = True
    table.notes.append(f"the file is larger than {max_bytes // 2**20} MiB: only its first {len(table.frame):,} rows "
                       "were read (the profiling limit)")
    return table


def _read_head(raw: bytes, source: str, max_rows: int) -> Table:
    """Parse the head of a huge file, dropping the record the byte limit cut through."""
    for _ in range(50):
        raw = raw[: raw.rfind(b"\n") + 1] if b"\n" in raw else raw
        try:
            return read_table_bytes(raw, source=source, max_rows=max_rows)
        except DataError:
            # The cut may fall inside a quoted field spanning lines: step back one more line.
            raw = raw[:-1]
    raise DataError(f"the start of {source} is not a well-formed table", "Check the file is a CSV or TSV")


def read_table_bytes(raw: bytes, source: str = "<upload>", max_rows: int = DEFAULT_MAX_ROWS,
                     markers: bool = True, header: bool | None = None) -> Table:
    """Parse the bytes of a delimited table (used for files and for uploads in the app). `markers`: read a
    column's missing-value marker as empty cells (False for generated rows, read by their real table's markers).
    `header`: whether the first row names the columns; None finds out (`first_row_is_data`)."""
    text, encoding = _decode(raw, source)
    if not text.strip():
        raise DataError(f"{source} is empty", "Give a CSV file with a header row and at least one data row")
    if _looks_like_json(text):
        raise DataError(f"{source} holds JSON, not a delimited table",
                        "Export it as CSV (e.g. pandas.read_json(path, lines=True, dtype=str).to_csv(out, index=False))"
                        " and pass that file")
    delimiter = _sniff_delimiter(text)
    text = _quotes_doubled(text, delimiter)
    if header is None:
        header = not first_row_is_data(text, delimiter)
    frame = _parse(text, delimiter, source, max_rows, header)
    table = Table(frame=frame, source=source, encoding=encoding, delimiter=delimiter, header=header,
                  line_end="\r\n" if text.split("\n", 1)[0].endswith("\r") else "\n")
    if not header:
        table.notes.append(f"the first row holds data, not column names ({_first_cells(frame)}): the columns are "
                           f"called column_1 to column_{frame.shape[1]}, and the output has no header row either")
    for position, name in _name_blank_columns(frame, text, delimiter):
        table.notes.append(f"column {position} has no name in the header: it is called '{name}' (a CSV or TSV "
                           "output writes it blank again)")
        table.blank_names |= {name}
    table.missing = read_missing_markers(frame) if markers else {}
    for name, marker in table.missing.items():
        share = (frame[name] == "").mean()
        if marker in MISSING_MARKERS:
            table.notes.append(f"'{name}': '{marker}' marks a missing value ({share:.0%} of rows): read as an empty "
                               f"cell and written as '{marker}'")
        else:
            table.notes.append(f"'{name}': '{marker}' stands for a text left out ({share:.0%} of rows): planned like "
                               f"an empty cell, in its real share, and written as '{marker}', never by the model")
    table.padding = read_padding(frame) if markers else {}
    if table.padding:
        names = ", ".join(f"'{name}'" for name in list(table.padding)[:5]) + (", ..." if len(table.padding) > 5 else "")
        table.notes.append(f"every value of {names} opens or closes with a space: generated values are written so "
                           "too")
    if encoding not in ("utf-8", "utf-8-sig", "ascii"):
        table.notes.append(f"read as {encoding} (not UTF-8)")
    if len(frame) >= max_rows:
        table.truncated = True
        table.notes.append(f"only the first {max_rows:,} rows were read (the profiling limit)")
    return table


def _looks_like_json(text: str) -> bool:
    """JSON lines, or a JSON array of records: a header starting with "{" or "[" that is not JSON is read as CSV."""
    first = text.lstrip().split("\n", 1)[0].strip()
    if first in ("[", "[{") or first.startswith("[{"):
        return True
    try:
        return first.startswith("{") and isinstance(json.loads(first), dict)
    except ValueError:
        return False


def read_missing_markers(frame: pd.DataFrame) -> dict[str, str]:
    """Per column that writes its missing cells as one marker and leaves none empty ("NA", "N/A", "null"): that
    marker, whose cells are now empty, so the column is profiled by its values (a price column with "NA" in a
    fifth of its rows was read as 235 categories, dates with "N/A" as digit shapes) and its missing share kept."""
    found = {}
    for name in frame.columns:
        values = frame[name]
        if (values == "").any():
            continue
        markers = values[values.isin(MISSING_MARKERS)]
        marker = markers.value_counts().index[0] if not markers.empty else stand_in(values)
        if marker is not None:
            found[name] = marker
    for name, values in _replaced(frame[list(found)], found, lambda values, marker: (values == marker, "")).items():
        frame[name] = values
    return found


def read_padding(frame: pd.DataFrame) -> dict[str, tuple[str, str]]:
    """Per column whose values (nearly) all open or close with the same spaces (the hotel-review corpus writes
    " Nothing to complain about "; an export with ", " between fields opens every value so): those spaces. A
    generated text is tidied of them, so they are written back; a column of few values says nothing."""
    found = {}
    for name in frame.columns:
        cells = frame[name][frame[name].str.strip() != ""]
        if len(cells) < PADDED_VALUES:
            continue
        ends = tuple(_shared_space(cells.str.extract(pattern)[0]) for pattern in (r"^(\s*)", r"(\s*)$"))
        if any(ends):
            found[name] = ends
    return found


def _shared_space(spaces: pd.Series) -> str:
    top = spaces.mode().iloc[0]
    return top if top and (spaces == top).mean() >= PADDED_SHARE else ""


def stand_in(values: pd.Series) -> str | None:
    """The short text that a column of free texts holds where a text was left out: one value far commoner than any
    other, over texts nearly all distinct. Booking.com writes "No Negative" for an empty complaint (23% of a
    hotel table's rows) and Amazon titles an untitled 5-star review "Five Stars" (12% of the supplements'); the
    model, writing each text, made such a row now and then, not in its real share. None: no such value."""
    counts = values.value_counts()
    if len(values) < STAND_IN_ROWS or len(counts) < 3:
        return None
    top, second = int(counts.iloc[0]), int(counts.iloc[1])
    value, rest = str(counts.index[0]), values[values != counts.index[0]]
    common = top >= STAND_IN_SHARE * len(values) and top >= STAND_IN_LEAD * second
    short = len(value.split()) <= 3 and len(value) <= 30 and any(ch.isalpha() for ch in value)
    free_text = rest.nunique() >= STAND_IN_DISTINCT * len(rest) and rest.str.split().str.len().median() >= 2
    return value if common and short and free_text else None


def headerless_names(count: int) -> list[str]:
    """The names of a table without a header row, as a blank header cell is named."""
    return [f"column_{index + 1}" for index in range(count)]


def first_row_is_data(text: str, delimiter: str) -> bool:
    """Whether the first row is a record, not column names (the SMS spam collection starts "ham<TAB>Go until
    jurong point..."): some cell of it reads as a value of its column and none as a name. csv.Sniffer's has_header
    votes only on columns of numbers or of fixed width, so it calls a table of words headerless."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    records = [record for record in itertools.islice(reader, HEADER_SAMPLE + 1) if any(c.strip() for c in record)]
    if len(records) < 3:
        return False
    first = [cell.strip() for cell in records[0]]
    if _counts_up([cell for cell in first if _is_number(cell)]):
        return False  # years or positions naming columns: 1960, 1961, 1962 ...
    body = [record for record in records[1:] if [c.strip() for c in record] != first]  # a header repeated below
    verdicts = [_first_cell_reads_as(cell, [r[i].strip() for r in body if i < len(r) and r[i].strip()])
                for i, cell in enumerate(first) if cell]
    return "value" in verdicts and "name" not in verdicts


def _first_cell_reads_as(cell: str, values: list[str]) -> str:
    """"value" (one of its column's values, a number among numbers, a code among codes, a text among long
    texts), "name" (a word over numbers, codes, a few categories or long texts: "rating", "id", "label", "text")
    or "either" (a short phrase over titles or names)."""
    if not values:
        return "either"
    distinct = set(values)
    if cell in distinct:
        return "value"
    if _share(_is_number, values) >= NUMERIC_SHARE:
        return "value" if _is_number(cell) else "name"
    if _share(_DIGIT.search, values) >= NUMERIC_SHARE:
        return "value" if _DIGIT.search(cell) else "name"
    if len(distinct) <= min(max(CATEGORIES, len(values) // 20), len(values) // 2):
        return "name"
    median = statistics.median(len(v) for v in values)
    words = len(cell.split())
    if median >= TEXT_LENGTH and words >= TEXT_WORDS:
        return "value"
    return "name" if median >= 2 * TEXT_LENGTH and words < 3 else "either"


def _share(test: Callable[[str], object], values: list[str]) -> float:
    return sum(bool(test(v)) for v in values) / len(values)


def _counts_up(cells: list[str]) -> bool:
    numbers = [float(cell.replace(",", "")) for cell in cells]
    steps = {b - a for a, b in itertools.pairwise(numbers)}
    return len(numbers) >= 3 and len(steps) == 1 and steps.pop() > 0


def _is_number(cell: str) -> bool:
    try:
        float(cell.replace(",", ""))
    except ValueError:
        return False
    return True


def _first_cells(frame: pd.DataFrame) -> str:
    cells = [str(v) for v in frame.iloc[0].tolist()[:2]]
    return ", ".join(f"'{c[:30]}{'...' if len(c) > 30 else ''}'" for c in cells)


def _name_blank_columns(frame: pd.DataFrame, text: str, delimiter: str) -> list[tuple[int, str]]:
    """A blank header cell is named `column_N` (N its 1-based position) instead of pandas' `Unnamed: 0`,
    which reads like a value and would be written into the output as a header."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = next((record for record in reader if record), [])
    names = [str(c) for c in frame.columns]
    renamed = []
    for index, name in enumerate(names):
        if index < len(header) and not header[index].strip() and name.startswith("Unnamed: "):
            new = f"column_{index + 1}"
            while new in names:
                new += "_"
            names[index] = new
            renamed.append((index + 1, new))
    frame.columns = names
    return renamed


def _decode(raw: bytes, source: str) -> tuple[str, str]:
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise DataError(f"{source} has a UTF-16 mark but is not valid UTF-16", "Re-save it as UTF-8") from exc
    if b"\x00" in raw[:_SNIFF_BYTES]:
        return _utf16_without_mark(raw, source)
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    detected = _detect_encoding(raw)
    if detected is None:
        raise DataError(f"{source} is not text in any encoding SynGen can recognise", "Re-save it as UTF-8")
    return detected


def _utf16_without_mark(raw: bytes, source: str) -> tuple[str, str]:
    """NUL bytes mean binary, unless the bytes are UTF-16 (or UTF-32) without a mark: text with lines."""
    detected = _detect_encoding(raw)
    if detected is None or not detected[1].startswith("utf_") or "\n" not in detected[0]:
        raise DataError(
            f"{source} looks like a binary file, not a text table",
            "Export the data as CSV (comma- or tab-separated text) and pass that file",
        )
    return detected


def _detect_encoding(raw: bytes) -> tuple[str, str] | None:
    """The text and the encoding charset-normalizer finds most plausible: of the readings nearly as clean as its
    first (CHAOS_SLACK), the one that reads most like a language. By mess alone a French cp1252 export came out as
    mac_latin2 or iso8859_10 ("Trčs", "dťÁu", "Prix (Ä)"), a little cleaner but less French. Single-byte Latin
    encodings often tie (cp1250 and cp1252 read "café" alike); a tie goes to cp1252, what Windows spreadsheets
    export."""
    from charset_normalizer import from_bytes

    matches = list(from_bytes(raw))
    if not matches:
        return None
    near = [m for m in matches if m.chaos <= matches[0].chaos + CHAOS_SLACK]
    coherence = max(m.coherence for m in near)
    tied = [m for m in near if m.coherence == coherence]
    if any(WINDOWS_WESTERN in m.could_be_from_charset for m in tied):
        return raw.decode(WINDOWS_WESTERN), WINDOWS_WESTERN
    return str(tied[0]), tied[0].encoding


def _quotes_doubled(text: str, delimiter: str) -> str:
    r"""`text` with quotes escaped by a backslash inside quoted fields (MySQL's `\"`, and `\\` for a backslash)
    written as RFC 4180 doubles them, where the file escapes so: reading `\"` as a backslash and a closing quote
    split its record at the next comma ("She said \"wow\", then"). Other escapes (`\N`, MySQL's NULL) stay."""
    if '\\"' not in text or _doubles_quotes(text, delimiter):
        return text  # a file that doubles its quotes holds `\"` as text (JSON in a cell: `""a \""b\"" ""`)
    sample = text[: 4 * _SNIFF_BYTES]
    doubled = _BACKSLASHED.sub(_doubled, sample)
    if _consistency(doubled, delimiter) < _consistency(sample, delimiter):
        return text
    return _BACKSLASHED.sub(_doubled, text)


def _doubles_quotes(text: str, delimiter: str) -> bool:
    """Whether a doubled quote stands inside a field anywhere (`""` that is not an empty field)."""
    empty = re.compile(rf'(?:^|(?<=[{re.escape(delimiter)}\n]))""(?=[{re.escape(delimiter)}\r\n]|$)', re.M)
    return text.count('""') > len(empty.findall(text))


def _doubled(match: re.Match) -> str:
    return '""' if match.group(1) == '"' else "\\"


def _sniff_delimiter(text: str) -> str:
    """The candidate delimiter that splits the most records into as many fields as the header (csv.Sniffer's
    guess breaks ties). The Sniffer alone reads `'a','b'` inside a quoted text as comma-quoting and picks ","
    for a ;-delimited file, whose header then has a single field."""
    sample = text[:_SNIFF_BYTES]
    try:
        sniffed = csv.Sniffer().sniff(sample, delimiters=_CANDIDATE_DELIMITERS).delimiter
    except csv.Error:
        sniffed = ","
    scores = {d: _consistency(sample, d) for d in _CANDIDATE_DELIMITERS}
    best = max(scores, key=lambda d: (scores[d], d == sniffed))
    return best if scores[best] > (0.0, 1) else sniffed


def _consistency(sample: str, delimiter: str) -> tuple[float, int]:
    """(share of records with the header's field count, header fields), over the sample's whole records."""
    lines = sample.splitlines(keepends=True)
    complete = "".join(lines[:-1]) if len(lines) > 1 and not sample.endswith("\n") else sample
    try:
        records = list(csv.reader(io.StringIO(complete, newline=""), delimiter=delimiter))
    except csv.Error:
        return 0.0, 0
    records = [r for r in records if r]
    if len(records) < 2 or len(records[0]) < 2:
        return 0.0, len(records[0]) if records else 0
    body = records[1:201]
    return sum(len(r) == len(records[0]) for r in body) / len(body), len(records[0])


def _check_field_counts(text: str, delimiter: str, source: str, max_rows: int) -> int:
    """Rows with more fields than the header are ambiguous (which value belongs where?): refuse them with
    the line number. Rows with fewer fields are padded with empty values. Returns the header's field count."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return _count_fields(reader, source, max_rows)
    except csv.Error as exc:
        raise DataError(f"{source} is not a well-formed table ({exc})",
                        "Export it again as CSV with a header row") from exc


def _count_fields(reader, source: str, max_rows: int) -> int:
    header = next(reader, [])
    for number, record in enumerate(reader, start=2):
        if number > max_rows + 1:
            break
        if len(record) > len(header):
            raise DataError(
                f"{source} is not a well-formed table (record {number} has {len(record)} fields, "
                f"the header has {len(header)})",
                "Quote fields that contain the delimiter, or remove the extra fields",
            )
    return len(header)


def _parse(text: str, delimiter: str, source: str, max_rows: int, header: bool = True) -> pd.DataFrame:
    width = _check_field_counts(text, delimiter, source, max_rows)
    names = None if header else headerless_names(width)
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            sep=delimiter,
            dtype=str,
            keep_default_na=False,
            na_filter=False,
            nrows=max_rows,
            skip_blank_lines=True,
            index_col=False,
            header=0 if header else None,
            names=names,
        )
    except pd.errors.EmptyDataError as exc:
        raise DataError(f"{source} has no header row", "Give a CSV file with a header row") from exc
    except pd.errors.ParserError as exc:
        detail = str(exc).split("\n")[0]
        raise DataError(
            f"{source} is not a well-formed table ({detail})",
            "Make every row have as many fields as the header, and quote fields that contain the delimiter",
        ) from exc
    _check_columns(frame, source)
    return frame


def _check_columns(frame: pd.DataFrame, source: str) -> None:
    names = [str(c) for c in frame.columns]
    mangled = [n for n in names if "." in n and n.rsplit(".", 1)[0] in names and n.rsplit(".", 1)[1].isdigit()]
    if mangled:
        originals = sorted({n.rsplit(".", 1)[0] for n in mangled})
        raise DataError(
            f"{source} has duplicate column names: {', '.join(originals)}",
            "Rename the columns so that each name appears once",
        )
    unnamed = [n for n in names if n.startswith("Unnamed: ")]
    if unnamed and len(unnamed) == len(names):
        raise DataError(f"{source} has no column names", "Add a header row naming each column")
    if frame.empty:
        raise DataError(f"{source} has a header but no data rows", "Add at least a few real rows to learn from")
