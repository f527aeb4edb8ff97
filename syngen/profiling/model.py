"""The learned description of a table: one ColumnProfile per column, plus their dependencies."""

from __future__ import annotations

import re
from enum import Enum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from syngen.profiling.labelsets import LabelSet
from syngen.profiling.numbers import NumberFormat

SENTENCE_MEDIAN_WORDS = 5  # below this (titles) readability, embeddings and copies say little


class ColumnKind(str, Enum):
    IDENTIFIER = "identifier"  # unique codes with a fixed shape (user ids)
    FOREIGN_KEY = "foreign_key"  # values are keys of the catalogue (parent_asin)
    CATEGORICAL = "categorical"  # a small set of repeated values (rating, asin)
    INTEGER = "integer"
    FLOAT = "float"
    BOOLEAN = "boolean"
    DATETIME = "datetime"
    DERIVED = "derived"  # computed from another column (date and time from timestamp)
    PATTERN = "pattern"  # few shapes of digits, letters and marks (coordinates, codes, URLs, hashtags)
    SHORT_TEXT = "short_text"  # a few words, many distinct values (names, handles, places): a sampler recombines
    TEXT = "text"  # free text the model writes (title, text)
    EMPTY = "empty"  # every value empty


STRUCTURED_KINDS = {ColumnKind.CATEGORICAL, ColumnKind.INTEGER, ColumnKind.FLOAT, ColumnKind.BOOLEAN,
                    ColumnKind.FOREIGN_KEY}


class ColumnStats(BaseModel):
    """The facts a column's sampler and checks need, one model per kind (learned in profiling/learners.py).
    Every field has a default: a column forced to a kind whose values are all empty learns nothing."""

    model_config = ConfigDict(extra="forbid")

    empty_share: float = 0.0  # the share of "" in the real column, every kind


class CountStats(ColumnStats):
    """categorical, boolean, foreign_key."""

    counts: dict[str, int] = Field(default_factory=dict)  # value -> count, most common first
    catalogue_key: str | None = None  # foreign_key: the catalogue column its values are keys of; counts then
    # hold every catalogue key too (0 when the data never uses it)
    separator: str | None = None  # categorical values that are sets of labels ("taste|price"): the mark joining them
    labels: dict[str, int] = Field(default_factory=dict)  # each label -> real rows carrying it, most common first


class NumberStats(ColumnStats):
    """integer, float; for ranges (10-20) `sample` holds the low ends and `widths` the sorted high - low."""

    min: float = 0.0
    max: float = 0.0
    mean: float = 0.0
    sample: list[float] = Field(default_factory=list)  # sorted
    decimals: int = 0  # the most common count of decimals
    number_format: NumberFormat | None = None
    widths: list[float] = Field(default_factory=list)
    masses: dict[str, str] = Field(default_factory=dict)  # repr(number) -> written form, of numbers many rows hold


class IdCounter(BaseModel):
    """Row numbers (1, 2, 3, ...): the real ones run from `first` to `last`; new rows continue the count, so new
    numbers are unique and never a real one. A row is made with the number of its plan position; the written rows
    are numbered again in order, without the gaps of positions given up (`engine._counted_on`)."""

    model_config = ConfigDict(extra="forbid")

    first: int
    last: int
    step: int = 1
    even: bool = True  # False: an id column's numbers with uneven gaps (a sample of a larger table)
    width: int = 0  # zero-padded to this many digits (0001), 0 when written plainly
    prefix: str = ""  # written before every number (MV-00012)

    def value(self, position: int) -> str:
        return self.written(self.last + self.step * (position + 1))

    def written(self, number: int) -> str:
        return self.prefix + str(number).zfill(self.width)

    def written_like(self, value: str) -> bool:
        if not value.startswith(self.prefix):
            return False
        digits = value[len(self.prefix):]
        return digits.isdigit() and (len(digits) >= self.width if self.width else digits == str(int(digits)))


def places_regex(positions: list[str]) -> str:
    """Matches in full a code whose every place holds one of that place's characters (`positions`)."""
    return "".join(f"[{re.escape(place)}]" for place in positions)


