"""Per-text measurements shared by several properties: cleaned text, lengths, readability, rarity.

Readability is memoised by text: the real data is measured once per process, then reused by the
calibration halves and by every later evaluation against the same real file.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache
from typing import NamedTuple

_TAG = re.compile(r"<[^>]{0,40}>")


def clean_text(text: str) -> str:
    """What a reader sees: HTML line breaks and entities (`<br />`, `&#34;`) in the real reviews are
    markup, not words, and would otherwise count as words, syllables and n-grams."""
    return " ".join(_TAG.sub(" ", html.unescape(str(text))).split())


def word_count(text: str) -> int:
    return len(text.split())


class Readability(NamedTuple):
    reading_ease: float  # Flesch reading ease: higher is easier
    grade: float  # Flesch-Kincaid grade level
    rarity: float  # share of words outside the Dale-Chall list of familiar words


@lru_cache(maxsize=200_000)
def readability(text: str) -> Readability | None:
    """None for a text without words, which has no readability to speak of."""
    import textstat  # 0.7.8: later versions need NLTK data that cannot be downloaded here

    words = textstat.lexicon_count(text)
    if words == 0:
        return None
    rarity = textstat.difficult_words(text, unique=False) / words
    return Readability(textstat.flesch_reading_ease(text), textstat.flesch_kincaid_grade(text), min(1.0, rarity))
