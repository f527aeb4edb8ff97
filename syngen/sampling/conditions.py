"""Conditions on a run's rows (--where, --distribution, --balance, a column's range), checked against the
real table and turned into what the planner draws from.

A conditioned column gets a target share for each value: --where keeps the real shares among the allowed
values, --balance is uniform over the real values, --distribution is as given, and a range on a category
of numbers (a rating from 1 to 2) keeps the real shares of the values inside it. The planner then gives
every plan position its value from an apportioned sequence (sampling/apportion.py), and draws the other
columns given it: the dependency tree is turned to start at the conditioned columns (sampling/reroot.py).
A range on a number column bounds the numbers drawn instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import pandas as pd

from syngen.errors import ConfigError
from syngen.profiling.labelsets import split_labels
from syngen.profiling.model import ColumnKind, ColumnProfile, DatasetProfile, Dependency
from syngen.profiling.numbers import NumberFormat
from syngen.sampling.apportion import Apportioned
from syngen.sampling.reroot import reroot

CONDITIONABLE = (ColumnKind.CATEGORICAL, ColumnKind.BOOLEAN, ColumnKind.FOREIGN_KEY)
NUMBERS = (ColumnKind.INTEGER, ColumnKind.FLOAT)
Source = Literal["where", "distribution", "balance", "range"]
_MAX_LISTED = 12


@dataclass(frozen=True)
class ColumnCondition:
    column: str
    source: Source
    shares: dict[str, float]  # value -> target share of the rows


@dataclass
class Conditions:
    """A run's conditions, resolved against the real table."""

    columns: dict[str, ColumnCondition] = field(default_factory=dict)
    ranges: dict[str, tuple[float, float]] = field(default_factory=dict)  # number columns only
    dependencies: list[Dependency] = field(default_factory=list)  # the tree, conditioned columns first
    notes: list[str] = field(default_factory=list)  # what the conditions cannot keep, for the sidecar

    def __bool__(self) -> bool:
        return bool(self.columns or self.ranges)

    def sequences(self, seed: int, names: list[str]) -> dict[str, Apportioned]:
        """One apportioned sequence a conditioned column, on the column's own random stream."""
        return {name: Apportioned(c.shares, seed, names.index(name)) for name, c in self.columns.items()}

    def record(self, frame: pd.DataFrame) -> dict:
        """For the sidecar: each condition, its target and the shares delivered, with their distance (TVD)."""
        record: dict = {}
        for name, condition in self.columns.items():
            delivered = frame[name].astype(str).value_counts(normalize=True).to_dict() if len(frame) else {}
            values = set(condition.shares) | set(delivered)
            tvd = sum(abs(condition.shares.get(v, 0) - delivered.get(v, 0)) for v in values) / 2
            record[name] = {"source": condition.source, "target": condition.shares,
                            "delivered": {v: round(s, 4) for v, s in delivered.items()}, "tvd": round(tvd, 4)}
        for name, (low, high) in self.ranges.items():
            record[name] = {"source": "range", "range": [low, high]}
        return record


def resolve_conditions(config, profile: DatasetProfile, frame: pd.DataFrame) -> Conditions:
    """Check the configuration's conditions against the profiled table; ConfigError names the fix."""
    columns: dict[str, ColumnCondition] = {}
    for name, asked in config.where.items():
        column = _conditionable(profile, name, "--where")
        counts = _counts(column)
        allowed = _with_labels(column, counts, asked)
        _check_known(column, allowed, "--where")
        columns[name] = ColumnCondition(name, "where", _normalised(_asked_weights(counts, allowed)))
    for name, shares in config.distribution.items():
        column = _conditionable(profile, name, "--distribution")
        _check_known(column, list(shares), "--distribution")
        columns[name] = ColumnCondition(name, "distribution", _normalised(shares))
    for name in config.balance:
        column = _conditionable(profile, name, "--balance")
        columns[name] = ColumnCondition(name, "balance", _normalised(dict.fromkeys(_counts(column), 1.0)))
    ranges = {}
    for name, (low, high) in config.ranges.items():
        column = _column(profile, name, "a range")
        if column.kind in NUMBERS:
            ranges[name] = (low, high)
        else:
            columns[name] = _range_as_values(column, low, high)
    dependencies, dropped = reroot(profile, frame, list(columns))
    return Conditions(columns, ranges, dependencies, [_independent(edge) for edge in dropped])


