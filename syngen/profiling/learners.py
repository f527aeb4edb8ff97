"""Per-kind learners: the facts each column's sampler needs, kept in `ColumnProfile.stats`.

Keys of `stats`, by kind (every kind also has `empty_share`, the share of "" in the real column):
- categorical, boolean: `counts` (value -> count).
- foreign_key: `catalogue_key`, `counts` (every catalogue key and every data value -> count in the data).
- integer, float: `min`, `max`, `mean`, `sample` (sorted numbers), `decimals` (the most common count), and
  `number_format` (a NumberFormat dump: prefix, suffix, thousands, decimal_mark, decimals, strip_zeros,
  plus_sign, sign_after_prefix, width, exponent, range_separator); for ranges (10-20) also `widths`
  (sorted high - low) while `sample` holds the low ends; `masses` (repr of a number that MASS_SHARE of the
  values are exactly -> its written form), drawn exactly, never moved by noise.
- identifier: `counter` (first, last, step, even, width: row numbers 1..n, continued by new rows), `prefix`,
  `alphabet`, `lengths` (length -> count), `known` (the real ids, never reissued), and
  `shapes` (as for patterns) when the ids hold marks at fixed places (555-0142).
- datetime: `formats` (format -> share; EPOCH for epoch seconds), `offsets` (UTC offset text -> count, for
  formats with %z), `day_first` (True/False, or None with no day/month ambiguity), `zero_seconds`,
  `fraction_digits`, `min`, `max`, `sorted_sample` (epoch seconds, or seconds of the day for times).
- derived: `source`, `format` (strftime of the source, None for an exact copy).
- pattern: `shapes` (share and parts of each shape), `coarse` (every coarse shape seen, for validation).
- short_text: `sample` (distinct real values the sampler learns from), `known` (every distinct real value,
  never reissued), `word_lengths`,
  `max_words`, `max_chars`.
- text: `word_lengths`, `median_words`, `max_words`, `char_per_word`, `top_values`.
"""

from __future__ import annotations

from collections import Counter
from os.path import commonprefix  # the longest common prefix of any strings

import numpy as np
import pandas as pd

from syngen.profiling import datetimes, numbers, patterns, ranges

MAX_SAMPLE = 5000  # values kept per column for empirical sampling
MAX_SHORT_TEXT = 3000  # distinct values a short-text sampler learns from
_DIGITS = r"\d{1,18}"
COUNTER_EVEN_STEPS = 0.9  # share of gaps equal to the usual step that makes distinct numbers a row count
MAX_PLACED_LENGTH = 64  # ids up to this long and all of one length keep their characters place by place
MASS_SHARE, MIN_MASS_ROWS = 0.02, 5  # a number this many real values are exactly is one of the column's values


class Unreadable(ValueError):
    """A column forced to a kind its values cannot have (no number in a column forced to float)."""


def learn_counts(present: pd.Series) -> dict:
    return {"counts": {str(k): int(v) for k, v in Counter(present).most_common()}}


def learn_numbers(present: pd.Series) -> dict:
    values = present.tolist()
    fmt = numbers.learn_format(values) or ranges.learn_range(values) or numbers.NumberFormat()
    if fmt.range_separator:
        return _learn_ranges(present, fmt)
    read = numbers.parse_series(fmt, present).dropna()
    if len(read) < 0.95 * len(present):
        raise Unreadable(f"only {len(read)} of its {len(present)} values are numbers")
    return {**_number_stats(read, read, fmt), "masses": _masses(present, read)}


def _masses(present: pd.Series, read: pd.Series) -> dict[str, str]:
    """Numbers that MASS_SHARE of the values or more are exactly (an annotator's confidence of 1.0 in 76% of a
    table's rows, a discount of 0), each with its most common written form: repr(number) -> "1.0"."""
    shares = read.value_counts(normalize=True)
    held = shares[(shares >= MASS_SHARE) & (shares * len(read) >= MIN_MASS_ROWS)]
    written = present.loc[read.index]
    return {repr(float(number)): str(written[read == number].mode().iloc[0]) for number in held.index}


def _number_stats(lows: pd.Series, ends: pd.Series, fmt: numbers.NumberFormat) -> dict:
    return {
        "min": float(ends.min()), "max": float(ends.max()), "mean": float(lows.mean()),
        "sample": sorted(lows.sample(min(len(lows), MAX_SAMPLE), random_state=0).tolist()),
        "decimals": int(max(fmt.decimals, key=fmt.decimals.get)),
        "number_format": fmt.model_dump(),
    }