class IdentifierStats(ColumnStats):
    counter: IdCounter | None = None  # row numbers: new rows continue the count instead of drawing codes
    prefix: str = ""
    alphabet: str = ""  # every character after the prefix
    lengths: dict[str, int] = Field(default_factory=dict)  # length -> count
    known: list[str] = Field(default_factory=list)  # the real ids, never reissued
    shapes: list[dict[str, Any]] | None = None  # as PatternStats.shapes, for ids with marks at fixed places
    # Ids of one length: the characters real ids have at each place (L12345: "L", then digits), drawn place by place
    positions: list[str] | None = None
    # ... and, where real ids come in a few kinds of places ("94103", "941XX": digits, or digits then letters), each
    # kind ("99999", "999AA") -> its count: a drawn id takes one, so a masked ZIP stays "941XX", not "6956X"
    place_kinds: dict[str, int] | None = None

    def places_pattern(self) -> str:
        """The regular expression an id written like the real ones matches in full, place by place."""
        return places_regex(self.positions or [])


class DatetimeStats(ColumnStats):
    formats: dict[str, float] = Field(default_factory=dict)  # strptime format (or EPOCH) -> share
    offsets: dict[str, int] = Field(default_factory=dict)  # UTC offset text -> count, for formats with %z
    day_first: bool | None = None  # None: no day/month ambiguity
    zero_seconds: bool = False
    minute_step: int = 1  # every real time's minute of the day is a multiple of it (15: quarter hours; 1440: days)
    fraction_digits: int = 0
    unpadded: dict[str, list[str]] = Field(default_factory=dict)  # format -> fields written without a leading 0
    min: float = 0.0
    max: float = 0.0
    sorted_sample: list[float] = Field(default_factory=list)  # epoch seconds, or seconds of the day for times


class DerivedStats(ColumnStats):
    source: str | None = None
    format: str | None = None  # strftime of the source; None for an exact copy


class PatternStats(ColumnStats):
    shapes: list[dict[str, Any]] = Field(default_factory=list)  # share and parts of each shape (patterns.py)
    coarse: list[str] = Field(default_factory=list)  # every coarse shape seen, for validation
    # Codes of one length whose letters and digits fall anywhere (Amazon's user ids "A3SGXH7AUHU8GW"): the
    # characters real codes have at each place, drawn place by place (patterns.places_of)
    positions: list[str] | None = None

    def places_pattern(self) -> str:
        return places_regex(self.positions or [])


class ShortTextStats(ColumnStats):
    sample: list[str] = Field(default_factory=list)  # distinct real values the sampler learns from
    known: list[str] = Field(default_factory=list)  # every distinct real value, never reissued
    word_lengths: list[int] = Field(default_factory=list)  # sorted
    max_words: int = 4
    max_chars: int = 40
    parent: str | None = None  # the category the values' first or last word follows (profiling/affixes.py)
    by_parent: dict[str, list[str]] = Field(default_factory=dict)  # distinct real values under each of its values


class TextStats(ColumnStats):
    word_lengths: list[int] = Field(default_factory=list)  # sorted
    median_words: float = 0.0
    max_words: int = 0
    char_per_word: float = 5.5
    top_values: dict[str, int] = Field(default_factory=dict)  # values repeated in the real column


STATS_OF_KIND: dict[ColumnKind, type[ColumnStats]] = {
    ColumnKind.IDENTIFIER: IdentifierStats, ColumnKind.FOREIGN_KEY: CountStats, ColumnKind.CATEGORICAL: CountStats,
    ColumnKind.BOOLEAN: CountStats, ColumnKind.INTEGER: NumberStats, ColumnKind.FLOAT: NumberStats,
    ColumnKind.DATETIME: DatetimeStats, ColumnKind.DERIVED: DerivedStats, ColumnKind.PATTERN: PatternStats,
    ColumnKind.SHORT_TEXT: ShortTextStats, ColumnKind.TEXT: TextStats, ColumnKind.EMPTY: ColumnStats,
}
AnyStats = (CountStats | NumberStats | IdentifierStats | DatetimeStats | DerivedStats | PatternStats | ShortTextStats
            | TextStats | ColumnStats)


