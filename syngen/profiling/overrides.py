"""The user's per-column settings, read from the command line: `--kind COLUMN=KIND` corrects an inferred
kind; `--where`, `--distribution` and `--balance` ask for a column's values (checked here as far as the
options alone allow, and against the data in syngen.sampling.conditions)."""

from __future__ import annotations

from collections.abc import Iterable

from syngen.errors import ConfigError
from syngen.profiling.model import ColumnKind

SHARE_TOLERANCE = 0.002  # 0.333 three times is a third each (shares are rescaled); 0.33 three times is a slip
DISTRIBUTION_EXAMPLE = "--distribution rating=1:0.5,2:0.5"
KIND_NAMES = ", ".join(k.value for k in ColumnKind)


def parse_kinds(pairs: Iterable[str]) -> dict[str, ColumnKind]:
    """COLUMN=KIND pairs (the last = splits, so a column name may hold one) -> column -> kind."""
    kinds = {}
    for pair in pairs:
        column, sep, kind = pair.rpartition("=")
        if not sep or not column:
            raise ConfigError(f"--kind {pair!r} is not COLUMN=KIND", "Write it as e.g. --kind location=short_text")
        kinds[column] = to_kind(kind, column)
    return kinds


def to_kind(name: str, column: str = "") -> ColumnKind:
    try:
        return ColumnKind(name.strip().lower())
    except ValueError:
        where = f" for column '{column}'" if column else ""
        raise ConfigError(f"--kind: {name!r}{where} is not a column kind", f"Choose one of: {KIND_NAMES}") from None


def kinds_from_config(kinds: dict[str, str] | None) -> dict[str, ColumnKind]:
    """The kinds saved in a run's configuration (plain strings), as ColumnKinds."""
    return {column: to_kind(kind, column) for column, kind in (kinds or {}).items()}


def parse_where(pairs: Iterable[str]) -> dict[str, list[str]]:
    """COLUMN=V1[,V2...] pairs (the first = splits) -> column -> allowed values."""
    where: dict[str, list[str]] = {}
    for pair in pairs:
        column, values = _split(pair, "--where", "--where rating=1,2")
        where[column] = [v.strip() for v in values.split(",")]
    return where


def parse_distribution(pairs: Iterable[str]) -> dict[str, dict[str, float]]:
    """COLUMN=V1:P1,V2:P2 pairs (the last : of each item splits, so a value may hold one) -> column -> shares."""
    example = DISTRIBUTION_EXAMPLE
    distribution: dict[str, dict[str, float]] = {}
    for pair in pairs:
        column, items = _split(pair, "--distribution", example)
        shares = {}
        for item in items.split(","):
            value, sep, share = item.rpartition(":")
            try:
                shares[value.strip()] = float(share)
            except ValueError:
                sep = ""
            if not sep:
                raise ConfigError(f"--distribution {column}: {item!r} is not VALUE:SHARE", f"Write e.g. {example}")
        distribution[column] = shares
    return distribution


def _split(pair: str, option: str, example: str) -> tuple[str, str]:
    column, sep, rest = pair.partition("=")
    if not sep or not column.strip() or not rest.strip():
        raise ConfigError(f"{option} {pair!r} is not COLUMN=VALUES", f"Write it as e.g. {example}")
    return column.strip(), rest


def check_conditions(where: dict[str, list[str]], distribution: dict[str, dict[str, float]], balance: list[str],
                     ranges: dict[str, tuple[float, float]]) -> None:
    """What can be checked before the data is read: values given, shares adding up to 1, ranges in order,
    and one condition a column (--where and --distribution on the same column contradict each other)."""
    for column, values in where.items():
        if not values or not all(values) or len(set(values)) < len(values):
            raise ConfigError(f"--where {column}: give each allowed value once, none empty",
                              "Write it as e.g. --where rating=1,2")
    for column, shares in distribution.items():
        _check_shares(column, shares)
    for column, (low, high) in ranges.items():
        if low > high:
            raise ConfigError(f"the range of {column} runs from {low:g} down to {high:g}", "Give it as [low, high]")
    _check_one_condition_each(where, distribution, balance, ranges)


def _check_shares(column: str, shares: dict[str, float]) -> None:
    if not shares or any(not value for value in shares):
        raise ConfigError(f"--distribution {column}: a value is missing", f"Write e.g. {DISTRIBUTION_EXAMPLE}")
    if any(share < 0 or share > 1 for share in shares.values()):
        raise ConfigError(f"--distribution {column}: shares must lie between 0 and 1",
                          f"Write e.g. {DISTRIBUTION_EXAMPLE}")
    total = sum(shares.values())
    if abs(total - 1) > SHARE_TOLERANCE:
        raise ConfigError(f"--distribution {column}: the shares add up to {total:.4g}, not 1",
                          "Make them add up to 1 (e.g. 1:0.5,2:0.5)")


def _check_one_condition_each(*options: dict | list) -> None:
    names = ("--where", "--distribution", "--balance", "a range")
    seen: dict[str, str] = {}
    for name, given in zip(names, options, strict=True):
        for column in given:
            if column in seen:
                raise ConfigError(f"{seen[column]} and {name} both set column '{column}'",
                                  "Give one condition a column: drop one of them")
            seen[column] = name
