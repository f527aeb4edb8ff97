"""Does a generated text repeat the row's own facts from its prompt, word for word?

Shown "item title: Clearbrook Labs Probiotic 50 Billion CFU, 12 Strains, ...", a small model titles its review
"Clearbrook Labs Probiotic 50 Million". Real texts name their item in a few words at most: on the supplements data
0.5% of real titles share four words in a row with their own item's catalogue title (1.2% share three). So, per
text column, the check learns the shortest run of words that fewer than RARE_SHARE of real texts share with their
own row's facts (its catalogue item and the values the prompt states), and rejects a generated text sharing such
a run with its row's facts. Learned from the real rows, so a table whose texts quote their item does not get it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from syngen.profiling.model import EchoCheckSummary

RARE_SHARE = 0.01
RUNS = range(3, 7)  # words in a row; a column whose real texts share 6 with their facts gets no check
MIN_ROWS = 50
MAX_ROWS = 5000  # real rows learned from: a bounded cost on any table
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)?")

Facts = Mapping[str, str]  # what the prompt states about one row: name -> value


@dataclass(frozen=True)
class ContextEcho:
    runs: dict[str, int]  # text column -> words in a row that (almost) no real text shares with its row's facts

    @property
    def summary(self) -> EchoCheckSummary:
        return EchoCheckSummary(runs=dict(self.runs), real_share=RARE_SHARE)

    def find(self, name: str, text: str, facts: Facts) -> tuple[str, str] | None:
        """(fact name, the shared words) of the first fact `text` repeats; None when it repeats none."""
        length = self.runs.get(name)
        return None if length is None else _shared(text, facts, length)


def learn_context_echo(texts: Mapping[str, Iterable[str]], facts: list[Facts]) -> ContextEcho:
    """`texts`: each text column's real values, row by row, aligned with `facts` (each real row's facts)."""
    runs = {}
    for name, column in texts.items():
        present = [(str(text), fact) for text, fact in zip(column, facts, strict=True)
                   if isinstance(text, str) and text.strip() and fact]
        if len(present) < MIN_ROWS:
            continue
        for length in RUNS:
            sharing = sum(_shared(text, fact, length) is not None for text, fact in present)
            if sharing / len(present) < RARE_SHARE:
                runs[name] = length
                break
    return ContextEcho(runs)


def _shared(text: str, facts: Facts, length: int) -> tuple[str, str] | None:
    mine = _runs(text, length)
    for key, value in facts.items():
        shared = mine & _runs(value, length)
        if shared:
            return key, " ".join(min(shared))
    return None


def _runs(text: str, length: int) -> set[tuple[str, ...]]:
    words = _WORD.findall(str(text).lower())
    return {tuple(words[i: i + length]) for i in range(len(words) - length + 1)}
