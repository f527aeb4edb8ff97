"""Map delimited records onto table columns, repairing only what a small model obviously meant.

Helper of `syngen.parsing.answers`. A record is one line's fields (a CSV line or a markdown row).
Records with the expected field count map directly. Two repairs are made when they are unambiguous:
surplus fields from an unquoted comma in prose go back into the free-text column, and a last cell that
holds several merged values (models write `2015-01-04, 03:11` into one cell for `date` and `time`) is
split. Everything else is counted as unusable rather than guessed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from statistics import fmean

from rapidfuzz.fuzz import ratio

FUZZY_MIN = 0.75  # "data" vs "date" scores exactly 0.75; unrelated short names stay well below
CONTAINED = 0.8  # the score of a name that holds the column's words ("review_text" for "text")
NUMERIC = frozenset({"int", "float"})
_KINDS = (
    ("int", re.compile(r"[-+]?\d+")),
    ("float", re.compile(r"[-+]?(?:\d+\.\d*|\.\d+)(?:[eE][-+]?\d+)?")),
    ("bool", re.compile(r"(?i:true|false)")),
    ("date", re.compile(r"\d{4}-\d{1,2}-\d{1,2}|\d{1,2}/\d{1,2}/\d{2,4}")),
    ("time", re.compile(r"\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?")),
    ("datetime", re.compile(r"\d{4}-\d{1,2}-\d{1,2}[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?Z?")),
)
_TEXT_HINT = re.compile(r"text|review|body|content|comment|descr|message|summary|answer|response|sentence")
_QUOTES = {'"': '"', "'": "'", "`": "`", "\u201c": "\u201d", "\u2018": "\u2019"}
_EMPHASIS = re.compile(r"^(\*\*|__|`)(.+)\1$", re.S)


@dataclass
class Record:
    """One line's fields, cleaned, plus their raw source text (to rejoin split prose exactly)."""

    values: list[str]
    raws: list[str]
    line: int
    marked: bool = False  # the line started with a list marker ("1.", "-")


@dataclass
class Mapped:
    rows: list[dict[str, str]] = field(default_factory=list)
    unusable: int = 0
    notes: list[str] = field(default_factory=list)


def clean_value(value: str) -> str:
    """Strip whitespace, markdown emphasis and one pair of quotes wrapped around the whole value."""
    text = value.strip()
    match = _EMPHASIS.match(text)
    if match:
        text = match.group(2).strip()
    # Only a wrapping pair: `"senior" label is "fine"` starts and ends with quotes but is not wrapped.
    if len(text) >= 2 and _QUOTES.get(text[0]) == text[-1] and text[0] not in text[1:-1]:
        text = text[1:-1].strip()
    return text


def value_kind(value: str) -> str:
    """A coarse type used to check that fields line up with their columns."""
    if not value:
        return "empty"
    for name, pattern in _KINDS:
        if pattern.fullmatch(value):
            return name
    return "words" if any(ch.isspace() for ch in value) else "token"


def norm_name(name: str) -> str:
    return re.sub(r"[^0-9a-z]", "", clean_value(name).lower())


def words(name: str) -> tuple[str, ...]:
    return tuple(re.findall(r"[a-z0-9]+", re.sub(r"([a-z])([A-Z])", r"\1 \2", name).lower()))


def _similarity(name: str, key: str, column: str, column_key: str) -> float:
    mine, theirs = words(name), words(column)
    held = any(mine[i:i + len(theirs)] == theirs for i in range(len(mine) - len(theirs) + 1))
    return max(ratio(key, column_key) / 100, CONTAINED if theirs and held else 0.0)


def match_names(names: Sequence[str], columns: Sequence[str]) -> list[str | None]:
    """Map names (a header row, JSON keys) one-to-one onto columns: first exactly, ignoring case and
    punctuation, then by the closest spelling (models write `data` for `date`, `helpful_votes`,
    `reviewText`)."""
    keys = [norm_name(n) for n in names]
    column_keys = {c: norm_name(c) for c in columns}
    result: list[str | None] = [None] * len(names)
    wanted = {column_keys[c]: c for c in reversed(columns)}  # the first column wins a clash
    taken: set[str] = set()
    for i, key in enumerate(keys):
        column = wanted.get(key)
        if column is not None and column not in taken:
            result[i] = column
            taken.add(column)
    if len(names) > 200:  # a line of many fields is data, not a header: skip the quadratic part
        return result
    pairs = [
        (_similarity(names[i], key, c, column_keys[c]), i, c)
        for i, key in enumerate(keys) if result[i] is None and key
        for c in columns if c not in taken
    ]
    for score, i, column in sorted(pairs, key=lambda p: (-p[0], p[1])):
        if score >= FUZZY_MIN and result[i] is None and column not in taken:
            result[i] = column
            taken.add(column)
    return result


