"""The OpenAI-compatible backend against a local server answering in OpenAI's documented format, for the
faults a real server cannot be made to show on demand: 429 with Retry-After, 5xx, timeouts, malformed
bodies, refused keys, and servers that reject a structured-output mode."""

from __future__ import annotations

import time

import pytest

from syngen import events
from syngen.backends.base import GenerationRequest, Retry
from syngen.backends.openai_compat import OpenAICompatBackend
from syngen.errors import BackendError, BackendUnavailable, TransientBackendError
from syngen.events import EventBus
from syngen.generation.engine import run_generation
from syngen.generation.session import build_backend
from tests.backends.conftest import FAST_RETRIES, closed_url, demo_config
from tests.backends.fakes import (
    FAKE_KEY,
    Script,
    malformed,
    openai_chat,
    openai_error,
    openai_models,
    openai_rows,
    row_json,
    seeded_row,
    slow,
)
from tests.backends.test_pricing_structured import SCHEMA

REQUEST = GenerationRequest(messages=[{"role": "system", "content": "Write reviews."},
                                      {"role": "user", "content": "One review."}],
                            json_schema=SCHEMA, max_tokens=120, temperature=0.7, seed=3)
# llama-cpp-python's server answers a "json_schema" response_format with this 500.
LLAMA_CPP_REJECTION = ("1 validation error:\n  {'type': 'literal_error', 'loc': ('body', 'response_format', "
                       "'type'), 'msg': \"Input should be 'text' or 'json_object'\"}")


def serve(server, *chat_responses, models=("served-model",)) -> Script:
    script = Script(list(chat_responses))
    server.expect_request("/v1/models").respond_with_response(openai_models(*models))
    server.expect_request("/v1/chat/completions", method="POST").respond_with_handler(script)
    return script


def backend_for(server, **options) -> OpenAICompatBackend:
    return OpenAICompatBackend({"base_url": server.url_for("/v1"), **FAST_RETRIES, **options})


def test_a_request_names_the_served_model_and_the_schema(server):
    script = serve(server, openai_rows)
    answer = backend_for(server).generate(REQUEST)
    assert answer.text == row_json(3) and (answer.tokens_in, answer.tokens_out) == (90, 30)
    body = script.bodies[0]
    assert body["model"] == "served-model"  # no --model-name: the server's own model
    assert body["response_format"] == {"type": "json_schema",
                                       "json_schema": {"name": "row", "strict": True, "schema": SCHEMA}}
    assert (body["seed"], body["max_tokens"], body["temperature"]) == (3, 120, 0.7)
    assert script.requests[0]["headers"]["Authorization"] == "Bearer unused"


def test_the_key_comes_from_the_environment_or_dotenv(server, monkeypatch, tmp_path):
    script = serve(server, openai_rows)
    (tmp_path / ".env").write_text(f"OPENAI_API_KEY='{FAKE_KEY}-dotenv'\n")
    backend_for(server, model_name="chosen").generate(REQUEST)
    monkeypatch.setenv("OPENAI_API_KEY", FAKE_KEY)
    backend_for(server).generate(REQUEST)
    assert [r["headers"]["Authorization"] for r in script.requests] == [f"Bearer {FAKE_KEY}-dotenv",
                                                                       f"Bearer {FAKE_KEY}"]
    assert script.bodies[0]["model"] == "chosen"


def test_429_waits_as_long_as_retry_after_says(server):
    script = serve(server, openai_error(429, "Rate limit reached", "requests", {"Retry-After": "1"}), openai_rows)
    backend = backend_for(server)
    backend.load()
    started = time.monotonic()
    assert backend.generate(REQUEST).text == row_json(3)
    assert script.times[1] - script.times[0] >= 1.0 and time.monotonic() - started < 5
    assert backend.describe()["requests"] == {"sent": 2, "retried": 1, "succeeded": 1}


def test_5xx_is_retried_then_given_up_with_the_count(server):
    script = serve(server, openai_error(503, "The server is overloaded", "server_error"))
    with pytest.raises(TransientBackendError) as caught:
        backend_for(server).generate(REQUEST)
    assert len(script.requests) == 3  # ours only: the SDK's own retries are off
    assert "failed (HTTP 503: The server is overloaded); gave up after 3 attempts" in caught.value.message


def test_a_malformed_body_is_retried(server):
    script = serve(server, malformed(), openai_rows)
    assert backend_for(server).generate(REQUEST).text == row_json(3)
    assert len(script.requests) == 2


def test_a_timeout_is_retried_then_reported(server):
    serve(server, slow(2.0, openai_chat(row_json(0))))
    with pytest.raises(TransientBackendError, match=r"no answer from the server at .* within 0.3 s; gave up after 2"):
        backend_for(server, timeout=0.3, max_attempts=2).generate(REQUEST)


