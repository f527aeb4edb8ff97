"""Learn when a column is empty: its share of empty values, conditioned on the structured column that
best predicts it (a reason column is empty exactly when the sentiment is not negative).

Structured columns inside the dependency tree already carry their emptiness through their parent's table
(an empty value is a key like any other); this covers every other column that is sometimes empty: dates,
patterns, identifiers, short and long texts. (A structured column outside the tree keeps one share: its
parent would have to be sampled before it, and two such columns could each wait for the other.)
"""

from __future__ import annotations

import pandas as pd

from syngen.profiling.dependencies import Keys, bin_key, cramers_v_codes, number_format, structured_keys
from syngen.profiling.model import STRUCTURED_KINDS, ColumnProfile, DatasetProfile, EmptinessRule

MIN_STRENGTH = 0.2


def learn_emptiness(frame: pd.DataFrame, profile: DatasetProfile, keyed: Keys | None = None) -> list[EmptinessRule]:
    keyed = structured_keys(frame, profile) if keyed is None else keyed
    parents = [c for c in profile.columns if c.name in keyed]
    if not parents:
        return []
    rules = []
    for column in profile.columns:
        if column.kind in STRUCTURED_KINDS or not 0 < column.stats.empty_share < 1:
            continue
        rule = _best_rule(frame, column, [p for p in parents if p.name != column.name], keyed)
        if rule is not None:
            rules.append(rule)
    return rules


def _best_rule(frame: pd.DataFrame, column: ColumnProfile, parents: list[ColumnProfile],
               keyed: dict) -> EmptinessRule | None:
    empty = (frame[column.name].astype(str) == "").to_numpy().astype(int)
    scored = [(cramers_v_codes(empty, keyed[p.name][0]), p) for p in parents]
    strength, parent = max(scored, key=lambda pair: pair[0], default=(0.0, None))
    if parent is None or strength < MIN_STRENGTH:
        return None
    edges, fmt = keyed[parent.name][1], number_format(parent)
    keys = frame[parent.name].astype(str).map(lambda v: bin_key(v, edges, fmt))
    shares = pd.Series(empty, index=frame.index).groupby(keys).mean()
    return EmptinessRule(column=column.name, parent=parent.name, strength=round(strength, 4), parent_bins=edges,
                         shares={str(k): float(v) for k, v in shares.items()})