class ColumnProfile(BaseModel):
    """What was learned about one column. `stats` holds the kind-specific facts samplers need."""

    name: str
    kind: ColumnKind
    n_rows: int
    n_distinct: int
    n_empty: int
    examples: list[str] = Field(default_factory=list)
    stats: AnyStats = Field(default_factory=ColumnStats)
    reason: str = ""  # why the column got its kind, in words (shown by `syngen profile`)

    @model_validator(mode="before")
    @classmethod
    def _stats_of_its_kind(cls, data: Any) -> Any:
        """Plain stats (a learner's dict, a profile read from JSON) become the model of the column's kind."""
        if isinstance(data, dict) and isinstance(data.get("stats"), dict) and "kind" in data:
            data = {**data, "stats": STATS_OF_KIND[ColumnKind(data["kind"])].model_validate(data["stats"])}
        return data

    @property
    def counts(self) -> dict[str, int]:
        """Real value -> count for a counted column (categorical, boolean, foreign key); none for other kinds."""
        return self.stats.counts if isinstance(self.stats, CountStats) else {}

    @property
    def label_set(self) -> LabelSet | None:
        """A multi-label column's separator and labels ("|": taste, price, ...); None for any other column."""
        stats = self.stats
        return LabelSet(stats.separator, stats.labels) if isinstance(stats, CountStats) and stats.separator else None

    @property
    def formats(self) -> list[str]:
        """The formats a datetime column is written in; none for other kinds."""
        return list(self.stats.formats) if isinstance(self.stats, DatetimeStats) else []

    def summary(self) -> str:
        """A short human description, e.g. for the app's profile table."""
        return f"{self.kind.value}: {self.n_distinct} distinct of {self.n_rows}"


class Dependency(BaseModel):
    """A column sampled conditionally on one parent column (a Chow-Liu style tree)."""

    child: str
    parent: str
    strength: float  # Cramér's V between the (binned) columns
    parent_bins: list[float] | None = None  # quantile edges when the parent is numeric
    table: dict[str, list[str]]  # parent key -> observed child values (a sample, with repeats)


FILLED_KEY = "filled"  # an emptiness parent's key where it holds a value


class EmptinessRule(BaseModel):
    """A column whose emptiness depends on a parent (a reason given only for negative reviews): the share of empty
    values under each parent key, instead of one share for the whole column."""

    column: str
    parent: str
    strength: float  # Cramér's V between "is empty" and the (binned) parent
    parent_bins: list[float] | None = None
    shares: dict[str, float]  # parent key -> share of empty values of `column`
    # The parent's keys are whether it is empty ("" or FILLED_KEY), not its values: a reply's date is empty exactly
    # where its reply is, a text column that no value of the table tells.
    by_emptiness: bool = False


class Ordering(BaseModel):
    """A date column on or after another in (nearly) every real row where both are filled (profiling/orders.py):
    planned as `first` plus one of the real gaps, in seconds."""

    first: str
    then: str
    gaps: list[float]  # sorted


class Frame(BaseModel):
    """A real value of a framed column with its row's values taken out (profiling/framed.py): fixed text around
    slots, each where a source column's value stood."""

    texts: list[str]  # the fixed text before each slot, and after the last (one more than the slots)
    slots: list[str]  # the source column standing at each slot
    present: list[str]  # the sources filled in the real row: a generated row takes a frame of its own pattern

    def fill(self, row: dict[str, str]) -> str:
        parts = [self.texts[0]]
        for slot, text in zip(self.slots, self.texts[1:], strict=True):
            parts += [row.get(slot, ""), text]
        return "".join(parts)

    def shown(self) -> str:
        return self.fill({slot: "{{ " + slot + " }}" for slot in self.slots})


class ColumnFrames(BaseModel):
    """A column written mostly from its row's other values around a varying rest ("Trimbach 2015 Pinot Noir
    (Alsace)": winery, a year, variety, region): each generated row fills a real row's frame with its own values."""

    sources: list[str]
    frames: list[Frame]
    share: float  # of the real values that are mostly their row's values, so framed