def test_a_refused_key_is_one_line_naming_the_variable_and_not_retried(server, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", FAKE_KEY)
    script = serve(server, openai_error(401, "Incorrect API key provided", "invalid_request_error"))
    with pytest.raises(BackendUnavailable) as caught:
        backend_for(server).generate(REQUEST)
    assert len(script.requests) == 1
    assert "refused the key in OPENAI_API_KEY (HTTP 401)" in caught.value.one_line()
    assert FAKE_KEY not in caught.value.one_line()


def test_an_unknown_model_is_one_line(server):
    serve(server, openai_error(404, "The model 'nope' does not exist", "invalid_request_error"))
    with pytest.raises(BackendUnavailable, match="has no model 'nope'"):
        backend_for(server, model_name="nope").generate(REQUEST)


def test_a_bad_request_is_not_retried(server):
    script = serve(server, openai_error(400, "This model's maximum context length is 2048 tokens", "invalid"))
    with pytest.raises(BackendError) as caught:
        backend_for(server).generate(REQUEST)
    assert not isinstance(caught.value, TransientBackendError) and len(script.requests) == 1


def test_a_rejected_format_moves_to_the_next_mode_once(server):
    def llama_cpp_python(request):
        kind = request.get_json().get("response_format", {}).get("type")
        return openai_error(500, LLAMA_CPP_REJECTION, "internal_server_error") if kind == "json_schema" \
            else openai_rows(request)

    script = serve(server, llama_cpp_python)
    backend = backend_for(server)
    assert backend.generate(REQUEST).text == row_json(3)
    assert backend.generate(REQUEST).text == row_json(3)
    kinds = [(b["response_format"]["type"], "schema" in b["response_format"]) for b in script.bodies]
    # strict json_schema, then json_schema without lengths, then llama.cpp's json_object + schema, kept after.
    assert kinds == [("json_schema", False), ("json_schema", False), ("json_object", True), ("json_object", True)]
    assert "minLength" not in str(script.bodies[1]["response_format"])
    assert backend.describe()["response_format"] == "json_object_schema"
    assert "retried" not in backend.describe()["requests"]  # a rejected mode is not a fault


def test_a_mode_without_schema_asks_in_words(server):
    script = serve(server, openai_rows)
    backend_for(server, response_format="text").generate(REQUEST)
    body = script.bodies[0]
    assert "response_format" not in body
    assert body["messages"][-1]["content"].endswith(
        'Answer with only a JSON object with the keys "title" (a string of 9-26 characters), "text" '
        '(a string of 87-221 characters), and nothing else.')


def test_openai_itself_needs_a_key_before_any_request():
    backend = OpenAICompatBackend({})
    with pytest.raises(BackendUnavailable) as caught:
        backend.load()
    assert "OPENAI_API_KEY is not set" in caught.value.one_line() and "--base-url" in caught.value.one_line()


def test_nothing_listening_is_one_line_from_load_not_the_constructor():
    started = time.monotonic()
    backend = OpenAICompatBackend({"base_url": closed_url("/v1")})
    assert time.monotonic() - started < 0.5  # no network in a constructor
    with pytest.raises(BackendUnavailable, match="nothing answers at http://127.0.0.1:"):
        backend.load()


def test_rpm_spaces_requests(server):
    script = serve(server, openai_rows)
    backend = backend_for(server, rpm=300)  # 0.2 s apart
    backend.load()
    started = time.monotonic()
    for _ in range(3):
        backend.generate(REQUEST)
    assert all(arrival - started >= k * 0.2 for k, arrival in enumerate(script.times))
    assert script.times[2] - started < 0.4 + 1.0  # spaced, not slowed further


def test_retries_reach_the_handler_given_at_construction(server):
    serve(server, openai_error(500, "boom", "server_error"), openai_rows)
    seen: list[Retry] = []
    backend = OpenAICompatBackend({"base_url": server.url_for("/v1"), **FAST_RETRIES}, on_retry=seen.append)
    backend.generate(REQUEST)
    assert [retry.attempt for retry in seen] == [1]
    assert "HTTP 500: boom" in seen[0].error and 0.025 <= seen[0].wait_s <= 0.05


def test_a_session_built_with_a_bus_hears_of_retries(server, tmp_path):
    serve(server, openai_error(500, "boom", "server_error"), openai_rows)
    bus, seen = EventBus(), []
    bus.subscribe(seen.append)
    config = demo_config(tmp_path, "openai", base_url=server.url_for("/v1"), backend_options=FAST_RETRIES)
    build_backend(config, bus).generate(REQUEST)
    assert [(event.name, event.data["attempt"]) for event in seen] == [(events.REQUEST_RETRIED, 1)]
    assert "HTTP 500: boom" in seen[0].data["error"]


def test_a_session_checks_the_server_before_a_run_opens_anything(tmp_path):
    config = demo_config(tmp_path, "openai", base_url=closed_url("/v1"))
    with pytest.raises(BackendUnavailable, match="nothing answers at"):
        build_backend(config)


def test_cached_prompt_tokens_are_read_and_the_sidecar_shows_the_saving(server, tmp_path):
    def cached_rows(request):
        return openai_chat(seeded_row(request.get_json().get("seed")), model="gpt-4o-mini", prompt_tokens=1000,
                           completion_tokens=100, cached_tokens=800)

    serve(server, cached_rows, models=("gpt-4o-mini",))
    answer = backend_for(server).generate(REQUEST)
    assert (answer.tokens_in, answer.tokens_cached) == (1000, 800)
    config = demo_config(tmp_path, "openai", base_url=server.url_for("/v1"), model_name="gpt-4o-mini")
    sidecar = run_generation(config).sidecar
    cost, tokens_in = sidecar["estimated_cost"], sidecar["tokens_in"]
    assert cost["cached_input_tokens"] == tokens_in * 8 // 10
    assert cost["saved_by_cache_usd"] == pytest.approx(tokens_in * 0.8 * (0.15 - 0.075) / 1e6, abs=1e-6)
    assert cost["usd"] == pytest.approx((tokens_in * (0.2 * 0.15 + 0.8 * 0.075) + sidecar["tokens_out"] * 0.6) / 1e6,
                                        abs=1e-6)


def test_an_answer_without_cache_details_has_no_cached_tokens(server):
    serve(server, openai_rows)
    assert backend_for(server).generate(REQUEST).tokens_cached == 0
