"""Turn the dependency tree so that conditioned columns are drawn first and the others follow them.

The learned tree (profiling/dependencies.py) is undirected at heart: its root is wherever Prim's algorithm
started. When a column's values are fixed by a condition (`--where parent_asin=...`), a column it depends
on in the tree must be drawn given it, not before it, or the pair would contradict the real data (an asin
of another product). So each tree holding a conditioned column is re-oriented away from it; an edge that
flips gets its table learned again from the real rows, in the new direction. In a tree with two
conditioned columns, the edge where their regions meet is dropped: both are drawn from their conditions.
"""

from __future__ import annotations

from collections import deque

import pandas as pd

from syngen.profiling.dependencies import column_keys, conditional
from syngen.profiling.model import DatasetProfile, Dependency


def reroot(profile: DatasetProfile, frame: pd.DataFrame, roots: list[str]) -> tuple[list[Dependency], list[Dependency]]:
    """The profile's dependencies, parents first, with every tree that holds a root oriented away from it;
    and the edges dropped between two roots' regions."""
    edges = profile.dependencies
    touching = {name: [d for d in edges if name in (d.parent, d.child)] for name in _columns(edges)}
    starts = [name for name in roots if name in touching]
    if not starts:
        return list(edges), []
    oriented: list[Dependency] = []
    dropped: list[Dependency] = []
    used: set[int] = set()
    visited, queue = set(starts), deque(starts)
    while queue:
        name = queue.popleft()
        for edge in touching[name]:
            other = edge.child if edge.parent == name else edge.parent
            if id(edge) in used:
                continue
            if other in visited:
                dropped.append(edge)  # the edge between two conditioned regions
                used.add(id(edge))
                continue
            used.add(id(edge))
            visited.add(other)
            queue.append(other)
            oriented.append(edge if edge.parent == name else _flipped(edge, profile, frame))
    return oriented + [d for d in edges if id(d) not in used], dropped


def _columns(edges: list[Dependency]) -> list[str]:
    return list(dict.fromkeys(name for d in edges for name in (d.parent, d.child)))


def _flipped(edge: Dependency, profile: DatasetProfile, frame: pd.DataFrame) -> Dependency:
    """The edge child -> parent, its table learned from the real rows (numbers binned as the tree bins them)."""
    new_parent = profile.column(edge.child)
    bins = column_keys(frame[edge.child], new_parent)[1]
    return conditional(frame, new_parent, edge.parent, edge.strength, bins)
