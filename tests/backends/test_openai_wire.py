"""The OpenAI-compatible backend's own HTTP client (backends/jsonwire.py, urllib3 instead of the openai SDK):
what the SDK did that users rely on (proxies from the environment, account headers) still happens, what it
did silently (follow a redirect) is now a one-line error, and the SDK is no longer loaded at all."""

from __future__ import annotations

import subprocess
import sys

import pytest
from werkzeug import Response

from syngen.backends.jsonwire import proxy_for
from syngen.backends.openai_compat import OpenAICompatBackend
from syngen.errors import BackendUnavailable, TransientBackendError
from tests.backends.conftest import FAST_RETRIES, closed_url
from tests.backends.fakes import openai_rows, row_json
from tests.backends.test_openai_faults import REQUEST, backend_for, serve

ELSEWHERE = "http://api.example.invalid/v1"  # resolves nowhere: only a proxy can reach it


def test_requests_go_through_the_proxy_the_environment_names(server, monkeypatch):
    script = serve(server, openai_rows)
    monkeypatch.setenv("HTTP_PROXY", server.url_for("").rstrip("/"))
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    answer = OpenAICompatBackend({"base_url": ELSEWHERE, **FAST_RETRIES}).generate(REQUEST)
    assert answer.text == row_json(3)
    assert script.requests[0]["headers"]["Host"] == "api.example.invalid"


def test_no_proxy_sends_straight_to_the_server(server, monkeypatch):
    script = serve(server, openai_rows)
    monkeypatch.setenv("HTTP_PROXY", closed_url())  # nothing there: a request sent to it would fail
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    assert backend_for(server).generate(REQUEST).text == row_json(3)
    assert len(script.requests) == 1


def test_proxy_for_reads_the_scheme_then_all_proxy(monkeypatch):
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "http_proxy", "https_proxy", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("ALL_PROXY", "http://proxy.example:3128")
    monkeypatch.setenv("HTTPS_PROXY", "http://secure.example:3128")
    assert proxy_for("https://api.openai.com/v1") == "http://secure.example:3128"
    assert proxy_for("http://10.0.0.5:8000/v1") == "http://proxy.example:3128"


@pytest.mark.parametrize("account", [True, False])
def test_organisation_and_project_are_sent_when_the_environment_sets_them(server, monkeypatch, account):
    script = serve(server, openai_rows)
    for name, value in (("OPENAI_ORG_ID", "org-test"), ("OPENAI_PROJECT_ID", "proj-test")):
        monkeypatch.setenv(name, value) if account else monkeypatch.delenv(name, raising=False)
    backend_for(server).generate(REQUEST)
    headers = script.requests[0]["headers"]
    sent = (headers.get("Openai-Organization"), headers.get("Openai-Project"))
    assert sent == (("org-test", "proj-test") if account else (None, None))


def test_a_redirect_is_one_line_naming_where_and_not_retried(server):
    script = serve(server, Response("", status=307, headers={"Location": "https://elsewhere.example/v1"}))
    with pytest.raises(BackendUnavailable) as caught:
        backend_for(server).generate(REQUEST)
    assert len(script.requests) == 1
    assert "redirects to https://elsewhere.example/v1 (HTTP 307)" in caught.value.one_line()
    assert "--base-url" in caught.value.one_line()


def test_a_server_gone_after_the_first_answer_is_retried_then_reported(server):
    serve(server, openai_rows)
    backend = backend_for(server)
    assert backend.generate(REQUEST).text == row_json(3)
    server.stop()
    with pytest.raises(TransientBackendError, match=r"lost the connection to the server at .*; gave up after 3"):
        backend.generate(REQUEST)
    server.start()  # the fixture stops it again


def test_the_backend_does_not_load_the_openai_sdk(server):
    """The SDK costs about 2 ms of client CPU a request, 5 times urllib3 (bench_http_clients.py): too much for a
    driver with 3-4 ms a row."""
    serve(server, openai_rows)
    code = ("import sys; from syngen.backends.openai_compat import OpenAICompatBackend as B; "
            "from syngen.backends.base import GenerationRequest as R; "
            f"B({{'base_url': {server.url_for('/v1')!r}}}).generate(R([{{'role': 'user', 'content': 'A row.'}}])); "
            "print('openai' in sys.modules)")
    shown = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert shown.returncode == 0, shown.stderr[-500:]
    assert shown.stdout.strip() == "False"