def build_rows(records: list[Record], mapping: list[str | None], columns: Sequence[str],
               text_columns: Sequence[str] | None = None, joiner: str = ",") -> Mapped:
    """Turn records of `len(mapping)` fields into rows keyed by `columns`, repairing what is safe."""
    width = len(mapping)
    exact = [r.values for r in records if len(r.values) == width]
    seen = _seen_kinds(exact, width)
    text_pos = _text_position(mapping, exact, seen, text_columns)
    out = Mapped()
    for index, record in enumerate(records):
        values, note = _fit(record, width, seen, text_pos, mapping, joiner)
        if values is None:
            out.unusable += 1
            cut = index == len(records) - 1 and len(record.values) < width
            note += " (the answer looks cut off)" if cut else ""
        else:
            row = dict.fromkeys(columns, "")
            row.update((col, value) for col, value in zip(mapping, values, strict=True) if col is not None)
            out.rows.append(row)
        if note:
            out.notes.append(f"line {record.line}: {note}")
    return out


def _fit(record: Record, width: int, seen: list[set[str] | None], text_pos: int | None,
         mapping: list[str | None], joiner: str) -> tuple[list[str] | None, str]:
    count = len(record.values)
    if count == width:
        return record.values, ""
    if count > width:
        values = _merge_surplus(record, width, seen, text_pos, joiner)
        if values is None:
            return None, f"{count} fields for {width} columns and the surplus is not prose; unusable"
        column = mapping[text_pos] if text_pos is not None else None
        return values, f"{count} fields for {width} columns; unquoted commas rejoined into {column!r}"
    values = _split_merged_tail(record.values, width, seen)
    if values is None:
        return None, f"only {count} of {width} fields; unusable"
    return values, f"{count} fields for {width} columns; the last cell held {width - count + 1} values, split"


def _merge_surplus(record: Record, width: int, seen: list[set[str] | None], text_pos: int | None,
                   joiner: str) -> list[str] | None:
    if text_pos is None:
        return None
    extra = len(record.values) - width
    pieces = record.raws[text_pos:text_pos + extra + 1]
    # A comma in prose splits it into prose; a piece that is an id, number or date means the model
    # added or shifted a column, and joining it into the text would hide that.
    if any(_looks_like_value(clean_value(p)) for p in pieces):
        return None
    merged = clean_value(joiner.join(pieces))
    values = record.values[:text_pos] + [merged] + record.values[text_pos + extra + 1:]
    return values if _lines_up(values, seen, skip=text_pos) else None


def _split_merged_tail(values: list[str], width: int, seen: list[set[str] | None]) -> list[str] | None:
    missing = width - len(values)
    if not values or missing < 1:
        return None
    for parts in (values[-1].split(","), values[-1].split()):
        parts = [clean_value(p) for p in parts]
        # Only values (with digits, or booleans) are split: a phrase in the last cell is left alone.
        if len(parts) == missing + 1 and all(_is_compact_value(p) for p in parts):
            candidate = values[:-1] + parts
            if _lines_up(candidate, seen):
                return candidate
    return None


def _looks_like_value(piece: str) -> bool:
    kind = value_kind(piece)
    if kind in ("date", "time", "datetime"):
        return True
    return kind in ("int", "token") and len(piece) >= 5 and any(ch.isdigit() for ch in piece)


def _is_compact_value(part: str) -> bool:
    if not part or any(ch.isspace() for ch in part):
        return False
    return any(ch.isdigit() for ch in part) or value_kind(part) == "bool"


def _fits(kind: str, seen: set[str] | None) -> bool:
    """Whether a value of `kind` may sit in a column whose well-formed values had the kinds `seen`."""
    if not seen or kind == "empty" or kind in seen or "words" in seen:
        return True
    return kind in NUMERIC and bool(seen & (NUMERIC | {"token"}))


def _lines_up(values: list[str], seen: list[set[str] | None], skip: int | None = None) -> bool:
    return all(_fits(value_kind(v), seen[p]) for p, v in enumerate(values) if p != skip)


def _seen_kinds(exact: list[list[str]], width: int) -> list[set[str] | None]:
    if not exact:
        return [None] * width
    return [({value_kind(v[p]) for v in exact} - {"empty"}) or None for p in range(width)]


def _text_position(mapping: list[str | None], exact: list[list[str]], seen: list[set[str] | None],
                   text_columns: Sequence[str] | None) -> int | None:
    """The longest free-text column: where surplus pieces of prose belong."""
    mapped = [p for p, col in enumerate(mapping) if col is not None]
    hinted = [p for p in mapped if _TEXT_HINT.search(norm_name(mapping[p] or ""))]
    if text_columns is not None:
        candidates = [p for p in mapped if mapping[p] in text_columns]
    else:
        candidates = [p for p in mapped if "words" in (seen[p] or ()) or p in hinted]
    if not candidates:
        return None
    if exact:
        return max(candidates, key=lambda p: fmean(len(v[p]) for v in exact))
    # No well-formed row to measure: trust the column's name, else only an unambiguous single choice.
    named = [p for p in candidates if p in hinted]
    if named:
        return named[0]
    return candidates[0] if len(candidates) == 1 else None
