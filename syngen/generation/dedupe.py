"""What counts as a copy of a text, for generation and evaluation alike, found through an index.

ONE definition: both texts have at least MIN_WORDS words once normalised (lower-cased, punctuation and
repeated spaces gone), and their normalised forms are equal (exact) or have a rapidfuzz ratio of at least
NEAR_RATIO (near), or the text has MIN_CONTAINED_WORDS words or more and stands nearly verbatim inside the longer
stored one (rapidfuzz partial ratio of at least NEAR_RATIO: the first sentences of a real review, cut off).
Generation also refuses a text equal to a stored one whatever its length (a repeat), so a text it accepts
is never one that evaluation counts as a copy.

A column whose real texts copy one another (canned messages, log lines: at least TEMPLATED_SHARE of them copy
another real text by this definition) holds no text a near copy could leak: there a generated text is refused
only when it is equal to a real text that occurs once (`DuplicateIndex.canned`), or to a text already generated
(`DuplicateIndex(near=False)`).

Candidates come from MinHash LSH on character 4-grams (rensa), so a check costs the same whatever the number
of stored texts; each candidate is confirmed with rapidfuzz (the containment check only where a longest common
subsequence bound leaves it possible: texts alike in words are candidates of each other, more the more are
stored). rensa, not datasketch: measured here on 20,000 texts, rensa's index took 80 us and 3.4 KB a text,
datasketch's 1,200 us and 13 KB (benchmarks/bench_dedupe.py measures the recall against the exact all-pairs
check). Memory: about 3.4 KB of index plus the normalised text (~0.3 KB for a 200-character review) per stored
text: ~370 MB at 100,000 texts, ~3.7 GB at 1,000,000.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum

from rapidfuzz import fuzz, process
from rapidfuzz.distance import LCSseq

from syngen.generation.reasons import RejectReason
from syngen.profiling.labels import phrase  # one normal form for copies and for fixed phrases

MIN_WORDS = 4  # "Great product" is written by many people: shorter texts are never copies
NEAR_RATIO = 90.0  # rapidfuzz ratio (0-100) of normalised texts at or above which they are near copies
MIN_CONTAINED_WORDS = 8  # a text this long found nearly verbatim inside a longer one (a cut copy) is a near copy
SHINGLE = 4  # characters a shingle: 4-grams separate near copies from unrelated texts best (bench_dedupe.py)
NUM_PERM = 128
NUM_BANDS = 32  # 32 bands of 4: a pair at Jaccard 0.5 is a candidate with probability 0.87, at 0.7 0.9998
SEED = 11
# partial ratio >= r puts `key` against a window w of the longer text, |w| <= len(key), with
# 2 LCS(key, w) / (len(key) + |w|) >= r; as LCS <= |w|, LCS >= r / (2 - r) len(key) in w and in any text holding w
CONTAINED_SHARE = NEAR_RATIO / (200 - NEAR_RATIO)
# Against the few examples a row was shown, a sentence reworded a few words apart is a lift too ("Instantly
# nauseous whenever I take it, even after breakfast." from "... every time I took it, ...": 86). A real
# supplements review has a sentence this near one of *any* other review of its rating in 1.15% of cases (0.46%
# at 90), so against three shown ones (almost) never.
SHOWN_SENTENCE_RATIO = 85.0
SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+")  # where one sentence ends and the next begins
# Real texts that copy another real text: the supplements reviews 0.08%, a table of canned support messages 84%.
TEMPLATED_SHARE = 0.2
# A short text several real rows hold is a placeholder or a stock phrase ("No Negative" in a fifth of a hotel
# corpus's complaints, "Great product"), no one row's: written again, it copies no one (evaluation never counts a
# text under MIN_WORDS as a copy). A short text one real row holds is still refused.
SHORT_COMMON_AT = 2
REPEAT_SAMPLE = 3_000  # texts read for that share (each against those before it): a second on any table


class CopyKind(str, Enum):
    EXACT = "exact"
    NEAR = "near"


@dataclass(frozen=True)
class Copy:
    kind: CopyKind
    of: str  # the stored text copied, normalised
    score: float  # rapidfuzz ratio, 100 for an exact copy


def normalise(text: object) -> str:
    return phrase(str(text))


def word_count(key: str) -> int:
    """Words of a normalised text (single spaces between them)."""
    return key.count(" ") + 1 if key else 0


def long_enough(key: str) -> bool:
    return word_count(key) >= MIN_WORDS


def shingles(key: str) -> list[str]:
    return list({key[i: i + SHINGLE] for i in range(max(1, len(key) - SHINGLE + 1))})


class DuplicateIndex:
    """Remembers texts; `find` says whether a new text copies one of them, `check` is generation's view.
    `near` False: only equal texts are copies; `common_at`: nor is a text stored this many times or more;
    `short_common_at`: nor a text under MIN_WORDS words stored this many times or more."""

    def __init__(self, near: bool = True, common_at: int | None = None, short_common_at: int | None = None) -> None:
        from rensa import RMinHashLSH

        self.near, self.common_at, self.short_common_at = near, common_at, short_common_at
        self._keys: dict[str, int] = {}  # normalised text -> its number in _texts
        self._texts: list[str] = []
        self._stored: list[int] = []  # how many times each was added
        self._lsh = RMinHashLSH(threshold=0.5, num_perm=NUM_PERM, num_bands=NUM_BANDS)

    def __len__(self) -> int:
        return len(self._texts)

    def add(self, text: object) -> None:
        key = normalise(text)
        if key in self._keys:
            self._stored[self._keys[key]] += 1
            return
        if not key:
            return
        self._keys[key] = len(self._texts)
        self._texts.append(key)
        self._stored.append(1)
        if long_enough(key):
            self._lsh.insert(self._keys[key], _minhash(key))

    def add_all(self, texts: Iterable[object]) -> None:
        for text in texts:
            self.add(text)

    def find(self, text: object) -> Copy | None:
        """The stored text that `text` copies (the definition above), or None."""
        return self._find(normalise(text))

    def _find(self, key: str) -> Copy | None:
        if not long_enough(key):
            return None
        if key in self._keys:
            return None if self._common(key) else Copy(CopyKind.EXACT, key, 100.0)
        if not self.near:
            return None
        candidates = [self._texts[i] for i in self._lsh.query(_minhash(key))]
        match = process.extractOne(key, candidates, scorer=fuzz.ratio, score_cutoff=NEAR_RATIO)
        if match is None and word_count(key) >= MIN_CONTAINED_WORDS:
            longer = [text for text in candidates if len(text) > len(key) and _may_contain(text, key)]
            match = process.extractOne(key, longer, scorer=fuzz.partial_ratio, score_cutoff=NEAR_RATIO)
        return Copy(CopyKind.NEAR, match[0], float(match[1])) if match else None

    def check(self, text: object) -> RejectReason | None:
        """'exact_copy' (a copy, or a repeat of a shorter text), 'near_copy' or None."""
        key = normalise(text)
        if key and key in self._keys and not self._common(key):
            return RejectReason.EXACT_COPY
        copy = self._find(key)
        return RejectReason(f"{copy.kind.value}_copy") if copy else None

    def canned(self) -> None:
        """From now on only a text equal to one stored once is a copy: the stored texts copy one another."""
        self.near, self.common_at = False, 2

    def _common(self, key: str) -> bool:
        stored = self._stored[self._keys[key]]
        if self.short_common_at is not None and not long_enough(key) and stored >= self.short_common_at:
            return True
        return self.common_at is not None and stored >= self.common_at


def copy_index(texts: Iterable[object]) -> tuple[DuplicateIndex, float]:
    """The real texts of a column in one index, and the share of them (of the first REPEAT_SAMPLE long enough to
    judge) that copy one added before them: TEMPLATED_SHARE or more, and the column is canned (`canned`)."""
    index, judged, copied = DuplicateIndex(short_common_at=SHORT_COMMON_AT), 0, 0
    for text in texts:
        key = normalise(text)
        if judged < REPEAT_SAMPLE and long_enough(key):
            judged += 1
            copied += index._find(key) is not None
        index.add(text)
    return index, copied / judged if judged else 0.0


def copied_sentence(text: object, sources: Iterable[object]) -> str | None:
    """A sentence of `text` with MIN_CONTAINED_WORDS words or more that nearly holds, or stands nearly verbatim
    in, a sentence of as many words of one of the `sources`: a small model lifts whole sentences out of the
    examples its prompt shows ("My mother is 82 and has trouble sleeping and restless legs."). Generation checks
    a text against the examples it was shown."""
    mine = [key for key in map(normalise, SENTENCE_BREAK.split(str(text))) if word_count(key) >= MIN_CONTAINED_WORDS]
    if not mine:
        return None
    theirs = [key for source in sources for key in map(normalise, SENTENCE_BREAK.split(str(source)))
              if word_count(key) >= MIN_CONTAINED_WORDS]
    for key in mine:  # partial: one of the two stands nearly verbatim in the other (both 8+ words)
        if process.extractOne(key, theirs, scorer=fuzz.partial_ratio, score_cutoff=SHOWN_SENTENCE_RATIO):
            return key
    return None


def _may_contain(text: str, key: str) -> bool:
    """False when `key` cannot stand nearly verbatim in the longer `text` (partial ratio < NEAR_RATIO for sure).
    A bound, so no copy is missed: rapidfuzz's partial ratio of a long text takes milliseconds, the longest common
    subsequence microseconds, and texts alike in words (one model's, one topic's) are LSH candidates of each other,
    more of them the more are stored. Checked on the whole text, then on overlapping pieces holding every window."""
    need = math.ceil(CONTAINED_SHARE * len(key) - 1e-9)
    if LCSseq.similarity(key, text, score_cutoff=need) < need:
        return False
    step = -(-len(key) // 2)
    width = len(key) + step  # a window of len(key) characters starting anywhere lies inside one piece
    return any(LCSseq.similarity(key, text[start: start + width], score_cutoff=need) >= need
               for start in range(0, max(1, len(text) - width + step), step))


@functools.lru_cache(maxsize=256)  # a text is checked against the real rows, then the accepted ones, then added
def _minhash(key: str):
    from rensa import RMinHash

    minhash = RMinHash(num_perm=NUM_PERM, seed=SEED)
    minhash.update(shingles(key))
    return minhash
