"""Find the table in a free-text answer: markdown tables, CSV/TSV with or without a header, numbered or
bulleted lines, labelled fields ("Rating: 5, Title: ..."), around any preamble or commentary.

Helper of `syngen.parsing.answers`; mapping records onto columns and the repairs live in
`syngen.parsing.records`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from syngen.parsing.records import Record, build_rows, clean_value, match_names, norm_name

LIST_MARKER = re.compile(r"^\s*(?:\d{1,3}[.)]|[-*\u2022+])\s+")
_LABEL = re.compile(r"\s*[*_`]*([A-Za-z][\w .-]{0,40}?)[*_`]*\s*:[*_`]*\s*(.*)", re.S)
_RULE_CELL = re.compile(r"\s*:?-{3,}:?\s*")
_FENCE = re.compile(r"\s*(```|~~~)")
DELIMITERS = (",", "\t", ";")
MAX_JOINED_LINES = 5  # a quoted field may span lines, but an unclosed quote must not swallow the answer


@dataclass
class TableResult:
    rows: list[dict[str, str]] = field(default_factory=list)
    unusable: int = 0
    format: str = "csv"
    notes: list[str] = field(default_factory=list)


def parse_table(text: str, columns: Sequence[str],
                text_columns: Sequence[str] | None = None) -> TableResult | None:
    """Rows from the delimited lines of `text`, or None when no line looks like data."""
    lines = text.split("\n")
    if _is_markdown(lines):
        return map_records(_markdown_records(lines), columns, text_columns, "|", "markdown")
    delim = _sniff_delimiter(lines, len(columns))
    result = map_records(_csv_records(lines, delim), columns, text_columns, delim, "csv")
    if result is not None and delim != ",":
        result.notes.insert(0, f"fields separated by {delim!r}")
    return result


def parse_labelled(text: str, columns: Sequence[str]) -> TableResult | None:
    """Rows written as labelled fields, one record per line ("1. Rating: 5, Title: Great, ...") or one
    field per line in blocks. A field repeating, a blank line or an unlabelled line ends a record."""
    records: list[dict[str, str]] = []
    current: dict[str, str] = {}
    for line in text.split("\n"):
        fields = _labelled_fields(strip_marker(line)[0], columns)
        if not fields or any(column in current for column, _ in fields):
            records.append(current)
            current = {}
        current.update(fields)
    records = [r for r in records + [current] if r]
    least = min(2, len(columns))
    rows = [{c: record.get(c, "") for c in columns} for record in records if len(record) >= least]
    if not rows:
        return None
    ignored = len(records) - len(rows)
    notes = [f"{ignored} labelled line(s) with a single field ignored"] if ignored else []
    return TableResult(rows, 0, "labelled", notes)


def _labelled_fields(line: str, columns: Sequence[str]) -> list[tuple[str, str]]:
    """(column, value) pairs of a line of `Name: value` pieces; an unlabelled piece after a labelled
    one is the rest of its value (a comma in prose)."""
    fields: list[tuple[str, str]] = []
    for piece in line.split(","):
        match = _LABEL.fullmatch(piece)
        column = match_names([match.group(1)], columns)[0] if match else None
        if column is not None and column not in dict(fields):
            fields.append((column, match.group(2)))
        elif fields:
            fields[-1] = (fields[-1][0], f"{fields[-1][1]},{piece}")
        else:
            return []
    return [(column, clean_value(value)) for column, value in fields]


def map_records(records: list[Record], columns: Sequence[str], text_columns: Sequence[str] | None,
                joiner: str, kind: str) -> TableResult | None:
    """Find the header among `records` (else read fields in column order) and map the data after it."""
    notes: list[str] = []
    start, mapping = _find_header(records, columns)
    if mapping is None:
        mapping, body = list(columns), records
        notes.append("no header row; fields read in column order")
    else:
        body = records[start + 1:]
        notes += _header_notes(records[start].values, mapping, columns)
    data = [r for r in body if match_header(r.values, columns) is None]
    if len(data) < len(body):
        notes.append(f"skipped {len(body) - len(data)} repeated header line(s)")
    data = _data_like(data, len(mapping), strict=kind == "csv")
    if not data:
        return None
    mapped = build_rows(data, mapping, columns, text_columns, joiner)
    if kind == "csv" and sum(r.marked for r in data) * 2 > len(data):
        kind = "numbered"
    return TableResult(mapped.rows, mapped.unusable, kind, notes + mapped.notes)


def match_header(values: list[str], columns: Sequence[str]) -> list[str | None] | None:
    """The column mapping if `values` read as a header row: most names match a column."""
    if not values or len(values) > 3 * len(columns) + 10:
        return None
    mapping = match_names(values, columns)
    hits = sum(m is not None for m in mapping)
    return mapping if hits >= min(2, len(columns)) and hits * 5 >= len(values) * 3 else None


def split_fields(line: str, delim: str) -> tuple[list[tuple[str, str]], bool]:
    """Split one CSV record into (value, raw) pairs, and say whether it ends inside an open quote.

    As in Python's csv module, doubled quotes unescape and a quote inside an unquoted field is literal;
    unlike it, spaces may precede an opening quote (`a, "b, c"`, as models write), and raw keeps the
    exact source so that a comma split out of prose can be put back.
    """
    fields: list[tuple[str, str]] = []
    start = 0
    while True:
        value, end, is_open = _read_field(line, start, delim)
        fields.append((value, line[start:end]))
        if end >= len(line):
            return fields, is_open
        start = end + len(delim)


def _read_field(line: str, start: int, delim: str) -> tuple[str, int, bool]:
    j = start
    while j < len(line) and line[j] == " ":
        j += 1
    if j < len(line) and line[j] == '"':
        value, j, closed = _read_quoted(line, j + 1)
        end = _find(line, delim, j)
        return value + line[j:end], end, not closed
    end = _find(line, delim, start)
    return line[start:end], end, False


def _read_quoted(line: str, i: int) -> tuple[str, int, bool]:
    parts = []
    while True:
        k = line.find('"', i)
        if k < 0:
            parts.append(line[i:])
            return "".join(parts), len(line), False
        parts.append(line[i:k])
        if line.startswith('"', k + 1):
            parts.append('"')
            i = k + 2
            continue
        return "".join(parts), k + 1, True


def _find(line: str, delim: str, start: int) -> int:
    k = line.find(delim, start)
    return len(line) if k < 0 else k


def split_markdown(line: str) -> list[str]:
    body = line.strip()
    body = body[1:] if body.startswith("|") else body
    body = body[:-1] if body.endswith("|") and not body.endswith("\\|") else body
    return [cell.replace("\\|", "|") for cell in re.split(r"(?<!\\)\|", body)]


def strip_marker(line: str) -> tuple[str, bool]:
    match = LIST_MARKER.match(line)
    return (line[match.end():], True) if match else (line, False)


def _is_rule(line: str) -> bool:
    cells = split_markdown(line) if "|" in line else []
    return bool(cells) and all(_RULE_CELL.fullmatch(c) or not c.strip() for c in cells) and "-" in line


def _is_markdown(lines: list[str]) -> bool:
    piped = sum(strip_marker(line)[0].lstrip().startswith("|") for line in lines)
    return piped >= 2 or any(_is_rule(line) for line in lines)


def _markdown_records(lines: list[str]) -> list[Record]:
    records = []
    for number, line in enumerate(lines, 1):
        content, marked = strip_marker(line)
        if "|" not in content or _is_rule(content):
            continue
        cells = split_markdown(content)
        records.append(Record([clean_value(c) for c in cells], cells, number, marked))
    return records


def _csv_records(lines: list[str], delim: str) -> list[Record]:
    records = []
    for number, line in _logical_lines(lines, delim):
        content, marked = strip_marker(line)
        if not content.strip() or _FENCE.match(content):
            continue
        fields = split_fields(content, delim)[0]
        if len(fields) == 1 and delim in fields[0][0]:  # the whole row was quoted as one string
            fields = split_fields(fields[0][0], delim)[0]
        values = [clean_value(value) for value, _ in fields]
        records.append(Record(values, [raw for _, raw in fields], number, marked))
    return records


def _logical_lines(lines: list[str], delim: str) -> Iterator[tuple[int, str]]:
    """Lines joined where a quoted field continues on the next line."""
    i = 0
    while i < len(lines):
        buffer, j = lines[i], i
        while split_fields(buffer, delim)[1] and j + 1 < len(lines) and j - i < MAX_JOINED_LINES:
            j += 1
            buffer += "\n" + lines[j]
        if split_fields(buffer, delim)[1]:  # never closed: a stray quote, read the line alone
            buffer, j = lines[i], i
        yield i + 1, buffer
        i = j + 1


def _sniff_delimiter(lines: list[str], width: int) -> str:
    """The delimiter that splits the most lines into about as many fields as there are columns."""
    def score(delim: str) -> int:
        counts = [len(split_fields(line, delim)[0]) for line in lines if delim in line]
        return sum(2 * (c == width) + (c >= max(2, (width + 1) // 2)) for c in counts)
    return max(DELIMITERS, key=score)  # max keeps the first (comma) on a tie


def _find_header(records: list[Record], columns: Sequence[str]) -> tuple[int, list[str | None] | None]:
    for index, record in enumerate(records):
        mapping = match_header(record.values, columns)
        if mapping is not None:
            return index, mapping
    return -1, None


def _data_like(records: list[Record], width: int, strict: bool) -> list[Record]:
    """Drop preamble and commentary: CSV lines with too few fields to be a row, and unnumbered lines
    around a numbered list. Markdown rows are always data (a pipe-delimited line is not prose)."""
    least = max(2, (width + 1) // 2) if strict and width > 1 else 1
    data = [r for r in records if len(r.values) >= least]
    if sum(r.marked for r in data) >= 2:
        data = [r for r in data if r.marked]
    return data


def _header_notes(names: list[str], mapping: list[str | None], columns: Sequence[str]) -> list[str]:
    notes = []
    for name, column in zip(names, mapping, strict=True):
        if column is None:
            notes.append(f"header {name!r} matches no column; its values are dropped")
        elif norm_name(name) != norm_name(column):
            notes.append(f"header {name!r} read as column {column!r}")
    missing = [c for c in columns if c not in mapping]
    if missing:
        notes.append(f"columns not in the answer, left empty: {', '.join(missing)}")
    return notes
