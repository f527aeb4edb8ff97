"""A text that takes most of its wording from one example its prompt showed.

A small model shown three real reviews sometimes rewrites one of them a word apart ("nauseous every single day
on this, stopped. want my money back" -> "Nauseous every single day on this, stop."): too short for the copy
definition's 8-word containment, yet plainly lifted. Measured on the 1,308 real supplement reviews, a text
shares at most 7% of its word 4-grams with any one other review of its rating (99.9% quantile), and fewer than 1%
share 30% with any other real review (0.23 at the 99% quantile; the demo's 420 reviews 0.20); of 200 generated
ones 2.5% did ("Everybody in the house takes them. Even my picky teenager has a favorite gummy..." from
"Everybody in the house takes them, even my picky teenager. Good value for 60.", a quick start's row at 44%).
A text that carries eight words in a row of one example is lifted too, however much it adds: of the real
reviews, none shares even six words in a row with three others of its rating drawn at random (0 of 1,308
supplements, 0 of 420 demo reviews; five words: 0.15% and 0.24%). Six words in a row were tried first and caught
"Everybody in the house takes them, only those who are not of this world can eat them."; but at seed 0 on one CPU
they rejected the demo's first 2-star text ("Made me feel wired and anxious and I didn't want to eat any more.",
six words of its example) and the 3-row run took 438 s against 137 s, past the app's time for a first run.

An answer can also be mostly an example's opening: the example's first words, then, pushed off the copy by the
sampler's penalty, a few garbled ones ("nauseous every single day on this, stopped" -> "nauseous every single
day on which I am."). A text whose first four words or more are an example's first words, making half its words
or more, is a lift (40% would also take the demo's "Made me feel wired and anxious and I didn't want to eat any
more.", 6 of 13 words, whose rejection once made the app's first run three times as long).
A real text opens with the first four words of one of three others of its rating drawn at random 0.13% of the
time (supplements) and 0.24% (demo); with any three others 0.42% (helpdesk descriptions), 0 (recipe notes). A
column whose texts open alike more often (formulaic short texts) is not checked so. Any opening of four words
was tried first: the model opens a fifth of its answers so (122 of 547 on 80 supplements rows), and on the
200-row benchmark near copies went from 85 to 310 rejections and 23.8 rows/min to 15.6; 9 of the 122 were
half the opening or more.

Judged from the example's side, a text that carries most of a short example is a lift however much it pads it:
"Great flavor. My son loves the taste. I would definitely buy again. ..." carries all four 4-grams of the real
"Great flavor. My son loves the taste." but they are 4 of its 19. A real supplements review carries 40% of the
4-grams (three at least) of one of three others drawn at random in none of 1,308 cases (demo 0 of 420; of any
other of its rating 6 of 1,308); of 80 generated rows 4 did. Texts built from shared phrases (a templated
column) carry each other's more often, and a column whose real texts do so more than 1% of the time is not
checked so.

A text can also follow one example word by word with some of its words changed, too few 4-grams kept whole
for the rules above (5 of 18 here):
"Awful pounding headaches from the first days. I'm sensitive to methylfolate and am not sure how to stop them
again." from the demo's "Awful pounding headaches from the first day. I'm sensitive to methylfolate apparently.
Stopped and they went away." (the quick start's first row until 6 December, night; rapidfuzz ratio 76 on the
normalised texts). Of real texts of eight words or more, the closest of three others drawn at random reaches a
ratio of 56 at most (supplements; demo 49); an answer at 65 or more against a shown example of as many words is
a rewording. Not checked in a column whose real texts come that close to one of three others more than 1% of
the time (templated text).
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from os.path import commonprefix  # the longest common prefix of any sequences: here, word lists

from rapidfuzz import fuzz

from syngen.generation.dedupe import MIN_CONTAINED_WORDS, SENTENCE_BREAK, normalise, word_count

GRAM = 4
LIFTED_SHARE = 0.3  # of the text's word 4-grams found in one example
MIN_LIFTED = 3  # 4-grams, six words in a row at least: a shared stock phrase ("i have been taking") is not a lift
RUN_GRAMS = 5  # shared 4-grams in a row: eight words in a row of the example
OPENING_WORDS = 4
OPENED_SHARE = 0.5  # of the text's words that are an example's first words: the text is mostly its opening
OPENING_SHARE = 0.01  # real texts opening as one of the shown examples more often than this: openings not checked
SHOWN = 3  # examples a prompt shows, for the real texts' chance of opening as one of them
CARRIED_SHARE = 0.4  # of an example's word 4-grams that a text carries: most of a short example
BORROWING_CHANCE = 0.01  # real texts carrying or rewording one of three others more often: that rule is off
REWORDED_RATIO = 65  # rapidfuzz ratio of a text to a shown example, both MIN_CONTAINED_WORDS words or more
CHANCE_SAMPLE = 1000  # real texts drawn to measure those chances: a million-row table profiles as fast


def _grams(text: object) -> list[tuple[str, ...]]:
    words = normalise(text).split()
    return [tuple(words[i: i + GRAM]) for i in range(len(words) - GRAM + 1)]


def lifted_from(text: object, sources: Iterable[object]) -> int | None:
    """The position among `sources` of the one `text` takes much of its wording, or eight words in a row, from;
    or None."""
    mine = _grams(text)
    if len(mine) < MIN_LIFTED:
        return None
    for position, source in enumerate(sources):
        theirs = set(_grams(source))
        found = [gram in theirs for gram in mine]
        if sum(found) >= MIN_LIFTED and (sum(found) >= LIFTED_SHARE * len(mine) or _longest_run(found) >= RUN_GRAMS):
            return position
    return None


def carried_from(text: object, sources: Iterable[object]) -> int | None:
    """The position among `sources` of the first whose word 4-grams `text` mostly carries (`CARRIED_SHARE`, three
    at least); or None. More text only carries more, so a text still being written can be judged."""
    mine = set(_grams(text))
    if len(mine) < MIN_LIFTED:
        return None
    for position, source in enumerate(sources):
        theirs = _grams(source)
        carried = sum(gram in mine for gram in theirs)
        if carried >= MIN_LIFTED and carried >= CARRIED_SHARE * len(theirs):
            return position
    return None


def reworded_from(text: object, sources: Iterable[object]) -> int | None:
    """The position among `sources` of the first that `text` follows word by word, words changed (`REWORDED_RATIO`),
    both of MIN_CONTAINED_WORDS words or more; or None."""
    mine = normalise(text)
    if word_count(mine) < MIN_CONTAINED_WORDS:
        return None
    for position, source in enumerate(sources):
        theirs = normalise(source)
        if word_count(theirs) >= MIN_CONTAINED_WORDS and fuzz.ratio(mine, theirs) >= REWORDED_RATIO:
            return position
    return None


def borrowing_chance(texts: Iterable[object], finds: Callable[[object, Iterable[object]], int | None],
                     shared: frozenset[str] = frozenset()) -> float:
    """The share of real texts (`CHANCE_SAMPLE` drawn, seeded) that `finds` borrowing from one of `SHOWN` others
    drawn at random, their `shared` sentences left out: how often an answer doing so with an example is normal."""
    texts = [text for text in texts if isinstance(text, str) and text.strip()]
    if len(texts) <= SHOWN:
        return 0.0
    draw = random.Random(0)
    sample = draw.sample(range(len(texts)), min(CHANCE_SAMPLE, len(texts)))
    found = 0
    for i in sample:
        others = [j for j in draw.sample(range(len(texts)), SHOWN + 1) if j != i][:SHOWN]
        found += finds(texts[i], [without_shared(texts[j], shared) for j in others]) is not None
    return found / len(sample)


def _longest_run(found: list[bool]) -> int:
    longest = run = 0
    for hit in found:
        run = run + 1 if hit else 0
        longest = max(longest, run)
    return longest


def opening(text: object) -> tuple[str, ...] | None:
    """The text's first `OPENING_WORDS` words, normalised; None for a shorter text."""
    words = normalise(text).split()[:OPENING_WORDS]
    return tuple(words) if len(words) == OPENING_WORDS else None


