"""The Ollama backend against a local server replaying Ollama's documented HTTP API (/api/tags, /api/chat):
whole runs through the engine, the request it sends, and every fault the issue names."""

from __future__ import annotations

import json
import time

import pytest

from syngen import events
from syngen.backends.base import GenerationRequest
from syngen.backends.ollama import OllamaBackend
from syngen.cli.main import main
from syngen.errors import BackendUnavailable, GenerationIncomplete, TransientBackendError
from syngen.events import EventBus
from syngen.generation.engine import run_generation
from tests.backends.conftest import FAST_RETRIES, closed_url, demo_config
from tests.backends.fakes import (
    REVIEWS,
    Script,
    json_response,
    malformed,
    ollama_chat,
    ollama_rows,
    ollama_tags,
    row_json,
    slow,
)
from tests.backends.test_pricing_structured import SCHEMA

REVIEW_TITLES = [title for title, _ in REVIEWS]

REQUEST = GenerationRequest(messages=[{"role": "user", "content": "One review."}], json_schema=SCHEMA,
                            max_tokens=100, temperature=0.6, seed=5)
NOT_PULLED = json_response({"error": 'model "llama3.2" not found, try pulling it first'}, 404)


def serve(server, *chat_responses, tags=("llama3.2:latest",)) -> Script:
    script = Script(list(chat_responses))
    server.expect_request("/api/tags").respond_with_response(ollama_tags(*tags))
    server.expect_request("/api/chat", method="POST").respond_with_handler(script)
    return script


def backend_for(server, **options) -> OllamaBackend:
    return OllamaBackend({"base_url": server.url_for("/").rstrip("/"), **FAST_RETRIES, **options})


def test_a_run_delivers_valid_rows_with_tokens_in_the_sidecar(server, tmp_path):
    script = serve(server, ollama_rows)
    config = demo_config(tmp_path, "ollama", n=3, base_url=server.url_for("/").rstrip("/"), concurrency=3)
    result = run_generation(config)
    assert result.complete and len(result.rows) == 3
    for _, row in result.rows.iterrows():
        served = json.loads(row_json(REVIEW_TITLES.index(row["title"])))["text"]
        assert served.startswith(row["text"])  # as served, or without a last word the row's length limit cut
        assert row["rating"] and row["asin"]  # columns the planner fills, not the model
    calls = len(script.requests)
    assert result.sidecar["tokens_in"] == 120 * calls and result.sidecar["tokens_out"] == 40 * calls
    assert result.sidecar["model"]["backend"] == "ollama" and result.sidecar["model"]["model"] == "llama3.2"
    assert result.sidecar["estimated_cost"] is None  # a local server bills nothing
    body = script.bodies[0]
    assert body["model"] == "llama3.2" and body["stream"] is False
    assert body["format"]["required"] == ["title", "text"] and "maxLength" in body["format"]["properties"]["text"]
    assert set(body["options"]) == {"temperature", "num_predict", "seed"}


def test_the_host_comes_from_ollama_host(server, monkeypatch):
    script = serve(server, ollama_chat(row_json(1)))
    monkeypatch.setenv("OLLAMA_HOST", f"127.0.0.1:{server.port}")  # as Ollama users write it: no scheme
    backend = OllamaBackend(FAST_RETRIES)
    assert backend.generate(REQUEST).text == row_json(1) and len(script.requests) == 1
    assert backend.describe()["host"] == f"http://127.0.0.1:{server.port}"


def test_429_with_retry_after_is_waited_for(server):
    script = serve(server, json_response({"error": "too many requests"}, 429, {"Retry-After": "1"}),
                   ollama_chat(row_json(2)))
    assert backend_for(server).generate(REQUEST).text == row_json(2)
    assert script.times[1] - script.times[0] >= 1.0


def test_500_is_retried_then_given_up(server):
    script = serve(server, json_response({"error": "llama runner process has terminated"}, 500))
    with pytest.raises(TransientBackendError) as caught:
        backend_for(server).generate(REQUEST)
    assert len(script.requests) == 3
    assert caught.value.message.endswith("failed (HTTP 500: llama runner process has terminated); "
                                         "gave up after 3 attempts")


def test_a_timeout_is_retried(server):
    script = serve(server, slow(1.5, ollama_chat(row_json(0))), ollama_chat(row_json(4)))
    started = time.monotonic()
    assert backend_for(server, timeout=0.3).generate(REQUEST).text == row_json(4)
    assert len(script.requests) == 2 and time.monotonic() - started < 1.5


def test_malformed_json_is_retried_then_given_up(server):
    serve(server, malformed())
    with pytest.raises(TransientBackendError, match="not the JSON it documents.*gave up after 3 attempts"):
        backend_for(server).generate(REQUEST)


def test_a_model_not_pulled_names_the_pull_command(server):
    serve(server, ollama_rows, tags=("qwen2.5:latest",))
    with pytest.raises(BackendUnavailable) as caught:
        backend_for(server).generate(REQUEST)
    assert caught.value.one_line() == (f"the Ollama server at http://127.0.0.1:{server.port} has no model "
                                       "'llama3.2'. Pull it with: ollama pull llama3.2.")


def test_a_model_removed_mid_run_names_the_pull_command(server):
    script = serve(server, NOT_PULLED)
    with pytest.raises(BackendUnavailable, match="ollama pull llama3.2"):
        backend_for(server).generate(REQUEST)
    assert len(script.requests) == 1  # not worth retrying


def test_no_server_is_one_line_naming_ollama_serve(tmp_path, capsys):
    config = ["generate", "--data", demo_config(tmp_path, "ollama").data, "--model", "ollama",
              "--base-url", closed_url(), "--num-samples", "2", "--out", str(tmp_path / "o.csv"), "--quiet"]
    assert main(config) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: no Ollama server answers at http://127.0.0.1:")
    assert "Start it with: ollama serve" in err[0]


def test_a_server_lost_mid_run_keeps_the_rows_made(server, tmp_path):
    serve(server, ollama_rows)
    bus = EventBus()

    def stop_at_the_first_row(event):
        if event.name == events.ROW_ACCEPTED and server.is_running():
            server.stop()

    bus.subscribe(stop_at_the_first_row)
    asked = 40  # more than the engine makes at once, so some rows are asked of a server already gone
    config = demo_config(tmp_path, "ollama", n=asked, base_url=server.url_for("/").rstrip("/"), concurrency=1,
                         backend_options=FAST_RETRIES)
    with pytest.raises(GenerationIncomplete) as caught:
        run_generation(config, bus)
    message, delivered = caught.value.one_line(), caught.value.delivered
    assert "lost the connection to the Ollama server" in message and "gave up after 3 attempts" in message
    assert f"{delivered} of {asked} rows passed and were saved in" in message and "ollama serve" in message
    assert 1 <= delivered < asked and caught.value.partial_path.exists()
    assert len(caught.value.partial_path.read_text().strip().splitlines()) == 1 + delivered  # header and rows
