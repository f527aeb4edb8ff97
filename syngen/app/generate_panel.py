"""Main area: the Generate button, then live progress of the run with a Cancel that keeps the rows made."""

from __future__ import annotations

import streamlit as st
from pydantic import ValidationError

from syngen.app import state
from syngen.app.conditions_panel import RowConditions, render_conditions
from syngen.app.jobs import GenerationJob, Progress, RunInputs
from syngen.app.settings_panel import Settings
from syngen.app.state import RunPhase
from syngen.app.uploads import LoadedData
from syngen.errors import SynGenError
from syngen.generation.config import GenerationConfig
from syngen.profiling import DatasetProfile
from syngen.sampling.conditions import resolve_conditions

POLL_SECONDS = 0.5
OUTPUT_NAME = "synthetic.csv"  # fixed: nothing a user typed or uploaded names a written file


def render_generate(data: LoadedData | None, profile: DatasetProfile | None, topic: str | None,
                    settings: Settings) -> None:
    st.subheader("Generate")
    job = state.current_job()
    busy = job is not None and job.running
    conditions = render_conditions(profile, data.table.frame if data is not None else None)
    problem = "Choose the demo data or upload a table first." if data is None else settings.problem
    problem = problem or conditions.problem
    if state.grid_running():
        problem = "The models × prompt types grid is running; single runs can start when it ends."
    label = f"Generate {settings.num_samples:,} row{'s' if settings.num_samples != 1 else ''}"
    if st.button(label, type="primary", key="generate", disabled=busy or problem is not None,
                 icon=":material/play_arrow:"):
        job = _start(data, profile, topic, settings, conditions) or job
    if problem:
        st.info(problem, icon=":material/info:")
    if job is not None:
        _progress(job)


def build_config(data: LoadedData, topic: str | None, settings: Settings,
                 conditions: RowConditions | None = None) -> GenerationConfig:
    """The run's configuration; its output goes to a fresh folder of the session's own temp dir."""
    return GenerationConfig(
        data=data.label, products=str(data.catalogue_path) if data.catalogue_path else None,
        prompt_type=settings.prompt_type, model=settings.backend.name, model_path=settings.model_path,
        model_name=settings.model_name, base_url=settings.base_url, topic=topic or None,
        num_samples=settings.num_samples, seed=settings.seed, temperature=settings.temperature,
        audit=settings.audit,  # kept in memory (the app's runs have no run directory) and shown per row
        out=str(state.run_folder() / OUTPUT_NAME), format="csv", force=True,
        backend_options=settings.backend_options or {}, **settings.knobs, **(conditions or RowConditions()).fields(),
    )


def _start(data: LoadedData, profile: DatasetProfile, topic: str | None, settings: Settings,
           conditions: RowConditions) -> GenerationJob | None:
    try:
        config = build_config(data, topic, settings, conditions)
        resolve_conditions(config, profile, data.table.frame)  # the data's checks, before a model loads
        backend, owned = state.backend_holder().get(config)
    except SynGenError as exc:
        st.error(exc.one_line())
        return None
    except ValidationError as exc:
        st.error(f"These settings cannot run: {exc.errors()[0]['msg']}.")
        return None
    inputs = RunInputs(config, data.table, profile, backend, owned, data.catalogue)
    job = GenerationJob(inputs, wanted=state.session_watch()).start()
    st.session_state[state.JOB] = job
    return job


def _progress(job: GenerationJob) -> None:
    # Only the progress block reruns on the timer, so the rest of the page stays still while rows arrive.
    # It stays a fragment after the run (without a timer) so a timer tick already on its way finds it.
    st.fragment(run_every=POLL_SECONDS if job.running else None)(_live)(job)


def _live(job: GenerationJob) -> None:
    progress = job.snapshot()
    _bar(progress)
    cells = st.columns(4)
    cells[0].metric("Rows accepted", f"{progress.accepted} / {progress.asked}")
    cells[1].metric("Rejected answers", sum(progress.rejected.values()))
    cells[2].metric("Rows per minute", f"{progress.rows_per_minute:.1f}")
    cells[3].metric("Elapsed", f"{progress.seconds:.0f} s")
    if progress.rejected:
        reasons = ", ".join(f"{reason.replace('_', ' ')}: {count}" for reason, count in progress.rejected.most_common())
        st.caption(f"Rejected by reason: {reasons}")
    if job.running:
        st.button("Cancel", key="cancel", on_click=job.cancel.set, disabled=job.cancel.is_set(),
                  icon=":material/stop:", help="Stop after the row being written; the rows so far are kept.")
    elif st.session_state.get(state.JOB_SHOWN) is not job:
        # The run ended during a timer rerun of this block (a whole-page run marks it shown before
        # drawing): redraw the whole page so the rows and the report appear.
        st.rerun()


def _bar(progress: Progress) -> None:
    share = min(1.0, progress.accepted / max(1, progress.asked))
    text = {
        RunPhase.FINISHED: f"Done: {progress.accepted} rows in {progress.seconds:.0f} s.",
        RunPhase.CANCELLED: f"Cancelled: kept the {progress.accepted} rows made before the cancel.",
        RunPhase.FAILED: "Stopped before all rows were made.",
    }.get(progress.phase)
    if text is None:
        preparing = progress.accepted == 0 and progress.phase is RunPhase.PREPARING
        text = ("Preparing the model and the prompts…" if preparing
                else f"Generating: {progress.accepted} of {progress.asked} rows…")
    st.progress(share, text=text)
