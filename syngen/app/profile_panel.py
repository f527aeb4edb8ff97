"""Main area: what was learned about each column, with a way to correct a column's kind, and the topic."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from syngen.app import state
from syngen.app.uploads import LoadedData, kind_choices, profile_data
from syngen.profiling import ColumnKind, DatasetProfile
from syngen.profiling.describe import column_format

KIND_HELP = {
    ColumnKind.IDENTIFIER: "unique codes; new ones are made in the same shape",
    ColumnKind.FOREIGN_KEY: "ids of catalogue items",
    ColumnKind.CATEGORICAL: "a set of repeated values, drawn with the real frequencies",
    ColumnKind.INTEGER: "whole numbers, drawn from the real distribution",
    ColumnKind.FLOAT: "decimal numbers, drawn from the real distribution",
    ColumnKind.BOOLEAN: "two values",
    ColumnKind.DATETIME: "dates or times, drawn from the real range",
    ColumnKind.DERIVED: "computed from another column",
    ColumnKind.PATTERN: "few shapes of digits, letters and marks (coordinates, codes, URLs), drawn shape by shape",
    ColumnKind.SHORT_TEXT: "a few words (names, handles, places), made by a sampler, never a real value",
    ColumnKind.TEXT: "free text the model writes",
    ColumnKind.EMPTY: "always empty",
}


def render_profile(data: LoadedData) -> DatasetProfile:
    """Draw the profile and the kind corrections; return the profile runs should use."""
    profile: DatasetProfile = st.session_state[state.PROFILE]
    table = data.table
    st.subheader(f"Profile of {data.label}")
    facts = [f"{len(table.frame):,} rows", f"{len(table.columns)} columns", f"encoding {table.encoding}",
             f"delimiter {table.delimiter!r}"]
    if data.catalogue_label:
        facts.append(f"catalogue {data.catalogue_label} (key column {data.catalogue.key_column})")
    st.caption(" · ".join(facts))
    for note in table.notes:
        st.warning(f"Note: {note}.", icon=":material/info:")
    if st.session_state.get(state.KIND_NOTE):
        st.warning(st.session_state[state.KIND_NOTE], icon=":material/info:")
    frame = profile_frame(profile)
    # Tall enough for every column (up to a screenful): a hidden column is a column nobody checks.
    st.dataframe(frame, hide_index=True, key="profile_table", height=min(600, 35 * (len(frame) + 1) + 3))
    attention = st.session_state.get(state.KIND_ERROR) or st.session_state.get(state.KIND_NOTE)
    with st.expander("Correct a column's kind", expanded=bool(attention)):
        _kind_editors(data)
    return st.session_state[state.PROFILE]


def profile_frame(profile: DatasetProfile) -> pd.DataFrame:
    rows = [{"column": c.name, "kind": c.kind.value, "format": column_format(c), "distinct": c.n_distinct,
             "empty": c.n_empty, "why": c.reason, "examples": " | ".join(_short(e) for e in c.examples)}
            for c in profile.columns]
    return pd.DataFrame(rows)


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def kind_key(data: LoadedData, column: str) -> str:
    """Keyed on the data as well, so a new upload with the same column names starts from its own kinds."""
    return f"kind::{data.digest}::{column}"


def _kind_editors(data: LoadedData) -> None:
    error = st.session_state.get(state.KIND_ERROR)
    if error:
        st.error(error)
    base: DatasetProfile = st.session_state[state.BASE_PROFILE]
    current: DatasetProfile = st.session_state[state.PROFILE]
    slots = st.columns(3)
    for index, column in enumerate(base.columns):
        choices = kind_choices(column.kind, data.catalogue is not None)
        key = kind_key(data, column.name)
        # Seeded through session state (not `index`) because the callback may set it back after a refusal.
        st.session_state.setdefault(key, current.column(column.name).kind)
        slots[index % 3].selectbox(
            column.name, choices, key=key,
            format_func=lambda kind, inferred=column.kind: kind.value + (" (inferred)" if kind is inferred else ""),
            help=KIND_HELP.get(column.kind), on_change=_on_kind_change, args=(data, column.name),
        )


def _on_kind_change(data: LoadedData, column: str) -> None:
    """Re-profile with the new kind; if the values cannot be that kind, say why and put the old one back."""
    key = kind_key(data, column)
    chosen = ColumnKind(st.session_state[key])
    base: DatasetProfile = st.session_state[state.BASE_PROFILE]
    previous = dict(st.session_state.get(state.OVERRIDES, {}))
    overrides = {k: v for k, v in previous.items() if k != column}
    if chosen is not base.column(column).kind or column in st.session_state.get(state.START_OVERRIDES, {}):
        overrides[column] = chosen
    try:
        profile = profile_data(data, overrides)
    except Exception as exc:  # any failure means "these values are not that kind"; the user must hear why
        st.session_state[key] = st.session_state[state.PROFILE].column(column).kind
        st.session_state[state.KIND_ERROR] = (f"'{column}' cannot be treated as {chosen.value}: "
                                              f"{getattr(exc, 'message', None) or exc}. It keeps its kind.")
        return
    st.session_state[state.OVERRIDES] = overrides
    st.session_state[state.PROFILE] = profile
    st.session_state.pop(state.KIND_ERROR, None)


def render_topic(profile: DatasetProfile, data: LoadedData) -> str:
    """The topic prompts name; it starts as what profiling found (catalogue category or file name)."""
    return st.text_input("Topic the rows are about", value=profile.topic, key=f"topic::{data.digest}",
                         help="Named in every prompt, e.g. 'Vitamins & Supplements' reviews.").strip()
