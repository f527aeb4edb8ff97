"""A text that takes most of its wording from one example its prompt showed.

A small model shown three real reviews sometimes rewrites one of them a word apart ("nauseous every single day
on this, stopped. want my money back" -> "Nauseous every single day on this, stop."): too short for the copy
definition's 8-word containment, yet plainly lifted. Measured on the 1,308 real supplement reviews, a text
shares at most 7% of its word 4-grams with any one other review of its rating (99.9% quantile), and fewer than 1%
share 30% with any other real review (0.23 at the 99% quantile; the demo's 420 reviews 0.20); of 200 generated
ones 2.5% did ("Everybody in the house takes them. Even my picky teenager has a favorite gummy..." from
"Everybody in the house takes them, even my picky teenager. Good value for 60.", a quick start's row at 44%).
"""

from __future__ import annotations

from collections.abc import Iterable

from syngen.generation.dedupe import normalise

GRAM = 4
LIFTED_SHARE = 0.3  # of the text's word 4-grams found in one example
MIN_LIFTED = 3  # 4-grams, six words in a row at least: a shared stock phrase ("i have been taking") is not a lift


def _grams(text: object) -> list[tuple[str, ...]]:
    words = normalise(text).split()
    return [tuple(words[i: i + GRAM]) for i in range(len(words) - GRAM + 1)]


def lifted_from(text: object, sources: Iterable[object]) -> int | None:
    """The position among `sources` of the one `text` takes most of its wording from, or None."""
    mine = _grams(text)
    if len(mine) < MIN_LIFTED:
        return None
    for position, source in enumerate(sources):
        theirs = set(_grams(source))
        shared = sum(gram in theirs for gram in mine)
        if shared >= MIN_LIFTED and shared >= LIFTED_SHARE * len(mine):
            return position
    return None
