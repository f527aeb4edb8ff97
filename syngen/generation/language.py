"""Is a generated text in the language (and vocabulary) of the real data?

Small models drift into another language or into code-like gibberish. Without any language model or NLTK
data, a vocabulary check does the job: real texts in a language share their most common words, so a text
of several words none of whose words are common in the real data is off.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
VOCABULARY_SIZE = 3000
MIN_WORDS = 8  # shorter texts say too little to judge
MIN_SHARE = 0.3
MIN_VOCABULARY = 300  # a smaller real vocabulary cannot tell a new topic from a new language


def words(text: str) -> list[str]:
    return _WORD.findall(str(text).lower())


class VocabularyCheck:
    def __init__(self, real_texts: Iterable[str]) -> None:
        counts = Counter(w for text in real_texts for w in words(text))
        vocabulary = {w for w, _ in counts.most_common(VOCABULARY_SIZE)}
        self.vocabulary = vocabulary if len(vocabulary) >= MIN_VOCABULARY else set()

    def share_known(self, text: str) -> float:
        found = words(text)
        return sum(w in self.vocabulary for w in found) / len(found) if found else 1.0

    def is_foreign(self, text: str) -> bool:
        """True when a text of MIN_WORDS or more shares too few words with the real data's vocabulary."""
        return len(words(text)) >= MIN_WORDS and bool(self.vocabulary) and self.share_known(text) < MIN_SHARE
