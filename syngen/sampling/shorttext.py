"""Short free text (names, handles, places): new values from a model of the real ones.

Where real values share words ("Napa Valley", "Columbia Valley (WA)", "Willamette Valley"), a chain of whole
words writes new ones from them ("Napa Valley (WA)" is refused only if real): a chain of characters wrote wine
regions such as "Riorongto Superti Supe" and dish names such as "Pibillazed Cevilk Pie". Where the words do not
recombine into a new value (one-word wineries, handles), a character Markov chain (order 3, falling back to 2
and 1) learned from the column's values writes new strings with the same letters, marks and lengths (`@`
handles stay handles, two-word names stay two words).
A draw equal to a real value, ignoring case, is refused: no real person's name or handle is reissued. A
small model asked for these fields wrote `Jamaica # This entry: {` as a place; the chain cannot leave the
column's character set. Written by hand: both chains are a few lines, and markovify chains the words of
sentences only, with no fallback to characters for words that do not recombine.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict

import numpy as np

from syngen.profiling.model import ColumnProfile

ORDERS = (3, 2, 1)
PAIRED = (('"', '"'), ("(", ")"), ("[", "]"))  # marks real values open and close: `Mary "mj"`, `Lisa (NY)`
TRIES_PER_ORDER = 12
WORD_TRIES = 40  # a walk of whole words ends at the drawn word count less often than a walk of characters
_START, _END = "\x02", "\x03"
_LETTERS_DIGITS_SPACES = re.compile(r"[^\W_]|\s")


class ShortTextSampler:
    """`values`: the real values to learn from, when not the whole column's (those under one category value)."""

    def __init__(self, profile: ColumnProfile, values: list[str] | None = None) -> None:
        stats = profile.stats
        values = [v for v in (stats.sample if values is None else values) if v]
        self.real = {v.casefold() for v in stats.known or values}
        self.max_chars = stats.max_chars
        self.max_words = stats.max_words
        self.word_lengths = [w for w in stats.word_lengths if w > 0]
        self.several_words = [w for w in self.word_lengths if w > 1]  # the counts a walk of whole words may draw
        self.chains = {order: _chain(values, order) for order in ORDERS}
        self.words = _word_chain(values)
        self.paired = [pair for pair in PAIRED if all(_balanced(v, pair) for v in values)]
        self.marks = {_marks(v) for v in stats.sample if v}

    def sample(self, rng: np.random.Generator) -> str:
        """A new value with a word count drawn from the real ones (two-word names stay two words)."""
        words = int(self.word_lengths[int(rng.integers(len(self.word_lengths)))]) if self.word_lengths else 0
        several = self.several_words
        for _ in range(WORD_TRIES if words > 1 else 0):
            count = int(several[int(rng.integers(len(several)))])  # again: some counts have no new value
            value = self._walk_words(count, rng)
            if self._acceptable(value, count):
                return value
        for order in ORDERS:
            for _ in range(TRIES_PER_ORDER):
                value = self._walk(order, rng)
                if self._acceptable(value, words):
                    return value
        value = self._walk(1, rng)
        for opening, closing in self.paired:
            if not _balanced(value, (opening, closing)):
                value = value.replace(opening, "").replace(closing, "")
        return value + str(int(rng.integers(10, 99)))  # never a real value, even then

    def _acceptable(self, value: str, words: int) -> bool:
        """New, of the drawn word count, with marks in an order some real value has them ("://./" in a web address:
        not "https://doc"), and closing every mark it opens where real values always do."""
        count = len(value.split())
        return (bool(value) and value.casefold() not in self.real and count == (words or count)
                and _marks(value) in self.marks and all(_balanced(value, pair) for pair in self.paired))

    def _walk(self, order: int, rng: np.random.Generator) -> str:
        chain = self.chains[order]
        text = _START * order
        while len(text) - order < self.max_chars:
            options = chain.get(text[-order:])
            if options is None:
                break
            letters, cumulative = options
            char = letters[int(np.searchsorted(cumulative, rng.uniform() * cumulative[-1], side="right"))]
            if char == _END:
                break
            text += char
        else:
            return ""  # ran past the longest real value without ending: draw again
        return " ".join(text[order:].split())

    def _walk_words(self, words: int, rng: np.random.Generator) -> str:
        """Up to `words` + 1 whole words, each following the one before it in some real value."""
        drawn = [_START]
        while len(drawn) <= words + 1:
            options = self.words.get(drawn[-1])
            if options is None:
                break
            tokens, cumulative = options
            token = tokens[int(np.searchsorted(cumulative, rng.uniform() * cumulative[-1], side="right"))]
            if token == _END:
                return " ".join(drawn[1:])
            drawn.append(token)
        return ""


def _marks(value: str) -> str:
    """The value's marks in order, letters, digits and spaces left out: "://./" for "https://gcc.gnu.org"."""
    return _LETTERS_DIGITS_SPACES.sub("", value)


def _balanced(value: str, pair: tuple[str, str]) -> bool:
    opening, closing = pair
    if opening == closing:
        return value.count(opening) % 2 == 0
    return value.count(opening) == value.count(closing)


def _chain(values: list[str], order: int) -> dict[str, tuple[list[str], np.ndarray]]:
    counts: dict[str, Counter] = defaultdict(Counter)
    for value in values:
        padded = _START * order + value + _END
        for i in range(order, len(padded)):
            counts[padded[i - order:i]][padded[i]] += 1
    return _cumulative(counts)


def _word_chain(values: list[str]) -> dict[str, tuple[list[str], np.ndarray]]:
    """The words that follow each word (or the start) in the real values."""
    counts: dict[str, Counter] = defaultdict(Counter)
    for value in values:
        words = [_START, *value.split(), _END]
        for before, after in zip(words, words[1:], strict=False):
            counts[before][after] += 1
    return _cumulative(counts)


def _cumulative(counts: dict[str, Counter]) -> dict[str, tuple[list[str], np.ndarray]]:
    return {context: (list(c), np.cumsum(list(c.values()), dtype=float)) for context, c in counts.items()}
