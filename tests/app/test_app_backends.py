"""Backend choice on the page: states, unusable backends, API keys typed in the page, settings into runs."""

from __future__ import annotations

import logging
import re

import pytest

from tests.app.conftest import new_app, page_has, texts, wait_for_run
from tests.app.fake_backends import KEY_ENV, FailingBackend, KeyedBackend

SECRET = "sk-Q7vZp9Xw3Lm2Rt8Kd4Hy"
# A masked key ("sk-Q…d4Hy") leaks too: no four characters of it in a row (after "sk-") may appear anywhere.
FRAGMENTS = tuple(SECRET[i:i + 4] for i in range(3, len(SECRET) - 3))


def _leaks(text: str) -> list[str]:
    return [fragment for fragment in FRAGMENTS if fragment in text]


def _choose(app, name: str):
    app.sidebar.selectbox(key="backend").set_value(name).run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def _page_protos(app) -> str:
    """Everything the server would send to the browser for this page, as text."""
    found: list[str] = []

    def walk(node) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None:
            found.append(str(proto))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(app._tree)
    return "\n".join(found)


def test_every_backend_is_listed_with_its_state(registry, monkeypatch):
    monkeypatch.delenv(KEY_ENV, raising=False)
    options = new_app().sidebar.selectbox(key="backend").options
    assert options[0] == "local (ready)"
    assert "keyed (key missing)" in options and "broken (extra missing)" in options
    for name in ("hf", "ollama", "cohere", "openai"):
        assert any(option.startswith(f"{name} (") for option in options), options


def test_a_backend_that_cannot_run_disables_generate_and_says_how_to_fix_it(registry):
    app = _choose(new_app(), "broken")
    warning = app.sidebar.warning[0].value
    assert "extra missing" in warning and "pip install 'syngen[broken]'" in warning
    assert app.button(key="generate").disabled
    assert page_has(app, "The broken backend is not ready")
    _choose(app, "local")
    assert not app.button(key="generate").disabled


def test_a_key_typed_in_the_page_reaches_the_backend_and_nowhere_else(registry, monkeypatch, caplog, capfd):
    monkeypatch.delenv(KEY_ENV, raising=False)
    caplog.set_level(logging.DEBUG)
    app = _choose(new_app(), "keyed")
    field = app.sidebar.text_input(key="api_key::keyed")
    assert field.proto.type == field.proto.PASSWORD
    assert app.button(key="generate").disabled
    field.set_value(SECRET).run()
    assert not app.button(key="generate").disabled
    assert "ready" in app.sidebar.caption[-1].value
    app.number_input(key="num_samples").set_value(3).run()
    KeyedBackend.keys_seen.clear()
    app.button(key="generate").click().run()
    wait_for_run(app, timeout=60)
    job = app.session_state["job"]
    assert len(job.rows) == 3 and job.error is None
    assert KeyedBackend.keys_seen == [SECRET]  # in the backend's options, in memory
    page = _page_protos(app)
    assert "Model backend" in page and "Rows accepted" in page  # the walk sees the whole page
    assert not _leaks(page) and not _leaks(" ".join(texts(app)))
    assert not _leaks(str(job.sidecar)) and "api_key" not in str(job.sidecar)
    for path in _files(app):
        assert not _leaks(path.read_bytes().decode("utf-8", errors="replace")), path
    assert not _leaks(caplog.text)
    out, err = capfd.readouterr()
    assert not _leaks(out + err)


def test_no_key_is_asked_when_the_environment_has_one(registry, monkeypatch):
    monkeypatch.setenv(KEY_ENV, "from-the-environment")
    app = _choose(new_app(), "keyed")
    assert not [t for t in app.sidebar.text_input if t.key == "api_key::keyed"]
    assert not app.button(key="generate").disabled


def test_settings_reach_the_run(registry, monkeypatch):
    monkeypatch.setenv(KEY_ENV, "from-the-environment")
    app = _choose(new_app(), "keyed")
    app.sidebar.selectbox(key="prompt_type").set_value("diversity")
    app.sidebar.selectbox(key="knob_complexity").set_value("high")
    app.sidebar.selectbox(key="knob_length").set_value("low")
    app.number_input(key="num_samples").set_value(2)
    app.number_input(key="seed").set_value(7)
    app.slider(key="temperature").set_value(0.5)
    app.text_input(key="topic::demo").set_value("Herbal teas").run()
    assert app.button(key="generate").label == "Generate 2 rows"
    app.button(key="generate").click().run()
    wait_for_run(app, timeout=60)
    config = app.session_state["job"].inputs.config
    assert (config.model, config.prompt_type, config.seed, config.temperature) == ("keyed", "diversity", 7, 0.5)
    assert (config.complexity, config.diversity, config.length) == ("high", None, "low")
    assert config.topic == "Herbal teas" and config.num_samples == 2
    assert app.session_state["job"].sidecar["topic"] == "Herbal teas"


def test_a_run_that_fails_midway_shows_why_and_keeps_the_rows_that_passed(registry, monkeypatch):
    monkeypatch.setenv(KEY_ENV, "from-the-environment")
    monkeypatch.setattr(FailingBackend, "crash", False)
    app = _choose(new_app(), "failing")
    app.number_input(key="num_samples").set_value(6).run()
    app.button(key="generate").click().run()
    wait_for_run(app, timeout=60)
    errors = [e.value for e in app.error]
    saved = [re.search(r"the test server went away; (\d) of 6 rows passed and were saved", e) for e in errors]
    assert any(saved), errors
    passed = int(next(m for m in saved if m).group(1))
    assert page_has(app, "Stopped before all rows were made.")
    assert 0 < passed <= 4 and len(app.dataframe[-1].value) == passed  # what the first chunk (4 rows) kept
    assert {b.label for b in app.get("download_button")} >= {"Download CSV", "Run record (JSON)"}
    assert not app.button(key="generate").disabled  # the page works on


def test_an_unexpected_error_is_shown_without_the_key(registry, monkeypatch, caplog):
    monkeypatch.delenv(KEY_ENV, raising=False)
    monkeypatch.setattr(FailingBackend, "crash", True)
    app = _choose(new_app(), "failing")
    app.sidebar.text_input(key="api_key::failing").set_value(SECRET).run()
    app.button(key="generate").click().run()
    wait_for_run(app, timeout=60)
    errors = [e.value for e in app.error]
    assert any("unexpected error: RuntimeError: socket closed while sending key ***" in e for e in errors), errors
    assert not _leaks(_page_protos(app)) and not _leaks(caplog.text)
    assert "RuntimeError" in caplog.text  # the traceback is logged, redacted


def _files(app):
    from pathlib import Path

    return [p for p in Path(app.session_state["workdir"].name).rglob("*") if p.is_file()]


@pytest.mark.parametrize("rows", [100_000])
def test_row_count_is_not_capped_at_ten(rows):
    app = new_app()
    app.number_input(key="num_samples").set_value(rows).run()
    assert app.button(key="generate").label == f"Generate {rows:,} rows"
