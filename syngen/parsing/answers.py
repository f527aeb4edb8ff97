"""Turn a language model's free-text answer into table rows.

Models without schema support answer in whatever shape they like: JSON (bare, in ``` fences, after a
chatty preamble, one object per line), CSV with or without a header, markdown tables, numbered lines.
The original study's raw outputs (shared/data/seed_outputs) are real examples of all of these.
`parse_answer` never raises: a generation loop counts what it got and asks again. `parse_json_object`
reads one schema-constrained answer and raises `ParseError` when there is nothing to read.
"""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from syngen.errors import ParseError
from syngen.parsing.records import Record, clean_value, match_names
from syngen.parsing.tables import map_records, parse_labelled, parse_table

__all__ = ["ParsedAnswer", "closed_fields", "open_field", "parse_answer", "parse_json_object"]

# Rows keep numbers exactly as the model wrote them ("5", "4.50"); parse_json_object returns real types.
# strict=False: small models (and llama.cpp's grammar) put raw newlines and tabs inside JSON strings.
_ROW_DECODER = json.JSONDecoder(parse_int=str, parse_float=str, strict=False)
_PLAIN_DECODER = json.JSONDecoder(strict=False)
_OPEN = re.compile(r"[\[{]")
_OBJECT_START = re.compile(r"""\s*["']?[\w -]+["']?\s*:""")
_TRAILING_COMMA = re.compile(r",\s*([}\]])")
# Bounds on adversarial text (real answers fail at a few dozen brackets at most): failed starts, and
# near-JSON repairs, which scan in Python.
_CLOSED_FIELD = re.compile(r'"((?:[^"\\]|\\.)*)"\s*:\s*"((?:[^"\\]|\\.)*)"')
_OPEN_FIELD = re.compile(r'"((?:[^"\\]|\\.)*)"\s*:\s*"((?:[^"\\]|\\.)*)\\?$')
MAX_FAILED_STARTS = 2000
MAX_LENIENT_TRIES = 50
MAX_LENIENT_CHARS = 20_000


@dataclass
class ParsedAnswer:
    """What one answer yielded. Every row has exactly the asked columns as keys; missing values are ""."""

    rows: list[dict[str, str]] = field(default_factory=list)
    unusable: int = 0  # records that looked like data but could not be mapped onto the columns
    format: str = "empty"  # json, jsonl, csv, markdown, numbered, labelled, empty, unrecognized, error
    notes: list[str] = field(default_factory=list)


def parse_answer(text: str, columns: Sequence[str],
                 text_columns: Sequence[str] | None = None) -> ParsedAnswer:
    """Rows for `columns` from a free-text answer. `text_columns` names the free-text columns (where an
    unquoted comma's surplus belongs); without it they are inferred. Never raises."""
    try:
        return _parse(text, list(dict.fromkeys(columns)), text_columns)
    except Exception as exc:  # a parser bug must cost one answer, not the whole generation run
        note = f"parser error ({type(exc).__name__}: {exc}); answer skipped"
        return ParsedAnswer(format="error", notes=[note])


def closed_fields(partial: str) -> list[tuple[str, str]]:
    """The string fields a JSON object being written has finished, in order: `{"title": "Great", "te` ->
    [("title", "Great")]. An escaped quote does not close a string."""
    found = []
    for match in _CLOSED_FIELD.finditer(partial):
        try:
            found.append((_PLAIN_DECODER.decode(f'"{match[1]}"'), _PLAIN_DECODER.decode(f'"{match[2]}"')))
        except ValueError:  # a broken escape: that field is left to the whole answer's parse
            continue
    return found


def open_field(partial: str) -> tuple[str, str] | None:
    """The string field a JSON object being written is in the middle of, and its value so far:
    `{"title": "Great", "text": "I like` -> ("text", "I like"); None between fields."""
    match = _OPEN_FIELD.search(partial)
    if match is None:
        return None
    try:
        return _PLAIN_DECODER.decode(f'"{match[1]}"'), _PLAIN_DECODER.decode(f'"{match[2]}"')
    except ValueError:  # a broken escape (a half-written \u): judged once more is written
        return None


def parse_json_object(text: str) -> dict[str, Any]:
    """The first JSON object in `text`, tolerating code fences, preambles, trailing text, trailing
    commas and Python-style quoting. Raises ParseError when there is none."""
    if not isinstance(text, str) or not text.strip():
        raise ParseError("the model answer is empty, expected a JSON object",
                         "Check that the backend returns text and that max_tokens is not 0",
                         last_output=str(text or ""))
    values, cut = _scan_json(text, _PLAIN_DECODER)
    for value in values:
        if isinstance(value, dict):
            return value
        if isinstance(value, list) and value and isinstance(value[0], dict):
            return value[0]
    start = " ".join(text.split())[:80]
    if cut:
        raise ParseError(f"the model answer stops in the middle of a JSON object: {start!r}",
                         "Raise max_tokens or ask for shorter field values", last_output=text)
    raise ParseError(f"the model answer contains no JSON object: {start!r}",
                     "Use a backend with schema support or ask for exactly one JSON object", last_output=text)


def _parse(text: str, columns: list[str], text_columns: Sequence[str] | None) -> ParsedAnswer:
    if not isinstance(text, str):
        return ParsedAnswer(notes=[f"answer is {type(text).__name__}, not text"])
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    if not text.strip():
        return ParsedAnswer(notes=["answer is empty"])
    if not columns:
        return ParsedAnswer(notes=["no columns to map the answer onto"])
    from_json = _json_rows(text, columns, text_columns)
    if from_json is not None and from_json.rows:
        return from_json
    table = parse_labelled(text, columns) or parse_table(text, columns, text_columns)
    if table is not None and (table.rows or from_json is None):
        return ParsedAnswer(table.rows, table.unusable, table.format, table.notes)
    if from_json is not None:
        return from_json
    return ParsedAnswer(format="unrecognized", notes=["no JSON, table or delimited lines in the answer"])