def opened_from(text: object, sources: Iterable[object]) -> int | None:
    """The position among `sources` of the first one whose opening (four words or more) makes half of `text` or
    more (`OPENED_SHARE`); or None."""
    mine = normalise(text).split()
    if len(mine) < OPENING_WORDS:
        return None
    for position, source in enumerate(sources):
        shared = len(commonprefix([mine, normalise(source).split()]))
        if shared >= OPENING_WORDS and shared >= OPENED_SHARE * len(mine):
            return position
    return None


def shared_opening_chance(texts: Iterable[object]) -> float:
    """The chance that a real text opens as one of `SHOWN` other real texts drawn at random does (four words;
    expected over the column, exactly, rather than drawn): how often an answer opening as an example would be
    normal."""
    openings = [found for found in map(opening, texts) if found is not None]
    if len(openings) < 2:
        return 0.0
    counts = Counter(openings)
    others = len(openings) - 1
    chance = sum(1 - (1 - (counts[found] - 1) / others) ** SHOWN for found in openings)
    return chance / len(openings)


def first_sentence(text: object) -> str | None:
    """The text's first sentence, normalised, if it has `OPENING_WORDS` words or more; else None."""
    first = normalise(SENTENCE_BREAK.split(str(text).strip(), maxsplit=1)[0])
    return first if len(first.split()) >= OPENING_WORDS else None


