"""The page: data and settings in the sidebar; profile, generation, rows, report and grid in the main area.

Run with `syngen app` or `streamlit run app.py`.
"""

from __future__ import annotations

import streamlit as st

from syngen.app import data_panel, generate_panel, grid_panel, profile_panel, report_panel, results_panel, state
from syngen.app.settings_panel import render_settings


def render() -> None:
    st.set_page_config(page_title="SynGen", page_icon=":material/table_view:", layout="wide")
    st.title("SynGen")
    st.caption("Synthetic rows like a real table, written by a language model, and measured against the real ones.")
    data = data_panel.render_source()
    settings = render_settings()
    _mark_shown()
    data_panel.render_load_error()
    profile = topic = None
    if data is not None:
        profile = profile_panel.render_profile(data)
        topic = profile_panel.render_topic(profile, data)
    generate_panel.render_generate(data, profile, topic, settings)
    job = state.current_job()
    results_panel.render_results(job)
    report_panel.render_report(job)
    grid_panel.render_grid(data, topic, settings)


def _mark_shown() -> None:
    """A whole-page run draws a finished job's rows, so its progress block need not ask for one."""
    job = state.current_job()
    if job is not None and not job.running:
        st.session_state[state.JOB_SHOWN] = job
