"""Does a generated text repeat the row's own facts from its prompt, word for word?

Shown "item title: Clearbrook Labs Probiotic 50 Billion CFU, 12 Strains, ...", a small model titles its review
"Clearbrook Labs Probiotic 50 Million". Real texts name their item in a few words at most: on the supplements data
0.5% of real titles share four words in a row with their own item's catalogue title (1.2% share three). So, per
text column, the check learns the shortest run of words that fewer than RARE_SHARE of real texts share with their
own row's facts (its catalogue item and the values the prompt states), and rejects a generated text sharing such
a run with its row's facts. A shorter text made only of its facts' words ("Bluefin Wellness", its item's brand) is
rejected too where fewer than RARE_SHARE of real texts are, fact by fact: 1.8% of the real supplements titles are
their item's name ("Flaxseed oil"), none is its category, which the model wrote as a title ("Vitamins &
Supplements", 2 of 60 rows). Learned from the real rows, so a table whose texts quote their item does not get it.
A stated value that is not a word of the texts' language, said whole, is a leak too: a Stack Overflow question's
body ended "#R-LQ_CLOSE" (its quality label). So a fact whose own value fewer than RARE_SHARE of real texts say,
and that fewer than RARE_SHARE of all real texts say at all (a rating's "5", a flag's "True" stay free), may not
be said by a generated text of its row.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache

from syngen.profiling.labels import phrase
from syngen.profiling.model import EchoCheckSummary

RARE_SHARE = 0.01
RUNS = range(3, 7)  # words in a row; a column whose real texts share 6 with their facts gets no check
MIN_ROWS = 50
MAX_ROWS = 5000  # real rows learned from: a bounded cost on any table
STEM = 6  # letters a word is compared by
MAX_VALUES = 50  # a fact with more values is an item's own name or words (the runs above judge those), not a code
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)?")

Facts = Mapping[str, str]  # what the prompt states about one row: name -> value


@dataclass(frozen=True)
class ContextEcho:
    runs: dict[str, int]  # text column -> words in a row that (almost) no real text shares with its row's facts
    # text column -> the facts whose words alone (almost) no real text of it is made of
    whole: dict[str, frozenset[str]] = field(default_factory=dict)
    facts: frozenset[str] = frozenset()  # every fact the real rows state
    # text column -> the facts whose value, said whole, (almost) no real text says ("LQ_CLOSE", "Sci/Tech")
    unsaid: dict[str, frozenset[str]] = field(default_factory=dict)

    @property
    def summary(self) -> EchoCheckSummary:
        """Names the facts a column may not be made of only where it may be made of others (a list of them all
        told a user nothing)."""
        some = {name: sorted(facts) for name, facts in self.whole.items() if facts != self.facts}
        return EchoCheckSummary(runs=dict(self.runs), whole=sorted(self.whole), real_share=RARE_SHARE,
                                whole_facts=some, unsaid={name: sorted(keys) for name, keys in self.unsaid.items()})

    def find(self, name: str, text: str, facts: Facts) -> tuple[str, str] | None:
        """(fact name, the shared words) of the first fact `text` repeats; None when it repeats none."""
        length = self.runs.get(name)
        found = None if length is None else _shared(text, facts, length)
        if found is None and name in self.whole:
            found = _within(text, facts)
            found = found if found is not None and found[0] in self.whole[name] else None
        if found is None and name in self.unsaid:
            found = _said(text, facts, self.unsaid[name])
        return found


    def repeats(self, name: str, text: str, facts: Facts) -> tuple[str, str] | None:
        """(fact name, the shared words) where `text` shares the column's run of words with one of `facts` (another
        row's, such as a shown example's); None otherwise."""
        length = self.runs.get(name)
        return None if length is None else _shared(text, facts, length)


def learn_context_echo(texts: Mapping[str, Iterable[str]], facts: list[Facts]) -> ContextEcho:
    """`texts`: each text column's real values, row by row, aligned with `facts` (each real row's facts)."""
    runs, whole, unsaid = {}, {}, {}
    named = sorted({key for fact in facts for key in fact})
    for name, column in texts.items():
        present = [(str(text), fact) for text, fact in zip(column, facts, strict=True)
                   if isinstance(text, str) and text.strip() and fact]
        if len(present) < MIN_ROWS:
            continue
        for length in RUNS:
            if _share(present, lambda text, fact, n=length: _shared(text, fact, n)) < RARE_SHARE:
                runs[name] = length
                break
        made_of = Counter(found[0] for text, fact in present if (found := _within(text, fact)) is not None)
        rare = frozenset(key for key in named if made_of[key] < RARE_SHARE * len(present))
        if rare:
            whole[name] = rare
        if never := _never_said(present, named):
            unsaid[name] = never
    return ContextEcho(runs, whole, frozenset(named), unsaid)


def _never_said(present: list[tuple[str, Facts]], named: list[str]) -> frozenset[str]:
    """The facts whose own value fewer than RARE_SHARE of the texts of rows stating it say, and whose values
    together fewer than RARE_SHARE of all the texts say (whatever their row): not words of the texts' language."""
    texts = [_phrase(text) for text, _ in present]
    never = set()
    for key in named:
        forms = {value: _phrase(value) for _, fact in present if _sayable(value := fact.get(key, ""))}
        if len(forms) > MAX_VALUES:
            continue
        stating = [(said, forms[fact[key]]) for said, (_, fact) in zip(texts, present, strict=True)
                   if fact.get(key, "") in forms]
        if len(stating) < MIN_ROWS:
            continue
        own = sum(form in said for said, form in stating)
        anywhere = sum(any(form in said for form in forms.values()) for said in texts)
        if own < RARE_SHARE * len(stating) and anywhere < RARE_SHARE * len(texts):
            never.add(key)
    return frozenset(never)


