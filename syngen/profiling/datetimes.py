"""Recognise date/time strings and the exact formats they were written in.

Formats are strptime patterns, plus EPOCH (seconds since 1970 as an integer). Day-first and month-first
twins (`%d/%m/%Y`, `%m/%d/%Y`) are decided once per column from the values only one of them reads, so a
column is never learned as half of each.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from datetime import datetime, timedelta, timezone
from itertools import combinations

import numpy as np
import pandas as pd

EPOCH = "EPOCH"  # an integer count of seconds since 1970-01-01 UTC
EPOCH_RANGE = (946_684_800, 2_082_758_400)  # 2000-01-01 .. 2036-01-01: a 10-digit integer there is a time
SAMPLE = 1000  # distinct values whose formats give a column's shares (within about 3 points)
UNPADDABLE = ("%m", "%d", "%H", "%I")  # numbers some exports write without their leading zero

_TIMES = ["%H:%M:%S.%f", "%H:%M:%S", "%H:%M", "%I:%M %p", "%I:%M:%S %p"]
_ISO = [
    "%Y-%m-%d %H:%M:%S.%f", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M:%S.%f %z", "%Y-%m-%d %H:%M:%S %z",
    "%Y-%m-%d %H:%M:%S%z", "%Y-%m-%dT%H:%M:%S.%f%z", "%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%dT%H:%M%z",
    "%Y-%m-%dT%H:%M:%S.%f", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d", "%Y/%m/%d",
    "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M",
]
_NAMED = [
    "%d %b %Y", "%d %B %Y", "%b %d, %Y", "%B %d, %Y", "%b %d %Y", "%d-%b-%Y", "%d-%b-%y", "%d %b %Y %H:%M",
    "%a, %d %b %Y %H:%M:%S %z", "%a %b %d %H:%M:%S %z %Y", "%b %Y", "%B %Y",
]


def _numeric_dates() -> list[str]:
    """Month-first and day-first dates with / - . separators, with and without a time of day."""
    formats = []
    for sep in "/-.":
        for first, second in (("%m", "%d"), ("%d", "%m")):
            for year in ("%Y", "%y") if sep == "/" else ("%Y",):  # 1.2.33 is a version, not a date
                date = f"{first}{sep}{second}{sep}{year}"
                formats += [f"{date} {t}" for t in _TIMES] + [date]
    return formats


# Ordered: the first format that parses a value is the one recorded for it.
CANDIDATE_FORMATS = _ISO + _numeric_dates() + _NAMED + _TIMES
_DIRECTIVE_PATTERNS = {
    "%Y": r"\d{4}", "%y": r"\d{2}", "%m": r"\d{1,2}", "%d": r"\d{1,2}", "%H": r"\d{1,2}", "%I": r"\d{1,2}",
    "%M": r"\d{2}", "%S": r"\d{2}", "%f": r"\d{1,6}", "%b": r"[A-Za-z]{3}", "%B": r"[A-Za-z]{3,9}",
    "%a": r"[A-Za-z]{3}", "%p": r"[AaPp][Mm]", "%z": r"(?:[+-]\d{2}:?\d{2}|Z)",
}
_DIGITS = re.compile(r"\d")
_FRACTION = re.compile(r"\.(\d+)(?:Z|[+-]\d{2}:?\d{2})?$")
OFFSET_PATTERN = r"[+-]\d{2}:?\d{2}(?=\s\d{4}$|$)|Z$"  # at the end, or before the year (Twitter's format)
_OFFSET = re.compile(OFFSET_PATTERN)
_INTEGER = re.compile(r"\d{10}")


def _format_regex(fmt: str) -> re.Pattern:
    pattern = re.escape(fmt)
    for directive, regex in _DIRECTIVE_PATTERNS.items():
        pattern = pattern.replace(re.escape(directive), regex)
    return re.compile(pattern + "$")


# A regex screen first: strptime is slow, and most values of most columns are not dates at all.
_SCREENS = {fmt: _format_regex(fmt) for fmt in CANDIDATE_FORMATS}


def twin(fmt: str) -> str | None:
    """The same format with day and month swapped (`%d/%m/%Y` for `%m/%d/%Y`), if it has one."""
    if "%m" not in fmt or "%d" not in fmt or "%Y-%m-%d" in fmt or "%Y/%m/%d" in fmt:
        return None
    return fmt.replace("%m", "\0").replace("%d", "%m").replace("\0", "%d")


def is_day_first(fmt: str) -> bool:
    return twin(fmt) is not None and fmt.index("%d") < fmt.index("%m")


def name_twin(fmt: str) -> str | None:
    """The same format with the month's short and full name swapped (`%b` and `%B`): May is both."""
    if "%b" in fmt:
        return fmt.replace("%b", "%B")
    return fmt.replace("%B", "%b") if "%B" in fmt else None


