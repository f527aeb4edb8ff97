"""Main area: the study's comparison, every model x prompt type on the same data, as one table."""

from __future__ import annotations

import streamlit as st

from syngen.app import state
from syngen.app.grid_jobs import GridJob, grid_data_file
from syngen.app.settings_panel import Settings, backend_states
from syngen.app.uploads import LoadedData
from syngen.demo import demo_paths
from syngen.generation.config import PROMPT_TYPES

POLL_SECONDS = 1.0


def render_grid(data: LoadedData | None, topic: str | None, settings: Settings) -> None:
    if data is None:
        return
    grid = st.session_state.get(state.GRID)
    with st.expander("Models × prompt types grid", expanded=grid is not None, icon=":material/grid_view:"):
        st.caption("Generate and score the same number of rows for every model and prompt type, as the "
                   "original study compared them. Backends that cannot run here are listed with the reason. "
                   "The grid profiles the data itself (column corrections above apply to single runs) and "
                   "uses API keys from the environment only.")
        _form(data, topic, settings, busy=grid is not None and grid.running)
        grid = st.session_state.get(state.GRID)
        if grid is not None:
            if not grid.running:
                st.session_state[state.GRID_SHOWN] = grid  # this whole-page run draws the end
            st.fragment(run_every=POLL_SECONDS if grid.running else None)(_progress)(grid)


def _form(data: LoadedData, topic: str | None, settings: Settings, busy: bool) -> None:
    names = [info.name for info in backend_states()]
    left, middle, right = st.columns([2, 3, 1])
    models = left.multiselect("Models", names, default=["local"] if "local" in names else None, key="grid_models",
                              help="Each backend's default model; the one chosen in the sidebar uses the "
                                   "model typed there.")
    prompts = middle.multiselect("Prompt types", PROMPT_TYPES, default=list(PROMPT_TYPES), key="grid_prompts")
    rows = right.number_input("Rows per cell", min_value=1, max_value=10_000, value=5, key="grid_rows")
    cells = len(models) * len(prompts)
    job = state.current_job()
    generating = job is not None and job.running
    label = f"Run the grid ({cells} cell{'s' if cells != 1 else ''} × {rows} row{'s' if rows != 1 else ''})"
    if st.button(label, key="grid_run", disabled=busy or generating or cells == 0, icon=":material/play_arrow:"):
        _start(data, topic, settings, models, prompts, int(rows))
    if generating:
        st.caption("A generation run is going; the grid can start when it ends.")


def _start(data: LoadedData, topic: str | None, settings: Settings, models: list[str], prompts: list[str],
           rows: int) -> None:
    from syngen.evaluation.experiment import GridSpec, ModelSpec

    folder = state.run_folder()
    path = demo_paths()[0] if data.digest == "demo" else grid_data_file(data.table.frame, folder)
    chosen = settings.model_path or settings.model_name
    specs = [ModelSpec(name, chosen if name == settings.backend.name else None) for name in models]
    options = {"temperature": settings.temperature, "topic": topic or None}
    spec = GridSpec(data=str(path), products=str(data.catalogue_path) if data.catalogue_path else None,
                    models=specs, prompt_types=prompts, num_samples=rows, out=folder, seed=settings.seed,
                    force=True, generation_options={k: v for k, v in options.items() if v is not None})
    st.session_state[state.GRID] = GridJob(spec, wanted=state.session_watch()).start()
    st.rerun()  # the Generate button above was drawn before the grid started: draw it disabled


def _progress(grid: GridJob) -> None:
    done = len(grid.cells)
    if grid.running:
        st.progress(done / max(1, grid.total), text=f"Cell {min(done + 1, grid.total)} of {grid.total}: "
                                                    f"{grid.lines[-1] if grid.lines else 'starting'}")
        st.button("Stop after this cell", key="grid_stop", on_click=grid.stop.set, disabled=grid.stop.is_set(),
                  icon=":material/stop:")
    elif st.session_state.get(state.GRID_SHOWN) is not grid:
        st.rerun()  # ended during a timer rerun: redraw the page, which also stops the timer
    elif grid.error:
        st.error(grid.error, icon=":material/error:")
    else:
        st.success(f"Grid done: {done} of {grid.total} cells.", icon=":material/check_circle:")
    table = grid.table()
    if table is not None:
        st.dataframe(table, hide_index=True, key="grid_table")
        if not grid.running:
            st.download_button("Comparison (CSV)", data=table.to_csv(index=False).encode("utf-8"),
                               file_name="comparison.csv", mime="text/csv", key="grid_csv",
                               on_click="ignore", icon=":material/download:")
    with st.expander("Grid log"):
        st.code("\n".join(grid.lines) or "starting…", language=None)