class LabelCheckSummary(BaseModel):
    """Whether the real text predicts one label column (profiling/labels.py), as the profile shows it."""

    label: str  # what is checked: a column ("rating"), or one label of a multi-label column ("aspects=taste")
    text: str
    checked: bool
    column: str = ""  # the label's column, where it is not `label` itself
    balanced_accuracy: float | None = None  # out-of-fold, on the real rows
    chance: float | None = None
    shuffled: float | None = None  # the same classifier on shuffled labels
    classes: list[str] = Field(default_factory=list)
    reason: str = ""
    real_share: float | None = None  # share of the real rows of a value this check alone would reject
    fixed_phrases: int = 0  # texts the real rows repeat with one value only, held to it ("Five Stars")

    @property
    def lift(self) -> float:
        """How far above chance the real text predicts the label, as a share of the way to perfect: 0.50 among 53
        values says more than 0.51 among 3."""
        if self.balanced_accuracy is None or self.chance is None or self.chance >= 1:
            return 0.0
        return (self.balanced_accuracy - self.chance) / (1 - self.chance)

    def describe(self) -> str:
        if self.balanced_accuracy is None:
            return f"{self.label} from {self.text}: not checked ({self.reason})"
        rejects = ""
        if self.checked and self.real_share:
            rejects = f"; its threshold rejects {self.real_share:.1%} of real texts"
        if self.checked and self.fixed_phrases:
            rejects += f"; {self.fixed_phrases} phrase(s) the real rows repeat with one value only are held to it"
        if not self.checked:
            measured = self.shuffled is not None and self.shuffled != self.chance  # else not measured: clear enough
            shuffled = f", {self.shuffled:.2f} on shuffled labels" if measured else ""
            return (f"{self.label} from {self.text}: not checked, {self.reason}; real text gives balanced accuracy "
                    f"{self.balanced_accuracy:.2f} (chance {self.chance:.2f}{shuffled})")
        return (f"{self.label} from {self.text}: checked; real text predicts it with balanced accuracy "
                f"{self.balanced_accuracy:.2f} (chance {self.chance:.2f}){rejects}")


class TopicCheckSummary(BaseModel):
    """Whether generated text must stay on the real texts' topic (generation/topic.py), as the profile shows it."""

    column: str
    threshold: float  # nearest-real cosine below which a text is off the topic
    real_share: float  # share of real texts that far from every other
    reference: int  # real texts a generated one is compared with

    def describe(self) -> str:
        return (f"{self.column} on the real texts' topic: checked; a text whose nearest real text is less alike "
                f"than cosine {self.threshold:.2f} is rejected ({self.real_share:.0%} of real texts are that far)")


class StockCheckSummary(BaseModel):
    """Whether generated text must not read like the model's stock writing about the topic (generation/stock.py)."""

    column: str
    threshold: float  # the classifier's P(stock) above which a text is rejected
    real_share: float  # share of real texts (out of fold) above it
    caught: float  # share of the model's stock texts (out of fold) above it
    stock_texts: int  # texts the model wrote about the topic without examples
    opening_threshold: float | None = None  # P(stock) of a text's sentences so far above which it stops there

    def describe(self) -> str:
        return (f"{self.column} unlike the model's stock text: checked; told from {self.stock_texts} texts the model "
                f"wrote about the topic without examples ({self.caught:.0%} of them caught, "
                f"{self.real_share:.1%} of real texts), a text being written stopped at its first sentences that "
                "read so")


class EchoCheckSummary(BaseModel):
    """Which text columns may not repeat their row's facts word for word, from how many words (generation/echo.py)."""

    runs: dict[str, int]  # text column -> words in a row it may not share with its item or its stated values
    whole: list[str] = []  # text columns that may not be only words of one fact ("Bluefin Wellness", the brand)
    real_share: float  # fewer real texts than this share that many with their own row's facts
    whole_facts: dict[str, list[str]] = {}  # for each of `whole`, the facts whose words alone it may not be
    unsaid: dict[str, list[str]] = {}  # text column -> the stated values it may not say at all ("LQ_CLOSE")

    def describe(self) -> list[str]:
        facts = "its item's fields or its stated values"
        lines = []
        for name in dict.fromkeys([*self.runs, *self.whole]):
            said = [f"sharing {self.runs[name]} words in a row with {facts}"] if name in self.runs else []
            which_facts = self.whole_facts.get(name)
            of = " or ".join(which_facts) if which_facts else f"one of {'them' if said else facts}"
            said += [f"made only of words of {of}"] if name in self.whole else []
            which = said[0] if len(said) == 1 else f"{said[0]}, or {said[1]},"
            lines.append(f"{name} not repeating its row's facts: checked; a text {which} is rejected (fewer than "
                         f"{self.real_share:.0%} of real texts are)")
        return lines + [f"{name} not naming its row's {', '.join(keys)}: checked; a text saying the value is "
                        f"rejected (fewer than {self.real_share:.0%} of real texts do)"
                        for name, keys in self.unsaid.items()]


