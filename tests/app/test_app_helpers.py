"""The app's logic without a page: upload checks, exports, the background job, the launch command."""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from syngen import events
from syngen.app.exports import download_name, table_bytes
from syngen.app.jobs import GenerationJob, RunInputs, redact
from syngen.app.state import RunPhase
from syngen.app.uploads import kind_choices, load_demo, read_upload, safe_label
from syngen.cli import app as app_command
from syngen.errors import DataError
from syngen.generation.config import GenerationConfig
from syngen.profiling import ColumnKind
from tests.app.fake_backends import WORDS
from tests.fakes import ScriptedBackend, answer, review_answer

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("name", "label"),
    [("reviews.csv", "reviews.csv"), ("../../etc/passwd", "passwd"), ("C:\\Users\\me\\data.tsv", "data.tsv"),
     ("<script>x.csv", "script_x.csv"), ("...", "upload.csv"), ("ok name (1).csv", "ok name (1).csv")],
)
def test_upload_names_become_plain_labels(name, label):
    assert safe_label(name) == label


def test_upload_size_limit_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("SYNGEN_APP_MAX_UPLOAD_MB", "0.5")
    with pytest.raises(DataError, match="0.6 MB, more than the app's limit of 0.5 MB"):
        read_upload("big.csv", b"a,b\n" + b"x" * 600_000)
    monkeypatch.setenv("SYNGEN_APP_MAX_UPLOAD_MB", "not a number")  # a typo falls back to the default
    assert len(read_upload("ok.csv", b"a,b\n1,2\n").frame) == 1


def test_kind_choices_offer_only_kinds_that_can_be_learned():
    plain = kind_choices(ColumnKind.CATEGORICAL, has_catalogue=False)
    assert ColumnKind.FOREIGN_KEY not in plain and ColumnKind.DERIVED not in plain
    assert ColumnKind.TEXT in plain and ColumnKind.DATETIME in plain
    assert ColumnKind.FOREIGN_KEY in kind_choices(ColumnKind.CATEGORICAL, has_catalogue=True)
    assert ColumnKind.DERIVED in kind_choices(ColumnKind.DERIVED, has_catalogue=False)


def test_csv_download_holds_the_rows_as_generated():
    """Spreadsheet safety is the .xlsx download's job (cells written as text); the CSV is the training data."""
    frame = pd.DataFrame({"text": ["=HYPERLINK(\"http://x\")", "-3", "@SUM(A1)", "plain"]})
    back = pd.read_csv(pd.io.common.BytesIO(table_bytes(frame, "csv")), dtype=str)
    assert back["text"].tolist() == ["=HYPERLINK(\"http://x\")", "-3", "@SUM(A1)", "plain"]


def test_download_names_come_from_the_data_label():
    assert download_name("reviews_supplements.csv", "parquet") == "reviews_supplements_synthetic.parquet"


def test_redact_hides_key_values_only():
    options = {"api_key": "sk-abcdef", "model_name": "gpt"}
    assert redact("bad key sk-abcdef for gpt", options) == "bad key *** for gpt"


def _job(tmp_path, backend, n=3) -> GenerationJob:
    data = load_demo()
    profile = data_profile(data)
    config = GenerationConfig(data=data.label, products=str(data.catalogue_path), num_samples=n, seed=1,
                              out=str(tmp_path / "rows.csv"), force=True)
    return GenerationJob(RunInputs(config, data.table, profile, backend, owns_backend=True))


def data_profile(data):
    from syngen.app.uploads import profile_data

    return profile_data(data)


def test_job_counts_accepted_and_rejected_rows_from_engine_events(tmp_path):
    texts = load_demo().table.frame["text"]
    # One sentence: the text checks trim a longer copy to a sentence end, which is then no longer a copy.
    real_text = next(t for t in texts if sum(t.count(c) for c in ".!?") == 1 and len(t.split()) >= 6)

    def copy_first(request, index):
        if (request.seed - 1_000_003) // 31 == 0:  # every attempt at position 0 copies a real review (seed 1)
            return answer(title="Copy", text=real_text)
        return review_answer(request, request.seed)  # true to its rating and item, as the demo's checks ask

    job = _job(tmp_path, ScriptedBackend(copy_first)).start()
    job.join(30)
    progress = job.snapshot()
    assert progress.phase is RunPhase.FINISHED and progress.accepted == 3 and job.error is None
    assert sum(progress.rejected.values()) == 1 and "copy" in next(iter(progress.rejected))
    assert progress.rows_per_minute > 0
    assert len(job.rows) == 3 and job.sidecar["rows_delivered"] == 3


