"""The content checks a generated row must pass beyond its structure, all learned from the real table:
the text reads as a whole (no sentence cut off where real texts end theirs), it carries no prompt fragments,
it does not contradict the row's own labels, and it stays on the real texts' topic."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

import pandas as pd

from syngen.generation.echo import ContextEcho, Facts
from syngen.generation.itemwords import ItemWords, said_of_others
from syngen.generation.language import words as word_list
from syngen.generation.reasons import RejectReason
from syngen.generation.stock import StockCheck
from syngen.generation.topic import TopicCheck
from syngen.generation.voices import ColumnVoices
from syngen.output.writer import unwritable_characters
from syngen.profiling.labels import LabelCheck
from syngen.profiling.model import DatasetProfile, WholeValueSummary
from syngen.profiling.named import NamedValues
from syngen.profiling.textshape import (
    COMMON_WORD_SHARE,
    MIN_WHOLE_VALUE_TEXTS,
    MIN_WORD_LETTERS,
    RARE_SHARE,
    RARE_WORD_SHARE,
    TextShape,
    dangling_words,
    last_word,
    learn_text_shape,
    phrase_ends,
    sentence_ends,
    word_forms,
    word_pairs,
    word_runs,
    word_triples,
    words,
)

_NON_SPACE = re.compile(r"\S+")
_CLAUSE_BREAK = re.compile(r"(?<=\w)(?:[,;:]| [-–])\s")  # "good, I", "good; I", "good - I"; not "1,000" or "B-12"
PHRASE_NAME_WORDS = 4  # a column name of this many words reads as a phrase, and its words are the prompt's
NEAR_BOUND_CHARS = 6  # the bound refuses a token that would pass it: a word can break off this far before it
MIN_WHOLE_SHARE = 0.4  # a text trimmed to its last sentence end keeps at least this share of its target
# Any column: 12 words or more, fewer than 35% of them distinct ("great great great ...").
DEGENERATE_WORDS, DEGENERATE_DISTINCT = 12, 0.35


class Rejected(Exception):
    def __init__(self, reason: str, detail: str = "", text: str = "", fact: str | None = None) -> None:
        super().__init__(detail or reason)
        self.reason = reason
        self.text = text  # the rejected text, when the reason is about it
        self.fact = fact  # the row's fact the text repeats, when that is the reason


@dataclass
class ContentChecks:
    shapes: dict[str, TextShape]
    labels: list[LabelCheck] = field(default_factory=list)
    instruction_words: frozenset[str] = frozenset()
    instruction_pairs: frozenset[tuple[str, ...]] = frozenset()  # two or three instruction words in a row no real
    # text has
    topic: TopicCheck | None = None  # the main text stays on the real texts' topic
    stock: StockCheck | None = None  # the main text does not read like the model's stock text about the topic
    echo: ContextEcho | None = None  # texts do not repeat their row's facts word for word
    item_words: ItemWords | None = None  # texts do not say what real texts say only of other items
    voices: ColumnVoices | None = None  # a text is written as its own column's, not another's (language, register)
    named: list[NamedValues] = field(default_factory=list)  # columns whose values the texts name (a wine's variety)
    encoding: str = "utf-8"  # the real table's: the output is written in it, so every text must be writable so
    left_out: dict[str, str] = field(default_factory=dict)  # column -> what its real rows write for no text ("NA")
    _margins: dict[tuple[str, str, str, str], float | None] = field(default_factory=dict, repr=False, compare=False)

    def whole(self, name: str, text: str, target_chars: float, cut: bool, forced_end: bool | None = None) -> str:
        """The text ended where a real one would end. In a column whose real texts end their sentences, it is
        trimmed to the sentence end nearest its target length (so the schema's bound can be generous and the
        prompt steers the length); without one late enough it passes only if its writer ended it on a word
        real texts end on, and is rejected otherwise. A text that stopped at its bound (`forced_end`, by default
        `cut`) does not count its final full stop, which the schema forced there ("... the ability to ex.").
        Elsewhere (titles) a text cut by the bound loses its broken last word and an aside it never closed, and
        any text loses a final full stop where real texts (almost) never end on one. A
        sentence end inside a bracket still open is none, where real texts close theirs. A text trailing off with
        an ellipsis in a column whose real texts never do counts as cut there. A text going on from a value
        real texts only ever are whole ("Five Stars, 12.9%") ends with that value."""
        shape = self.shapes.get(name)
        whole_value = shape.cut_to_whole_value(text) if shape is not None else text
        if whole_value != text:
            return shape.without_full_stop(whole_value)  # as real texts are, whatever followed it
        trailed = shape.trailed_off(text) if shape is not None else None
        if trailed is not None:  # trailing off where real texts never do: a phrase the writer did not finish
            text, cut, forced_end = trailed, True, False
        if shape is None or not shape.must_end_whole:
            return self._phrase(name, text, shape, cut)
        ends = [end for end in shape.whole_ends(text) if end >= MIN_WHOLE_SHARE * target_chars]
        if (cut if forced_end is None else forced_end) and ends and ends[-1] >= len(text.rstrip()):
            ends.pop()  # the full stop the schema forces at the bound ends a sentence the model had not finished
        if not ends and not cut and shape.ends_openly(text):
            return text  # ended by its writer without a full stop, as some real texts are
        if not ends:
            raise Rejected(RejectReason.CUT_TEXT, f'"{name}" stops mid-sentence', text)
        return text[: min(ends, key=lambda end: abs(end - target_chars))]

    def _phrase(self, name: str, text: str, shape: TextShape | None, cut: bool) -> str:
        """`whole` for a column of phrases; inside the symbols its real texts are all wrapped in, where it is
        ("(src, dst, count, off=1)" cut by its bound keeps its brackets: "(src, dst, count)")."""
        if shape is not None and name in self.wrappers() and shape.formatted(text):
            text = shape.closed_early(text)
            inner = text[len(shape.opener): len(text) - len(shape.closer)]
            if not inner.strip():
                return text  # "()": nothing inside to trim
            return shape.opener + self._unwrapped_phrase(name, inner, shape, cut) + shape.closer
        return self._unwrapped_phrase(name, text, shape, cut)

    def _unwrapped_phrase(self, name: str, text: str, shape: TextShape | None, cut: bool) -> str:
        if shape is not None and shape.ends_on_stray_letter(text):  # a broken word: trimmed as if the bound cut it
            text, cut = text.rstrip()[:-1], True
        opened = shape.unclosed(text) if shape is not None else None
        if opened is not None:  # "One Star (This is a different": the aside was never finished
            text = text[:opened]
        if shape is None:
            return self._end_on_a_word(name, text, shape, cut)
        # Before (a full stop is not a sentence to keep) and after ("net. A shell that ..." cut back to "net.")
        return shape.without_full_stop(self._end_on_a_word(name, shape.without_full_stop(text), shape, cut))

    @property
    def whole_values(self) -> WholeValueSummary | None:
        """What `whole` cuts texts back to, for the profile; None where no column has such values."""
        values = {name: sorted(shape.whole_values) for name, shape in self.shapes.items()
                  if shape.judged and shape.whole_values}
        if not values:
            return None
        return WholeValueSummary(values=values, min_texts=MIN_WHOLE_VALUE_TEXTS, real_share=RARE_SHARE)

    def tidy(self, name: str, text: str) -> str:
        """Single spaces; line breaks only in a column whose real texts break lines."""
        shape = self.shapes.get(name)
        return shape.tidy(text) if shape is not None else " ".join(text.split())

    def unwrapped(self, name: str, text: str) -> str:
        """A text of sentences out of the symbols its real texts are all wrapped in ('"It works."'), so it is
        trimmed to a sentence end inside them; `wrapped` puts them back."""
        shape = self.shapes.get(name)
        return shape.unwrapped(text) if shape is not None else text

    def wrapped(self, name: str, text: str) -> str:
        shape = self.shapes.get(name)
        return shape.wrapped(text) if shape is not None else text

    def not_left_out(self, name: str, text: str) -> None:
        """A text that reads as the column's missing value ("NA", a stand-in such as "No Negative") is no text: the
        plan left that share of rows out already, and the model writing it too would outgrow it."""
        marker = self.left_out.get(name)
        if marker is not None and text.strip().casefold() == marker.strip().casefold():
            raise Rejected(RejectReason.EMPTY_FIELD, f'"{name}" was "{text}", which real rows write for a text '
                           "left out: write this entry's own text", text)

    def opened_plainly(self, name: str, text: str) -> str:
        """The text without symbols it opens with where real texts never open so ("> My favorite")."""
        shape = self.shapes.get(name)
        opened = shape.opened_plainly(text) if shape is not None else text
        if not opened:
            raise Rejected(RejectReason.EMPTY_FIELD, f'"{name}" holds only symbols', text)
        return opened

    def broken_at_bound(self, name: str, text: str, bound: int) -> bool:
        """A text not trimmed to sentences that ends a token short of its bound on a word the table never uses
        ("Great for energy without the jit"): the bound cut that word, though the text did not reach it."""
        shape = self.shapes.get(name)
        return (shape is not None and not shape.must_end_whole and len(text) >= bound - NEAR_BOUND_CHARS
                and shape.ends_on_unknown_word(text))

    @staticmethod
    def _end_on_a_word(name: str, text: str, shape: TextShape | None, cut: bool) -> str:
        """A text cut by the bound ends at its last sentence end, or else loses its broken last word (one the
        table never uses, where it has enough texts to say), then any word real texts never end on ("One of the"
        -> "One"), then any common word the table's phrases do not end on ("Nice, container is" -> "Nice");
        nothing left is a cut text."""
        inner = [end for end in sentence_ends(text) if end < len(text.rstrip())]
        if cut and inner:  # "Awesome! That's a 1": the last whole sentence, not the words before the cut
            return text[: inner[-1]]
        clause = _last_clause_break(text) if cut and shape is not None else None
        if clause is not None and last_word(text) not in shape.final_words:
            text, cut = text[:clause], False  # "Sooo good, I just squirt a": the whole clause, "Sooo good"
        spans = [m.span() for m in _NON_SPACE.finditer(text)]  # cut back by words, its line breaks kept
        words = [text[start:end] for start, end in spans]
        if cut and len(words) > 1 and not (shape is not None and shape.ends_on_known_word(text)):
            words = words[:-1]  # broken by the bound; a word the table uses may have been finished ("damaged")
        dangling = (shape.dangling if cut else shape.common_dangling()) if shape is not None else frozenset()
        while words and (words[-1].strip(",;:-&/(").lower() in dangling or not words[-1].strip(",;:-&/(")):
            words = words[:-1]
        if cut and shape is not None:  # "Nice, container is" -> "Nice"
            while words and not _may_end_a_phrase(words[-1].strip(",;:-&/("), shape):
                words = words[:-1]
            if _clause_just_begun(words, shape):  # "A great product, it" -> "A great product"
                words = words[:-1]
        if not words:
            raise Rejected(RejectReason.CUT_TEXT, f'"{name}" stops mid-phrase', text)
        return text[: spans[len(words) - 1][1]].rstrip(" ,;:-&/(")

    def settled(self, name: str, partial: str, target_chars: float) -> str:
        """The part of a text still being written that `whole` is sure to keep: up to the sentence end nearest
        its target so far (a later end can only take its place by being later still), or all of it before any
        end long enough; "" in a column that is not trimmed to a sentence end. An end at the very end of
        `partial` does not count: "costs 3." may go on to "3.5"."""
        shape = self.shapes.get(name)
        if shape is None or not shape.must_end_whole:
            return ""
        text = shape.tidy(partial)
        ends = _ends_before(shape, text, len(text), target_chars)
        return text[: ends[0]] if ends else text

    def shorter_wholes(self, name: str, text: str, judged: str, target_chars: float) -> list[str]:
        """The texts `text` can be cut back to at a sentence end before the end of `judged` (what was judged of
        it), each long enough for `whole` to keep, nearest the target first; none where the column is not trimmed
        to sentence ends or `judged` is not the start of `text`."""
        shape = self.shapes.get(name)
        if shape is None or not shape.must_end_whole or not judged.strip():
            return []
        text, judged = shape.tidy(text), judged.rstrip()
        if not text.startswith(judged):
            return []
        return [text[:end] for end in _ends_before(shape, text, len(judged), target_chars)]

    def closing_words(self, name: str) -> frozenset[str]:
        """The words that end several of the table's texts or their sentences and a good share of their uses,
        less those a column's real texts (almost) never end on; empty when the column has too few texts to say."""
        shape = self.shapes.get(name)
        return shape.closing_words if shape is not None else frozenset()

    @property
    def trimmed(self) -> frozenset[str]:
        """The columns `whole` trims to a sentence end: their schema bound can be generous."""
        return frozenset(name for name, shape in self.shapes.items() if shape.must_end_whole)

    def formatted(self, name: str, text: str) -> None:
        """The text opens and closes with the symbols (almost) every real text of its column does (`wrappers`),
        pairs its double quotes where they do, and can be written in the table's encoding."""
        unwritable = unwritable_characters(text, self.encoding)
        if unwritable:
            raise Rejected(RejectReason.WRONG_FORMAT, f'"{name}" holds characters the table\'s encoding '
                           f'({self.encoding}) cannot write: {" ".join(unwritable[:5])}', text)
        shape = self.shapes.get(name)
        if name in self.wrappers() and not shape.formatted(text):
            raise Rejected(RejectReason.WRONG_FORMAT, f'"{name}" should open with "{shape.opener}" and close with '
                           f'"{shape.closer}" as every real one does', text)
        stray = shape.escapes.stray(text) if shape is not None and shape.escapes is not None else None
        if stray is not None:
            raise Rejected(RejectReason.WRONG_FORMAT, f'"{name}" holds "{stray}", where every "&" of the real ones '
                           f'starts an entity such as {min(shape.escapes.entities)}', text)
        miscounted = shape.miscounted_mark(text) if shape is not None else None
        if miscounted is not None:
            mark, held, times = miscounted
            raise Rejected(RejectReason.WRONG_FORMAT, f'"{name}" holds "{mark}" {held} times, where every real one '
                           f"holds it {times} times", text)
        if shape is not None and shape.unpaired_quote(text):
            raise Rejected(RejectReason.WRONG_FORMAT, f'"{name}" leaves a quotation mark (") unpaired: close every '
                           "quote you open, as the real texts do", text)

    def wrappers(self) -> dict[str, tuple[str, str]]:
        """Per text column not trimmed to sentences, the symbols its texts open and close with, where it has any."""
        return {name: (shape.opener, shape.closer) for name, shape in self.shapes.items()
                if (shape.opener or shape.closer) and not shape.must_end_whole}

    def patterns(self) -> dict[str, str]:
        """Per text column, a regular expression that keeps its rare markup out while the model writes."""
        found = {name: shape.allowed_chars() for name, shape in self.shapes.items()}
        return {name: pattern for name, pattern in found.items() if pattern}

    def repetition(self, name: str, text: str) -> None:
        """The text goes round in circles: a few words over and over, or a clause said twice where real texts of
        its column (almost) never repeat one."""
        tokens = text.lower().split()  # not `words`: that is textshape's word finder, imported here
        if len(tokens) >= DEGENERATE_WORDS and len(set(tokens)) / len(tokens) < DEGENERATE_DISTINCT:
            raise Rejected(RejectReason.REPETITIVE, f'"{name}" repeats itself', text)
        self.repeated_clause(name, text)

    def repeated_clause(self, name: str, text: str) -> None:
        """A clause said twice stays said twice in any longer text: judged on a text still being written too."""
        shape = self.shapes.get(name)
        repeated = shape.repeats(text) if shape is not None else []
        if repeated:
            raise Rejected(RejectReason.REPETITIVE, f'"{name}" says "{repeated[0]}" more than once: say each thing '
                           "once", text)

    def leaks(self, row: dict[str, str], fields: Iterable[str], facts: Facts) -> None:
        """What the prompt gave away: fragments of its markup and words, or the row's own facts word for word."""
        self.fragments(row, fields)
        self.echoes(row, fields, facts)
        self.own_item(row, fields, facts)

    def own_item(self, row: dict[str, str], fields: Iterable[str], facts: Facts) -> None:
        found = said_of_others(self.item_words, row, fields, facts)
        if found is not None:
            name, fact, word = found
            raise Rejected(RejectReason.OTHER_ITEM, f'"{name}" says "{word}", which real texts say only of entries '
                           f"whose {fact} has it, and this entry's {fact} does not: write about this entry's own item",
                           row[name])

    def fragments(self, row: dict[str, str], fields: Iterable[str]) -> None:
        for name in fields:
            shape = self.shapes.get(name)
            found = shape.fragments(row[name], self.instruction_words, self.instruction_pairs) if shape else []
            if found:
                shown = ", ".join(repr(f) for f in found[:4])
                raise Rejected(RejectReason.PROMPT_FRAGMENT, f'"{name}" contains what real texts never do: {shown}',
                               row[name])

    def echoes(self, row: dict[str, str], fields: Iterable[str], facts: Facts) -> None:
        if self.echo is None:
            return
        for name in fields:
            found = self.echo.find(name, row[name], facts)
            if found:
                raise Rejected(RejectReason.PROMPT_FRAGMENT, f'"{name}" repeats the entry\'s {found[0]} word for word '
                               f'("{found[1]}"): say it in your own words', row[name], fact=found[0])

    def written_apart(self, row: dict[str, str], fields: Iterable[str]) -> None:
        for name in fields if self.voices is not None else ():
            other = self.voices.written_as(name, row[name])
            if other is not None:
                raise Rejected(RejectReason.WRONG_COLUMN, f'"{name}" reads like the real "{other}" texts, not like '
                               f'its own: write it as the examples\' "{name}" are written', row[name])

    def mismatch(self, row: dict[str, str], fields: Iterable[str]) -> None:
        fields = set(fields)
        for check in self.labels:
            if check.text not in fields:
                continue
            value = row.get(check.column, "")
            margin = self._margin(check, row[check.text], value)
            if margin is not None and margin < 0:
                raise Rejected(RejectReason.LABEL_MISMATCH.about(check.label),
                               f'"{check.text}" does not read like a row with {check.describe_value(value)}: '
                               "write it so that it does", row[check.text])

    def names_another(self, row: dict[str, str], fields: Iterable[str]) -> None:
        """The row's texts name another value of a column whose real texts name their own ("This Cabernet Franc"
        on a Muscat row)."""
        texts = " ".join(row[name] for name in fields if name in self.shapes)
        for named in self.named:
            value = row.get(named.column, "")
            other = named.named_instead(texts, value) if named.checked and value else None
            if other is not None:
                raise Rejected(RejectReason.LABEL_MISMATCH.about(named.column),
                               f'the text names {named.column} "{other}", but this row\'s {named.column} is '
                               f'"{value}": write about "{value}"', texts)

    def on_topic(self, row: dict[str, str], fields: Iterable[str]) -> None:
        if self.topic is not None and self.topic.column in set(fields) and self.topic.is_off(row[self.topic.column]):
            raise Rejected(RejectReason.OFF_TOPIC, f'"{self.topic.column}" is about something no real text is about: '
                           "write about what the real examples are about", row[self.topic.column])

    def stock_text(self, row: dict[str, str], fields: Iterable[str]) -> None:
        if self.stock is not None and self.stock.column in set(fields) and self.stock.is_stock(row[self.stock.column]):
            raise Rejected(RejectReason.STOCK_TEXT, self._stock_detail(), row[self.stock.column])

    def stock_opening(self, name: str, sentences: str) -> None:
        """The whole sentences a text still being written has so far already read like stock text."""
        if self.stock is not None and self.stock.column == name and self.stock.opens_stock(sentences):
            raise Rejected(RejectReason.STOCK_TEXT, self._stock_detail(), sentences)

    def _stock_detail(self) -> str:
        return (f'"{self.stock.column}" reads like general writing about the topic, not like one of the real texts: '
                "write it as the person of this entry would")

    def agreement(self, row: dict[str, str], fields: Iterable[str]) -> float:
        """How clearly the texts support the row's labels (the weakest check's margin): best of K picks by it."""
        fields = set(fields)
        margins = [self._margin(check, row[check.text], row.get(check.column, "")) for check in self.labels
                   if check.text in fields]
        present = [m for m in margins if m is not None]
        return min(present) if present else 0.0

    def _margin(self, check: LabelCheck, text: str, value: str) -> float | None:
        """check.margin, once per row: `mismatch` and then `agreement` ask for the same (a classifier call each)."""
        key = (check.label, check.text, text, value)
        if key not in self._margins:
            if len(self._margins) > 1024:
                self._margins.clear()
            self._margins[key] = check.margin(text, value)
        return self._margins[key]


