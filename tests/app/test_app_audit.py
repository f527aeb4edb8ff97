"""The audit in the page: with "Keep prompts and answers" on, selecting a row of the results shows its prompt
and every answer the model gave, with the verdict on each; with it off, the table is as it was."""

from __future__ import annotations

import pandas as pd

from syngen.app.results_panel import selected_row
from tests.app.conftest import new_app, page_has, wait_for_run
from tests.app.fake_backends import KEY_ENV


def finished_run(audit: bool):
    app = new_app()
    app.sidebar.selectbox(key="backend").set_value("keyed").run()
    app.number_input(key="num_samples").set_value(2)
    app.sidebar.toggle(key="audit").set_value(audit).run()
    app.button(key="generate").click().run()
    wait_for_run(app, timeout=60)
    return app


def select(app, row: int):
    app.session_state["rows_table"] = {"selection": {"rows": [row], "columns": [], "cells": []}}
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def test_a_selected_row_shows_its_prompt_and_answers(registry, monkeypatch):
    monkeypatch.setenv(KEY_ENV, "from-the-environment")
    app = finished_run(audit=True)
    job = app.session_state["job"]
    assert job.inputs.config.audit and job.sidecar["audit"]["kept_in"] == "memory"
    assert page_has(app, "Select a row (the box at its left)")
    select(app, 1)
    record = job.audit.row(1)
    assert [e.label for e in app.expander if e.label.startswith("Row 2: kept after")]
    codes = [c.value for c in app.code]
    assert record.attempts[0].messages[-1]["content"] in codes, "the prompt, in full"
    assert record.attempts[-1].answer in codes, "the raw answer"
    kept = f"Answer {len(record.attempts)}: kept"  # the last answer; earlier ones may have been rejected
    assert any(t.value.startswith(kept) for t in app.text)


def test_without_the_audit_the_table_offers_no_detail(registry, monkeypatch):
    monkeypatch.setenv(KEY_ENV, "from-the-environment")
    app = finished_run(audit=False)
    assert app.session_state["job"].audit is None
    assert not page_has(app, "Select a row") and not app.code


def test_the_selected_row_of_a_filtered_sorted_view_is_the_runs_row():
    rows = pd.DataFrame({"stars": ["5", "1", "3"]})
    view = rows.sort_values("stars")  # 1, 3, 5: the view's first row is the run's second
    assert selected_row(view, [0]) == 1 and selected_row(view, [2]) == 0
    assert selected_row(view, []) is None and selected_row(view.iloc[:0], [0]) is None
