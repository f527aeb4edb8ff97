"""`--kind COLUMN=KIND`: the user's corrections of inferred column kinds, read from the command line."""

from __future__ import annotations

from collections.abc import Iterable

from syngen.errors import ConfigError
from syngen.profiling.model import ColumnKind

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
