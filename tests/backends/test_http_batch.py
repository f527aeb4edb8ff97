"""HTTP backends answer a batch by sending its requests in parallel (as many as their concurrency), keeping
the rate limit and the retries, and return the answers in request order."""

from __future__ import annotations

import itertools
import json
import time

import pytest

from syngen.backends.base import GenerationRequest
from syngen.backends.openai_compat import OpenAICompatBackend
from syngen.errors import BackendError
from tests.backends.conftest import FAST_RETRIES
from tests.backends.fakes import Script, openai_chat, openai_error, openai_models, openai_rows, seeded_row, slow

DELAY = 0.4


def request(seed: int) -> GenerationRequest:
    return GenerationRequest(messages=[{"role": "user", "content": f"Review {seed}."}], max_tokens=50, seed=seed)


def serve(server, handler) -> Script:
    script = Script([handler])
    server.expect_request("/v1/models").respond_with_response(openai_models("served-model"))
    server.expect_request("/v1/chat/completions", method="POST").respond_with_handler(script)
    return script


def backend_for(server, **options) -> OpenAICompatBackend:
    return OpenAICompatBackend({"base_url": server.url_for("/v1"), **FAST_RETRIES, **options})


def slow_rows(request):
    time.sleep(DELAY)
    return openai_rows(request)


@pytest.mark.parametrize(("concurrency", "expected"), [(None, 4), (2, 2), (500, 64)])
def test_the_batch_size_is_the_concurrency(concurrency, expected):
    options = {"base_url": "http://127.0.0.1:9/v1"} | ({"concurrency": concurrency} if concurrency else {})
    if concurrency and concurrency > 64:
        with pytest.raises(ValueError):
            OpenAICompatBackend(options)
        return
    assert OpenAICompatBackend(options).batch_size() == expected


def test_a_batch_is_sent_in_parallel_and_answered_in_request_order(server):
    serve(server, slow_rows)
    backend = backend_for(server, concurrency=3)
    started = time.monotonic()
    answers = backend.generate_batch([request(seed) for seed in range(6)])
    elapsed = time.monotonic() - started
    assert [answer.text for answer in answers] == [seeded_row(seed) for seed in range(6)]
    assert 2 * DELAY <= elapsed < 6 * DELAY * 0.75  # two waves of three, not six in a row


def test_one_at_a_time_when_the_concurrency_is_one(server):
    script = serve(server, slow(0.1, openai_chat(seeded_row(0))))
    backend = backend_for(server, concurrency=1)
    backend.generate_batch([request(seed) for seed in range(3)])
    gaps = [later - earlier for earlier, later in itertools.pairwise(script.times)]
    assert all(gap >= 0.1 for gap in gaps)


def test_the_rate_limit_holds_across_the_batch(server):
    script = serve(server, openai_rows)
    backend = backend_for(server, concurrency=4, rpm=300)  # 0.2 s apart, whatever the parallelism
    backend.load()
    backend.generate_batch([request(seed) for seed in range(4)])
    arrivals = sorted(script.times)
    assert all(later - earlier >= 0.2 - 0.02 for earlier, later in itertools.pairwise(arrivals))


def test_a_retried_request_keeps_its_place(server):
    failed = set()

    def first_try_of_seed_one_fails(request):
        seed = request.get_json()["seed"]
        if seed == 1 and seed not in failed:
            failed.add(seed)
            return openai_error(500, "boom", "server_error")
        return openai_rows(request)

    serve(server, first_try_of_seed_one_fails)
    backend = backend_for(server, concurrency=3)
    answers = backend.generate_batch([request(seed) for seed in range(3)])
    assert [json.loads(answer.text) for answer in answers] == [json.loads(seeded_row(s)) for s in range(3)]
    assert backend.describe()["requests"]["retried"] == 1


def test_a_request_that_cannot_succeed_fails_the_batch_with_its_error(server):
    def seed_two_is_refused(request):
        if request.get_json()["seed"] == 2:
            return openai_error(400, "bad request", "invalid_request_error")
        return openai_rows(request)

    serve(server, seed_two_is_refused)
    with pytest.raises(BackendError, match="rejected the request .HTTP 400: bad request"):
        backend_for(server, concurrency=3).generate_batch([request(seed) for seed in range(5)])