class ItemWordsOf(BaseModel):
    """The words one text column's real texts say (almost) only of rows whose `fact` holds them."""

    column: str
    fact: str
    words: list[str]  # as the real texts write them most often
    real_share: float  # real texts of the column the words would reject


class ItemWordsSummary(BaseModel):
    """Which text columns may not say words of other items than their row's (generation/itemwords.py)."""

    checks: list[ItemWordsOf]
    bound_share: float  # of the real texts saying a word, at least this share are of rows whose fact holds it

    def describe(self) -> list[str]:
        lines = []
        for of in self.checks:
            shown = ", ".join(of.words[:6]) + (", ..." if len(of.words) > 6 else "")
            lines.append(f"{of.column} saying only what its {of.fact} is: checked; {len(of.words)} word(s) that "
                         f"{self.bound_share:.0%}+ of the real texts saying them say of rows whose {of.fact} holds "
                         f"them ({shown}) are rejected where this row's {of.fact} lacks them ({of.real_share:.1%} of "
                         "real texts would be)")
        return lines


class NamedValuesSummary(BaseModel):
    """A category column of many values that the real texts name (profiling/named.py): stated in every prompt, and
    when `checked` a text naming another of its values instead of its own is rejected."""

    column: str
    named_share: float  # real rows whose texts name their own value
    chance_share: float  # ... another row's value, texts shuffled
    other_share: float  # real rows whose texts name another value and not their own
    checked: bool

    def describe(self) -> str:
        said = (f"{self.column} named by the texts: stated in every prompt; real texts name their own row's value in "
                f"{self.named_share:.0%} of rows ({self.chance_share:.0%} another row's)")
        if self.checked:
            return (f"{said}; a text naming another {self.column} instead is rejected ({self.other_share:.1%} of "
                    "real texts do)")
        return f"{said}; not checked: {self.other_share:.0%} of real texts name another {self.column} instead"


class VoiceCheckSummary(BaseModel):
    """Which text columns are written apart (languages, registers), each checked against the others
    (generation/voices.py)."""

    columns: list[str]
    balanced_accuracy: float  # of telling their real texts apart, cross-validated
    real_share: float  # of each column's real texts its threshold rejects

    def describe(self) -> list[str]:
        return [f"{name} written as its own real texts, not as {' or '.join(c for c in self.columns if c != name)}: "
                f"checked; real texts are told apart with balanced accuracy {self.balanced_accuracy:.2f}, its "
                f"threshold rejects {self.real_share:.0%} of real texts" for name in self.columns]


class WholeValueSummary(BaseModel):
    """Values a text column's real texts only ever are whole ("Five Stars"): a generated text going on from one is
    cut back to it (profiling/textshape.py)."""

    values: dict[str, list[str]]  # text column -> its whole values, as `phrase` writes them
    min_texts: int  # real texts each value is
    real_share: float  # fewer of the real texts opening with a value than this share go on from it

    def describe(self) -> list[str]:
        return [f"{name} ending where real ones end: checked; a text going on from "
                f"{', '.join(repr(v) for v in values)} (each the whole of {self.min_texts}+ real texts, fewer than "
                f"{self.real_share:.1%} of those opening with it going on) is cut back to it"
                for name, values in self.values.items()]


def checked_texts(sidecar: dict, unchecked_labels: bool = False) -> list[str]:
    """The text checks a run's sidecar records, one readable line each (for the CLI and the app); with
    `unchecked_labels`, also each label column the text was tried on and does not predict, and why."""
    lines = [LabelCheckSummary(**c).describe() for c in sidecar.get("label_checks", [])
             if c.get("checked") or unchecked_labels]
    topic, stock, echo = sidecar.get("topic_check"), sidecar.get("stock_check"), sidecar.get("echo_check")
    voices, whole, items = sidecar.get("voice_check"), sidecar.get("whole_values"), sidecar.get("item_words")
    lines += [NamedValuesSummary(**named).describe() for named in sidecar.get("named_values", [])]
    return (lines + ([TopicCheckSummary(**topic).describe()] if topic else [])
            + ([StockCheckSummary(**stock).describe()] if stock else [])
            + (EchoCheckSummary(**echo).describe() if echo else [])
            + (ItemWordsSummary(**items).describe() if items else [])
            + (VoiceCheckSummary(**voices).describe() if voices else [])
            + (WholeValueSummary(**whole).describe() if whole else []))


