"""One sampler per column kind. Each draws a value (a string, as in the real file) from a profile."""

from __future__ import annotations

import numpy as np

from syngen.profiling import datetimes
from syngen.profiling.model import ColumnKind, ColumnProfile

_MAX_ID_TRIES = 50


def weighted_choice(rng: np.random.Generator, counts: dict[str, float]) -> str:
    return choice_at(float(rng.uniform()), counts)


def choice_at(u: float, counts: dict[str, float]) -> str:
    """The value at quantile `u` (0 <= u < 1) of a count table: inverse-CDF sampling."""
    values = list(counts)
    cumulative = np.cumsum([counts[v] for v in values], dtype=float)
    index = int(np.searchsorted(cumulative, u * cumulative[-1], side="right"))
    return values[min(index, len(values) - 1)]


def quantile_at(u: float, ordered: list[float]) -> float:
    """Interpolated empirical quantile: new values with the distribution of `ordered` (sorted)."""
    return float(np.interp(u * (len(ordered) - 1), np.arange(len(ordered)), ordered))


def sample_counts(profile: ColumnProfile, u: float) -> str:
    return choice_at(u, profile.stats["counts"])


def sample_foreign_key(profile: ColumnProfile, u: float) -> str:
    # Half a count of smoothing lets catalogue items never reviewed in the data appear now and then.
    smoothed = {k: v + 0.5 for k, v in profile.stats["counts"].items()}
    return choice_at(u, smoothed)


def sample_number(profile: ColumnProfile, u: float, rng: np.random.Generator) -> str:
    stats = profile.stats
    value = quantile_at(u, stats["sample"])  # kept sorted by the profiler
    if profile.kind is ColumnKind.INTEGER:
        return str(int(round(value)))
    spread = (stats["max"] - stats["min"]) * 0.01
    value = float(np.clip(value + rng.normal(0, spread), stats["min"], stats["max"]))
    return f"{value:.{stats['decimals']}f}"


def sample_identifier(profile: ColumnProfile, rng: np.random.Generator, known: set[str]) -> str:
    stats = profile.stats
    alphabet = list(stats["alphabet"]) or list("0123456789")
    for _ in range(_MAX_ID_TRIES):
        length = int(weighted_choice(rng, stats["lengths"]))
        body = "".join(rng.choice(alphabet, max(1, length - len(stats["prefix"]))))
        value = stats["prefix"] + body
        if value not in known:
            return value
    raise RuntimeError(f"could not draw a new id for {profile.name}")  # only with a tiny alphabet


def sample_datetime(profile: ColumnProfile, u: float, rng: np.random.Generator) -> str:
    stats = profile.stats
    epoch = quantile_at(u, stats["sorted_sample"])
    fmt = weighted_choice(rng, stats["formats"])
    moment = datetimes.from_epoch(epoch)
    digits = stats.get("fraction_digits") or 6
    moment = moment.replace(microsecond=int(rng.integers(0, 10**digits)) * 10 ** (6 - digits))
    return datetimes.format_value(moment, fmt, digits)


def derive(profile: ColumnProfile, source_value: str) -> str:
    fmt = profile.stats.get("format")
    if fmt is None or not source_value:
        return source_value
    source_format = datetimes.match_format(source_value)
    if source_format is None:
        return ""
    return datetimes.parse(source_value, source_format).strftime(fmt)