def _ends_before(shape: TextShape, text: str, limit: int, target_chars: float) -> list[int]:
    """The sentence ends of `text` before `limit` that `whole` would keep (long enough), nearest the target first."""
    ends = [end for end in shape.whole_ends(text) if MIN_WHOLE_SHARE * target_chars <= end < limit]
    return sorted(ends, key=lambda end: abs(end - target_chars))


def _last_clause_break(text: str) -> int | None:
    """Where the last clause before `text`'s end begins (at its comma, semicolon, colon or dash), after a word;
    None when it has one clause. A phrase the bound broke in its last clause keeps the clauses its writer ended."""
    found = [m.start() for m in _CLAUSE_BREAK.finditer(text.rstrip()) if m.start() > 0]
    return found[-1] if found else None


def _clause_just_begun(words: list[str], shape: TextShape) -> bool:
    """The bound cut a clause after its first word, a common one of the table ("it", "the", "this"): the writer
    was going on, so the phrase ends at the comma; a rare word or a name there may be all the clause says."""
    if len(words) < 3 or not (words[-2].endswith((",", ";", ":")) or words[-2] in ("-", "–")):
        return False
    word = last_word(words[-1])
    return word is not None and word in shape.final_words | shape.open_words | shape.dangling


def _may_end_a_phrase(token: str, shape: TextShape) -> bool:
    """Any word but a common one the table's phrases do not end on (a rare word or a name: nothing to judge by),
    a sentence end, or a code such as "D3"; not a bare number ("for 4")."""
    word = last_word(token)
    if word is not None:
        return word not in shape.open_words
    return bool(sentence_ends(token)) or (any(c.isdigit() for c in token) and any(c.isalpha() for c in token))


