"""One sampler per column kind. Each draws a value (a string, as in the real file) from a profile."""

from __future__ import annotations

import string
from datetime import datetime, timedelta

import numpy as np

from syngen.errors import DataError
from syngen.profiling import datetimes
from syngen.profiling.model import ColumnKind, ColumnProfile, DatetimeStats, IdCounter, PatternStats
from syngen.profiling.numbers import NumberFormat
from syngen.profiling.patterns import place_kind

_MAX_ID_TRIES = 50
_CASES = {"U": string.ascii_uppercase, "L": string.ascii_lowercase, "M": string.ascii_letters}


def weighted_choice(rng: np.random.Generator, counts: dict[str, float]) -> str:
    return choice_at(float(rng.uniform()), counts)


def choice_at(u: float, counts: dict[str, float]) -> str:
    """The value at quantile `u` (0 <= u < 1) of a count table: inverse-CDF sampling."""
    values = list(counts)
    cumulative = np.cumsum([counts[v] for v in values], dtype=float)
    index = int(np.searchsorted(cumulative, u * cumulative[-1], side="right"))
    return values[min(index, len(values) - 1)]


def quantile_at(u: float, ordered: list[float]) -> float:
    """Interpolated empirical quantile: new values with the distribution of `ordered` (sorted). np.interp's
    arithmetic on the two neighbours (the same float to the bit), without its copy of the whole list."""
    last = len(ordered) - 1
    x = u * last
    if x <= 0:
        return float(ordered[0])
    j = int(x)
    if j >= last:
        return float(ordered[last])
    low = float(ordered[j])
    return low if x == j else (float(ordered[j + 1]) - low) * (x - j) + low


def sample_counts(profile: ColumnProfile, u: float) -> str:
    return choice_at(u, profile.counts)


def sample_foreign_key(profile: ColumnProfile, u: float) -> str:
    # Half a count of smoothing lets catalogue items never reviewed in the data appear now and then.
    smoothed = {k: v + 0.5 for k, v in profile.counts.items()}
    return choice_at(u, smoothed)


def sample_number(profile: ColumnProfile, u: float, rng: np.random.Generator,
                  ordered: list[float] | None = None, bounds: tuple[float, float] | None = None) -> str:
    """A new number with the real distribution (of `ordered`, e.g. the values under a parent, if given),
    written in the column's format, within `bounds` (default: the real minimum and maximum). Floats get a
    little noise, so no real value is copied, except a value many real rows share (`stats.masses`)."""
    stats = profile.stats
    fmt = stats.number_format or NumberFormat(decimals={str(stats.decimals): 1})
    value = quantile_at(u, ordered or stats.sample)  # kept sorted by the profiler
    decimals = int(weighted_choice(rng, fmt.decimals))
    held = stats.masses.get(repr(value)) if not fmt.range_separator else None
    if held is not None and (bounds is None or bounds[0] <= value <= bounds[1]):
        return held  # a value many rows share is drawn as it is: noise would smear 1.0 into 0.99x
    integer = profile.kind is ColumnKind.INTEGER or fmt.is_integer or fmt.whole
    low, high = bounds or (stats.min, stats.max)
    if integer:
        value = float(np.clip(round(value), np.ceil(low), np.floor(high))) if bounds else value
    else:
        spread = (stats.max - stats.min) * 0.01
        value = float(np.clip(value + rng.normal(0, spread), low, high))
    if not fmt.range_separator:
        return fmt.render(round(value), decimals if fmt.whole else 0) if integer else fmt.render(value, decimals)
    top = value + quantile_at(float(rng.uniform()), stats.widths)
    top = min(top, high) if bounds else top
    start, top = (round(value), round(top)) if integer else (value, top)
    return fmt.render(start, decimals) + fmt.range_separator + fmt.render(top, decimals)


def sample_identifier(profile: ColumnProfile, rng: np.random.Generator, known: set[str], position: int) -> str:
    stats = profile.stats
    if stats.counter is not None:
        value = stats.counter.value(position)
        if stats.counter.even or len(value) <= max(map(int, stats.lengths), default=len(value)):
            return value
        # An uneven count (a sample of a larger table) past its real width: 7-digit complaint ids became 8-digit
        # a few rows on. New numbers are drawn between the real first and last, none a real one.
        return _number_between(stats.counter, rng, known) or value
    alphabet = list(stats.alphabet) or list("0123456789")
    for _ in range(_MAX_ID_TRIES):
        if stats.shapes:  # a shape draws each run of letters anew: the prefix every real id shares is put back
            value = sample_pattern(profile, float(rng.uniform()), rng, stats.alphabet)
            value = stats.prefix + value[len(stats.prefix):]
        elif stats.positions:
            value = draw_places(stats.positions, rng, stats.place_kinds)
        else:
            length = int(weighted_choice(rng, stats.lengths))
            value = stats.prefix + "".join(rng.choice(alphabet, max(1, length - len(stats.prefix))))
        if value not in known:
            return value
    raise DataError(f"column '{profile.name}' is an id column whose real values fill almost every value of "
                    f"their shape ({len(known)} known), so no new unique id can be drawn",
                    "Give the column longer ids, or drop it from the data and number the rows afterwards")


