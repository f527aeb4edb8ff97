"""Recognise date/time strings and the exact formats they were written in."""

from __future__ import annotations

import re
from collections import Counter
from datetime import datetime, timezone

# Ordered: the first format that parses a value is the one recorded for it.
CANDIDATE_FORMATS = [
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S.%fZ",
    "%Y-%m-%dT%H:%M:%SZ",
    "%Y-%m-%dT%H:%M:%S.%f",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
    "%Y/%m/%d",
    "%m/%d/%Y %H:%M",
    "%m/%d/%Y",
    "%d/%m/%Y",
    "%d.%m.%Y",
    "%d %b %Y",
    "%b %d, %Y",
    "%H:%M:%S",
    "%H:%M",
]
_DIGITS = re.compile(r"\d")
_FRACTION = re.compile(r"\.(\d+)Z?$")


_DIRECTIVE_PATTERNS = {"%Y": r"\d{4}", "%m": r"\d{1,2}", "%d": r"\d{1,2}", "%H": r"\d{1,2}", "%M": r"\d{2}",
                       "%S": r"\d{2}", "%f": r"\d{1,6}", "%b": r"[A-Za-z]{3}"}


def _format_regex(fmt: str) -> re.Pattern:
    pattern = re.escape(fmt)
    for directive, regex in _DIRECTIVE_PATTERNS.items():
        pattern = pattern.replace(re.escape(directive), regex)
    return re.compile(pattern + "$")


# A regex screen first: strptime is slow, and most values of most columns are not dates at all.
_SCREENS = [(fmt, _format_regex(fmt)) for fmt in CANDIDATE_FORMATS]


def match_format(value: str) -> str | None:
    """The first candidate format that parses `value`, or None."""
    if not _DIGITS.search(value) or len(value) > 40:
        return None
    for fmt, screen in _SCREENS:
        if not screen.match(value):
            continue
        try:
            datetime.strptime(value, fmt)
        except ValueError:
            continue
        return fmt
    return None


def parse(value: str, fmt: str) -> datetime:
    return datetime.strptime(value, fmt)


def fraction_digits(value: str) -> int:
    match = _FRACTION.search(value)
    return len(match.group(1)) if match else 0


def format_value(moment: datetime, fmt: str, digits: int = 0) -> str:
    """strftime, but with %f cut to the number of fraction digits the real data used."""
    if "%f" not in fmt:
        return moment.strftime(fmt)
    head, tail = fmt.split("%f", 1)
    fraction = f"{moment.microsecond:06d}"[: digits or 6]
    return moment.strftime(head) + fraction + moment.strftime(tail)


def detect_formats(values: list[str], min_share: float = 0.95) -> dict[str, float] | None:
    """Shares of each format if at least `min_share` of the non-empty values parse, else None."""
    present = [v for v in values if v]
    if not present or sum(match_format(v) is None for v in present[:20]) > 20 * (1 - min_share):
        return None
    formats = Counter(match_format(v) for v in present)
    unparsed = formats.pop(None, 0)
    if unparsed > (1 - min_share) * len(present):
        return None
    total = sum(formats.values())
    return {fmt: count / total for fmt, count in formats.most_common()}


def is_time_only(fmt: str) -> bool:
    return "%Y" not in fmt and "%d" not in fmt


def to_epoch(moment: datetime) -> float:
    """Seconds since 1970 reading a naive datetime as UTC, so results never depend on the machine's zone."""
    return moment.replace(tzinfo=timezone.utc).timestamp()


def from_epoch(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, tz=timezone.utc).replace(tzinfo=None)
