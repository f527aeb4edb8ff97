"""The Cohere backend against a local server replaying Cohere's documented v2 chat API: runs through the
engine with an estimated cost, the request it sends, the key's sources, and every fault the issue names.
The only key anywhere is FAKE_KEY."""

from __future__ import annotations

import json
import time

import pytest

from syngen.backends.base import GenerationRequest
from syngen.backends.cohere import CohereBackend
from syngen.cli.main import main
from syngen.errors import BackendError, BackendUnavailable, TransientBackendError
from syngen.generation.engine import run_generation
from tests.backends.conftest import FAST_RETRIES, demo_config
from tests.backends.fakes import (
    FAKE_KEY,
    Script,
    cohere_chat,
    cohere_error,
    cohere_rows,
    malformed,
    row_json,
    slow,
)
from tests.backends.test_pricing_structured import SCHEMA

REQUEST = GenerationRequest(messages=[{"role": "system", "content": "Write reviews."},
                                      {"role": "user", "content": "One review."}],
                            json_schema=SCHEMA, max_tokens=100, temperature=0.6, seed=5)


def serve(server, *responses) -> Script:
    script = Script(list(responses))
    server.expect_request("/v2/chat", method="POST").respond_with_handler(script)
    return script


def backend_for(server, **options) -> CohereBackend:
    return CohereBackend({"base_url": server.url_for("/").rstrip("/"), "api_key": FAKE_KEY, **FAST_RETRIES,
                          **options})


def test_a_run_delivers_rows_and_an_estimated_cost(server, tmp_path, monkeypatch):
    monkeypatch.setenv("COHERE_API_KEY", FAKE_KEY)
    script = serve(server, cohere_rows)
    config = demo_config(tmp_path, "cohere", n=3, base_url=server.url_for("/").rstrip("/"), concurrency=2)
    result = run_generation(config)
    sidecar, calls = result.sidecar, len(script.requests)
    assert result.complete and len(result.rows) == 3 and calls >= 3
    assert (sidecar["tokens_in"], sidecar["tokens_out"]) == (100 * calls, 50 * calls)  # billed units
    cost = sidecar["estimated_cost"]
    assert cost["usd"] == pytest.approx((100 * calls * 2.50 + 50 * calls * 10.00) / 1e6)  # command-r-plus
    assert cost["prices"].startswith("built-in")
    assert sidecar["model"]["model"] == "command-r-plus"
    assert FAKE_KEY not in json.dumps(sidecar) and FAKE_KEY not in result.output_path.read_text()


def test_the_request_follows_the_v2_api(server):
    script = serve(server, cohere_chat(row_json(2)))
    answer = backend_for(server, model_name="command-r-08-2024").generate(REQUEST)
    assert answer.text == row_json(2) and (answer.tokens_in, answer.tokens_out) == (100, 50)
    assert answer.finish_reason == "stop"
    request = script.requests[0]
    assert request["headers"]["Authorization"] == f"Bearer {FAKE_KEY}"
    body = request["json"]
    assert body["model"] == "command-r-08-2024" and body["messages"] == REQUEST.messages
    assert (body["max_tokens"], body["temperature"], body["seed"], body["stream"]) == (100, 0.6, 5, False)
    schema = body["response_format"]["json_schema"]
    assert body["response_format"]["type"] == "json_object"
    assert schema["required"] == ["title", "text"] and "maxLength" not in json.dumps(schema)


def test_the_key_is_read_from_a_dotenv_file(server, tmp_path):
    script = serve(server, cohere_chat(row_json(1)))
    (tmp_path / ".env").write_text(f"export COHERE_API_KEY={FAKE_KEY}-dotenv\n")
    CohereBackend({"base_url": server.url_for("/").rstrip("/")}).generate(REQUEST)
    assert script.requests[0]["headers"]["Authorization"] == f"Bearer {FAKE_KEY}-dotenv"


