"""Learn which structured columns depend on each other (rating with helpful votes, asin with parent).

A Chow-Liu style tree: pairwise association (bias-corrected Cramér's V on binned values), a maximum
spanning tree over the strong edges, and for every child the empirical values seen under each parent
value. Sampling down the tree keeps pairwise dependencies without copying whole real rows.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from syngen.profiling.model import STRUCTURED_KINDS, ColumnKind, DatasetProfile, Dependency

MIN_STRENGTH = 0.15
MAX_VALUES_PER_KEY = 500
_NUMERIC = {ColumnKind.INTEGER, ColumnKind.FLOAT}


def learn_dependencies(frame: pd.DataFrame, profile: DatasetProfile) -> list[Dependency]:
    columns = [c for c in profile.columns if c.kind in STRUCTURED_KINDS and c.n_distinct > 1]
    if len(columns) < 2:
        return []
    keyed = {c.name: _keys(frame[c.name], c.kind in _NUMERIC) for c in columns}
    strengths = {
        (a.name, b.name): cramers_v(keyed[a.name][0], keyed[b.name][0])
        for i, a in enumerate(columns) for b in columns[i + 1:]
    }
    edges = _maximum_spanning_tree([c.name for c in columns], strengths)
    return [_conditional(frame, parent, child, strength, keyed[parent][1]) for parent, child, strength in edges]


def _keys(series: pd.Series, numeric: bool) -> tuple[pd.Series, list[float] | None]:
    if not numeric:
        return series.astype(str), None
    numbers = pd.to_numeric(series, errors="coerce")
    edges = sorted(set(np.nanquantile(numbers, np.linspace(0, 1, 9)[1:-1]).tolist()))
    return pd.Series(np.searchsorted(edges, numbers, side="right"), index=series.index).astype(str), edges


def bin_key(value: str, edges: list[float] | None) -> str:
    """The key a parent value has in a dependency's table (its bin for numeric parents)."""
    if edges is None:
        return value
    try:
        return str(int(np.searchsorted(edges, float(value), side="right")))
    except ValueError:
        return value


def cramers_v(a: pd.Series, b: pd.Series) -> float:
    """Bias-corrected Cramér's V (Bergsma 2013): 0 independent, 1 one column determines the other."""
    table = pd.crosstab(a, b).to_numpy(dtype=float)
    n = table.sum()
    r, k = table.shape
    if n == 0 or r < 2 or k < 2:
        return 0.0
    expected = table.sum(1, keepdims=True) @ table.sum(0, keepdims=True) / n
    chi2 = ((table - expected) ** 2 / expected).sum()
    phi2 = max(0.0, chi2 / n - (k - 1) * (r - 1) / (n - 1))
    r_corr, k_corr = r - (r - 1) ** 2 / (n - 1), k - (k - 1) ** 2 / (n - 1)
    denominator = min(k_corr - 1, r_corr - 1)
    return float(np.sqrt(phi2 / denominator)) if denominator > 0 else 0.0


def _maximum_spanning_tree(names: list[str], strengths: dict) -> list[tuple[str, str, float]]:
    """Prim's algorithm from each unvisited column; edges come out parent-first, in sampling order."""
    def strength(a: str, b: str) -> float:
        return strengths.get((a, b), strengths.get((b, a), 0.0))

    visited: list[str] = []
    edges: list[tuple[str, str, float]] = []
    for root in names:
        if root in visited:
            continue
        visited.append(root)
        while True:
            candidates = [(strength(p, c), p, c) for p in visited for c in names if c not in visited]
            best = max(candidates, default=None)
            if best is None or best[0] < MIN_STRENGTH:
                break
            edges.append((best[1], best[2], best[0]))
            visited.append(best[2])
    return edges


def _conditional(frame, parent: str, child: str, strength: float, parent_bins) -> Dependency:
    keys = frame[parent].astype(str).map(lambda v: bin_key(v, parent_bins))
    table: dict[str, list[str]] = {}
    rng = np.random.default_rng(0)
    for key, values in frame[child].astype(str).groupby(keys):
        values = values.tolist()
        if len(values) > MAX_VALUES_PER_KEY:
            values = rng.choice(values, MAX_VALUES_PER_KEY, replace=False).tolist()
        table[str(key)] = values
    return Dependency(child=child, parent=parent, strength=round(strength, 4), parent_bins=parent_bins, table=table)
