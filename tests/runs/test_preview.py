"""`syngen.preview` / make_preview: a few rows, each with its prompt, every raw answer and the verdict on it,
and the row kept; nothing written."""

import pytest

import syngen
from syngen.backends import registry
from syngen.generation.config import GenerationConfig
from syngen.runs.preview import make_preview
from tests.runs.audit_helpers import BACKEND, WRONG, hopeless_at, write_table


@pytest.fixture
def data(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setitem(registry._BUILT_IN, "scripted", BACKEND)
    return write_table(tmp_path / "real.csv")


def files(folder) -> set:
    return {p for p in folder.rglob("*")}


def test_the_preview_shows_the_rejected_answer_with_its_reason_and_the_kept_one_and_writes_nothing(data, tmp_path):
    before = files(tmp_path)
    preview = syngen.preview(data, model="scripted", seed=1, num_samples=50)
    assert files(tmp_path) == before, "no output, no sidecar, no run directory"
    assert len(preview.records) == 3, "3 rows, whatever num_samples is"
    text = preview.text()
    assert text.count("Real examples") == 3, "each row's prompt is shown in full"
    assert text.count(WRONG) >= 3, "every wrong answer"
    assert "rejected as unparseable: it was not a JSON object" in text
    assert "(attempt 2): kept" in text and "the first prompt, then" in text
    assert "An earlier answer was rejected" in text, "what the retry's prompt adds: the reason"
    kept = [r for r in preview.records if r.accepted]
    assert kept and all(r.attempts[-1].kept and r.attempts[0].reason == "unparseable" for r in kept)
    assert preview.rows.to_dict("records") == [r.row for r in kept]
    assert list(preview.rows.columns) == ["stars", "title", "review"]
    assert repr(preview) == text


def test_a_given_up_row_shows_every_answer_and_no_row(data):
    config = GenerationConfig(data=str(data), num_samples=2, seed=0)
    preview = make_preview(config, backend=hopeless_at(1))
    assert [r.position for r in preview.records] == [0, 1], "fewer rows when fewer are asked"
    given_up = preview.records[1]
    assert not given_up.accepted and given_up.row is None and given_up.reason == "unparseable"
    assert len(given_up.attempts) == 3 and "given up (unparseable) after 3 answers" in preview.text()
    assert "No row: the position was given up" in preview.text()


def test_the_notebook_view_escapes_the_answers_and_folds_the_prompts(data):
    html = syngen.preview(data, model="scripted", seed=1)._repr_html_()
    assert "<details" in html and "Prompt of attempt 1" in html and "rejected as unparseable" in html
    assert "&quot;title&quot;" in html, "answers are escaped, not rendered"


def test_the_preview_of_a_dataframe_is_that_of_its_file(data):
    import pandas as pd

    frame = pd.read_csv(data, dtype=str, keep_default_na=False)
    from_frame = syngen.preview(frame, model="scripted", seed=1, topic="real")
    from_path = syngen.preview(data, model="scripted", seed=1, topic="real")
    assert from_frame.rows.equals(from_path.rows)
