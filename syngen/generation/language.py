"""Is a generated text in the language (and vocabulary) of the real data?

Small models drift into another language or into code-like gibberish. Without any language model or NLTK
data, a vocabulary check does the job: real texts in a language share their most common words, so a text
of several words none of whose words are common in the real data is off. A word counts when two real texts or
more use it: the demo's one Spanish review ("Muy buen producto, duermo mucho mejor ...") otherwise made Spanish
a language of the table, and the model went on from its opening into Portuguese ("Muy buen producto, uma sua
proposta ..."). A passage counts too: MIN_WORDS words in a row of which too few are the table's ("Sirve para lo q
me recetó luclas homeopata de ...", the supplements' one Spanish review's opening, went on in English). Of the
real texts, 2 of 1,308 supplements reviews (0.15%) and none of the demo's 420 English ones hold such a passage.

Where every real text brings its own names, a text of the table's language holds few common words: judged with
a vocabulary that leaves its own words out, 43% of 120 news descriptions in AG News's shape failed (a new one,
"South Korean scientists say they have cloned human embryos and extracted stem cells", was rejected), against
0.3% of the supplements reviews. So each bound is lowered to what real texts reach, judged so (REAL_MISSES of
them may fall under it): on such a table only a passage or text with next to none of the table's words is off.

A table of texting shorthand ("Ok lar... Joking wif u oni") holds few common words too, so a text of made-up
Turkish-looking words passed ("oklahamatızların kabulmak önerileri"). A letter beyond ASCII that none of
MIN_LETTER_TEXTS real texts or more uses ("ı", "ğ", a Chinese character in an English table) is foreign at any
length; the letters real texts use (the demo's one Spanish review's "ó") stay free.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from itertools import accumulate

import numpy as np

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
VOCABULARY_SIZE = 3000
MIN_WORDS = 8  # shorter texts say too little to judge
MIN_SHARE = 0.3
MIN_TEXTS = 2  # real texts a word of the vocabulary is used in
MIN_VOCABULARY = 300  # a smaller real vocabulary cannot tell a new topic from a new language
REAL_MISSES = 0.01  # share of real texts a calibrated bound may call foreign
CALIBRATION_TEXTS = 2000  # real texts the bounds are calibrated on, spread over the table
MIN_LETTER_TEXTS = 100  # real texts that show which letters beyond ASCII the table's language uses
ENGLISH_SHARE = 0.25  # of the real texts' words, English function words: 0.46 of the supplements reviews'


def words(text: str) -> list[str]:
    return _WORD.findall(str(text).lower())


def _english_function_words(texts: list[str]) -> frozenset[str]:
    """English's function words, where the real texts are English: a table of 520 talk-page comments never said
    "so", "just" or "our" twice, and "You are a complete idiot ..., so just stop wasting our time" was refused as
    another language. English texts are about half function words; other languages' share of them is small."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    said = [w for text in texts[:CALIBRATION_TEXTS] for w in words(text)]
    share = sum(w in ENGLISH_STOP_WORDS for w in said) / len(said) if said else 0.0
    return frozenset(ENGLISH_STOP_WORDS) if share >= ENGLISH_SHARE else frozenset()


class VocabularyCheck:
    def __init__(self, real_texts: Iterable[str]) -> None:
        texts = [text for text in real_texts if isinstance(text, str)]
        counts = Counter(w for text in texts for w in set(words(text)))  # texts using each word
        vocabulary = {w for w, n in counts.most_common(VOCABULARY_SIZE) if n >= MIN_TEXTS}
        self.vocabulary = vocabulary | _english_function_words(texts) if len(vocabulary) >= MIN_VOCABULARY else set()
        self.whole_bound, self.passage_bound = _calibrated_bounds(texts, self.vocabulary, counts)
        used = frozenset(c for text in texts for c in set(text) if c.isalpha() and not c.isascii())
        self.letters: frozenset[str] | None = used if len(texts) >= MIN_LETTER_TEXTS else None

    def foreign_letters(self, text: str) -> list[str]:
        """The letters beyond ASCII in `text` that no real text uses (none judged with too few real texts)."""
        if self.letters is None:
            return []
        return sorted({c for c in str(text) if c.isalpha() and not c.isascii() and c not in self.letters})

    def share_known(self, text: str) -> float:
        found = words(text)
        return sum(w in self.vocabulary for w in found) / len(found) if found else 1.0

    def is_foreign(self, text: str) -> bool:
        """True when a text of MIN_WORDS or more, or any MIN_WORDS words in a row of it, shares too few words with
        the real data's vocabulary, or holds a letter no real text uses."""
        if self.foreign_letters(text):
            return True
        found = words(text)
        if len(found) < MIN_WORDS or not self.vocabulary:
            return False
        whole, passage = _shares([w in self.vocabulary for w in found])
        return whole < self.whole_bound or passage < self.passage_bound


def _shares(known: list[bool]) -> tuple[float, float]:
    """The share of known words in a text, and the least share in any MIN_WORDS words in a row of it."""
    running = [0, *accumulate(known)]
    fewest = min(running[i + MIN_WORDS] - running[i] for i in range(len(known) - MIN_WORDS + 1))
    return running[-1] / len(known), fewest / MIN_WORDS


def _calibrated_bounds(texts: list[str], vocabulary: set[str], counts: Counter) -> tuple[float, float]:
    """MIN_SHARE for the whole text and for a passage, each lowered to the share that all but REAL_MISSES of the
    real texts reach, judged without their own words: a word counts for a real text only if MIN_TEXTS others use it."""
    step = max(1, len(texts) // CALIBRATION_TEXTS)
    judged = [found for found in map(words, texts[::step]) if len(found) >= MIN_WORDS]
    if not vocabulary or not judged:
        return MIN_SHARE, MIN_SHARE
    shares = np.array([_shares([w in vocabulary and counts[w] > MIN_TEXTS for w in found]) for found in judged])
    lowest = np.quantile(shares, REAL_MISSES, axis=0, method="lower")
    return min(MIN_SHARE, float(lowest[0])), min(MIN_SHARE, float(lowest[1]))
