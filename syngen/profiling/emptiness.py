"""Learn when a column is empty: its share of empty values, conditioned on the structured column that
best predicts it (a reason column is empty exactly when the sentiment is not negative).

Structured columns inside the dependency tree carry their emptiness through their parent's table (an empty value
is a key like any other); this covers every other column that is sometimes empty: dates, patterns, identifiers,
short and long texts. A category of the tree gets a rule too where another column tells its emptiness far better
than its tree parent does: 160 wine reviews hung `region_2` (filled for US wines only) under the taster's handle,
whose empty value (no taster) spans every country, and a German Riesling drew "Columbia Valley"; its emptiness
follows the country. (A structured column outside the tree keeps one share: its parent would have to be sampled
before it, and two such columns could each wait for the other.)
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from syngen.profiling.dependencies import Keys, bin_key, cramers_v_codes, number_format, structured_keys
from syngen.profiling.model import (
    FILLED_KEY,
    STRUCTURED_KINDS,
    ColumnKind,
    ColumnProfile,
    DatasetProfile,
    Dependency,
    EmptinessRule,
)

MIN_STRENGTH = 0.2
TREE_SHARE = 0.5  # a category of the tree follows a rule leaving at most this share of its parent's mixed emptiness


def learn_emptiness(frame: pd.DataFrame, profile: DatasetProfile, keyed: Keys | None = None,
                    dependencies: list[Dependency] | None = None) -> list[EmptinessRule]:
    keyed = structured_keys(frame, profile) if keyed is None else keyed
    parents = [c for c in profile.columns if c.name in keyed]
    if not parents:
        return []
    tree = {d.child: d.parent for d in dependencies or []}
    rules = []
    before: list[tuple[ColumnProfile, np.ndarray]] = []  # sometimes-empty columns planned before this one (not
    # structured ones), each with its empty cells
    for column in profile.columns:
        if not 0 < column.stats.empty_share < 1:
            continue
        structured = column.kind in STRUCTURED_KINDS
        if structured and column.name not in tree:
            continue
        later = _below(column.name, tree) if structured else set()  # drawn after it: no rule of its emptiness
        empty = _empty(frame[column.name])
        rule = _best_rule(frame, column, empty, [p for p in parents if p.name != column.name and p.name not in later],
                          keyed)
        if not structured:
            rule = _by_emptiness(frame, column, empty, before, rule)
            before.append((column, empty))
        if rule is not None and (not structured or _beats_tree(column, empty, rule, tree[column.name], keyed)):
            rules.append(rule)
    return rules


def _empty(values: pd.Series) -> np.ndarray:
    return (values.astype(str) == "").to_numpy().astype(int)


def _by_emptiness(frame: pd.DataFrame, column: ColumnProfile, empty: np.ndarray,
                  before: list[tuple[ColumnProfile, np.ndarray]], best: EmptinessRule | None) -> EmptinessRule | None:
    """The rule by an earlier column's emptiness where that tells this one's better than `best` does (a reply's
    date, empty exactly where the reply is): the planner decides a text's emptiness before writing it, and
    plans the columns that are not structured in the table's order."""
    scored = [(cramers_v_codes(empty, empties), p, empties) for p, empties in before]
    strength, parent, empties = max(scored, key=lambda scored: scored[0], default=(0.0, None, None))
    if parent is None or strength < MIN_STRENGTH or (best is not None and strength <= best.strength):
        return best
    keys = np.where(empties == 1, "", FILLED_KEY)
    shares = pd.Series(empty, index=frame.index).groupby(keys).mean()
    return EmptinessRule(column=column.name, parent=parent.name, strength=round(strength, 4), by_emptiness=True,
                         shares={str(k): float(v) for k, v in shares.items()})


def _below(name: str, tree: dict[str, str]) -> set[str]:
    """The columns under `name` in the dependency tree (child -> parent)."""
    below, frontier = set(), {name}
    while frontier:
        frontier = {child for child, parent in tree.items() if parent in frontier} - below
        below |= frontier
    return below


def _beats_tree(column: ColumnProfile, empty: np.ndarray, rule: EmptinessRule, parent: str, keyed: Keys) -> bool:
    """Whether a category of the tree should follow `rule` for its emptiness rather than its tree parent (then
    only its filled values come from the parent's table): the rule's keys leave at most half the mixed emptiness
    the parent's leave. Numbers keep the tree's: their draw shares one uniform."""
    if column.kind not in {ColumnKind.CATEGORICAL, ColumnKind.BOOLEAN} or rule.parent == parent:
        return False
    return _mixed(empty, keyed[rule.parent][0]) <= TREE_SHARE * _mixed(empty, keyed[parent][0])


def _mixed(empty: np.ndarray, codes: np.ndarray) -> float:
    """How often a row planned by its key's empty share would come out the other way than it is (Gini)."""
    shares = np.bincount(codes, weights=empty) / np.maximum(np.bincount(codes), 1)
    return float(np.mean(2 * shares[codes] * (1 - shares[codes])))


def _best_rule(frame: pd.DataFrame, column: ColumnProfile, empty: np.ndarray, parents: list[ColumnProfile],
               keyed: dict) -> EmptinessRule | None:
    scored = [(cramers_v_codes(empty, keyed[p.name][0]), p) for p in parents]
    strength, parent = max(scored, key=lambda pair: pair[0], default=(0.0, None))
    if parent is None or strength < MIN_STRENGTH:
        return None
    edges, fmt = keyed[parent.name][1], number_format(parent)
    keys = frame[parent.name].astype(str).map(lambda v: bin_key(v, edges, fmt))
    shares = pd.Series(empty, index=frame.index).groupby(keys).mean()
    return EmptinessRule(column=column.name, parent=parent.name, strength=round(strength, 4), parent_bins=edges,
                         shares={str(k): float(v) for k, v in shares.items()})