def test_job_reports_a_failure_instead_of_dying(tmp_path):
    def broken(request, index):
        raise ValueError("model returned garbage bytes")

    job = _job(tmp_path, ScriptedBackend(broken)).start()
    job.join(30)
    assert job.snapshot().phase is RunPhase.FAILED and not job.running
    assert job.error == "generation stopped on an unexpected error: ValueError: model returned garbage bytes"


def test_a_run_whose_page_was_closed_is_cancelled_and_keeps_its_rows(tmp_path, monkeypatch):
    from syngen.app import jobs

    monkeypatch.setattr(jobs, "WATCH_EVERY", 0.05)
    monkeypatch.setattr(jobs, "ABANDONED_AFTER", 0.3)
    words = WORDS

    def slow(request, index):
        time.sleep(0.05)
        return answer(title=f"Review {index}", text=" ".join(random.Random(index).sample(words, 10)))

    job = _job(tmp_path, ScriptedBackend(slow), n=500)
    job.wanted = lambda: job.snapshot().accepted == 0  # the tab is closed once rows come
    job.start().join(30)
    assert job.abandoned and job.snapshot().phase == "cancelled"
    assert 1 <= len(job.rows) < 500


def test_job_progress_follows_events():
    job = GenerationJob.__new__(GenerationJob)
    GenerationJob.__init__(job, RunInputs(GenerationConfig(data="x.csv", num_samples=4), None, None, None, False))
    job._on_event(events.Event(events.RUN_STARTED, {}))
    job._on_event(events.Event(events.ROW_ACCEPTED, {"accepted": 2}))
    job._on_event(events.Event(events.ROW_REJECTED, {"reason": "duplicate_text"}))
    progress = job.snapshot()
    assert (progress.phase, progress.accepted, dict(progress.rejected)) == ("generating", 2, {"duplicate_text": 1})


def test_launch_command_runs_streamlit_on_the_app_file():
    command = app_command.build_command("/x/streamlit_app.py", "127.0.0.1", 8600, 50)
    assert command[:5] == [sys.executable, "-m", "streamlit", "run", "/x/streamlit_app.py"]
    options = dict(zip(command[5::2], command[6::2], strict=True))
    assert options["--server.address"] == "127.0.0.1" and options["--server.port"] == "8600"
    assert options["--server.maxUploadSize"] == "50" and options["--browser.gatherUsageStats"] == "false"


def test_app_command_without_streamlit_names_the_extra(monkeypatch, capsys):
    from syngen.cli.main import main

    real = app_command.importlib.util.find_spec
    monkeypatch.setattr(app_command.importlib.util, "find_spec",
                        lambda name, *a: None if name == "streamlit" else real(name, *a))
    assert main(["app", "--no-browser"]) == 2
    assert "pip install 'syngen[app]'" in capsys.readouterr().err


def test_root_app_py_renders_the_page():
    from streamlit.testing.v1 import AppTest

    page = AppTest.from_file(str(REPO / "app.py"), default_timeout=60)
    page.run()
    assert not page.exception and page.title[0].value == "SynGen"
    assert page.button(key="generate").label == "Generate 5 rows"


def test_streamlit_run_app_py_serves_the_app(tmp_path):
    """The study's launch command, from the repository root, on a free port."""
    import socket
    import subprocess
    import urllib.request

    from syngen.cli.app import wait_for_port

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
               "--server.address", "127.0.0.1", "--server.port", str(port), "--browser.gatherUsageStats", "false"]
    server = subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        assert wait_for_port("127.0.0.1", port, server, timeout=60), server.stdout.read().decode()
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=10) as answer:
            assert answer.read() == b"ok"
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as answer:
            assert answer.status == 200 and b"<div id=\"root\">" in answer.read()
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.mark.parametrize("script", ["app.py", "syngen/app/streamlit_app.py"])
def test_page_runs_leave_the_import_path_alone(script):
    """Streamlit puts a script's folder on sys.path for each run and takes it out after, unless it is there: taken
    out while a generation thread imports, it made that import miss site-packages. After the first run, a run
    must leave sys.path as it found it."""
    from streamlit.testing.v1 import AppTest

    page = AppTest.from_file(str(REPO / script), default_timeout=60)
    page.run()
    before = list(sys.path)
    page.run()
    assert not page.exception and sys.path == before
    assert str((REPO / script).parent) in sys.path
