"""Main area: the rows of the last run, to search, filter, sort and download."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

import pandas as pd
import streamlit as st

from syngen.app.exports import FORMATS, download_name, sidecar_bytes, table_bytes
from syngen.app.jobs import GenerationJob
from syngen.app.state import RunPhase
from syngen.generation.quotas import shortfall_note
from syngen.profiling.model import checked_texts
from syngen.runs.audit import AuditRecord, AuditTrail, answer_verdict
from syngen.runs.audit_view import prompt_parts

ALL = "(any column)"


def render_results(job: GenerationJob | None) -> None:
    if job is None or job.running or job.rows is None:
        if job is not None and job.error and not job.running:
            st.error(job.error, icon=":material/error:")
        return
    st.subheader("Rows")
    _outcome(job)
    rows = job.rows
    view = apply_view(rows, **_controls(rows))
    st.caption(f"Showing {len(view):,} of {len(rows):,} rows")
    if job.audit is None:
        st.dataframe(view, hide_index=True, key="rows_table")
    else:
        shown = st.dataframe(view, hide_index=True, key="rows_table", on_select="rerun", selection_mode="single-row")
        _audit(job.audit, selected_row(view, shown.selection.rows))
    _downloads(job)


def _outcome(job: GenerationJob) -> None:
    phase = job.snapshot().phase
    asked = job.inputs.config.num_samples
    if phase is RunPhase.CANCELLED:
        st.warning(f"Cancelled: kept {len(job.rows)} of the {asked} rows asked for.", icon=":material/stop:")
    elif phase is RunPhase.FAILED:
        st.error(f"{job.error} The {len(job.rows)} rows that passed are below.", icon=":material/error:")
    else:
        config = job.inputs.config
        st.success(f"{len(job.rows)} rows like {config.data}, from the {config.model} backend, prompt type "
                   f"{config.prompt_type}, seed {config.seed}.", icon=":material/check_circle:")
    checked = checked_texts(job.sidecar or {})
    if checked:
        st.caption("Text checks: " + "; ".join(checked) + ".")
    short = shortfall_note((job.sidecar or {}).get("label_quota"))
    if short:
        st.warning(short[0].upper() + short[1:] + ".", icon=":material/balance:")


def _controls(rows: pd.DataFrame) -> dict:
    left, middle, right = st.columns([2, 2, 2])
    search = left.text_input("Search", key="rows_search", placeholder="text in any cell")
    column = middle.selectbox("Filter column", [ALL, *rows.columns], key="rows_filter_column")
    values: list[str] = []
    if column != ALL:
        options = sorted(rows[column].unique(), key=_natural)
        values = middle.multiselect(f"Values of {column}", options, key=f"rows_filter_values::{column}")
    sort_by = right.selectbox("Sort by", ["(plan order)", *rows.columns], key="rows_sort")
    descending = right.toggle("Descending", key="rows_descending")
    return dict(search=search, column=None if column == ALL else column, values=values,
                sort_by=None if sort_by.startswith("(") else sort_by, descending=descending)


def apply_view(rows: pd.DataFrame, search: str = "", column: str | None = None, values: list[str] | None = None,
               sort_by: str | None = None, descending: bool = False) -> pd.DataFrame:
    """Rows matching the search (any cell, any case) and the column filter, sorted numerically where the
    column holds numbers (cells are strings, and "10" must come after "9")."""
    view = rows
    if search.strip():
        needle = search.strip().lower()
        # Column by column (vectorised): a 100,000-row run must not freeze the page on every keystroke.
        hits = view.astype(str).apply(lambda column: column.str.lower().str.contains(needle, regex=False))
        view = view[hits.any(axis=1)]
    if column and values:
        view = view[view[column].isin(values)]
    if sort_by:
        numeric = pd.to_numeric(view[sort_by], errors="coerce").notna().all()
        key = pd.to_numeric if numeric else None
        view = view.sort_values(sort_by, ascending=not descending, key=key, kind="stable")
    return view


def selected_row(view: pd.DataFrame, selected: list[int]) -> int | None:
    """The selected row's number in the run's rows (the view is filtered and sorted; its index is the rows')."""
    return int(view.index[selected[0]]) if selected and selected[0] < len(view) else None


def _audit(trail: AuditTrail, row: int | None) -> None:
    if row is None:
        st.caption("Select a row (the box at its left) to see its prompt and every answer the model gave.")
        return
    record = trail.row(row)
    with st.expander(f"Row {row + 1}: {record.verdict()}", expanded=True, icon=":material/manage_search:"):
        show_record(record)


def show_record(record: AuditRecord) -> None:
    """Each attempt's prompt (a retry's shows only what it added), then its answers with their verdicts."""
    answer = 0
    for number, relation, messages, answers in prompt_parts(record):
        st.markdown(f"**Prompt of attempt {number + 1}**" + (f" ({relation.rstrip(':')})" if relation else ""))
        for message in messages:
            st.caption(message.get("role", "?"))
            st.code(message.get("content", ""), language=None, wrap_lines=True)
        for attempt in answers:
            answer += 1
            st.text(f"Answer {answer}: {answer_verdict(attempt)}")  # plain: it may quote the data
            st.code(attempt.answer, language=None, wrap_lines=True)


def _natural(value: str) -> tuple:
    try:
        return (0, float(value), "")
    except ValueError:
        return (1, 0.0, value)


@dataclass(frozen=True)
class Download:
    label: str
    file_name: str
    mime: str
    make: Callable[[], bytes]  # called only when the button is clicked
    key: str


def downloads(job: GenerationJob) -> list[Download]:
    """The files a finished (or stopped) run offers: its rows in each format, and its record."""
    label = job.inputs.config.data
    offers = [Download(f"Download {fmt.upper()}", download_name(label, fmt), mime,
                       partial(table_bytes, job.rows, fmt), f"download_{fmt}") for fmt, mime in FORMATS.items()]
    if job.sidecar is not None:
        offers.append(Download("Run record (JSON)", download_name(label, "json"), "application/json",
                               partial(sidecar_bytes, job.sidecar), "download_sidecar"))
    return offers


def _downloads(job: GenerationJob) -> None:
    offers = downloads(job)
    for cell, offer in zip(st.columns(len(offers)), offers, strict=True):
        # A callable makes the bytes on click, so large runs do not slow every rerun of the page.
        cell.download_button(offer.label, data=offer.make, file_name=offer.file_name, mime=offer.mime,
                             key=offer.key, on_click="ignore", icon=":material/download:")