def match_format(value: str, allowed: list[str] | None = None) -> str | None:
    """The first candidate format (of `allowed`, if given) that parses `value`, or None. Spaces around a value are
    not part of it (the ISOT news corpus writes its true stories' dates "December 31, 2017 ")."""
    value = value.strip()
    if not _DIGITS.search(value) or len(value) > 40:
        return None
    if allowed is not None and EPOCH in allowed and is_epoch(value):
        return EPOCH
    for fmt in CANDIDATE_FORMATS if allowed is None else allowed:
        screen = _SCREENS.get(fmt)
        if screen is None or not screen.match(value):
            continue
        try:
            datetime.strptime(value, fmt)
        except ValueError:
            continue
        return fmt
    return None


def is_epoch(value: str) -> bool:
    return bool(_INTEGER.fullmatch(value)) and EPOCH_RANGE[0] <= int(value) <= EPOCH_RANGE[1]


def parse(value: str, fmt: str) -> datetime:
    value = value.strip()
    if fmt == EPOCH:
        return datetime.fromtimestamp(int(value), tz=timezone.utc)
    return datetime.strptime(value, fmt)


def offset_text(value: str) -> str:
    """The UTC offset as written at the end of a value (`-0800`, `+01:00`, `Z`), or ""."""
    match = _OFFSET.search(value)
    return match.group(0) if match else ""


def fraction_digits(value: str) -> int:
    match = _FRACTION.search(value)
    return len(match.group(1)) if match else 0


def format_value(moment: datetime, fmt: str, digits: int = 0, offset: str = "", unpadded: Iterable[str] = ()) -> str:
    """strftime, with %f cut to the real data's fraction digits, %z written as the real offset text and the
    `unpadded` fields without their leading zero. `moment` is a UTC time (naive or aware); with an offset it is
    shown in that offset's local time."""
    if fmt == EPOCH:
        return str(int(to_epoch(moment)))
    moment = moment.replace(tzinfo=None) + offset_delta(offset)
    fmt = _unpad(fmt.replace("%z", offset), moment, unpadded)
    if "%f" not in fmt:
        return moment.strftime(fmt)
    head, tail = fmt.split("%f", 1)
    fraction = f"{moment.microsecond:06d}"[: digits or 6]
    return moment.strftime(head) + fraction + moment.strftime(tail)


def _unpad(fmt: str, moment: datetime, fields: Iterable[str]) -> str:
    """`fmt` with each of `fields` ("%m", "%H") replaced by its number without a leading zero (strftime's "%-m"
    is not portable, and strptime does not read it)."""
    for field in fields:
        fmt = fmt.replace(field, str(int(moment.strftime(field))))
    return fmt


def unpadded_fields(values: Iterable[str], fmt: str) -> list[str]:
    """The fields of `fmt` (month, day, hour) that the values write without a leading zero, as Google Forms and US
    spreadsheets do ("2/1/2024 1:52:58"): those that most values with a one-digit number in them write so."""
    fields = [field for field in UNPADDABLE if field in fmt]
    if not fields or fmt == EPOCH or "%z" in fmt or "%f" in fmt:
        return []
    seen, bare = Counter(), Counter()
    for value in values:
        try:
            moment = datetime.strptime(value, fmt)
        except ValueError:
            continue
        small = [field for field in fields if int(moment.strftime(field)) < 10]
        written = next((set(subset) for size in range(len(small) + 1) for subset in combinations(small, size)
                        if moment.strftime(_unpad(fmt, moment, subset)) == value), None)
        if written is not None:
            seen.update(small)
            bare.update(written)
    return [field for field in fields if seen[field] and 2 * bare[field] > seen[field]]


def offset_delta(offset: str) -> timedelta:
    if not offset or offset == "Z":
        return timedelta(0)
    digits = offset[1:].replace(":", "")
    delta = timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
    return -delta if offset[0] == "-" else delta


def detect_formats(values: list[str], min_share: float = 0.95) -> dict[str, float] | None:
    """Shares of each format if at least `min_share` of the non-empty values parse, else None. The formats
    are found in the first SAMPLE distinct values (and in the first of those they leave unread); the shares
    and the day/month decision come from reading every value, vectorised."""
    counts = Counter(v for v in values if v)
    if counts and all(is_epoch(v) for v in counts):
        return {EPOCH: 1.0}
    if not counts or sum(match_format(v) is None for v in list(counts)[:20]) > 20 * (1 - min_share):
        return None
    distinct = pd.Series(list(counts), dtype=str).str.strip()
    weights = pd.Series(list(counts.values()), dtype=float)
    sample = list(counts)[:SAMPLE]
    first = {value: match_format(value) for value in sample}
    allowed = _column_candidates(distinct, weights.to_numpy(), set(first.values()))
    seen = {first[v] if first[v] in allowed else match_format(v, allowed) for v in sample} - {None}
    _, used = parse_series(distinct, sorted(seen))
    left = distinct[used == ""].head(SAMPLE)  # formats the first values did not show
    more = {match_format(v, allowed) for v in left} - {None}
    if more:
        _, used = parse_series(distinct, sorted(seen | more))
    shares = weights.groupby(used).sum()
    if shares.get("", 0.0) > (1 - min_share) * weights.sum():
        return None
    shares = shares.drop("", errors="ignore").sort_values(ascending=False, kind="stable")
    return {fmt: float(share / shares.sum()) for fmt, share in shares.items()}


