"""Choose the real rows shown to the model as examples.

A small model follows examples far better than instructions, so examples carry what a row should be:
- they share the row's own values in the columns its text predicts (the same rating, the same label),
  relaxing the least predictive column when the real data has too few such rows;
- a row asked for a short text (within the real column's shortest quarter) sees short ones: shown three
  45-word reviews, SmolLM2 cannot write a 4-word one, runs to its bound and is cut;
- the knobs choose them too: long or short ones for `length`, hard or easy ones for `complexity`, ones far
  apart or typical ones for `diversity`;
- rows of one block with the same values share one set (so llama.cpp reuses the prompt prefix), and the
  sets rotate across blocks so the output does not collapse onto a few examples; `diversity high` gives every
  row its own set, `diversity low` one set for the whole run.
Every choice is recorded for the privacy check.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

from syngen.profiling.model import DatasetProfile
from syngen.profiling.textshape import first_word, tidy
from syngen.prompts.strategies import Knobs

MAX_EXAMPLE_WORDS = 45  # long examples cost prompt time on small CPUs and teach little more
LONG_EXAMPLE_WORDS = 110  # the cap when the length knob asks for long texts
# Where the main text's median is long, the cap follows it: at 45 words every example of long Stack Overflow-like
# questions (median 51 words) was a short low-quality one, and the high-quality rows were shown none like them.
FITTED_EXAMPLE_WORDS = (1.5, 200)  # times the median, at most
KNOB_QUANTILE = 0.25  # `low` draws from the lowest quarter of a measure, `high` from the highest
DIVERSITY_POOL = 24  # candidates the diversity knob chooses its examples among
CODE_SHARE = 0.9  # a column whose values are (almost) all codes
_CODE = re.compile(r"(?=\S*[A-Za-z])(?=\S*\d)[\w-]{6,}")
_SENTENCE = re.compile(r"[^.!?]+[.!?]*")
OPENING_TRIES = 50  # pool rows read for a plain first word (a pool of codes or numbers gives none)


class FewShotPicker:
    def __init__(self, frame: pd.DataFrame, profile: DatasetProfile, k: int, seed: int,
                 strata: list[str] | None = None, knobs: Knobs | None = None, named: Sequence[str] = (),
                 shown_as: Callable[[str, str], str] = lambda column, text: text) -> None:
        """`shown_as`: a real text as an example shows it, out of the quotes every real one is in (the model
        writing them itself wrote '"... again""It did nothing."'; generation/checks.py puts them back)."""
        self.frame = frame
        self.profile = profile
        self.k = k
        self.seed = seed
        self.knobs = knobs or Knobs()
        self.shown_as = shown_as
        self.text_columns = [c.name for c in profile.text_columns]
        self.main_text = profile.main_text
        self.strata = strata if strata is not None else self._smallest_category()
        self.context_columns = _context_columns(profile, self.strata, named)
        self.stated_columns = [name for name in self.context_columns if not _is_code_column(profile, name)]
        self.scales = _scales(profile, self.stated_columns)
        self.shown: set[int] = set()
        self._words = frame[self.main_text].astype(str).str.split().str.len().fillna(0)
        self._cap = self._example_words()
        self._usable = self._usable_rows()
        self._any_length: pd.Index | None = None  # made when a stratum has too few usable rows
        self._short_words = float(self._words.quantile(KNOB_QUANTILE)) if len(self._words) else 0.0
        self._pools: dict[tuple[str, ...], pd.Index] = {}

    def _smallest_category(self) -> list[str]:
        """Without learned checks: the categorical column with the fewest values (>1), e.g. a rating."""
        candidates = self.profile.small_categories()
        return [min(candidates, key=lambda c: c.n_distinct).name] if candidates else []

    def _usable_rows(self) -> pd.Index:
        usable = self.frame.index[(self._words >= 2) & (self._words <= self._cap)]
        usable = usable if len(usable) >= self.k else self.frame.index[self._words >= 1]
        return _knob_filter(usable, self.knobs, self._words, self.frame[self.main_text])

    def pick(self, block: int, position: int, values: dict[str, str], target_words: int | None = None) -> list[int]:
        """Row indices for one prompt: k real rows with the row's own values where the data has them, short ones
        when the row's main text is to be short (`target_words`), the same for every row of a block alike."""
        if self.k == 0:
            return []
        key, pool = self._row_pool(values, target_words)
        rng = self._rng(key, self._rotation(block, position))
        indices = _choose(pool, self.k, rng, self.knobs.diversity, self.frame[self.main_text])
        self.shown.update(indices)
        return indices

    def top_up(self, values: dict[str, str], target_words: int | None, kept: list[int], avoid: set[int],
               seed: int, unfit: Callable[[int], bool] = lambda index: False) -> list[int]:
        """`kept` made k examples again with rows of the row's own pool outside `avoid` (the examples its answers
        copied, never shown to it again) that are not `unfit` (a row saying what the copy said). An example
        dropped and not replaced costs: on the supplements data an attempt shown 3 examples passed 43% of the
        time, one shown 2 31%, one shown 1 10% (more stock text)."""
        key, pool = self._row_pool(values, target_words)
        fresh = pool[~pool.isin(list(avoid | set(kept)))]
        rng = self._rng(key, seed)
        added: list[int] = []
        for index in rng.permutation(fresh.to_numpy()):
            if len(kept) + len(added) >= self.k:
                break
            if not unfit(int(index)):
                added.append(int(index))
        self.shown.update(added)
        return kept + added

    def opening(self, values: dict[str, str], target_words: int | None, stream: Sequence[int]) -> str:
        """The first word of a real main text of the row's own pool, for its answer to open with ("" where the pool
        has no plain word to give). Left to open as it likes, a small model opens with an example's first words and
        goes on with its first sentence (83 of 99 sentence copies on the supplements data); opened as a real text of
        its values opens, it mostly writes its own. Drawn like a real text, so the openings keep the real mix."""
        key, pool = self._row_pool(values, target_words)
        texts = self.frame[self.main_text]
        for index in self._rng(key, *stream).permutation(pool.to_numpy())[:OPENING_TRIES]:
            word = first_word(texts.at[index])
            if word:
                return word
        return ""

    def _row_pool(self, values: dict[str, str], target_words: int | None) -> tuple[tuple[str, ...], pd.Index]:
        """The rows a row's examples and opening come from: its own values' pool, its short band for a short text."""
        key, pool = self._pool(values)
        return self._short(key, pool) if self._wants_short(target_words) else (key, pool)

    def _rng(self, key: tuple[str, ...], *stream: int) -> np.random.Generator:
        """The run's seed, the draw's stream and the pool, so each pool draws on its own."""
        return np.random.default_rng([self.seed, *stream, zlib.crc32("\x1f".join(key).encode())])

    def _wants_short(self, target_words: int | None) -> bool:
        return self.knobs.length == "match" and target_words is not None and target_words <= self._short_words

    def _short(self, key: tuple[str, ...], pool: pd.Index) -> tuple[tuple[str, ...], pd.Index]:
        """The pool's rows in the real column's shortest quarter, when it has k of them."""
        short = pool[(self._words.loc[pool] <= self._short_words).to_numpy()]
        return (key + ("\x1eshort",), short) if len(short) >= self.k else (key, pool)

    def _rotation(self, block: int, position: int) -> int:
        """Which set of examples a row sees: one per block (`match`), a new one every row (`diversity high`: rows
        drift apart as their examples do), or one for the whole run (`low`: every row sees the same typical rows)."""
        return {"high": position, "low": 0}.get(self.knobs.diversity, block)

    def _pool(self, values: dict[str, str]) -> tuple[tuple[str, ...], pd.Index]:
        """The usable rows sharing the most of the row's stratum values (dropping the last column first)."""
        for used in range(len(self.strata), -1, -1):
            key = tuple(str(values.get(name, "")) for name in self.strata[:used])
            if key not in self._pools:
                self._pools[key] = self._sharing(self._usable, key)
                if len(self._pools[key]) < self.k:
                    # A value whose real texts are all long (well-asked questions with their code) is shown them
                    # shortened, not other values' short ones: an HQ row shown three LQ_CLOSE rows wrote one.
                    self._pools[key] = self._sharing(self._rows_of_any_length(), key)
            if len(self._pools[key]) >= self.k or used == 0:
                return key, self._pools[key]
        raise AssertionError("unreachable: the loop ends with used == 0")

    def _rows_of_any_length(self) -> pd.Index:
        """The rows the knobs allow, however long their texts (shown shortened)."""
        if self._any_length is None:
            self._any_length = _knob_filter(self.frame.index[self._words >= 1], self.knobs, self._words,
                                            self.frame[self.main_text])
        return self._any_length

    def _sharing(self, rows: pd.Index, key: tuple[str, ...]) -> pd.Index:
        """The rows among `rows` with the stratum values `key` (of the first len(key) strata)."""
        mask = np.ones(len(rows), dtype=bool)
        for name, value in zip(self.strata[:len(key)], key, strict=True):
            mask &= (self.frame.loc[rows, name].astype(str) == value).to_numpy()
        return rows[mask]

    def example(self, index: int) -> dict[str, str]:
        row = self.frame.loc[index]
        shown = {name: str(row[name]) for name in self.stated_columns}
        shown.update({c: shorten(self.shown_as(c, str(row[c])), self._cap) for c in self.text_columns})
        return shown

    def _example_words(self) -> int:
        """The longest example text shown: the knob's cap, or more where the main text's median is long."""
        base = LONG_EXAMPLE_WORDS if self.knobs.length == "high" else MAX_EXAMPLE_WORDS
        factor, most = FITTED_EXAMPLE_WORDS
        written = self._words[self._words > 0]
        median = float(written.median()) if len(written) else 0.0
        return max(base, min(most, round(factor * median)))