class DatasetProfile(BaseModel):
    """Everything the generator knows about the real table."""

    source: str
    n_rows: int
    columns: list[ColumnProfile]
    dependencies: list[Dependency] = Field(default_factory=list)
    emptiness: list[EmptinessRule] = Field(default_factory=list)
    orders: list[Ordering] = Field(default_factory=list)  # date columns planned after another, in this order
    topic: str = ""
    notes: list[str] = Field(default_factory=list)
    compositions: dict[str, str] = Field(default_factory=dict)  # column -> the template that writes it from others
    frames: dict[str, ColumnFrames] = Field(default_factory=dict)  # column -> real frames its rows' values fill
    label_checks: list[LabelCheckSummary] = Field(default_factory=list)  # filled when a run prepares its checks
    topic_check: TopicCheckSummary | None = None  # likewise
    stock_check: StockCheckSummary | None = None  # filled when the run's first rows learn it
    echo_check: EchoCheckSummary | None = None  # filled when a run prepares its checks
    voice_check: VoiceCheckSummary | None = None  # likewise
    whole_values: WholeValueSummary | None = None  # likewise
    named_values: list[NamedValuesSummary] = Field(default_factory=list)  # likewise
    item_words: ItemWordsSummary | None = None  # likewise

    def checks_record(self) -> dict:
        """The text checks learned, as a sidecar records them (`checked_texts` reads them back)."""
        def dump(summary: BaseModel | None) -> dict | None:
            return summary.model_dump() if summary is not None else None

        return {"label_checks": [summary.model_dump() for summary in self.label_checks],
                "topic_check": dump(self.topic_check), "stock_check": dump(self.stock_check),
                "echo_check": dump(self.echo_check), "voice_check": dump(self.voice_check),
                "whole_values": dump(self.whole_values), "item_words": dump(self.item_words),
                "named_values": [named.model_dump() for named in self.named_values]}

    def column(self, name: str) -> ColumnProfile:
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(name)

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]

    def of_kind(self, *kinds: ColumnKind) -> list[ColumnProfile]:
        return [c for c in self.columns if c.kind in kinds]

    @property
    def text_columns(self) -> list[ColumnProfile]:
        return self.of_kind(ColumnKind.TEXT)

    @property
    def main_text(self) -> str:
        """The longest text column (a review's body rather than its title): the one checked for near copies of the
        run's own rows and for its language (every sentence column is checked against the real texts)."""
        return main_text_of(self.text_columns)

    @property
    def sentence_columns(self) -> list[str]:
        """Text columns of sentences (a review, a ticket's subject; not a two-word title): the quality report
        measures their copies and readability, and generation keeps them from copying real ones."""
        return [c.name for c in self.text_columns if c.stats.median_words >= SENTENCE_MEDIAN_WORDS]

    def small_categories(self, most: int = 20) -> list[ColumnProfile]:
        """Categorical and boolean columns with 2..`most` values (a rating): context for prompts and strata."""
        return [c for c in self.of_kind(ColumnKind.CATEGORICAL, ColumnKind.BOOLEAN) if 1 < c.n_distinct <= most]

    def label_set_columns(self) -> list[ColumnProfile]:
        """Categorical columns whose values are sets of labels ("taste|price"), stated and checked label by label."""
        return [c for c in self.of_kind(ColumnKind.CATEGORICAL) if c.label_set is not None]

    def dependency_of(self, child: str) -> Dependency | None:
        return next((d for d in self.dependencies if d.child == child), None)

    def emptiness_of(self, column: str) -> EmptinessRule | None:
        return next((r for r in self.emptiness if r.column == column), None)


def main_text_of(text_columns: list[ColumnProfile]) -> str:
    """The longest of these text columns by median words: the one a table's rows are mostly about."""
    return max(text_columns, key=lambda c: c.stats.median_words).name
