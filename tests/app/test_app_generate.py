"""Generate with the embedded model in the page: live progress, rows, filters, downloads, cancel, reuse.

One session makes 3 rows (module fixture); the tests then act on that page, as a user would after a run.
"""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest

from syngen.app.results_panel import apply_view, downloads
from syngen.app.state import RunPhase
from syngen.demo import demo_paths
from tests.app.conftest import new_app, page_has, texts, wait_for_report, wait_for_run

pytestmark = pytest.mark.model
REAL_COLUMNS = list(pd.read_csv(demo_paths()[0], nrows=1).columns)


@pytest.fixture(scope="module")
def finished():
    """A page after a 3-row run with the embedded model, and what it showed while the run was going."""
    app = new_app()
    app.number_input(key="num_samples").set_value(3).run()
    app.button(key="generate").click().run()
    seen_live: list[list[str]] = []

    def first_row_in(page) -> bool:
        job = page.session_state["job"]
        if job.running and job.snapshot().accepted >= 1:
            seen_live.append(texts(page) + [b.label for b in page.button])
            return True
        return not job.running

    wait_for_run(app, until=first_row_in)
    wait_for_run(app)
    return app, seen_live


def test_progress_is_live_while_the_run_goes(finished):
    _, seen_live = finished
    assert seen_live, "the run ended before a rerun saw it in progress"
    live = seen_live[0]
    assert any(t.startswith("Rows accepted: ") and t.endswith("/ 3") for t in live), live
    assert any(t.startswith("Generating: ") for t in live) and "Cancel" in live
    assert any(t.startswith("Rows per minute: ") for t in live)


def test_finished_run_shows_its_rows(finished):
    app, _ = finished
    job = app.session_state["job"]
    assert job.snapshot().phase is RunPhase.FINISHED and job.error is None, repr(job.error)
    assert page_has(app, "Done: 3 rows in")
    assert page_has(app, "3 rows like reviews.csv, from the local backend, prompt type base, seed 0.")
    assert page_has(app, "Rows accepted: 3 / 3") and page_has(app, "Showing 3 of 3 rows")
    table = app.dataframe[-1].value
    assert len(table) == 3 and list(table.columns) == REAL_COLUMNS
    assert table["text"].str.len().min() > 0
    assert not [b for b in app.button if b.key == "cancel"]
    assert not app.button(key="generate").disabled


def test_rows_can_be_searched_filtered_and_sorted(finished):
    app, _ = finished
    rows = app.session_state["job"].rows
    user = rows["user_id"].iloc[1]  # generated ids are unique: exactly one row matches
    app.text_input(key="rows_search").set_value(user.lower()).run()  # any case
    assert app.dataframe[-1].value["user_id"].tolist() == [user]
    assert page_has(app, "Showing 1 of 3 rows")
    app.text_input(key="rows_search").set_value("").run()
    app.selectbox(key="rows_filter_column").set_value("rating").run()
    value = rows["rating"].iloc[0]
    app.multiselect(key="rows_filter_values::rating").set_value([value]).run()
    shown = app.dataframe[-1].value
    assert set(shown["rating"]) == {value} and len(shown) == (rows["rating"] == value).sum()
    app.selectbox(key="rows_filter_column").set_value("(any column)").run()
    app.selectbox(key="rows_sort").set_value("timestamp").run()
    ascending = app.dataframe[-1].value["timestamp"].tolist()
    app.toggle(key="rows_descending").set_value(True).run()
    descending = app.dataframe[-1].value["timestamp"].tolist()
    assert ascending == sorted(rows["timestamp"]) and descending == ascending[::-1]
    assert len(set(ascending)) == 3


def test_search_is_plain_text_in_any_case():
    frame = pd.DataFrame({"a": ["Price (USD)", "x", "PRICE"], "b": ["1", "the price", "2"]})
    assert apply_view(frame, search="price").index.tolist() == [0, 1, 2]
    assert apply_view(frame, search="(usd").index.tolist() == [0]  # not a regular expression
    assert apply_view(frame, search="missing").empty


