"""Conditions on the rows a run makes, as `syngen generate` takes them: for a category column, only some of
its values (--where), target shares (--distribution) or every value equally often (--balance). They go into
the same GenerationConfig fields; the data's own checks (syngen.sampling.conditions) run when Generate is
pressed, and their one-line message shows there."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
import streamlit as st

from syngen.profiling.model import DatasetProfile
from syngen.sampling.conditions import CONDITIONABLE

MODES = {"where": "Only these values", "distribution": "Target shares", "balance": "Every value equally often"}
MOST_SHARES = 20  # values a share table shows; a column with more takes a value list or balance
PER_LINE = 5  # share fields side by side


@dataclass
class RowConditions:
    """What the user asked of the rows' values, by GenerationConfig field."""

    where: dict[str, list[str]] = field(default_factory=dict)
    distribution: dict[str, dict[str, float]] = field(default_factory=dict)
    balance: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # why a run cannot start with them yet

    def fields(self) -> dict[str, object]:
        return {"where": self.where, "distribution": self.distribution, "balance": self.balance}

    @property
    def problem(self) -> str | None:
        return self.problems[0] if self.problems else None


def conditionable(profile: DatasetProfile, frame: pd.DataFrame, chosen: list[str]) -> dict[str, dict[str, int]]:
    """The category columns, and a column chosen before its kind was corrected (the data's check then says
    why it cannot be conditioned), each with the values it holds in the data, most common first."""
    names = [c.name for c in profile.columns if c.kind in CONDITIONABLE or c.name in chosen]
    return {name: counts for name in names if name in frame.columns and (counts := real_values(frame[name]))}


def real_values(column: pd.Series) -> dict[str, int]:
    counts = column.astype(str).value_counts(sort=True)
    return {str(value): int(count) for value, count in counts.items() if value != ""}


def percent_shares(counts: dict[str, int]) -> dict[str, int]:
    """The real shares in whole percents adding up to exactly 100 (largest remainders round up)."""
    total = sum(counts.values()) or 1
    exact = {value: 100 * count / total for value, count in counts.items()}
    shares = {value: int(share) for value, share in exact.items()}
    for value in sorted(exact, key=lambda v: shares[v] - exact[v])[: 100 - sum(shares.values())]:
        shares[value] += 1
    return shares


def render_conditions(profile: DatasetProfile | None, frame: pd.DataFrame | None) -> RowConditions:
    conditions = RowConditions()
    if profile is None or frame is None:
        return conditions
    options = conditionable(profile, frame, st.session_state.get("cond_columns") or [])
    if not options:
        return conditions
    _keep_valid("cond_columns", list(options))
    with st.expander("Conditions: which rows to make", expanded=bool(st.session_state.get("cond_columns")),
                     icon=":material/filter_alt:"):
        chosen = st.multiselect("Columns to condition", list(options), key="cond_columns",
                                help="Make rows with chosen values of a category column; the columns tied to it "
                                     "follow, as with --where, --distribution and --balance.")
        for name in chosen:
            _column(name, options[name], conditions)
    return conditions


def _column(name: str, counts: dict[str, int], conditions: RowConditions) -> None:
    modes = [m for m in MODES if m != "distribution" or len(counts) <= MOST_SHARES]
    _keep_valid(f"cond_mode::{name}", modes, single=True)
    mode = st.radio(f"**{name}**", modes, format_func=MODES.get, key=f"cond_mode::{name}", horizontal=True)
    if mode == "where":
        _keep_valid(f"cond_where::{name}", list(counts))
        values = st.multiselect(f"Values of {name} to make", list(counts), key=f"cond_where::{name}")
        if values:
            conditions.where[name] = values
        else:
            conditions.problems.append(f"Choose the values of '{name}' to make, or take it out of the conditions.")
    elif mode == "distribution":
        shares = _share_table(name, counts)
        total = sum(shares.values())
        if total != 100:
            conditions.problems.append(f"The shares of '{name}' add up to {total}%, not 100%.")
        conditions.distribution[name] = {value: share / 100 for value, share in shares.items()}
    else:
        conditions.balance.append(name)
        st.caption(f"Each of the {len(counts)} values of {name} in the data, in as many rows as the others.")


def _share_table(name: str, counts: dict[str, int]) -> dict[str, int]:
    """value -> percent of the rows, one field a value, starting from the real shares."""
    defaults = percent_shares(counts)
    cells = st.columns(min(len(counts), PER_LINE))
    shares = {}
    for index, (value, default) in enumerate(defaults.items()):
        shares[value] = int(cells[index % PER_LINE].number_input(
            f"{value} (%)", min_value=0, max_value=100, value=default, step=1, key=f"cond_share::{name}::{value}"))
    st.caption(f"Target shares of {name}: {sum(shares.values())}% in all (real shares to start with).")
    return shares


def _keep_valid(key: str, options: list[str], single: bool = False) -> None:
    """Drop a remembered choice that the current data no longer offers (another table, a changed kind):
    a widget refuses a kept value outside its options."""
    kept = st.session_state.get(key)
    if kept is None:
        return
    if single:
        if kept not in options:
            del st.session_state[key]
    elif any(value not in options for value in kept):
        st.session_state[key] = [value for value in kept if value in options]