def _independent(edge: Dependency) -> str:
    return (f"the conditions on '{edge.parent}' and '{edge.child}' are met separately, though one follows the "
            "other in the real data: some pairs of their values may never occur together there")


def _column(profile: DatasetProfile, name: str, option: str) -> ColumnProfile:
    if name not in profile.names:
        raise ConfigError(f"{option}: the data has no column '{name}'", f"Its columns are: {_listed(profile.names)}")
    return profile.column(name)


def _conditionable(profile: DatasetProfile, name: str, option: str) -> ColumnProfile:
    column = _column(profile, name, option)
    if column.kind not in CONDITIONABLE or not _counts(column):
        raise ConfigError(f"{option}: '{name}' is a {column.kind.value} column, not a category",
                          f"Condition a categorical, boolean or catalogue-key column; if '{name}' is one, say so "
                          f"with --kind {name}=categorical")
    return column


def _counts(column: ColumnProfile) -> dict[str, float]:
    return {v: c for v, c in column.counts.items() if v != ""}


def _with_labels(column: ColumnProfile, counts: dict[str, float], asked: list[str]) -> list[str]:
    """On a multi-label column a label asks for every real combination holding it ("billing" gives "billing",
    "billing|refund", ...); a value with the separator is one combination, as written."""
    label_set = column.label_set
    if label_set is None:
        return asked
    values: list[str] = []
    for value in asked:
        if value in label_set.labels:
            values += [v for v in counts if value in split_labels(v, label_set.separator)]
        else:
            values.append(value)
    return list(dict.fromkeys(values))


def _check_known(column: ColumnProfile, values: list[str], option: str) -> None:
    known = _counts(column)
    unknown = [v for v in values if v not in known]
    if unknown:
        label_set = column.label_set
        raise ConfigError(f"{option}: '{unknown[0]}' never occurs in column '{column.name}'",
                          f"Its labels are: {_listed(list(label_set.labels))}" if label_set else
                          f"Its values are: {_listed(list(known))}")


def _range_as_values(column: ColumnProfile, low: float, high: float) -> ColumnCondition:
    """A range on a category of numbers: the real values inside it, with their real shares."""
    if column.kind not in CONDITIONABLE:
        raise ConfigError(f"a range was given for '{column.name}', a {column.kind.value} column",
                          "Give ranges to number columns only (or a category of numbers)")
    fmt = NumberFormat()  # a category holds counts, not a learned number format
    counts = _counts(column)
    inside = {v: c for v, c in counts.items() if (n := fmt.parse(v)) is not None and low <= n <= high}
    if not inside:
        raise ConfigError(f"no value of '{column.name}' lies between {low:g} and {high:g}",
                          f"Its values are: {_listed(list(counts))}")
    return ColumnCondition(column.name, "range", _normalised(inside))


def _asked_weights(counts: dict[str, float], allowed: list[str]) -> dict[str, float]:
    """The asked values' real counts; a value no real row uses (a catalogue key without rows) weighs as the
    rarest asked value that is used, so that it is made as asked rather than never."""
    used = [counts[v] for v in allowed if counts.get(v, 0) > 0]
    floor = min(used, default=1.0)
    return {v: counts.get(v, 0) or floor for v in allowed}


def _normalised(weights: dict[str, float]) -> dict[str, float]:
    total = sum(weights.values())
    if total <= 0:
        raise ConfigError(f"the shares given ({_listed([f'{v}:{w:g}' for v, w in weights.items()])}) add up to 0",
                          "Give at least one value a share above 0")
    return {value: weight / total for value, weight in weights.items()}


def _listed(values: list[str]) -> str:
    shown = ", ".join(values[:_MAX_LISTED])
    return shown + (f" and {len(values) - _MAX_LISTED} more" if len(values) > _MAX_LISTED else "")
