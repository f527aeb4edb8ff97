"""Learn which date columns never come before another (opened -> resolved, review -> reply, check-in -> check-out).

Each date column is otherwise drawn from its own distribution, so a reply could be dated before its review. A
column that is on or after an earlier one in (nearly) every real row where both are filled is planned as that
column plus a real gap between them: the order holds in every generated row and the gaps are real ones. Each
column follows its closest predecessor (the smallest median gap). An order the columns' own distributions keep
anyway (birth dates before this year's tickets) is left to them.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd

from syngen.profiling import datetimes
from syngen.profiling.model import ColumnKind, ColumnProfile, DatasetProfile, Ordering

MIN_PAIRS = 20  # rows with both dates filled needed to call an order real
IN_ORDER_SHARE = 0.99  # share of those rows in order (a few misdated real rows do not hide the rule)
GAP_SAMPLE = 500  # real gaps kept per order, spread over their quantiles


def learn_orders(frame: pd.DataFrame, profile: DatasetProfile) -> list[Ordering]:
    moments = {c.name: seconds(frame, c) for c in profile.of_kind(ColumnKind.DATETIME) if _is_dated(c)}
    found = {(first, then): gaps for first, then in itertools.permutations(moments, 2)
             if (gaps := _gaps(moments[first], moments[then])) is not None}
    closest: dict[str, tuple[str, np.ndarray]] = {}
    for (first, then), gaps in found.items():
        if (then, first) in found and profile.names.index(then) < profile.names.index(first):
            continue  # equal in nearly every row: the earlier column leads
        if then not in closest or np.median(gaps) < np.median(closest[then][1]):
            closest[then] = first, gaps
    return _parents_first({then: Ordering(first=first, then=then, gaps=_spread(gaps))
                           for then, (first, gaps) in closest.items()})


def _parents_first(orders: dict[str, Ordering]) -> list[Ordering]:
    """Each column's order after the order that places its predecessor; an order that would wait for itself (a
    cycle of nearly equal columns) is left out."""
    placed: list[Ordering] = []
    done: set[str] = set()
    waiting = dict(orders)
    while True:
        ready = [o for o in waiting.values() if o.first not in waiting]
        if not ready:
            return placed
        placed += ready
        done |= {o.then for o in ready}
        waiting = {then: o for then, o in waiting.items() if then not in done}


def _is_dated(column: ColumnProfile) -> bool:
    formats = list(column.stats.formats)
    return bool(formats) and not any(datetimes.is_time_only(f) for f in formats)


def seconds(frame: pd.DataFrame, column: ColumnProfile) -> pd.Series:
    """Seconds since 1970 of each filled value (NaN where empty or unread)."""
    moments, _ = datetimes.parse_series(frame[column.name].astype(str), list(column.stats.formats))
    seconds = (moments - pd.Timestamp(0, tz="UTC")).dt.total_seconds()
    return seconds.astype(float)


def _gaps(first: pd.Series, later: pd.Series) -> np.ndarray | None:
    """The seconds from `first` to `later` in the rows that hold both, if `later` is (nearly) never earlier."""
    both = first.notna() & later.notna()
    if both.sum() < MIN_PAIRS:
        return None
    gaps = (later[both] - first[both]).to_numpy()
    if (gaps >= 0).mean() < IN_ORDER_SHARE or not (gaps > 0).any() or _kept_anyway(first, later):
        return None
    return np.sort(gaps[gaps >= 0])


def _kept_anyway(first: pd.Series, later: pd.Series) -> bool:
    """Dates drawn each from its own column keep the order anyway (birth dates before this year's tickets)."""
    earlier = np.sort(first.dropna().to_numpy())
    after = later.dropna().to_numpy()
    out_of_order = 1 - np.searchsorted(earlier, after, side="right") / len(earlier)
    return float(out_of_order.mean()) < 1 - IN_ORDER_SHARE


def _spread(gaps: np.ndarray) -> list[float]:
    if len(gaps) <= GAP_SAMPLE:
        return [float(g) for g in gaps]
    picks = np.linspace(0, len(gaps) - 1, GAP_SAMPLE).round().astype(int)
    return [float(gaps[i]) for i in picks]

