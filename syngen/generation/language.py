"""Is a generated text in the language (and vocabulary) of the real data?

Small models drift into another language or into code-like gibberish. Without any language model or NLTK
data, a vocabulary check does the job: real texts in a language share their most common words, so a text
of several words none of whose words are common in the real data is off. A word counts when two real texts or
more use it: the demo's one Spanish review ("Muy buen producto, duermo mucho mejor ...") otherwise made Spanish
a language of the table, and the model went on from its opening into Portuguese ("Muy buen producto, uma sua
proposta ..."). A passage counts too: MIN_WORDS words in a row of which too few are the table's ("Sirve para lo q
me recetó luclas homeopata de ...", the supplements' one Spanish review's opening, went on in English). Of the
real texts, 2 of 1,308 supplements reviews (0.15%) and none of the demo's 420 English ones hold such a passage.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from itertools import accumulate

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
VOCABULARY_SIZE = 3000
MIN_WORDS = 8  # shorter texts say too little to judge
MIN_SHARE = 0.3
MIN_TEXTS = 2  # real texts a word of the vocabulary is used in
MIN_VOCABULARY = 300  # a smaller real vocabulary cannot tell a new topic from a new language


def words(text: str) -> list[str]:
    return _WORD.findall(str(text).lower())


class VocabularyCheck:
    def __init__(self, real_texts: Iterable[str]) -> None:
        counts = Counter(w for text in real_texts for w in set(words(text)))  # texts using each word
        vocabulary = {w for w, n in counts.most_common(VOCABULARY_SIZE) if n >= MIN_TEXTS}
        self.vocabulary = vocabulary if len(vocabulary) >= MIN_VOCABULARY else set()

    def share_known(self, text: str) -> float:
        found = words(text)
        return sum(w in self.vocabulary for w in found) / len(found) if found else 1.0

    def is_foreign(self, text: str) -> bool:
        """True when a text of MIN_WORDS or more, or any MIN_WORDS words in a row of it, shares too few words with
        the real data's vocabulary."""
        found = words(text)
        if len(found) < MIN_WORDS or not self.vocabulary:
            return False
        known = [0, *accumulate(w in self.vocabulary for w in found)]
        fewest = min(known[i + MIN_WORDS] - known[i] for i in range(len(found) - MIN_WORDS + 1))
        return known[-1] / len(found) < MIN_SHARE or fewest / MIN_WORDS < MIN_SHARE
