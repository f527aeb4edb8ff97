"""Learn which structured columns depend on each other (rating with helpful votes, asin with parent).

A Chow-Liu style tree: pairwise association (bias-corrected Cramér's V on binned values), a maximum
spanning tree over the strong edges, and for every child the empirical values seen under each parent
value. Sampling down the tree keeps pairwise dependencies without copying whole real rows. An empty value
is a key of its own, so a column's emptiness follows its parent too.

Cost: O(k^2 * n) for k structured columns of n rows, each pair one bincount over integer codes (200
columns of 15,000 rows take about a second), and O(k^2) for Prim's algorithm on the strength matrix.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from syngen.profiling.model import STRUCTURED_KINDS, ColumnKind, ColumnProfile, DatasetProfile, Dependency, NumberStats
from syngen.profiling.numbers import NumberFormat, parse_series

MIN_STRENGTH = 0.15
MAX_VALUES_PER_KEY = 500
MAX_CODES = 500  # a column with more distinct keys than this is binned or left out of the tree
_NUMERIC = {ColumnKind.INTEGER, ColumnKind.FLOAT}
EMPTY_KEY = ""


Keys = dict[str, tuple[np.ndarray, list[float] | None]]


def structured_keys(frame: pd.DataFrame, profile: DatasetProfile) -> Keys:
    """Integer codes (and bin edges) of every structured column with more than one key: computed once, used
    by the dependency tree and by the emptiness rules. One value and empty cells are two keys: a complaint's
    "Consent provided", given exactly where a narrative is, is empty exactly where it is not."""
    return {c.name: column_keys(frame[c.name], c) for c in profile.columns
            if c.kind in STRUCTURED_KINDS and (c.n_distinct > 1 or 0 < c.stats.empty_share < 1)}


def learn_dependencies(frame: pd.DataFrame, profile: DatasetProfile, keyed: Keys | None = None) -> list[Dependency]:
    keyed = structured_keys(frame, profile) if keyed is None else keyed
    columns = [c for c in profile.columns if c.name in keyed]
    columns = [c for c in columns if keyed[c.name][0].max() < MAX_CODES]
    if len(columns) < 2:
        return []
    strengths = strength_matrix([keyed[c.name][0] for c in columns])
    edges = _maximum_spanning_tree(strengths)
    names = [c.name for c in columns]
    return [conditional(frame, columns[p], names[c], float(strengths[p, c]), keyed[names[p]][1])
            for p, c in edges]


def column_keys(series: pd.Series, column: ColumnProfile) -> tuple[np.ndarray, list[float] | None]:
    """Integer codes of a column's keys (its bin for numbers, "" for empty), and the bin edges if numeric."""
    edges = None
    if column.kind in _NUMERIC:
        numbers = parse_numbers(series, column)
        edges = sorted(set(np.nanquantile(numbers, np.linspace(0, 1, 9)[1:-1]).tolist())) if np.isfinite(
            numbers).any() else []
        keys = np.where(np.isnan(numbers), -1, np.searchsorted(edges, np.nan_to_num(numbers), side="right"))
        series = pd.Series(keys).astype(str).where(keys >= 0, EMPTY_KEY)
    codes, _ = pd.factorize(series.astype(str))
    return codes, edges


def number_format(column: ColumnProfile) -> NumberFormat | None:
    """The column's number format, or None for a column that is not numeric."""
    if column.kind not in _NUMERIC:
        return None
    # A category of numbers read as one (a range on ratings) has counts, not a learned format.
    learned = column.stats.number_format if isinstance(column.stats, NumberStats) else None
    return learned or NumberFormat()


def parse_numbers(series: pd.Series, column: ColumnProfile) -> np.ndarray:
    return parse_series(number_format(column) or NumberFormat(), series).to_numpy(dtype=float)


def bin_key(value: str, edges: list[float] | None, fmt: NumberFormat | None = None) -> str:
    """The key a parent value has in a dependency's table (its bin for numeric parents)."""
    if edges is None or value == EMPTY_KEY:
        return value
    number = (fmt or NumberFormat()).parse(value)
    return value if number is None else str(int(np.searchsorted(edges, number, side="right")))


def strength_matrix(codes: list[np.ndarray]) -> np.ndarray:
    k = len(codes)
    matrix = np.zeros((k, k))
    for i in range(k):
        for j in range(i + 1, k):
            matrix[i, j] = matrix[j, i] = cramers_v_codes(codes[i], codes[j])
    return matrix


def cramers_v(a: pd.Series, b: pd.Series) -> float:
    """Bias-corrected Cramér's V (Bergsma 2013): 0 independent, 1 one column determines the other."""
    return cramers_v_codes(pd.factorize(a.astype(str))[0], pd.factorize(b.astype(str))[0])


def cramers_v_codes(a: np.ndarray, b: np.ndarray) -> float:
    r, k = int(a.max()) + 1, int(b.max()) + 1
    n = len(a)
    if n < 2 or r < 2 or k < 2:
        return 0.0
    table = np.bincount(a * k + b, minlength=r * k).reshape(r, k).astype(float)
    expected = table.sum(1, keepdims=True) @ table.sum(0, keepdims=True) / n
    chi2 = ((table - expected) ** 2 / expected).sum()
    phi2 = max(0.0, chi2 / n - (k - 1) * (r - 1) / (n - 1))
    r_corr, k_corr = r - (r - 1) ** 2 / (n - 1), k - (k - 1) ** 2 / (n - 1)
    denominator = min(k_corr - 1, r_corr - 1)
    return float(np.sqrt(phi2 / denominator)) if denominator > 0 else 0.0


def _maximum_spanning_tree(strengths: np.ndarray) -> list[tuple[int, int]]:
    """Prim's algorithm from each unvisited column, O(k^2); edges come out parent-first, in sampling order."""
    k = len(strengths)
    visited = np.zeros(k, dtype=bool)
    edges: list[tuple[int, int]] = []
    for root in range(k):
        if visited[root]:
            continue
        visited[root] = True
        best, parent = strengths[root].copy(), np.full(k, root)
        while True:
            candidates = np.where(visited, -1.0, best)
            child = int(candidates.argmax())
            if candidates[child] < MIN_STRENGTH:
                break
            edges.append((int(parent[child]), child))
            visited[child] = True
            closer = strengths[child] > best
            best, parent = np.where(closer, strengths[child], best), np.where(closer, child, parent)
    return edges


def conditional(frame, parent_column: ColumnProfile, child: str, strength: float, parent_bins) -> Dependency:
    """The child's values seen under each key of the parent (a capped sample): one edge of the tree."""
    parent, fmt = parent_column.name, number_format(parent_column)
    keys = frame[parent].astype(str).map(lambda v: bin_key(v, parent_bins, fmt))
    table: dict[str, list[str]] = {}
    rng = np.random.default_rng(0)
    for key, values in frame[child].astype(str).groupby(keys):
        values = values.tolist()
        if len(values) > MAX_VALUES_PER_KEY:
            values = rng.choice(values, MAX_VALUES_PER_KEY, replace=False).tolist()
        table[str(key)] = values
    return Dependency(child=child, parent=parent, strength=round(strength, 4), parent_bins=parent_bins, table=table)
