"""Does a generated text say what its row's item is not?

Shown real reviews of flaxseed oil as examples, the model wrote of a biotin row "The best way to eat flax oil is
definitely going to be one of these", and titled a collagen row "Great iron supplement". Real texts name what
their own item is: of the supplements texts saying "flax", "omega", "biotin" or "melatonin", none is of an item
whose title lacks the word.

So, for each fact with many values that a prompt states (an item's catalogue title, a wine's name), and each text
column, the check learns those item words: a word of some values of the fact (a fifth of them at most), used by
MIN_TEXTS real texts or more, BOUND_SHARE of them of rows whose own value holds it, a share that the rows holding
it would not give by chance (a word of the item half the reviews are of is judged against that half). A
generated text that says one while its row's value does not is rejected. Words are taken in order of how surely
they belong to their items, while the real texts they would reject stay within RARE_SHARE, so the check's cost on
real texts is bounded on any table; a table whose texts talk freely of other items gets few words or none. Words
are compared by their first STEM letters ("capsules" is "capsule"), function words and numbers aside.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from syngen.generation.echo import Facts, function_words
from syngen.profiling.model import ItemWordsOf, ItemWordsSummary

MIN_VALUES = 5  # distinct values a fact needs: fewer, and it is a category, which the label checks judge
MAX_VALUE_SHARE = 0.2  # of the fact's distinct values, those holding a word at most: a word of most items says
# nothing of one
CHANCE = 0.01  # how likely the real texts' share of own rows may be by chance, given the rows holding the word
MIN_TEXTS = 5  # real texts saying a word before it can be judged
BOUND_SHARE = 0.8  # of them, those of rows whose value holds it
RARE_SHARE = 0.01  # real texts of a column the check may reject
STEM = 6
MIN_LETTERS = 3
_WORD = re.compile(r"[^\W\d_]+")


def stems(text: str) -> dict[str, str]:
    """stem -> the first word of `text` with it, function words aside."""
    found: dict[str, str] = {}
    skip = function_words()
    for word in _WORD.findall(str(text)):
        key = word.lower()[:STEM]
        if len(key) >= MIN_LETTERS and key not in skip:
            found.setdefault(key, word)
    return found


@dataclass(frozen=True)
class ItemWords:
    # (text column, fact) -> stems the column's real texts say (almost) only of rows whose fact holds them
    bound: dict[tuple[str, str], frozenset[str]]
    real_shares: dict[tuple[str, str], float] = field(default_factory=dict)  # real texts the words would reject
    shown: dict[str, str] = field(default_factory=dict)  # stem -> the word real texts write it as most often
    labels: dict[str, str] = field(default_factory=dict)  # fact -> as the prompt names it ("item title")

    @property
    def summary(self) -> ItemWordsSummary:
        checks = [ItemWordsOf(column=column, fact=self.label(fact), words=sorted(self.shown.get(w, w) for w in words),
                              real_share=self.real_shares[(column, fact)])
                  for (column, fact), words in self.bound.items()]
        return ItemWordsSummary(checks=checks, bound_share=BOUND_SHARE)

    def label(self, fact: str) -> str:
        return self.labels.get(fact, fact)

    def foreign(self, name: str, text: str, facts: Facts) -> tuple[str, str] | None:
        """(fact, word) where `text` says a word of other items than its row's; None where it says none."""
        said = None
        for (column, fact), words in self.bound.items():
            if column != name or not facts.get(fact):
                continue
            said = said if said is not None else stems(text)
            other = sorted((words & said.keys()) - stems(facts[fact]).keys())
            if other:
                return self.label(fact), said[other[0]]
        return None


def learn_item_words(texts: Mapping[str, Sequence[object]], facts: Sequence[Facts]) -> ItemWords | None:
    """From the real rows: each text column's texts (in row order) and each row's stated facts."""
    names = _many_valued(facts)
    held = {fact: [set(stems(row[fact]) if row.get(fact) else ()) for row in facts] for fact in names}
    bound, shares, forms = {}, {}, Counter()
    for column, column_texts in texts.items():
        said = [stems(t) if isinstance(t, str) else {} for t in column_texts]
        forms.update((stem, word.lower()) for words in said for stem, word in words.items())
        for fact in names:
            words, share = _bound_words(said, held[fact])
            if words:
                bound[(column, fact)], shares[(column, fact)] = words, round(share, 4)
    if not bound:
        return None
    wanted = set().union(*bound.values())
    shown = {}
    for (stem, word), _ in forms.most_common():
        if stem in wanted:
            shown.setdefault(stem, word)
    # A catalogue field named as a text column is the item's: the prompt says "item title" beside "title".
    labels = {fact: f"item {fact}" for fact in names if fact in texts}
    return ItemWords(bound, shares, shown, labels)


def _many_valued(facts: Sequence[Facts]) -> list[str]:
    values: dict[str, set[str]] = {}
    for row in facts:
        for name, value in row.items():
            values.setdefault(name, set()).add(value)
    return [name for name, seen in values.items() if len(seen) >= MIN_VALUES]


def _bound_words(said: list[dict[str, str]], held: list[set[str]]) -> tuple[frozenset[str], float]:
    """The words surest to belong to their items first, while the real texts they reject stay within RARE_SHARE."""
    from scipy.stats import binom

    rows = [i for i, holds in enumerate(held) if holds]  # a row without the fact tells nothing of whose words these are
    distinct_values = {frozenset(held[i]) for i in rows}
    values = Counter(word for holds in distinct_values for word in holds)
    distinct = len(distinct_values)
    base = Counter(word for i in rows for word in held[i])
    items = {word for word, n in values.items() if n <= MAX_VALUE_SHARE * distinct}
    total, own = Counter(), Counter()
    for i in rows:
        for word in said[i].keys() & items:
            total[word] += 1
            own[word] += word in held[i]

    def surely(word: str) -> bool:
        """Said of its items far more often than their share of the rows would give by chance."""
        chance = binom.sf(own[word] - 1, total[word], base[word] / len(rows))
        return total[word] >= MIN_TEXTS and own[word] >= BOUND_SHARE * total[word] and chance <= CHANCE

    candidates = sorted(filter(surely, total), key=lambda w: (-own[w] / total[w], -total[w], w))
    chosen: set[str] = set()
    rejected: set[int] = set()
    texts = sum(1 for words in said if words)
    for word in candidates:
        rejects = {i for i in rows if word in said[i] and word not in held[i]}
        if len(rejected | rejects) <= RARE_SHARE * texts:
            chosen.add(word)
            rejected |= rejects
    return frozenset(chosen), (len(rejected) / texts if texts else 0.0)


def said_of_others(check: ItemWords | None, row: Mapping[str, str], fields: Iterable[str],
                   facts: Facts) -> tuple[str, str, str] | None:
    """(text column, fact, word) of the first of `fields` that says a word of other items; None otherwise."""
    if check is None:
        return None
    for name in fields:
        found = check.foreign(name, row[name], facts)
        if found is not None:
            return name, *found
    return None
