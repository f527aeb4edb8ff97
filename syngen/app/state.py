"""Names of what the page keeps in a browser session, the phases its runs and reports go through, and the
session's private temporary folder."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import streamlit as st

from syngen.app.backend_choice import BackendHolder
from syngen.enums import TextEnum

if TYPE_CHECKING:  # jobs.py reads the phases below
    from syngen.app.jobs import GenerationJob
    from syngen.app.uploads import LoadedData

DATA = "data"  # LoadedData of the current source
DATA_KEY = "data_key"  # what the current data was loaded from, to parse each upload once
LOAD_ERROR = "load_error"  # the message for a bad upload, shown until a good one replaces it
BASE_PROFILE = "base_profile"  # the profile the data started with; its kinds are the "inferred" ones
PROFILE = "profile"  # the profile with the user's corrections
START_OVERRIDES = "start_overrides"  # kinds the app itself had to force to start (a text column)
OVERRIDES = "overrides"  # {column: ColumnKind} passed to profiling: the start ones and the user's
KIND_ERROR = "kind_error"  # why the last correction was refused
KIND_NOTE = "kind_note"  # why the app chose a kind itself
JOB = "job"  # the latest GenerationJob
JOB_SHOWN = "job_shown"  # the job whose end has been drawn on the whole page
QUALITY = "quality"  # {embeddings on: QualityJob} for the latest run
QUALITY_SHOWN = "quality_shown"  # (report, phase) the last whole-page run drew
GRID = "grid"  # the latest GridJob
GRID_SHOWN = "grid_shown"  # the grid whose end has been drawn on the whole page
RUNS = "runs"  # how many runs this session started (numbers their folders)
WORKDIR = "workdir"
BACKENDS = "backend_holder"


class RunPhase(TextEnum):
    """Where a generation run is (`GenerationJob.snapshot().phase`); str-valued, as the page compares it."""

    PREPARING = "preparing"
    GENERATING = "generating"
    FINISHED = "finished"
    CANCELLED = "cancelled"
    FAILED = "failed"

    @property
    def ended(self) -> bool:
        return self in (RunPhase.FINISHED, RunPhase.CANCELLED, RunPhase.FAILED)


class ReportPhase(TextEnum):
    """Where a run's quality report is (`QualityJob.phase`)."""

    MEASURING = "measuring"  # no report yet
    DRAWING = "drawing"  # the report is ready, its charts are being drawn
    DONE = "done"


def workdir() -> Path:
    """A folder only this session writes into; removed when the session is garbage collected."""
    holder = st.session_state.get(WORKDIR)
    if holder is None:
        holder = tempfile.TemporaryDirectory(prefix="syngen-app-")
        st.session_state[WORKDIR] = holder
    return Path(holder.name)


def run_folder() -> Path:
    number = st.session_state.get(RUNS, 0) + 1
    st.session_state[RUNS] = number
    folder = workdir() / f"run-{number}"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def session_watch() -> Callable[[], bool]:
    """Whether this browser session is still connected, callable from any thread. Outside a running
    server (tests) the answer is always yes: nothing can tell."""
    from streamlit.runtime import Runtime
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    context = get_script_run_ctx()
    session_id = context.session_id if context else None

    def connected() -> bool:
        if session_id is None or not Runtime.exists():
            return True
        return bool(Runtime.instance().is_active_session(session_id))

    return connected


def current_data() -> LoadedData | None:
    return st.session_state.get(DATA)


def current_job() -> GenerationJob | None:
    return st.session_state.get(JOB)


def grid_running() -> bool:
    grid = st.session_state.get(GRID)
    return grid is not None and grid.running


def backend_holder() -> BackendHolder:
    if BACKENDS not in st.session_state:
        st.session_state[BACKENDS] = BackendHolder()
    return st.session_state[BACKENDS]
