"""The models x prompt types grid in the page, with the embedded model and a backend that cannot run."""

from __future__ import annotations

import time

import pytest

from tests.app.conftest import RUN_TIMEOUT, new_app

pytestmark = pytest.mark.model


def _wait_for_grid(app, timeout: float = RUN_TIMEOUT):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        time.sleep(1)
        app.run()
        assert not app.exception, [e.value for e in app.exception]
        if not app.session_state["grid"].running:
            app.run()
            return app.session_state["grid"]
    raise AssertionError(f"the grid did not end within {timeout} s: {app.session_state['grid'].lines}")


def test_grid_compares_prompt_types_and_skips_what_cannot_run(registry):
    app = new_app()
    app.multiselect(key="grid_models").set_value(["local", "broken"])
    app.multiselect(key="grid_prompts").set_value(["base", "diversity"])
    app.number_input(key="grid_rows").set_value(2).run()
    assert app.button(key="grid_run").label == "Run the grid (4 cells × 2 rows)"
    app.button(key="grid_run").click().run()
    assert app.button(key="generate").disabled  # one job at a time on this CPU
    grid = _wait_for_grid(app)
    assert grid.error is None, grid.error
    table = app.dataframe(key="grid_table").value if _keyed(app) else app.dataframe[-1].value
    rows = {(r["model"], r["prompt_type"]): r for r in table.to_dict("records")}
    assert rows[("real data", "(half vs half)")]["status"] == "reference"
    for prompt in ("base", "diversity"):
        cell = rows[("local", prompt)]
        assert cell["status"] == "done" and int(cell["rows"]) == 2 and int(cell["asked"]) == 2
        assert 0.0 <= float(cell["overall"]) <= 1.0 and float(cell["rows_per_min"]) > 0
        skipped = rows[("broken", prompt)]
        assert skipped["status"] == "skipped" and "vendor_sdk_that_is_not_installed" in skipped["note"]
    assert any(s.value == "Grid done: 4 of 4 cells." for s in app.success)
    assert not app.button(key="generate").disabled
    assert [b.label for b in app.get("download_button")] == ["Comparison (CSV)"]


def test_grid_stops_between_cells_and_keeps_the_cells_done(registry, monkeypatch):
    from tests.app.fake_backends import KEY_ENV

    monkeypatch.setenv(KEY_ENV, "from-the-environment")
    app = new_app()
    app.multiselect(key="grid_models").set_value(["keyed"])
    app.multiselect(key="grid_prompts").set_value(["base", "diversity", "text_length"])
    app.number_input(key="grid_rows").set_value(2).run()
    app.button(key="grid_run").click().run()
    grid = app.session_state["grid"]
    while grid.running and not grid.cells:
        time.sleep(0.2)
    app.button(key="grid_stop").click().run()
    grid = _wait_for_grid(app)
    assert 1 <= len(grid.cells) < 3 and "stopped before the remaining cells" in grid.lines
    assert any(s.value == f"Grid done: {len(grid.cells)} of 3 cells." for s in app.success)
    assert len(app.dataframe[-1].value) == len(grid.cells) + 1  # and the real-vs-real reference row


def _keyed(app) -> bool:
    return any(getattr(frame, "key", None) == "grid_table" for frame in app.dataframe)