def _said(text: str, facts: Facts, keys: frozenset[str]) -> tuple[str, str] | None:
    """(fact name, its value) for the first of `keys` whose value `text` says whole."""
    said = _phrase(text)
    for key in sorted(keys):
        value = facts.get(key, "")
        if _sayable(value) and _phrase(value) in said:
            return key, value
    return None


def _sayable(value: str) -> bool:
    """A value with two letters or more: a number alone ("5") is said for many other reasons."""
    return sum(ch.isalpha() for ch in value) >= 2


def _phrase(text: str) -> str:
    """The project's normal form of a phrase between spaces, so a value is found only whole: " lq close " not in
    " lq closed "."""
    return f" {phrase(str(text))} "


def _share(present: list[tuple[str, Facts]], finds) -> float:
    return sum(finds(text, fact) is not None for text, fact in present) / len(present)


def _shared(text: str, facts: Facts, length: int) -> tuple[str, str] | None:
    """(fact name, the text's words it shares) for the first fact sharing `length` words in a row with `text`."""
    said = _WORD.findall(str(text))
    mine = _stems(said)
    for key, value in facts.items():
        theirs = _runs(_words(value), length)
        for start in range(len(mine) - length + 1):
            if tuple(mine[start: start + length]) in theirs:
                return key, " ".join(said[start: start + length])
    return None


def _within(text: str, facts: Facts) -> tuple[str, str] | None:
    """(fact name, the text) for a text of two words or more whose every word is a word of one fact, in any order
    or repeated ("Naturals Naturals" from "Northfield Naturals"), or of the facts together ("Naturals Health" from
    the item "Northfield Naturals ..." in "Health & Household"; named by the fact holding most of its words).
    Function words do not count either way: "The Northfield Naturals" (a quick-start title) is its item's brand."""
    filler = function_words()
    words = [word for word in _words(text) if word not in filler]
    if len(words) < 2:
        return None
    mine = set(words)
    held = {key: mine & set(_words(value)) for key, value in facts.items()}
    if not held or not mine <= set().union(*held.values()):
        return None
    return max(held, key=lambda key: len(held[key])), " ".join(_WORD.findall(str(text)))


@cache
def function_words() -> frozenset[str]:
    """scikit-learn's English stop words, as stems. English only: elsewhere nothing is left out, as before."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return frozenset(_stems(sorted(ENGLISH_STOP_WORDS)))


def _words(text: str) -> list[str]:
    return _stems(_WORD.findall(str(text)))


def _stems(words: list[str]) -> list[str]:
    """Words by their first STEM letters, plurals made singular first: a small model inflects what it echoes
    ("B - Complexes" for "B-Complex", "Gummy" for "Gummies"), and a truncation stem matches that with no stemmer
    library or data. One a word, so they align with `words`."""
    return [_singular(word.lower())[:STEM] for word in words]


def _singular(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def _runs(words: list[str], length: int) -> set[tuple[str, ...]]:
    return {tuple(words[i: i + length]) for i in range(len(words) - length + 1)}