def learn_content_checks(frame: pd.DataFrame, profile: DatasetProfile, labels: list[LabelCheck],
                         instructions: Iterable[str]) -> ContentChecks:
    """`instructions`: the prompt's fixed texts; their words are suspicious only where real texts lack them. The
    table's column names are in every prompt too: two of their words in a row ("verified purchase") and the
    words of a name that reads as a phrase ("versions served on 2026-12-01 (words in brackets say ...)"), not
    a short name's single words (a review may say "rating" where the demo's 420 never do)."""
    texts = [c.name for c in profile.text_columns]
    vocabulary = frame[texts].astype(str).agg(" ".join, axis=1) if texts else None
    cells = pd.concat([frame[name] for name in texts]) if texts else None  # each cell on its own
    dangling, ends = (dangling_words(cells), phrase_ends(cells)) if cells is not None else (None, None)
    shapes = {name: learn_text_shape(frame[name], name, profile.names, vocabulary, dangling, ends) for name in texts}
    instructions = list(instructions)
    phrases = [name for name in profile.names if len(word_list(name)) >= PHRASE_NAME_WORDS]
    instruction_words = frozenset(form for text in instructions + phrases for w in words(text)
                                  for form in word_forms(w))
    # The topic is in every prompt too ("entries about Vitamins & Supplements"), and said in the texts when the
    # catalogue's field of it was stated per row (11 of 37 prompt fragments of 60 supplements rows, seed 11).
    said = [*instructions, *profile.names, *([profile.topic] if profile.topic else [])]
    return ContentChecks(shapes, labels, instruction_words, _foreign_pairs(said, vocabulary))


