"""Words only one real row uses: a text holding two of a shown row's is that row's, however it rewords the rest.

SmolLM2, shown "After using Prilosec for 25 years 2X day due to a hiatal hernia, I switched to the much cheaper
Native Remedy. Fantasic results. No more prilosec for me!", wrote "After using Prilosec for two years 2X days due
to a hiatal hernia my granddaughter switched to the much cheaper, unpalatable ...". No wording rule caught it (no
eight words in a row, under 30% of its word 4-grams: lifting.py), yet it carries one person's illness and typo.
A word of three letters or more that one real row alone holds, in any of its text columns, is that row's own
("prilosec", "hiatal", "fantasic"). A text holding two own words of one row its prompt showed, the words the
prompt stated aside (its item's name), takes from that row. Measured on the supplements data: generated texts
held two of one real row's in 3 of 80 (seed 11) and 4 of 30 (an earlier run), each plainly that row's text
reworded ("I tried the first dose at room temp", "My husband loves this for knee pain ... not as bad as
Bengay"), and no other text held two. Real texts do by chance against many rows (3.1% of one half of the
reviews against the 654 of the other: "pleasantly surprised"), against three never (0 of 3,270), hence shown rows
only; evaluation counts them against all real texts, beside the real halves' own share.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass

OWN_WORD = re.compile(r"[^\W\d_]{3,}")
MIN_TAKEN = 2  # one rare word is a coincidence ("Prilosec" from anyone taking it); two of one row's are its text


def text_words(text: object) -> set[str]:
    return set(OWN_WORD.findall(str(text).casefold()))


@dataclass(frozen=True)
class OwnWords:
    """Each word one real row alone holds, with that row's index label."""

    owners: Mapping[str, object]

    def taken(self, text: str, stated: Iterable[str] = (), among: Collection[object] | None = None
              ) -> tuple[object, list[str]] | None:
        """(the real row, its own words `text` holds) where it holds MIN_TAKEN or more of one row's (of the rows
        `among` only, if given), the words of `stated` (what the prompt told the model) aside; None otherwise."""
        words = text_words(text)
        if len(self._most_of_one_row(words, among)[1]) < MIN_TAKEN:
            return None  # most texts, at every sentence end of an answer: what the prompt stated need not be read
        row, taken = self._most_of_one_row(words - set().union(*map(text_words, stated)), among)
        return (row, taken) if len(taken) >= MIN_TAKEN else None

    def _most_of_one_row(self, words: set[str], among: Collection[object] | None) -> tuple[object, list[str]]:
        """The row (of `among`, if given) owning most of `words`, with those words in alphabetical order."""
        by_row: dict[object, list[str]] = defaultdict(list)
        for word in sorted(words):
            if word in self.owners and (among is None or self.owners[word] in among):
                by_row[self.owners[word]].append(word)
        return max(by_row.items(), key=lambda item: len(item[1]), default=(None, []))


def learn_own_words(columns: Mapping[str, Iterable[tuple[object, object]]]) -> OwnWords:
    """From each column's (row index label, text) pairs: the words held by one row only, in any of them. One owner
    a word, not the set of its rows: on a million rows "the" would hold a million labels."""
    owners: dict[str, object] = {}
    shared: set[str] = set()
    for cells in columns.values():
        for label, text in cells:
            if not isinstance(text, str):
                continue
            for word in text_words(text) - shared:
                if owners.setdefault(word, label) != label:
                    del owners[word]
                    shared.add(word)
    return OwnWords(owners)