def _context_columns(profile: DatasetProfile, strata: Sequence[str], named: Sequence[str] = ()) -> list[str]:
    """The columns whose values a prompt states and its examples show: the strata, then small categories and
    label sets (however many combinations their labels come in), then larger categories the texts name
    (profiling/named.py)."""
    columns = list(strata)
    columns += [c.name for c in [*profile.small_categories(), *profile.label_set_columns()] if c.name not in columns]
    return columns + [name for name in named if name not in columns]


def _is_code_column(profile: DatasetProfile, name: str) -> bool:
    """Values such as B00J8HV2QM: they tell a small model nothing about the text, which copies them into it. Such a
    column still chooses the examples (rows of the same item), it is only not stated."""
    values = [str(value) for value in profile.column(name).counts]
    return bool(values) and sum(bool(_CODE.fullmatch(v)) for v in values) >= CODE_SHARE * len(values)


def _scales(profile: DatasetProfile, columns: list[str]) -> dict[str, str]:
    """'1 to 5' for a column of three or more numeric values in whole or half steps (a rating, a count of votes), so
    a prompt says what 1 means; not for coordinates or prices ("lat: 48.8385709 (on a scale of 41.3857 to
    52.3702)" read as nonsense in a hotel table's prompt)."""
    scales = {}
    for name in columns:
        numbers = pd.to_numeric(pd.Series(list(profile.column(name).counts)), errors="coerce")
        if len(numbers) >= 3 and numbers.notna().all() and _in_half_steps(numbers):
            scales[name] = f"{numbers.min():g} to {numbers.max():g}"
    return scales


