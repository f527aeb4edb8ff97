"""Patterned strings: values made of a few shapes of digit runs, letter runs and marks, such as coordinates
`[40.74, -73.99]`, codes `AB-0042`, versions `1.2.10`, phones `(555) 123-4567`, URLs and hashtags.

A value's shape keeps its marks and the length (and case) of each run. Each shape is learned with its share;
each run that varies with the real distribution of its numbers, or its letters' length and case. Written by
hand: no maintained library learns a generative description of such strings from examples.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from functools import lru_cache

import numpy as np

MAX_SHAPES = 40  # the most common shapes kept for sampling; rarer ones are not made
MAX_SAMPLE = 200  # numbers kept per digit run (evenly spaced order statistics)
MAX_CHOICES = 20  # a letter run with at most this many distinct values (http, www, com) is drawn from them
MAX_PLACE_KINDS = 8  # codes of one length in more kinds of places have letters and digits anywhere
_TOKEN = re.compile(r"\d+|[^\W\d_]+|.", re.S)


def tokens(value: str) -> list[str]:
    return _TOKEN.findall(value)


def _kind(token: str) -> str:
    if token.isdigit():
        return "D"
    if token.isalpha():
        return "A"
    return "."


def coarse_shape(value: str) -> str:
    """The value with each digit run written 9 and each letter run written a: `[9.9, -9.9]`."""
    return "".join({"D": "9", "A": "a"}.get(_kind(t), t) for t in tokens(value))


def _case(token: str) -> str:
    if token.isupper():
        return "U"
    if token.islower():
        return "L"
    return "C" if token[:1].isupper() and token[1:].islower() else "M"


def fine_shape(value: str) -> str:
    """Coarse shape plus the length of every run and the case of letter runs: `[D2.D8, -D2.D8]`."""
    parts = []
    for token in tokens(value):
        kind = _kind(token)
        parts.append(token if kind == "." else f"{kind}{_case(token) if kind == 'A' else ''}{len(token)}\0")
    return "".join(parts)


def looks_patterned(values: list[str]) -> bool:
    """Few coarse shapes cover the values, and the values are not plain words: they hold digits or marks, and
    their letters are either a few repeated words (https, www, com) or outweighed by digits. Handles and
    hashtags (`@name`, `#word`) are words behind a mark: they are short text, not patterns."""
    letters = {t for v in values for t in tokens(v) if t.isalpha()}
    if len(letters) > 2 * MAX_CHOICES and sum(any(c.isdigit() for c in v) for v in values) < 0.5 * len(values):
        return False
    shapes = Counter(map(coarse_shape, values))
    top = shapes.most_common(10)
    if sum(count for _, count in top) < 0.9 * len(values):
        return False
    marked = [s for s, _ in top if "9" in s or re.search(r"[^a\s]", s)]
    return sum(shapes[s] for s in marked) >= 0.9 * len(values)


def learn_shapes(values: list[str]) -> dict:
    """{"shapes": [{"share", "parts"}], "coarse": [coarse shapes seen]}; parts are literals or run specs."""
    by_shape: dict[str, list[str]] = defaultdict(list)
    for value in values:
        by_shape[fine_shape(value)].append(value)
    ranked = sorted(by_shape.values(), key=len, reverse=True)[:MAX_SHAPES]
    kept = sum(len(group) for group in ranked)
    return {
        "shapes": [{"share": len(group) / kept, "parts": _parts(group)} for group in ranked],
        "coarse": sorted({coarse_shape(v) for v in values})[:200],
    }


def places_of(values: list[str], longest: int) -> list[str] | None:
    """The characters seen at each place, for codes of one length (up to `longest`) of letters and digits whose
    runs fall anywhere, so that no fine shape holds most of them: Amazon's user ids, "A" and 13 letters or digits,
    have almost as many shapes as values, and drawn shape by shape a run of letters lost the "A" every id opens
    with ("FNRH8SGHT9MUHA"). None for codes a shape describes ("AB-1234", "L12345")."""
    values = values[:5000]
    if not values or len({len(v) for v in values}) != 1 or len(values[0]) > longest:
        return None
    if not all(v.isalnum() for v in values):
        return None
    top = Counter(map(fine_shape, values)).most_common(1)[0][1]
    if top >= 0.5 * len(values):
        return None
    return characters_by_place(values)


def characters_by_place(values: list[str]) -> list[str]:
    """For values of one length: the characters seen at each place, sorted."""
    return ["".join(sorted(set(chars))) for chars in zip(*values, strict=True)]


def place_kind(value: str) -> str:
    """Each character's kind: 9 a digit, A a letter, any other as itself ("941XX" -> "999AA")."""
    return "".join("9" if c.isdigit() else "A" if c.isalpha() else c for c in value)


def place_kinds(values: list[str]) -> dict[str, int] | None:
    """The kinds of places codes of one length come in, with their counts, where they are few (masked ZIPs: digits,
    or digits then "XX"); None where letters and digits fall anywhere (Amazon's user ids: a kind per id)."""
    kinds = Counter(map(place_kind, values))
    return dict(kinds.most_common()) if len(kinds) <= MAX_PLACE_KINDS else None


def _parts(group: list[str]) -> list[dict]:
    columns = list(zip(*(tokens(v) for v in group), strict=True))
    return [_part(list(column)) for column in columns]


def _part(column: list[str]) -> dict:
    distinct = set(column)
    if len(distinct) == 1:
        return {"literal": column[0]}
    if column[0].isdigit():
        numbers = sorted(int(t) for t in column)
        picks = np.linspace(0, len(numbers) - 1, min(len(numbers), MAX_SAMPLE)).round().astype(int)
        return {"digits": len(column[0]), "sample": [numbers[i] for i in picks]}
    if len(distinct) <= MAX_CHOICES and len(distinct) < 0.5 * len(column):
        return {"choices": dict(Counter(column).most_common())}
    return {"letters": len(column[0]), "case": _case(column[0])}


def shape_regex(coarse: list[str]) -> re.Pattern:
    """Matches a value whose coarse shape is one of `coarse` (for format adherence)."""
    return _shape_regex(tuple(coarse))


@lru_cache(maxsize=64)
def _shape_regex(coarse: tuple[str, ...]) -> re.Pattern:
    def one(shape: str) -> str:
        return "".join({"9": r"\d+", "a": r"[^\W\d_]+"}.get(ch, re.escape(ch)) for ch in shape)

    return re.compile("|".join(f"(?:{one(s)})" for s in coarse) or r"(?!)")
