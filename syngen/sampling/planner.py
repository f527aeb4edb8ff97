"""Plan rows: each plan position gets a deterministic skeleton of structured values and text targets.

Every column is first decided empty or not, with its real empty share (conditioned on its parent in the
dependency tree, or on the column that best predicts its emptiness); only then is a value drawn. One
uniform draw does both (inverse CDF of the mixture "empty, else the value's distribution"), so the
low-discrepancy sequence keeps covering both evenly.

A conditioned column (--where, --distribution, --balance) takes its value from an apportioned sequence
instead, never empty, and the dependency tree is turned to start at it (sampling/conditions.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from syngen.profiling.catalogue import Catalogue
from syngen.profiling.dependencies import EMPTY_KEY, bin_key, number_format
from syngen.profiling.model import (
    FILLED_KEY,
    STRUCTURED_KINDS,
    ColumnKind,
    ColumnProfile,
    DatasetProfile,
    Dependency,
)
from syngen.sampling import columns as samplers
from syngen.sampling.conditions import Conditions
from syngen.sampling.shorttext import ShortTextSampler

LENGTH_SCALE = {"low": 0.5, "match": 1.0, "high": 1.8}
# Mean pairwise self-similarity (the report's) follows how alike the texts' lengths are: 200 real supplements
# reviews drawn by the arcsine law over their length quantiles scored 0.23, drawn as they come 0.29.
WIDE_LENGTHS = {"high"}
_PRIMES = [2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83, 89, 97]
_NUMERIC = {ColumnKind.INTEGER, ColumnKind.FLOAT}


@dataclass
class Skeleton:
    """The structured part of one planned row, plus what the model is asked to write.

    `values` holds every column: structured, pattern, short-text, datetime and derived values as they will
    be written, "" for a column planned empty, and "" for every text column (the model fills those).
    `text_targets` names only the text columns the model must write (planned non-empty), with a target
    word count; a text column planned empty is absent from it and is never sent to the model."""

    position: int
    values: dict[str, str]
    text_targets: dict[str, int]  # text column -> target word count
    context: dict[str, str] = field(default_factory=dict)  # catalogue facts about the row's item


class RowPlanner:
    """Draws skeletons. The same (seed, position) always gives the same skeleton, whatever ran before."""

    def __init__(self, profile: DatasetProfile, catalogue: Catalogue | None, seed: int,
                 length: str = "match", real_ids: dict[str, set[str]] | None = None,
                 conditions: Conditions | None = None, diversity: str = "match") -> None:
        self.profile = profile
        self.conditions = conditions or Conditions(dependencies=profile.dependencies)
        self.dependencies = self.conditions.dependencies
        self._conditioned = self.conditions.sequences(seed, profile.names)
        self._in_range: dict[str, list[float]] = {}
        self.catalogue = catalogue
        self.seed = seed
        self.length_scale = LENGTH_SCALE[length]
        self.wide_lengths = diversity in WIDE_LENGTHS
        self.real_ids = real_ids or {
            c.name: set(c.stats.known) for c in profile.of_kind(ColumnKind.IDENTIFIER)
        }
        self._short_text: dict[tuple[str, str | None], ShortTextSampler] = {}
        self._numbers_under: dict[tuple[str, str], tuple[float, list[float]]] = {}
        self._weyl: dict[int, tuple[float, float]] = {}  # stream -> (step, offset) of its Weyl sequence

    def rng(self, position: int, stream: int = 0) -> np.random.Generator:
        return np.random.default_rng([self.seed, position, stream])

    def u(self, position: int, stream: int) -> float:
        """A low-discrepancy uniform draw (a Weyl sequence, one irrational step per stream): any run of
        consecutive positions covers [0, 1) evenly, so 200 rows already match the real distributions far
        closer than independent draws would, and the value still depends on the position alone."""
        step, offset = self._weyl.get(stream) or self._start_weyl(stream)
        return (offset + position * step) % 1.0

    def _start_weyl(self, stream: int) -> tuple[float, float]:
        """A stream's step and offset, made once (a generator per draw was most of a skeleton's cost)."""
        step = float(np.sqrt(_PRIMES[stream % len(_PRIMES)]) % 1.0)
        self._weyl[stream] = step, float(np.random.default_rng([self.seed, stream, 7]).uniform())
        return self._weyl[stream]

    def skeleton(self, position: int) -> Skeleton:
        rng = self.rng(position)
        values: dict[str, str] = {}
        targets: dict[str, int] = {}
        for column in self._order:
            if column.name in self._conditioned:
                values[column.name] = self._conditioned[column.name].value(position)
                continue
            empty, u = self._empty(column, values, position, targets)
            if column.kind is ColumnKind.TEXT:
                values[column.name] = ""
                if not empty:
                    targets[column.name] = self._target_words(column, u)
            elif column.name not in values:
                values[column.name] = self._sample(column, values, empty, u, position, rng)
        self._keep_orders(values, position)
        for column in self.profile.of_kind(ColumnKind.DERIVED):
            source = column.stats.source
            formats = self.profile.column(source).formats if source else None
            values[column.name] = samplers.derive(column, values.get(source, ""), formats or None)
        ordered = {name: values[name] for name in self.profile.names}
        targets = {c.name: targets[c.name] for c in self.profile.text_columns if c.name in targets}
        return Skeleton(position, ordered, targets, self.context_of(ordered))

    def _keep_orders(self, values: dict[str, str], position: int) -> None:
        """A date column that never comes before another in the real rows gets that column's date plus a real gap
        (a reply after its review), unless it is planned empty or the run sets its values."""
        for order in self.profile.orders:
            if not values.get(order.first) or not values.get(order.then) or order.then in self._conditioned:
                continue
            column = self.profile.column(order.then)
            u = self.u(position, self._stream(column) + len(self.profile.names))
            values[order.then] = samplers.sample_datetime_after(
                column, values[order.first], list(self.profile.column(order.first).stats.formats), order.gaps, u,
                self.rng(position, self._stream(column) + 1))

    @cached_property
    def _order(self) -> list[ColumnProfile]:
        """Dependency parents before children, then the other structured columns, then everything else that
        is sampled (emptiness parents are structured, so they are always drawn first)."""
        names: list[str] = []
        for dependency in self.dependencies:
            names += [n for n in (dependency.parent, dependency.child) if n not in names]
        names += [c.name for c in self.profile.columns if c.kind in STRUCTURED_KINDS and c.name not in names]
        names += [c.name for c in self.profile.columns if c.name not in names and c.kind is not ColumnKind.DERIVED]
        return [self.profile.column(n) for n in names]

    def _stream(self, column: ColumnProfile) -> int:
        return self.profile.names.index(column.name)

    def _empty(self, column: ColumnProfile, values: dict[str, str], position: int,
               targets: Mapping[str, int]) -> tuple[bool, float]:
        """Is the column empty in this row, and the uniform draw left for its value."""
        u = self.u(position, self._stream(column))
        share = self._empty_share(column, values, targets)
        if u < share:
            return True, 0.0
        return False, (u - share) / (1 - share)

    def _empty_share(self, column: ColumnProfile, values: dict[str, str], targets: Mapping[str, int]) -> float:
        """`targets`: the texts planned so far that the model is to write (their values are "" until then)."""
        if column.kind is ColumnKind.EMPTY:
            return 1.0
        share = column.stats.empty_share
        rule = self.profile.emptiness_of(column.name)
        if rule is None or rule.parent not in values:
            return share
        if rule.by_emptiness:
            return rule.shares.get(FILLED_KEY if values[rule.parent] or rule.parent in targets else "", share)
        key = bin_key(values[rule.parent], rule.parent_bins, number_format(self.profile.column(rule.parent)))
        return rule.shares.get(key, share)

    def _sample(self, column: ColumnProfile, values: dict[str, str], empty: bool, u: float, position: int,
                rng) -> str:
        dependency = self._dependency_of(column.name)
        if dependency is not None:
            parent = self.profile.column(dependency.parent)
            key = bin_key(values[dependency.parent], dependency.parent_bins, number_format(parent))
            observed = dependency.table.get(key)
            if observed and self._empty_ruled(column, values):  # the rule says whether; the parent, which value
                observed = [] if empty else [v for v in observed if v != EMPTY_KEY]
                if observed:
                    return str(rng.choice(observed))
            elif observed:
                return self._from_observed(column, key, observed, position, rng)
        return "" if empty else self._draw(column, u, rng, position, values)

    def _empty_ruled(self, column: ColumnProfile, values: dict[str, str]) -> bool:
        """Whether a category of the tree takes its emptiness from a rule of its own (profiling/emptiness.py)."""
        rule = self.profile.emptiness_of(column.name)
        return rule is not None and rule.parent in values and column.kind not in _NUMERIC

    def _dependency_of(self, child: str) -> Dependency | None:
        return next((d for d in self.dependencies if d.child == child), None)

    def _from_observed(self, column: ColumnProfile, key: str, observed: list[str], position: int, rng) -> str:
        """A child value under its parent's key: real categories as observed, but numbers drawn anew from
        the numbers seen under that key (never a real number copied), with the empty share seen there."""
        if column.kind not in _NUMERIC:
            return str(rng.choice(observed))
        share, ordered = self._numbers_for(column, key, observed)
        u = self.u(position, self._stream(column))
        if u < share or not ordered:
            return ""
        bounds = self.conditions.ranges.get(column.name)
        ordered = [n for n in ordered if bounds[0] <= n <= bounds[1]] if bounds else ordered
        return samplers.sample_number(column, (u - share) / (1 - share), rng, ordered or self._numbers(column), bounds)

    def _numbers_for(self, column: ColumnProfile, key: str, observed: list[str]) -> tuple[float, list[float]]:
        cache_key = (column.name, key)
        if cache_key not in self._numbers_under:
            fmt = number_format(column)
            parsed = [fmt.parse(v) for v in observed if v != EMPTY_KEY]
            numbers = sorted(p for p in parsed if p is not None)
            self._numbers_under[cache_key] = (1 - len(numbers) / len(observed), numbers)
        return self._numbers_under[cache_key]

    def _draw(self, column: ColumnProfile, u: float, rng, position: int, values: dict[str, str]) -> str:
        kind = column.kind
        if kind in (ColumnKind.CATEGORICAL, ColumnKind.BOOLEAN):
            return samplers.sample_counts(column, u)
        if kind is ColumnKind.FOREIGN_KEY:
            return samplers.sample_foreign_key(column, u)
        if kind in _NUMERIC:
            bounds = self.conditions.ranges.get(column.name)
            return samplers.sample_number(column, u, rng, self._numbers(column), bounds)
        if kind is ColumnKind.IDENTIFIER:
            return samplers.sample_identifier(column, rng, self.real_ids.get(column.name, set()), position)
        if kind is ColumnKind.DATETIME:
            return samplers.sample_datetime(column, u, rng)
        if kind is ColumnKind.PATTERN:
            return samplers.sample_pattern(column, u, rng)
        if kind is ColumnKind.SHORT_TEXT:
            return self._short_text_sampler(column, values).sample(rng)
        return ""  # derived (filled after), empty

    def _numbers(self, column: ColumnProfile) -> list[float] | None:
        """The real numbers to draw from: all of them, or those in the column's range (the range itself,
        drawn uniformly, when fewer than two real ones lie in it)."""
        bounds = self.conditions.ranges.get(column.name)
        if bounds is None:
            return None
        if column.name not in self._in_range:
            inside = [n for n in column.stats.sample if bounds[0] <= n <= bounds[1]]
            self._in_range[column.name] = inside if len(inside) >= 2 else list(bounds)
        return self._in_range[column.name]

    def _short_text_sampler(self, column: ColumnProfile, values: dict[str, str]) -> ShortTextSampler:
        """The sampler of the values seen under the row's category, where the column's shape follows one."""
        stats = column.stats
        group = str(values.get(stats.parent)) if stats.parent else None
        key = (column.name, group if group in stats.by_parent else None)
        if key not in self._short_text:
            self._short_text[key] = ShortTextSampler(column, stats.by_parent[group] if key[1] is not None else None)
        return self._short_text[key]

    def _target_words(self, column: ColumnProfile, u: float) -> int:
        """A real length quantile; with `diversity` high drawn by the arcsine law, as often from the short and
        long ends of the real lengths as from their middle: lengths vary more than the real ones, within them."""
        lengths = column.stats.word_lengths or [10]  # kept sorted by the profiler
        if self.wide_lengths:
            u = 0.5 - 0.5 * float(np.cos(np.pi * u))
        return max(1, int(round(samplers.quantile_at(u, lengths) * self.length_scale)))

    def context_of(self, values: dict[str, str]) -> dict[str, str]:
        """The catalogue facts about the item of a row with these values (a planned row's or a real one's)."""
        if self.catalogue is None:
            return {}
        for column in self.profile.of_kind(ColumnKind.FOREIGN_KEY):
            item = self.catalogue.describe(values[column.name])
            if item:
                return {k: v for k, v in item.items() if k != self.catalogue.key_column and v}
        return {}