def _json_rows(text: str, columns: list[str], text_columns: Sequence[str] | None) -> ParsedAnswer | None:
    """Rows from every JSON object in the text (lists of objects, wrappers, one per line), else None."""
    values, cut = _scan_json(text, _ROW_DECODER)
    objects, lists, top_level = _collect(values, columns)
    if not objects and not lists and not cut:
        return None
    result = ParsedAnswer(format="jsonl" if top_level >= 2 else "json")
    for number, obj in enumerate(objects, 1):
        row = _object_row(obj, columns)
        if row is None:
            result.unusable += 1
            keys = sorted(map(str, obj))[:6]
            result.notes.append(f"object {number}: keys {keys} match no column; unusable")
        else:
            result.rows.append(row)
    if lists:  # arrays of values instead of objects: read them as a table, header row optional
        cells = [[_cell(v) for v in item] for item in lists]
        records = [Record(values, list(values), n) for n, values in enumerate(cells, 1)]
        table = map_records(records, columns, text_columns, ", ", "json")
        if table is not None:
            result.rows += table.rows
            result.unusable += table.unusable
            result.notes += table.notes
    if cut:
        result.unusable += 1
        result.notes.append("the answer stops inside a JSON object (cut off); that object is unusable")
    return result


def _collect(values: list[Any], columns: list[str]) -> tuple[list[dict], list[list], int]:
    objects: list[dict] = []
    lists: list[list] = []
    top_level = 0
    for value in values:
        if isinstance(value, dict):
            inner = _unwrap(value, columns)
            objects += inner if inner is not None else [value]
            top_level += inner is None
        elif isinstance(value, list):
            objects += [item for item in value if isinstance(item, dict)]
            lists += [item for item in value if isinstance(item, list)]
    return objects, lists, top_level


def _unwrap(obj: dict, columns: list[str]) -> list[dict] | None:
    """The rows inside a wrapper such as {"rows": [...]} or {"review": {...}}: an object none of whose
    keys is a column but which holds objects."""
    if any(match_names([str(k) for k in obj], columns)):
        return None
    for value in obj.values():
        if isinstance(value, list) and value and all(isinstance(item, dict) for item in value):
            return value
        if isinstance(value, dict):
            return [value]
    return None


def _object_row(obj: dict, columns: list[str]) -> dict[str, str] | None:
    keys = list(obj)
    mapping = match_names([str(k) for k in keys], columns)
    hits = sum(m is not None for m in mapping)
    if hits == 0 or hits * 2 < len(keys):  # mostly foreign keys: an object of some other shape
        return None
    row = dict.fromkeys(columns, "")
    pairs = zip(keys, mapping, strict=True)
    row.update((column, _cell(obj[key])) for key, column in pairs if column is not None)
    return row


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)  # True/False, as the real data writes booleans
    if isinstance(value, str):
        return clean_value(value)
    if isinstance(value, (int, float)):
        return str(value)
    return json.dumps(value, ensure_ascii=False, default=str)


def _scan_json(text: str, decoder: json.JSONDecoder) -> tuple[list[Any], bool]:
    """Every JSON value that starts at a bracket, left to right, skipping prose between them; and
    whether an object starts after the last value but never ends (the answer was cut off)."""
    values: list[Any] = []
    pos, cut_at, failed = 0, -1, 0
    while failed < MAX_FAILED_STARTS:
        match = _OPEN.search(text, pos)
        if match is None:
            break
        pos = match.start()
        decoded = _decode_at(text, pos, decoder, lenient=failed < MAX_LENIENT_TRIES)
        if decoded is None:
            if cut_at < 0 and text[pos] == "{" and _OBJECT_START.match(text, pos + 1):
                cut_at = pos
            pos, failed = pos + 1, failed + 1
            continue
        values.append(decoded[0])
        pos, cut_at = decoded[1], -1
    return values, cut_at >= 0


def _decode_at(text: str, pos: int, decoder: json.JSONDecoder, lenient: bool) -> tuple[Any, int] | None:
    try:
        return decoder.raw_decode(text, pos)
    except (ValueError, RecursionError):
        pass
    if not lenient or text[pos] != "{" or not _OBJECT_START.match(text, pos + 1):
        return None
    end = _matching_brace(text, pos)
    if end < 0:
        return None
    value = _lenient_object(text[pos:end + 1], decoder)
    return None if value is None else (value, end + 1)


def _lenient_object(snippet: str, decoder: json.JSONDecoder) -> dict | None:
    """Small models' near-JSON: trailing commas, or a Python dict with single quotes and True/None."""
    try:
        value = decoder.decode(_TRAILING_COMMA.sub(r"\1", snippet))
    except (ValueError, RecursionError):
        try:
            value = ast.literal_eval(snippet)
        except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
            return None
    return value if isinstance(value, dict) else None


def _matching_brace(text: str, start: int) -> int:
    """Index of the brace closing the one at `start`, skipping quoted strings; -1 if it never closes."""
    depth, quote, i = 0, "", start
    while i < min(len(text), start + MAX_LENIENT_CHARS):
        ch = text[i]
        if quote:
            if ch == "\\":
                i += 1
            elif ch == quote:
                quote = ""
        elif ch in "\"'":
            quote = ch
        elif ch in "{[":
            depth += 1
        elif ch in "}]":
            depth -= 1
            if depth == 0:
                return i if ch == "}" else -1
        i += 1
    return -1