def _foreign_pairs(instructions: list[str], texts: pd.Series | None) -> frozenset[tuple[str, ...]]:
    """Two words in a row of the instructions, in any singular or plural form, that (almost) no real text holds:
    on a table of package summaries, where "real" and "example" are everyday words, the model wrote "A real
    example" from the prompt's "real examples". Not a pair with a word in COMMON_WORD_SHARE of the texts or more
    ("a different", "this entry"): a few hundred texts cannot tell such a pair from everyday language. The fewer the
    texts, the more of their words are that common: in 14 reviews, every word one of them uses."""
    present = [t for t in texts if t.strip()] if texts is not None else []
    if not present:
        return frozenset()
    shares = Counter(w for text in present for w in words(text))
    common = {w for w, n in shares.items() if n / len(present) >= COMMON_WORD_SHARE}
    pairs = {(a, b) for text in instructions for first, second in word_pairs(text)
             if max(len(first), len(second)) >= MIN_WORD_LETTERS
             for a in word_forms(first) for b in word_forms(second) if a not in common and b not in common}
    pairs |= _instruction_triples(instructions, common)
    seen = Counter(pair for text in present for pair in word_runs(text) & pairs)
    return frozenset(pair for pair in pairs if seen[pair] / len(present) < RARE_WORD_SHARE)


def _instruction_triples(instructions: list[str], common: set[str]) -> set[tuple[str, ...]]:
    """Three words in a row of the instructions with an uncommon word among them: a pair with a common word
    says too little, three do not. A hotel table's complaint came out "N A 2 (on a scale" from the prompt's
    "rating: 7 (on a scale of 1 to 10)"."""
    return {triple for text in instructions for triple in word_triples(text)
            if any(len(w) >= MIN_WORD_LETTERS and w not in common for w in triple)}
