"""Sidebar: choose the real data (bundled demo or an upload) and an optional catalogue."""

from __future__ import annotations

import logging
import math
from collections.abc import Callable

import streamlit as st

from syngen.app import state
from syngen.app.uploads import LoadedData, first_profile, load_demo, load_upload, upload_limit_mb
from syngen.errors import SynGenError

log = logging.getLogger(__name__)

DEMO = "Bundled demo reviews"
UPLOAD = "Upload a file"
TABLE_TYPES = ["csv", "tsv", "txt"]


def render_source() -> LoadedData | None:
    """Draw the data controls; return the data to work on, or None (with the reason on the page)."""
    st.sidebar.header("Real data")
    choice = st.sidebar.radio("Source", [DEMO, UPLOAD], key="source", horizontal=True)
    if choice == DEMO:
        _load("demo", load_demo)
        return state.current_data()
    limit = upload_limit_mb()
    size = max(1, math.ceil(limit))
    table = st.sidebar.file_uploader("Table (CSV or TSV with a header row)", type=TABLE_TYPES, key="upload_data",
                                     max_upload_size=size, help=f"Up to {limit:g} MB; delimiter and encoding "
                                     "are detected.")
    catalogue = st.sidebar.file_uploader("Catalogue the table's ids refer to (optional)", type=TABLE_TYPES,
                                         key="upload_catalogue", max_upload_size=size,
                                         help="e.g. products with their titles and category")
    if table is None:
        _forget()
        return None
    key = (table.file_id, table.name, table.size) + ((catalogue.file_id,) if catalogue else ())
    _load(key, lambda: load_upload(table.name, table.getvalue(), state.workdir(),
                                   (catalogue.name, catalogue.getvalue()) if catalogue else None))
    return state.current_data()


def _load(key: object, loader: Callable[[], LoadedData]) -> None:
    """Load and profile once per distinct source; a failure keeps its message and leaves no data."""
    if st.session_state.get(state.DATA_KEY) == key:
        return
    _forget()
    st.session_state[state.DATA_KEY] = key
    try:
        with st.spinner("Reading and profiling the table…"):
            data = loader()
            profile, overrides = first_profile(data)
    except SynGenError as exc:
        st.session_state[state.LOAD_ERROR] = exc.one_line()
        return
    except Exception as exc:  # user files reach corners of pandas no check foresaw; the page must go on
        log.warning("could not load an upload: %s: %s", type(exc).__name__, exc)
        st.session_state[state.LOAD_ERROR] = f"it could not be read as a table ({type(exc).__name__}: {exc})."
        return
    st.session_state[state.DATA] = data
    st.session_state[state.BASE_PROFILE] = st.session_state[state.PROFILE] = profile
    st.session_state[state.START_OVERRIDES] = dict(overrides)
    st.session_state[state.OVERRIDES] = overrides
    if overrides:
        column = next(iter(overrides))
        st.session_state[state.KIND_NOTE] = (f"No column looked like free text, so '{column}' is taken as the "
                                             "text the model writes. Change it below if another column is.")


def _forget() -> None:
    for name in (state.DATA, state.DATA_KEY, state.LOAD_ERROR, state.BASE_PROFILE, state.PROFILE,
                 state.OVERRIDES, state.START_OVERRIDES, state.KIND_ERROR, state.KIND_NOTE):
        st.session_state.pop(name, None)


def render_load_error() -> None:
    """Show why the last upload was refused, until a good one replaces it."""
    message = st.session_state.get(state.LOAD_ERROR)
    if message:
        st.error(f"The file could not be used: {message}", icon=":material/error:")