def sample_datetime(profile: ColumnProfile, u: float, rng: np.random.Generator) -> str:
    """A moment from the real distribution, in one of the real formats (with a real offset, for zoned ones).
    The sample is in UTC; a zoned format shows it in the offset's local time, as the real values were."""
    return _written_moment(profile, quantile_at(u, profile.stats.sorted_sample), rng)


def sample_datetime_after(profile: ColumnProfile, earlier: str, earlier_formats: list[str], gaps: list[float],
                          u: float, rng: np.random.Generator) -> str:
    """A moment one of the real `gaps` (seconds, sorted) after `earlier` (a value of the column it follows), in
    this column's formats; "" where `earlier` reads in none of its formats."""
    fmt = datetimes.match_format(earlier, earlier_formats)
    if fmt is None:
        return ""
    start = datetimes.to_epoch(datetimes.parse(earlier, fmt))
    return _written_moment(profile, start + quantile_at(u, gaps), rng, rounded_down=False)


def _written_moment(profile: ColumnProfile, epoch: float, rng: np.random.Generator, rounded_down: bool = True) -> str:
    """`epoch` written as the column writes its moments. Without `rounded_down`, a moment between the column's
    steps goes up to the next one (so a moment after another stays after it)."""
    stats = profile.stats
    fmt = weighted_choice(rng, stats.formats)
    exact = datetimes.from_epoch(epoch)
    digits = stats.fraction_digits or 6
    moment, step = _on_step(exact, stats, digits, rng)
    if not rounded_down and moment < exact:
        moment += step
    offsets = stats.offsets
    offset = weighted_choice(rng, offsets) if "%z" in fmt and offsets else ""
    return datetimes.format_value(moment, fmt, digits, offset, stats.unpadded.get(fmt, ()))


def _on_step(moment: datetime, stats: DatetimeStats, digits: int,
             rng: np.random.Generator) -> tuple[datetime, timedelta]:
    """The moment on the column's grid (the quarter hour, the minute, or drawn fractions of a second), rounded
    down, and the grid's step."""
    if stats.minute_step > 1:
        minute = (moment.hour * 60 + moment.minute) // stats.minute_step * stats.minute_step
        return (moment.replace(hour=minute // 60, minute=minute % 60, second=0, microsecond=0),
                timedelta(minutes=stats.minute_step))
    if stats.zero_seconds:
        return moment.replace(second=0, microsecond=0), timedelta(minutes=1)
    return moment.replace(microsecond=int(rng.integers(0, 10**digits)) * 10 ** (6 - digits)), timedelta(seconds=1)


def sample_pattern(profile: ColumnProfile, u: float, rng: np.random.Generator, alphabet: str = "") -> str:
    """One shape, by its real share; each varying run drawn from that run's real distribution. `alphabet`: the
    only characters runs of letters may use (an id's hex digits "A-F"), where it holds some of their case."""
    if isinstance(profile.stats, PatternStats) and profile.stats.positions:
        return draw_places(profile.stats.positions, rng)
    shapes = profile.stats.shapes
    shape = shapes[int(choice_at(u, {str(i): s["share"] for i, s in enumerate(shapes)}))]
    return "".join(_pattern_part(part, rng, alphabet) for part in shape["parts"])


def _pattern_part(part: dict, rng: np.random.Generator, alphabet: str = "") -> str:
    if "literal" in part:
        return part["literal"]
    if "digits" in part:
        return str(int(round(quantile_at(float(rng.uniform()), part["sample"])))).zfill(part["digits"])
    if "choices" in part:
        return weighted_choice(rng, part["choices"])
    return random_letters(rng, part["letters"], part["case"], alphabet)


def draw_places(positions: list[str], rng: np.random.Generator, kinds: dict[str, int] | None = None) -> str:
    """A code drawn place by place from the characters real codes have there; with `kinds` (patterns.place_kinds),
    first a real kind of places by its count, then each place from its characters of that kind."""
    if kinds:
        kind = str(weighted_choice(rng, kinds))
        positions = ["".join(c for c in place if place_kind(c) == k) or place
                     for place, k in zip(positions, kind, strict=True)]
    picks = rng.integers(0, [len(place) for place in positions])
    return "".join(place[pick] for place, pick in zip(positions, picks, strict=True))


def _number_between(counter: IdCounter, rng: np.random.Generator, known: set[str]) -> str | None:
    for _ in range(_MAX_ID_TRIES):
        value = counter.written(int(rng.integers(counter.first, counter.last + 1)))
        if value not in known:
            return value
    return None


def random_letters(rng: np.random.Generator, length: int, case: str, alphabet: str = "") -> str:
    if case == "C":
        return random_letters(rng, 1, "U", alphabet) + random_letters(rng, length - 1, "L", alphabet)
    letters = [c for c in _CASES[case] if c in alphabet] or list(_CASES[case])
    return "".join(rng.choice(letters, length)) if length > 0 else ""


def derive(profile: ColumnProfile, source_value: str, source_formats: list[str] | None = None) -> str:
    """The derived value; `source_formats` (the source column's formats) settle day-first dates."""
    fmt = profile.stats.format
    if fmt is None or not source_value:
        return source_value
    source_format = datetimes.match_format(source_value, source_formats)
    if source_format is None:
        return ""
    return datetimes.parse(source_value, source_format).strftime(fmt)
