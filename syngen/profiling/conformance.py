"""Does a value fit what was learned about its column? Used to validate generated and parsed rows."""

from __future__ import annotations

import re

from syngen.profiling import datetimes, patterns
from syngen.profiling.model import ColumnKind, ColumnProfile, DatasetProfile

_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")


def value_conforms(column: ColumnProfile, value: str) -> bool:
    """True when `value` could have come from the real column (format, range, known category)."""
    value = "" if value is None else str(value)
    if value == "":
        return column.stats.empty_share > 0 or column.kind is ColumnKind.EMPTY
    check = _CHECKS.get(column.kind)
    return True if check is None else check(column, value)


def _categorical(column: ColumnProfile, value: str) -> bool:
    return value in column.counts


def _foreign_key(column: ColumnProfile, value: str) -> bool:
    return value in column.counts


def _number(column: ColumnProfile, value: str) -> bool:
    stats = column.stats
    if stats.number_format is not None:
        number = stats.number_format.parse(value)
        if number is None:
            return False
    elif not _NUMBER.match(value) or (column.kind is ColumnKind.INTEGER and not re.fullmatch(r"[+-]?\d+", value)):
        return False
    else:
        number = float(value)
    span = stats.max - stats.min
    return stats.min - span <= number <= stats.max + span


def _identifier(column: ColumnProfile, value: str) -> bool:
    stats = column.stats
    if stats.counter is not None:
        return stats.counter.written_like(value)
    if stats.positions:
        return re.fullmatch(stats.places_pattern(), value) is not None
    body = value[len(stats.prefix):]
    return (
        value.startswith(stats.prefix)
        and str(len(value)) in stats.lengths
        and set(body) <= set(stats.alphabet)
    )


def _datetime(column: ColumnProfile, value: str) -> bool:
    fmt = datetimes.match_format(value, column.formats)
    if fmt is None:
        return False
    moment = datetimes.parse(value, fmt)
    if datetimes.is_time_only(fmt):
        return True
    epoch = datetimes.to_epoch(moment)
    return column.stats.min - 86400 <= epoch <= column.stats.max + 86400


def _text(column: ColumnProfile, value: str) -> bool:
    return bool(value.strip())


def _pattern(column: ColumnProfile, value: str) -> bool:
    if column.stats.positions:
        return bool(re.fullmatch(column.stats.places_pattern(), value))
    return bool(patterns.shape_regex(column.stats.coarse).fullmatch(value))


def _short_text(column: ColumnProfile, value: str) -> bool:
    return bool(value.strip()) and len(value.split()) <= column.stats.max_words


_CHECKS = {
    ColumnKind.CATEGORICAL: _categorical,
    ColumnKind.BOOLEAN: _categorical,
    ColumnKind.FOREIGN_KEY: _foreign_key,
    ColumnKind.INTEGER: _number,
    ColumnKind.FLOAT: _number,
    ColumnKind.IDENTIFIER: _identifier,
    ColumnKind.DATETIME: _datetime,
    ColumnKind.TEXT: _text,
    ColumnKind.PATTERN: _pattern,
    ColumnKind.SHORT_TEXT: _short_text,
}


def row_problems(profile: DatasetProfile, row: dict[str, str]) -> list[str]:
    """Names of the columns whose values do not conform, plus derived columns that disagree."""
    problems = [c.name for c in profile.columns if not value_conforms(c, row.get(c.name, ""))
                and c.kind is not ColumnKind.DERIVED]
    for column in profile.of_kind(ColumnKind.DERIVED):
        problems += _derived_problem(profile, column, row)
    return problems


def _derived_problem(profile: DatasetProfile, column: ColumnProfile, row: dict[str, str]) -> list[str]:
    from syngen.sampling.columns import derive

    source = column.stats.source
    if not source:
        return []
    source_formats = profile.column(source).formats or None
    expected = derive(column, row.get(source, ""), source_formats)
    return [] if row.get(column.name, "") == expected else [column.name]