def _column_candidates(distinct: pd.Series, weights: np.ndarray, found: set[str | None]) -> list[str]:
    """The candidate formats with, for each twin (day/month order, short/full month name), only the one the
    column's evidence supports: values that only one of the twins reads (a 17 where the month would be,
    `Aug` or `August`), counted over the whole column; `found` are the formats the sample's values read first
    in. Without evidence: month-first for / and -, day-first
    for the European dot, and the full month name. Month names both short and full where each has values only it
    reads ("Dec 31, 2017" beside "December 31, 2017" in the ISOT news corpus): the full one reads "May" first."""
    order, names = Counter(), Counter()
    for fmt in filter(None, found):
        if twin(fmt):
            order[is_day_first(fmt)] += _only_reads(distinct, weights, fmt, twin(fmt))
        if name_twin(fmt):
            names["%B" in fmt] += _only_reads(distinct, weights, fmt, name_twin(fmt))
    order, names = +order, +names  # drop zero counts: no evidence is not evidence for month-first

    def keep(fmt: str) -> bool:
        if twin(fmt) and is_day_first(fmt) != (order[True] > order[False] if order else "." in fmt):
            return False
        return not name_twin(fmt) or len(names) == 2 or ("%B" in fmt) == (names[True] >= names[False])

    return [f for f in CANDIDATE_FORMATS if keep(f)]


def _only_reads(values: pd.Series, weights: np.ndarray, fmt: str, other: str) -> int:
    """How many values (with their counts) `fmt` reads and `other` does not."""
    reads, other_reads = _reads(values, fmt), _reads(values, other)
    return int(weights[reads & ~other_reads].sum())


def _reads(values: pd.Series, fmt: str) -> np.ndarray:
    if fmt not in _SCREENS:  # a twin that is no candidate (Twitter's format with a full month name)
        return np.zeros(len(values), dtype=bool)
    screened = values.str.fullmatch(_SCREENS[fmt].pattern.rstrip("$")).to_numpy(dtype=bool)
    parsed = pd.to_datetime(values.where(screened), format=fmt, errors="coerce", utc=True).notna().to_numpy()
    return screened & parsed


def parse_series(values: pd.Series, formats: list[str]) -> tuple[pd.Series, pd.Series]:
    """Each value's moment in UTC (NaT if no format reads it) and the format that read it, vectorised: the
    formats are tried in candidate order, each on the values the earlier ones left."""
    moments = pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns, UTC]")
    used = pd.Series("", index=values.index, dtype=object)
    ordered = sorted(formats, key=lambda f: CANDIDATE_FORMATS.index(f) if f in CANDIDATE_FORMATS else -1)
    for fmt in ordered:
        left = moments.isna()
        if not left.any():
            break
        parsed = _parse_many(values[left].astype(str).str.strip(), fmt)
        moments[left] = parsed
        used[left & moments.notna()] = fmt
    return moments, used


def _parse_many(values: pd.Series, fmt: str) -> pd.Series:
    if fmt == EPOCH:
        numbers = pd.to_numeric(values.where(values.str.fullmatch(_INTEGER.pattern)), errors="coerce")
        return pd.to_datetime(numbers, unit="s", utc=True)
    return pd.to_datetime(values, format=fmt, errors="coerce", utc=True)


def decided_day_first(formats: dict[str, float]) -> bool | None:
    """Whether a column's dates were decided day-first (None when no format has a day/month twin)."""
    twins = [f for f in formats if twin(f)]
    return None if not twins else is_day_first(twins[0])


def is_time_only(fmt: str) -> bool:
    return fmt != EPOCH and "%Y" not in fmt and "%y" not in fmt and "%d" not in fmt


def to_epoch(moment: datetime) -> float:
    """Seconds since 1970; a naive datetime is read as UTC, so results never depend on the machine's zone."""
    if moment.tzinfo is not None:
        return moment.timestamp()
    return moment.replace(tzinfo=timezone.utc).timestamp()


def from_epoch(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, tz=timezone.utc).replace(tzinfo=None)