def opened_with(text: object, sources: Iterable[object], common: frozenset[str]) -> int | None:
    """The position among `sources` of the first whose first sentence is the text's own, unless that sentence opens
    several real texts (`common`: "this is a great product"); or None."""
    mine = first_sentence(text)
    if mine is None or mine in common:
        return None
    return next((position for position, source in enumerate(sources) if first_sentence(source) == mine), None)


def common_first_sentences(texts: Iterable[object]) -> frozenset[str]:
    """The first sentences that open two real texts or more."""
    counts = Counter(found for found in map(first_sentence, texts) if found is not None)
    return frozenset(found for found, count in counts.items() if count > 1)


def shared_sentences(texts: Iterable[object]) -> frozenset[str]:
    """The sentences of MIN_CONTAINED_WORDS words or more that two real texts or more hold (normalised): a stock
    line ("Here's the video: you can't make this stuff up.", a company's blurb under each of its job ads) is no
    one text's to leak, and an answer writing it again copies no example."""
    counts = Counter(key for text in texts for key in {normalise(part) for part in SENTENCE_BREAK.split(str(text))}
                     if word_count(key) >= MIN_CONTAINED_WORDS)
    return frozenset(key for key, count in counts.items() if count > 1)


def without_shared(text: str, shared: frozenset[str]) -> str:
    """`text` without its sentences that `shared` holds: what of it is its own."""
    if not shared:
        return text
    return " ".join(part for part in SENTENCE_BREAK.split(text) if normalise(part) not in shared)


@dataclass(frozen=True)
class BorrowingRule:
    """How a column's answers are judged against the examples they were shown: by their openings only where its
    real texts (almost) never open as an example does (`checked`), never for a first sentence several real texts
    open with (`common`), never for a sentence several real texts hold (`shared`), and by how much of an example
    they carry, or by how closely they reword one, only where real texts (almost) never do so with another's
    (`carried`, `reworded`)."""

    checked: bool = False
    common: frozenset[str] = frozenset()
    shared: frozenset[str] = frozenset()
    carried: bool = False
    reworded: bool = False


def borrowing_rule(texts: Iterable[object]) -> BorrowingRule:
    texts = list(texts)
    shared = shared_sentences(texts)
    return BorrowingRule(shared_opening_chance(texts) < OPENING_SHARE, common_first_sentences(texts), shared,
                         borrowing_chance(texts, carried_from, shared) < BORROWING_CHANCE,
                         borrowing_chance(texts, reworded_from, shared) < BORROWING_CHANCE)