def _learn_ranges(present: pd.Series, fmt: numbers.NumberFormat) -> dict:
    pairs = [p for p in map(fmt.parse_range, present) if p is not None]
    lows, highs = pd.Series([p[0] for p in pairs]), pd.Series([p[1] for p in pairs])
    widths = (highs - lows).sample(min(len(pairs), MAX_SAMPLE), random_state=0)
    return {**_number_stats(lows, pd.concat([lows, highs]), fmt), "widths": sorted(widths.tolist())}


def learn_identifier(present: pd.Series, counter: dict | None = None) -> dict:
    values = present.tolist()
    prefix = _common_prefix(values)
    body_chars = sorted(set("".join(v[len(prefix):] for v in values)))
    stats = {
        "counter": counter or learn_counter(present),
        "prefix": prefix,
        "alphabet": "".join(body_chars),
        "lengths": {str(k): int(v) for k, v in Counter(len(v) for v in values).most_common()},
        "known": values if len(values) <= 200_000 else values[:200_000],
    }
    head = values[:5000]
    if any(not ch.isalnum() for ch in "".join(head[:200])) and patterns.looks_patterned(head):
        stats["shapes"] = patterns.learn_shapes(head)["shapes"]  # 555-0142: marks stay where they are
    elif len(stats["lengths"]) == 1 and len(values[0]) <= MAX_PLACED_LENGTH:
        # A code of one length keeps each place's characters: drawn from the pooled alphabet after the common
        # prefix, "L12345" became "7187L5" and "SKU48213" "SK4U8K21".
        stats["positions"] = patterns.characters_by_place(values)
        stats["place_kinds"] = patterns.place_kinds(head)
    return stats


def learn_counter(present: pd.Series, id_named: bool = False) -> dict | None:
    """Row numbers: distinct whole numbers in (almost) even steps (1, 2, 3, ... with a few gaps), or any distinct
    whole numbers in a column named like an id, written bare or after one fixed prefix (MV-00012). None for
    anything else (prices, counts, codes whose letters vary)."""
    if len(present) <= 20:
        return None
    prefix = _counter_prefix(present.head(1000))  # most columns are told apart by their first values
    if prefix is None:
        return None
    digits = present.str.slice(len(prefix))
    if not (present.str.startswith(prefix) & digits.str.fullmatch(_DIGITS)).all() or present.nunique() < len(present):
        return None
    numbers = np.sort(digits.astype("int64").to_numpy())
    gaps = np.diff(numbers)
    step = int(np.bincount(np.minimum(gaps, 1_000_000)).argmax())
    even = bool(np.mean(gaps == step) >= COUNTER_EVEN_STEPS)
    if step == 0 or not (even or id_named):
        return None
    padded = digits.str.startswith("0").any() and digits.str.len().nunique() == 1
    return {"first": int(numbers[0]), "last": int(numbers[-1]), "step": step, "even": even,
            "width": int(digits.str.len().iloc[0]) if padded else 0, "prefix": prefix}


def _counter_prefix(head: pd.Series) -> str | None:
    """The one code every value starts with before its digits ("" for bare numbers, "MV-"), or None. Words
    ("some words number 7") make a text, and a sign a value: neither is a row number's prefix."""
    parts = head.str.extract(rf"^(\D{{0,12}})({_DIGITS})$")
    prefixes = parts[0].unique()
    if parts[1].isna().any() or len(prefixes) != 1:
        return None
    prefix = str(prefixes[0])
    return None if prefix in ("-", "+") or any(char.isspace() for char in prefix) else prefix


def _common_prefix(values: list[str]) -> str:
    # A prefix as long as the values themselves would leave nothing to vary.
    return commonprefix(values)[: max(0, min(len(v) for v in values) - 6)]


def learn_foreign_key(present: pd.Series, keys: list[str], key_column: str) -> dict:
    """Counts over the catalogue's keys and the data's values: a partial catalogue keeps every item."""
    counts = Counter(present)
    merged = {str(k): int(counts.get(k, 0)) for k in keys}
    merged.update({str(k): int(v) for k, v in counts.items()})
    return {"catalogue_key": key_column, "counts": merged}