def test_sorting_is_numeric_where_a_column_holds_numbers():
    frame = pd.DataFrame({"n": ["9", "10", "2"], "t": ["b", "a", "c"]})
    assert apply_view(frame, sort_by="n")["n"].tolist() == ["2", "9", "10"]
    assert apply_view(frame, sort_by="t", descending=True)["t"].tolist() == ["c", "b", "a"]


def test_downloads_hold_the_rows_in_each_format(finished):
    app, _ = finished
    job = app.session_state["job"]
    offers = {offer.key: offer for offer in downloads(job)}
    shown = {button.label for button in app.get("download_button")}
    assert shown == {offer.label for offer in offers.values()} == {
        "Download CSV", "Download JSONL", "Download PARQUET", "Download XLSX", "Run record (JSON)"}
    expected = job.rows.reset_index(drop=True)
    csv = pd.read_csv(io.BytesIO(offers["download_csv"].make()), dtype=str, keep_default_na=False)
    lines = offers["download_jsonl"].make().decode("utf-8").splitlines()
    jsonl = pd.DataFrame([json.loads(line) for line in lines])
    parquet = pd.read_parquet(io.BytesIO(offers["download_parquet"].make()))
    for frame in (csv, jsonl, parquet):
        pd.testing.assert_frame_equal(frame, expected, check_dtype=False)
    assert offers["download_csv"].file_name == "reviews_synthetic.csv"
    assert offers["download_parquet"].mime == "application/vnd.apache.parquet"
    assert offers["download_xlsx"].make().startswith(b"PK")  # a zip: the workbook (cells checked in tests/output)
    record = json.loads(offers["download_sidecar"].make())
    assert record["rows_delivered"] == 3 and record["model"]["model"] == "SmolLM2-135M-Instruct.Q4_1.gguf"


def test_the_quality_report_scores_the_rows_with_charts_and_flagged_rows(finished):
    app, _ = finished
    wait_for_report(app)
    quality = next(iter(app.session_state["quality"].values()))
    assert quality.error is None and quality.job is app.session_state["job"]
    metrics = {m.label: m.value for m in app.metric}
    expected = ["overall", "validity", "fidelity", "length", "complexity", "diversity", "drift", "privacy"]
    assert all(name in metrics for name in expected), metrics
    for name in expected:
        assert metrics[name] == "n/a" or 0.0 <= float(metrics[name]) <= 1.0
    assert float(metrics["overall"]) == pytest.approx(quality.report.score, abs=0.005)
    assert page_has(app, "3 rows of 3 asked") and page_has(app, "**Privacy:**")
    tabs = [tab.label for tab in app.tabs]
    assert tabs[:6] == ["Scores", "Length", "Readability", "Categories, numbers, dates", "Diversity",
                        "Nearest real and topic"]
    charts = quality.charts
    assert all(chart.png.startswith(b"\x89PNG") for group in charts.values() for chart in group)
    assert {"text: words per text", "rating"} <= {c.title for group in charts.values() for c in group}
    labels = {b.label for b in app.get("download_button")}
    assert {"Report (HTML)", "Report (JSON)"} <= labels


def test_cancel_keeps_the_rows_made_and_the_model_is_reused(finished):
    app, _ = finished
    first = app.session_state["job"]
    app.number_input(key="num_samples").set_value(40).run()  # chunks of 16, 16 and 8: a cancel lands before the last
    app.number_input(key="seed").set_value(5).run()
    app.button(key="generate").click().run()
    second = app.session_state["job"]
    assert second is not first and second.inputs.backend is first.inputs.backend  # no second model load
    wait_for_run(app, until=lambda page: page.session_state["job"].snapshot().accepted >= 1)
    if second.running:
        app.button(key="cancel").click().run()
    wait_for_run(app)
    kept = len(second.rows)
    assert second.snapshot().phase is RunPhase.CANCELLED and 1 <= kept < 40
    assert page_has(app, f"Cancelled: kept {kept} of the 40 rows asked for.")
    assert len(app.dataframe[-1].value) == kept
    partial = pd.read_csv(second.output_path, dtype=str, keep_default_na=False)
    assert second.output_path.name == "synthetic.partial.csv" and len(partial) == kept
    assert second.sidecar["cancelled"] is True and second.sidecar["rows_delivered"] == kept
