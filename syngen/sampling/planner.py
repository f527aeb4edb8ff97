"""Plan rows: each plan position gets a deterministic skeleton of structured values and text targets."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from syngen.profiling.catalogue import Catalogue
from syngen.profiling.dependencies import bin_key
from syngen.profiling.model import ColumnKind, ColumnProfile, DatasetProfile
from syngen.sampling import columns as samplers

LENGTH_SCALE = {"low": 0.5, "match": 1.0, "high": 1.8}
_PRIMES = [2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83, 89, 97]


@dataclass
class Skeleton:
    """The structured part of one planned row, plus what the model is asked to write."""

    position: int
    values: dict[str, str]
    text_targets: dict[str, int]  # text column -> target word count
    context: dict[str, str] = field(default_factory=dict)  # catalogue facts about the row's item


class RowPlanner:
    """Draws skeletons. The same (seed, position) always gives the same skeleton, whatever ran before."""

    def __init__(self, profile: DatasetProfile, catalogue: Catalogue | None, seed: int,
                 length: str = "match", real_ids: dict[str, set[str]] | None = None) -> None:
        self.profile = profile
        self.catalogue = catalogue
        self.seed = seed
        self.length_scale = LENGTH_SCALE[length]
        self.real_ids = real_ids or {
            c.name: set(c.stats.get("known", [])) for c in profile.of_kind(ColumnKind.IDENTIFIER)
        }

    def rng(self, position: int, stream: int = 0) -> np.random.Generator:
        return np.random.default_rng([self.seed, position, stream])

    def u(self, position: int, stream: int) -> float:
        """A low-discrepancy uniform draw (a Weyl sequence, one irrational step per stream): any run of
        consecutive positions covers [0, 1) evenly, so 200 rows already match the real distributions far
        closer than independent draws would, and the value still depends on the position alone."""
        step = np.sqrt(_PRIMES[stream % len(_PRIMES)]) % 1.0
        offset = np.random.default_rng([self.seed, stream, 7]).uniform()
        return float((offset + position * step) % 1.0)

    def skeleton(self, position: int) -> Skeleton:
        rng = self.rng(position)
        values: dict[str, str] = {}
        for name in self._structured_order():
            values[name] = self._sample_structured(self.profile.column(name), values, position, rng)
        for column in self.profile.columns:
            if column.name not in values:
                values[column.name] = self._sample_other(column, position, rng)
        for column in self.profile.of_kind(ColumnKind.DERIVED):
            source = column.stats.get("source")
            values[column.name] = samplers.derive(column, values.get(source, ""))
        targets = {c.name: self._target_words(c, position) for c in self.profile.text_columns}
        return Skeleton(position, values, targets, self._context(values))

    def _structured_order(self) -> list[str]:
        """Dependency parents before children; independent structured columns in table order."""
        order: list[str] = []
        for dependency in self.profile.dependencies:
            for name in (dependency.parent, dependency.child):
                if name not in order:
                    order.append(name)
        return order

    def _sample_structured(self, column: ColumnProfile, values: dict[str, str], position: int, rng) -> str:
        dependency = self.profile.dependency_of(column.name)
        if dependency is not None:
            key = bin_key(values[dependency.parent], dependency.parent_bins)
            observed = dependency.table.get(key)
            if observed:
                return str(rng.choice(observed))
        return self._sample_other(column, position, rng)

    def _stream(self, column: ColumnProfile) -> int:
        return self.profile.names.index(column.name)

    def _sample_other(self, column: ColumnProfile, position: int, rng) -> str:
        kind = column.kind
        u = self.u(position, self._stream(column))
        if kind in (ColumnKind.CATEGORICAL, ColumnKind.BOOLEAN):
            return samplers.sample_counts(column, u)
        if kind is ColumnKind.FOREIGN_KEY:
            return samplers.sample_foreign_key(column, u)
        if kind in (ColumnKind.INTEGER, ColumnKind.FLOAT):
            return samplers.sample_number(column, u, rng)
        if kind is ColumnKind.IDENTIFIER:
            return samplers.sample_identifier(column, rng, self.real_ids.get(column.name, set()))
        if kind is ColumnKind.DATETIME:
            return samplers.sample_datetime(column, u, rng)
        return ""  # text (written by the model), derived (filled after), empty

    def _target_words(self, column: ColumnProfile, position: int) -> int:
        lengths = column.stats.get("word_lengths") or [10]  # kept sorted by the profiler
        u = self.u(position, self._stream(column))
        return max(1, int(round(samplers.quantile_at(u, lengths) * self.length_scale)))

    def _context(self, values: dict[str, str]) -> dict[str, str]:
        if self.catalogue is None:
            return {}
        for column in self.profile.of_kind(ColumnKind.FOREIGN_KEY):
            item = self.catalogue.describe(values[column.name])
            if item:
                return {k: v for k, v in item.items() if k != self.catalogue.key_column and v}
        return {}