def learn_datetime(present: pd.Series, formats: dict[str, float] | None = None) -> dict:
    formats = formats or datetimes.detect_formats(present.tolist()) or {}
    moments, used = datetimes.parse_series(present, list(formats))
    read = moments.notna()
    if read.sum() < 0.95 * len(present):
        raise Unreadable(f"only {read.sum()} of its {len(present)} values are dates or times in one known format")
    moments, used, present = moments[read], used[read], present[read].str.strip()  # the few unread ones left out
    digits = present.str.extract(r"\.(\d+)(?:Z|[+-]\d{2}:?\d{2})?$")[0].dropna().str.len()
    offsets = present.str.extract(f"({datetimes.OFFSET_PATTERN})")[0].dropna()
    with_seconds = used.map(lambda f: "%S" in f or f == datetimes.EPOCH).astype(bool)
    epochs = np.sort(_seconds(moments, used).to_numpy())
    return {
        "formats": formats,
        "offsets": dict(Counter(offsets).most_common()) if any("%z" in f for f in formats) else {},
        "day_first": datetimes.decided_day_first(formats),
        "zero_seconds": bool((moments[with_seconds].dt.second == 0).all()),
        "minute_step": _minute_step(moments, used, with_seconds),
        "fraction_digits": int(digits.mode().iloc[0]) if not digits.empty else 0,
        "unpadded": {fmt: found for fmt in formats
                     if (found := datetimes.unpadded_fields(present[used == fmt].head(UNPADDED_SAMPLE), fmt))},
        "min": float(epochs[0]), "max": float(epochs[-1]),
        "sorted_sample": epochs[:: max(1, len(epochs) // MAX_SAMPLE)].tolist(),
    }


UNPADDED_SAMPLE = 500  # values per format read for the fields written without a leading zero
# Minutes of the day every real time falls on a multiple of: midnight (an epoch column of days, as Amazon's review
# times are), the hour, the half or quarter hour, or steps of 10 or 5 minutes.
MINUTE_STEPS = (1440, 60, 30, 15, 10, 5)
MIN_STEP_VALUES = 10  # fewer times may all fall on a step by chance (one in 5 falls on a multiple of 5)


def _minute_step(moments: pd.Series, used: pd.Series, with_seconds: pd.Series) -> int:
    """The largest of MINUTE_STEPS that every real time's minute of the day is a multiple of (their seconds :00);
    1 if none is, or too few values show minutes to say."""
    with_minutes = used.map(lambda f: "%M" in f or f == datetimes.EPOCH).astype(bool)
    if with_minutes.sum() < MIN_STEP_VALUES or (moments[with_seconds].dt.second != 0).any():
        return 1
    minutes = moments[with_minutes].dt.hour * 60 + moments[with_minutes].dt.minute
    return next((step for step in MINUTE_STEPS if (minutes % step == 0).all()), 1)


def _seconds(moments: pd.Series, used: pd.Series) -> pd.Series:
    """Epoch seconds, or seconds of the day for values that are only a time."""
    epochs = (moments - pd.Timestamp(0, tz="UTC")).dt.total_seconds()
    of_day = moments.dt.hour * 3600 + moments.dt.minute * 60 + moments.dt.second
    return epochs.where(~used.map(datetimes.is_time_only).astype(bool), of_day).astype(float)


def learn_pattern(present: pd.Series) -> dict:
    values = present.tolist()
    learned = patterns.learn_shapes(values)
    places = patterns.places_of(values, MAX_PLACED_LENGTH)
    return {**learned, "positions": places} if places else learned


def learn_short_text(present: pd.Series) -> dict:
    words = present.str.split().str.len().fillna(0).astype(int)
    distinct = present.drop_duplicates()
    return {
        "sample": distinct.sample(min(len(distinct), MAX_SHORT_TEXT), random_state=0).tolist(),
        "known": distinct.head(200_000).tolist(),
        "word_lengths": sorted(words.sample(min(len(words), MAX_SAMPLE), random_state=0).tolist()),
        "max_words": int(words.max()),
        "max_chars": int(present.str.len().max()),
    }


def learn_text(present: pd.Series) -> dict:
    words = present.str.split().str.len().fillna(0).astype(int)
    sample = words.sample(min(len(words), MAX_SAMPLE), random_state=0)
    return {
        "word_lengths": sorted(sample.tolist()),
        "median_words": float(words.median()),
        "max_words": int(words.max()),
        "char_per_word": float(present.str.len().sum() / max(1, words.sum())),
        "top_values": {str(k): int(v) for k, v in Counter(present).most_common(5) if v > 1},
    }
