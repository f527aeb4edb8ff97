"""Find columns written from the row's other columns and fixed text, such as a link
`https://docs.python.org/3/library/{{ module }}.html#{{ module }}.{{ name }}`.

Sampled by its shape, such a column gets random letters where the row's own values belong
("library/vwfbdz.html#ihbowt.fplnpp"). Found here, it becomes a derived column (as `--derive` makes one), so each
generated row computes it from its own values. No library infers string templates across columns, hence this
small search: in each real value, every other column's value of the same row that stands whole in it (not
inside a longer word) is replaced by that column's placeholder, longest values first; the template most rows
then share is kept when it holds at least COVERAGE of the rows.
"""

from __future__ import annotations

import re
from collections import Counter

import pandas as pd

from syngen.profiling.model import ColumnKind, DatasetProfile

COVERAGE = 0.9  # of the rows checked, those the template writes exactly
CHECK_ROWS = 2000
PROBE_ROWS = 50  # a source must stand in the target in COVERAGE of these to be tried on CHECK_ROWS
MIN_ROWS = 20
MIN_VALUE_CHARS = 2  # shorter values ("1", "a") stand in too many texts by chance
MAX_KEPT = 6  # spots of a row whose replaced-or-kept variants are tried (2^6 at most)
_NOT_TARGETS = {ColumnKind.DERIVED, ColumnKind.EMPTY, ColumnKind.INTEGER, ColumnKind.FLOAT, ColumnKind.BOOLEAN,
                ColumnKind.DATETIME}


def find_compositions(frame: pd.DataFrame, profile: DatasetProfile) -> dict[str, tuple[str, float]]:
    """Column -> (its Jinja2 template, the share of checked rows it writes exactly), for the columns composed of
    other columns' values and fixed text. A column used by another's template is never itself composed."""
    head = frame.head(CHECK_ROWS).fillna("").astype(str)
    if len(head) < MIN_ROWS:
        return {}
    sources = [c.name for c in profile.columns if c.kind not in {ColumnKind.DERIVED, ColumnKind.EMPTY}]
    found: dict[str, tuple[str, float]] = {}
    used: set[str] = set()
    for column in profile.columns:
        if column.kind in _NOT_TARGETS:
            continue
        candidates = _standing_in(head, column.name, [s for s in sources if s != column.name])
        composed = _template(head, column.name, candidates) if candidates else None
        if composed is not None:
            template, share, placed = composed
            found[column.name] = (template, share)
            used |= placed
    return {name: composed for name, composed in found.items() if name not in used}


def _standing_in(head: pd.DataFrame, target: str, sources: list[str]) -> list[str]:
    """The sources whose value stands whole in the target's value in COVERAGE of the first rows."""
    probe = head.head(PROBE_ROWS)
    return [source for source in sources
            if sum(_stands_in(value, text) for value, text in zip(probe[source], probe[target], strict=True))
            >= COVERAGE * len(probe)]


def _stands_in(value: str, text: str) -> bool:
    return len(value) >= MIN_VALUE_CHARS and value in text and _whole(value).search(text) is not None


def _whole(value: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![^\W_]){re.escape(value)}(?![^\W_])")


def _template(head: pd.DataFrame, target: str, sources: list[str]) -> tuple[str, float, set[str]] | None:
    """The template most rows give with every source value replaced, the share of rows it writes (a row counts
    where leaving some values as fixed text gives it: "library/html.html#html.escape" for module html), and the
    sources it uses; None for no template, or one that is a single source's value and no fixed text."""
    rows = [_spots(row, target, sources) for row in head[[target, *sources]].to_dict("records")]
    template = Counter(_filled(text, spots) for text, spots in rows).most_common(1)[0][0]
    share = sum(_writes(template, text, spots) for text, spots in rows) / len(head)
    placed = {i for i in range(len(sources)) if _mark(i) in template}
    if share < COVERAGE or not placed or template in {_mark(i) for i in placed}:
        return None
    if "{" in template or "}" in template or "%" in template:
        return None  # Jinja2 would read the fixed text as its own syntax
    for i in placed:
        template = template.replace(_mark(i), _placeholder(sources[i]))
    return template, share, {sources[i] for i in placed}


Spot = tuple[int, int, int]  # where a source's value stands in the text: start, end, source index


def _spots(row: dict[str, str], target: str, sources: list[str]) -> tuple[str, list[Spot]]:
    """The target's text and where the sources' values stand whole in it, longest values first, none overlapping."""
    text, spots = row[target], []
    taken = [False] * len(text)
    for i in sorted(range(len(sources)), key=lambda i: -len(row[sources[i]])):
        value = row[sources[i]]
        if len(value) < MIN_VALUE_CHARS or value not in text:
            continue
        for match in _whole(value).finditer(text):
            if not any(taken[match.start(): match.end()]):
                spots.append((match.start(), match.end(), i))
                taken[match.start(): match.end()] = [True] * (match.end() - match.start())
    return text, sorted(spots)


def _filled(text: str, spots: list[Spot]) -> str:
    out, at = [], 0
    for start, end, index in spots:
        out += [text[at:start], _mark(index)]
        at = end
    return "".join(out) + text[at:]


def _writes(template: str, text: str, spots: list[Spot]) -> bool:
    """Whether the template gives this row, with every value replaced or, at up to MAX_KEPT spots, some kept."""
    if _filled(text, spots) == template:
        return True
    if len(spots) > MAX_KEPT:
        return False
    return any(_filled(text, list(kept)) == template for kept in _subsets(spots))


def _subsets(spots: list[Spot]) -> list[tuple[Spot, ...]]:
    return [tuple(spot for bit, spot in enumerate(spots) if mask >> bit & 1) for mask in range(2 ** len(spots))]


def _mark(index: int) -> str:
    """Where a source's value stood: a private-use character no value holds, so no later value matches in it."""
    return f"\x00{chr(0xE000 + index)}\x00"


def _placeholder(name: str) -> str:
    return f"{{{{ {name} }}}}" if name.isidentifier() else f"{{{{ row[{name!r}] }}}}"
