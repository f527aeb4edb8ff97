"""The app in a real browser: `syngen app` on 127.0.0.1, driven by Playwright in Debian's Chromium.

Upload the real reviews, generate 5 rows with the embedded model, check the table and the scorecard,
download the CSV and read it back, and save a 1280x1600 screenshot in test-artifacts/.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from syngen.backends.omp import set_thread_wait

CHROMIUM = Path("/usr/bin/chromium")
REPO = Path(__file__).resolve().parents[2]
REVIEWS = REPO.parent / "shared" / "data" / "reviews_supplements.csv"
ARTIFACTS = REPO / "test-artifacts"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
ROWS = 5
GENERATION_MS = 600_000  # 5 rows of the embedded model on a busy 2-core machine, model load included
# The first report on a dataset embeds its 1,308 real texts: 45 s here with a cold cache; CI's clean machine once
# showed no scorecard after 300 s (cause unseen: the wait now says what the page showed instead).
REPORT_MS = 600_000

pytestmark = [
    pytest.mark.browser, pytest.mark.model,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's Chromium at /usr/bin/chromium "
                                                     "(apt-get install -y chromium)"),
]
playwright_api = pytest.importorskip("playwright.sync_api", reason="needs playwright (pip install playwright)")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def app_url():
    """`syngen app` as a user starts it, on a free port; stopped (with its Streamlit) afterwards."""
    from syngen.cli.app import wait_for_port

    if not REVIEWS.exists():
        pytest.skip(f"reference data {REVIEWS} is not here (it lives in ../shared beside the repo)")
    port = _free_port()
    env = set_thread_wait(dict(os.environ))
    log = ARTIFACTS / "app-browser-server.log"
    ARTIFACTS.mkdir(exist_ok=True)
    with log.open("w") as output:
        server = subprocess.Popen([sys.executable, "-m", "syngen.cli.main", "app", "--no-browser",
                                   "--host", "127.0.0.1", "--port", str(port)],
                                  env=env, stdout=output, stderr=subprocess.STDOUT)
        try:
            assert wait_for_port("127.0.0.1", port, server, timeout=90), log.read_text()
            yield f"http://127.0.0.1:{port}"
        finally:
            server.send_signal(signal.SIGTERM)  # `syngen app` passes it on to Streamlit
            server.wait(timeout=30)
    assert not _listening(port), "Streamlit outlived `syngen app`"


def _listening(port: int) -> bool:
    time.sleep(1)
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


@pytest.fixture(scope="module")
def page(app_url):
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 1600}, accept_downloads=True)
            tab = context.new_page()
            tab.goto(app_url)
            yield tab
        finally:
            browser.close()


def test_upload_generate_inspect_and_download(page, tmp_path):
    page.get_by_role("button", name=f"Generate {ROWS} rows").wait_for(timeout=90_000)
    page.get_by_text("Upload a file").click()
    page.locator('[data-testid="stFileUploader"] input[type="file"]').first.set_input_files(str(REVIEWS))
    page.get_by_role("heading", name="Profile of reviews_supplements.csv").wait_for(timeout=60_000)
    assert page.get_by_text("1,308 rows · 11 columns").is_visible()

    page.get_by_role("button", name=f"Generate {ROWS} rows").click()
    page.get_by_text("Rows accepted").first.wait_for(timeout=30_000)  # live progress
    _wait_or_explain(page, page.get_by_text(f"Done: {ROWS} rows"), GENERATION_MS)
    page.get_by_text(f"Showing {ROWS} of {ROWS} rows").wait_for()
    rows_table = page.locator('[data-testid="stDataFrame"]').last
    # The grid's accessible table counts its header row too.
    assert rows_table.locator('[role="grid"]').get_attribute("aria-rowcount") == str(ROWS + 1)

    overall = page.locator('[data-testid="stMetric"]').filter(has_text="overall")
    failed = page.locator('[data-testid="stAlertContentError"]')
    _wait_or_explain(page, overall.or_(failed), REPORT_MS)
    assert not failed.count(), failed.first.inner_text()
    score = float(overall.locator('[data-testid="stMetricValue"]').inner_text())
    assert 0.0 <= score <= 1.0
    for name in ("validity", "fidelity", "length", "complexity", "diversity", "drift", "privacy"):
        assert page.locator('[data-testid="stMetric"]').filter(has_text=name).count() == 1, name

    _check_download(page, tmp_path)
    _screenshot(page)


def _wait_or_explain(page, target, timeout_ms: int) -> None:
    """Wait for `target`; when it never comes, fail with what the page shows instead (an error, a progress
    note frozen or still counting) and the end of the server's log, and keep a screenshot of it."""
    try:
        target.wait_for(timeout=timeout_ms)
    except playwright_api.TimeoutError:
        page.screenshot(path=str(ARTIFACTS / "app-browser-timeout.png"))
        shown = page.locator('[data-testid="stMain"]').inner_text()
        log = (ARTIFACTS / "app-browser-server.log").read_text()
        pytest.fail(f"waited {timeout_ms / 1000:.0f} s for {target}; the page shows:\n{shown[-3000:]}\n"
                    f"server log:\n{log[-3000:]}")


def _check_download(page, tmp_path: Path) -> None:
    with page.expect_download(timeout=60_000) as event:
        page.get_by_role("button", name="Download CSV").click()
    download = event.value
    assert download.suggested_filename == "reviews_supplements_synthetic.csv"
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    real = pd.read_csv(REVIEWS, dtype=str, keep_default_na=False)
    rows = pd.read_csv(path, dtype=str, keep_default_na=False)
    assert len(rows) == ROWS and list(rows.columns) == list(real.columns)
    assert rows["text"].str.strip().str.len().min() > 0
    assert not set(rows["text"]) & set(real["text"]) and not set(rows["user_id"]) & set(real["user_id"])
    assert set(rows["rating"]) <= set(real["rating"])


def _screenshot(page) -> None:
    """The rows and the scorecard in view: the page's main area scrolls, not the window."""
    page.get_by_role("heading", name="Rows").evaluate("element => element.scrollIntoView({block: 'start'})")
    page.wait_for_timeout(800)
    shot = ARTIFACTS / "app-browser.png"
    page.screenshot(path=str(shot))
    assert shot.stat().st_size > 50_000