def _in_half_steps(numbers: pd.Series) -> bool:
    return bool(((numbers * 2) % 1 == 0).all())


def shorten(text: str, words: int) -> str:
    """A real text cut to whole sentences within `words` (or to `words` words when its first sentence is
    longer), so a 5,000-word cell can still be an example."""
    if len(text.split()) <= words:
        return text
    kept: list[str] = []
    for sentence in _SENTENCE.findall(text):
        if len(" ".join(kept + [sentence]).split()) > words:
            break
        kept.append(sentence)
    if not kept:
        return " ".join(text.split()[:words])
    # The sentences' own line breaks stay (a changelog's bullets): an example shows the column's layout.
    return tidy("".join(kept), line_breaks=True, blank_lines=True)


def grade(text: str) -> float:
    """Coleman-Liau index: a reading grade from letters and sentences alone (no syllable dictionary needed)."""
    words = max(1, len(text.split()))
    letters = sum(ch.isalpha() for ch in text)
    sentences = max(1, len(re.findall(r"[.!?]+", text)))
    return 0.0588 * (100 * letters / words) - 0.296 * (100 * sentences / words) - 15.8


def _knob_filter(usable: pd.Index, knobs: Knobs, lengths: pd.Series, texts: pd.Series) -> pd.Index:
    measures = {"length": lambda: lengths.loc[usable], "complexity": lambda: texts.loc[usable].map(grade)}
    for knob, measure in measures.items():
        level = getattr(knobs, knob)
        if level == "match" or len(usable) < 20:
            continue
        values = measure()
        if level == "high":
            usable = usable[(values >= values.quantile(1 - KNOB_QUANTILE)).to_numpy()]
        else:
            usable = usable[(values <= values.quantile(KNOB_QUANTILE)).to_numpy()]
    return usable


def _choose(pool: pd.Index, k: int, rng: np.random.Generator, diversity: str, texts: pd.Series) -> list[int]:
    if len(pool) <= k:
        return [int(i) for i in pool]
    if diversity == "match":
        return [int(i) for i in rng.choice(pool, size=k, replace=False)]
    candidates = _not_short([int(i) for i in rng.choice(pool, size=min(len(pool), DIVERSITY_POOL), replace=False)],
                            texts, k)
    vocab = {i: set(str(texts.loc[i]).lower().split()) for i in candidates}
    return _spread(candidates, vocab, k) if diversity == "high" else _typical(candidates, vocab, k)


def _not_short(candidates: list[int], texts: pd.Series, k: int) -> list[int]:
    """The candidates at least as long as their median: a two-word text shares no words with anything, so
    without this `diversity high` would show the shortest texts rather than ones that differ in content."""
    words = {i: len(str(texts.loc[i]).split()) for i in candidates}
    middle = float(np.median(list(words.values())))
    kept = [i for i in candidates if words[i] >= middle]
    return kept if len(kept) >= k else candidates


def _similarity(a: set[str], b: set[str]) -> float:
    return len(a & b) / max(1, len(a | b))


def _spread(candidates: list[int], vocab: dict[int, set[str]], k: int) -> list[int]:
    """Greedy farthest-point choice: each next example shares the fewest words with those already chosen."""
    chosen = [candidates[0]]
    while len(chosen) < k:
        rest = [c for c in candidates if c not in chosen]
        chosen.append(min(rest, key=lambda c: max(_similarity(vocab[c], vocab[o]) for o in chosen)))
    return chosen


def _typical(candidates: list[int], vocab: dict[int, set[str]], k: int) -> list[int]:
    """The candidates most alike the others: the typical rows."""
    def closeness(c: int) -> float:
        return sum(_similarity(vocab[c], vocab[o]) for o in candidates if o != c)

    return sorted(candidates, key=closeness, reverse=True)[:k]