def test_a_missing_key_is_one_line_naming_the_variable(tmp_path, capsys):
    data = demo_config(tmp_path, "cohere").data
    assert main(["generate", "--data", data, "--model", "cohere", "--out", str(tmp_path / "o.csv")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["error: the Cohere API needs a key and COHERE_API_KEY is not set. Set COHERE_API_KEY in the "
                   "environment or a .env file (keys: https://dashboard.cohere.com/api-keys)."]
    assert not list(tmp_path.glob("o*"))  # nothing written: the run never started


def test_a_refused_key_is_one_line_and_not_retried(server):
    script = serve(server, cohere_error(401, "invalid api token"))
    with pytest.raises(BackendUnavailable) as caught:
        backend_for(server).generate(REQUEST)
    assert len(script.requests) == 1
    assert caught.value.one_line() == ("the Cohere API refused the key in COHERE_API_KEY (HTTP 401). Set "
                                       "COHERE_API_KEY to a valid key (keys: https://dashboard.cohere.com/api-keys).")


def test_429_waits_for_retry_after(server):
    trial = "You are using a Trial key, which is limited to 10 API calls / minute."
    script = serve(server, cohere_error(429, trial, {"Retry-After": "1"}), cohere_chat(row_json(3)))
    assert backend_for(server).generate(REQUEST).text == row_json(3)
    assert script.times[1] - script.times[0] >= 1.0


def test_429_gives_up_with_the_servers_words(server):
    serve(server, cohere_error(429, "limited to 10 API calls / minute", {"Retry-After": "0"}))
    with pytest.raises(TransientBackendError) as caught:
        backend_for(server).generate(REQUEST)
    assert caught.value.one_line() == ("the Cohere API is rate limiting requests (HTTP 429: limited to 10 API calls "
                                       "/ minute); gave up after 3 attempts. Lower --rpm or --concurrency, or try "
                                       "again later.")


def test_500_then_recovery(server):
    script = serve(server, cohere_error(500, "internal server error"), cohere_chat(row_json(4)))
    backend = backend_for(server)
    assert backend.generate(REQUEST).text == row_json(4)
    assert len(script.requests) == 2 and backend.describe()["requests"]["retried"] == 1


def test_a_timeout_is_retried_then_reported(server):
    serve(server, slow(1.5, cohere_chat(row_json(0))))
    started = time.monotonic()
    with pytest.raises(TransientBackendError, match="no answer from the Cohere API within 0.3 s; gave up after 2"):
        backend_for(server, timeout=0.3, max_attempts=2).generate(REQUEST)
    assert time.monotonic() - started < 1.5


def test_malformed_json_is_retried(server):
    script = serve(server, malformed(), cohere_chat(row_json(5)))
    assert backend_for(server).generate(REQUEST).text == row_json(5)
    assert len(script.requests) == 2


def test_an_unknown_model_is_not_retried(server):
    script = serve(server, cohere_error(404, "model 'command-x' not found, make sure the model name is correct"))
    with pytest.raises(BackendUnavailable, match="has no model 'command-x'"):
        backend_for(server, model_name="command-x").generate(REQUEST)
    assert len(script.requests) == 1


def test_a_rejected_request_is_not_retried(server):
    script = serve(server, cohere_error(400, "invalid request: max_tokens must be at most 4096"))
    with pytest.raises(BackendError, match="rejected the request .HTTP 400: invalid request"):
        backend_for(server).generate(REQUEST)
    assert len(script.requests) == 1


def test_a_price_file_prices_another_model(server, tmp_path):
    prices = tmp_path / "prices.json"
    prices.write_text(json.dumps({"cohere": {"command-a-03-2025": {"input": 1.0, "output": 3.0}}}))
    backend = backend_for(server, model_name="command-a-03-2025", price_file=str(prices))
    assert backend.estimate_cost(2_000, 1_000) == {"usd": 0.005, "input_usd_per_million": 1.0,
                                                   "output_usd_per_million": 3.0, "cached_input_usd_per_million": 1.0,
                                                   "cached_input_tokens": 0, "saved_by_cache_usd": 0.0,
                                                   "prices": str(prices)}


def test_cached_prompt_tokens_are_read_from_the_usage(server):
    serve(server, cohere_chat(row_json(0), billed_in=400, cached=300))
    answer = backend_for(server).generate(REQUEST)
    assert (answer.tokens_in, answer.tokens_cached) == (400, 300)
