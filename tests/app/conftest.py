"""Helpers for driving the app in-process with streamlit's AppTest."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

pytest.importorskip("streamlit", reason="the app tests need streamlit (pip install 'syngen[app]')")

from streamlit.testing.v1 import AppTest  # noqa: E402

from syngen.app import APP_FILE  # noqa: E402

SCRIPT_TIMEOUT = 60  # a script run; the first one imports pandas, pydantic and llama.cpp
RUN_TIMEOUT = 600  # a hang guard, not a speed test: the grid's four cells took 194 s idle and ran past 240 s
# while a second job shared the two cores
FAKE = "tests.app.fake_backends"


@pytest.fixture(autouse=True)
def _fresh_backend_states() -> Iterator[None]:
    """Backend states are cached across sessions (st.cache_data); each test must see its own registry."""
    from syngen.app.settings_panel import clear_states

    clear_states()
    yield
    clear_states()


@pytest.fixture
def registry(monkeypatch):
    """Register the test backends beside the real ones, for this test only."""
    from syngen.backends import registry as module

    monkeypatch.setattr(module, "_BUILT_IN", {**module._BUILT_IN, "keyed": f"{FAKE}:KeyedBackend",
                                              "broken": "tests.app.broken_backend:BrokenBackend",
                                              "failing": f"{FAKE}:FailingBackend"})
    return module


def new_app() -> AppTest:
    app = AppTest.from_file(str(APP_FILE), default_timeout=SCRIPT_TIMEOUT)
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def texts(app: AppTest) -> list[str]:
    """Every message the page shows: alerts, captions, markdown, headings, metrics, progress text."""
    found = []
    for kind in ("error", "warning", "info", "success", "caption", "markdown", "subheader", "title"):
        found += [str(element.value) for element in getattr(app, kind)]
    found += [f"{m.label}: {m.value}" for m in app.metric]
    found += [str(p.proto.text) for p in app.get("progress")]
    return found


def page_has(app: AppTest, fragment: str) -> bool:
    return any(fragment in text for text in texts(app))


def wait_for_run(app: AppTest, timeout: float = RUN_TIMEOUT, until=None) -> None:
    """Rerun the page (as its progress timer would) until the run ends, or `until(app)` holds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        time.sleep(0.5)
        app.run()
        assert not app.exception, [e.value for e in app.exception]
        job = app.session_state["job"]
        if (until is not None and until(app)) or (until is None and not job.running):
            app.run()  # the whole-page run that follows the end of a run
            return
    raise AssertionError(f"the run did not end within {timeout} s: {app.session_state['job'].snapshot()}")


def use_upload(app: AppTest, name: str, raw: bytes, mime: str = "text/csv") -> AppTest:
    app.sidebar.radio(key="source").set_value("Upload a file").run()
    app.file_uploader(key="upload_data").set_value((name, raw, mime))
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def wait_for_report(app: AppTest, timeout: float = RUN_TIMEOUT) -> None:
    """Rerun the page until the latest run's quality report is measured."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        reports = app.session_state.get("quality", {})
        if reports and not any(report.running for report in reports.values()):
            app.run()
            return
        time.sleep(1)
        app.run()
    raise AssertionError(f"the quality report did not finish within {timeout} s")
