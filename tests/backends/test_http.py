"""The shared HTTP machinery: backoff with jitter, Retry-After, the requests-per-minute limiter, retries."""

from __future__ import annotations

import email.utils
import random
import threading
import time

import pytest

from syngen.backends.http import (
    RateLimiter,
    RetryPolicy,
    call_with_retries,
    probe_url,
    retry_after_seconds,
    status_error,
)
from syngen.errors import BackendError, TransientBackendError
from tests.backends.conftest import closed_url


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


@pytest.mark.parametrize(("retry", "step"), [(1, 1.0), (2, 2.0), (3, 4.0), (4, 5.0), (6, 5.0)])
def test_backoff_doubles_is_capped_and_jittered(retry, step):
    policy = RetryPolicy(max_attempts=8, base=1.0, cap=5.0)
    rng = random.Random(7)
    waits = [policy.delay(retry, None, rng) for _ in range(300)]
    assert step / 2 <= min(waits) and max(waits) <= step  # never less than half the step, never over it
    assert max(waits) - min(waits) > 0.4 * step  # spread out, so parallel callers do not retry together


def test_retry_after_is_honoured_instead_of_backoff():
    policy = RetryPolicy(base=0.5)
    waits = [policy.delay(1, 7.0, random.Random(i)) for i in range(50)]
    assert all(7.0 <= w <= 7.5 for w in waits)


def test_retry_after_header_forms():
    assert retry_after_seconds({"Retry-After": "3"}) == 3.0
    assert retry_after_seconds({"retry-after-ms": "1500", "retry-after": "9"}) == 1.5
    assert retry_after_seconds({"retry-after": "-4"}) == 0.0
    assert retry_after_seconds({"retry-after": "soon"}) is None
    assert retry_after_seconds({}) is None and retry_after_seconds(None) is None
    date = email.utils.formatdate(1_000_030, usegmt=True)
    assert retry_after_seconds({"Retry-After": date}, now=1_000_000) == pytest.approx(30.0)


def test_limiter_spaces_calls_evenly():
    clock = FakeClock()
    limiter = RateLimiter(rpm=120, clock=clock, sleep=clock.sleep)  # one call every 0.5 s
    waits = [limiter.wait() for _ in range(4)]
    assert waits == [0.0, 0.5, 0.5, 0.5]
    clock.now += 10  # an idle spell earns no burst: the next call goes at once, the one after waits again
    assert [limiter.wait(), limiter.wait()] == [0.0, 0.5]


def test_limiter_without_rpm_never_waits_but_holds():
    clock = FakeClock()
    limiter = RateLimiter(rpm=None, clock=clock, sleep=clock.sleep)
    assert [limiter.wait() for _ in range(3)] == [0.0, 0.0, 0.0]
    limiter.hold(12.0)
    assert limiter.wait() == 12.0 and limiter.wait() == 0.0


def test_limiter_is_shared_by_threads():
    limiter = RateLimiter(rpm=1200)  # 0.05 s apart
    stamps: list[float] = []
    lock = threading.Lock()

    def caller() -> None:
        for _ in range(3):
            limiter.wait()
            with lock:
                stamps.append(time.monotonic())

    threads = [threading.Thread(target=caller) for _ in range(4)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    stamps.sort()
    # A call may wake late on a busy machine, never early: the k-th call is at least k intervals in.
    assert len(stamps) == 12
    assert all(stamp - started >= k * 0.05 - 0.002 for k, stamp in enumerate(stamps))


def run_script(outcomes: list, policy: RetryPolicy, limiter: RateLimiter | None = None):
    """call_with_retries over scripted outcomes (an exception is raised, a value returned)."""
    calls, retries, slept = [], [], []

    def call():
        calls.append(1)
        outcome = outcomes[min(len(calls), len(outcomes)) - 1]
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    result = call_with_retries(call, policy, limiter or RateLimiter(None), lambda *a: retries.append(a),
                               sleep=slept.append, rng=random.Random(1))
    return result, calls, retries, slept


def test_transient_faults_are_retried_until_success():
    fault = TransientBackendError("server failed (HTTP 503)", "try later")
    result, calls, retries, slept = run_script([fault, fault, "ok"], RetryPolicy(max_attempts=5, base=1.0))
    assert result == "ok" and len(calls) == 3
    assert [attempt for attempt, _, _ in retries] == [1, 2]
    assert 0.5 <= slept[0] <= 1.0 and 1.0 <= slept[1] <= 2.0


def test_gives_up_after_the_attempt_budget_saying_so():
    fault = TransientBackendError("the server failed (HTTP 500)", "Check the server")
    with pytest.raises(TransientBackendError) as caught:
        run_script([fault], RetryPolicy(max_attempts=3, base=0.01))
    assert caught.value.message == "the server failed (HTTP 500); gave up after 3 attempts"
    assert caught.value.hint == "Check the server"


def test_a_permanent_error_is_not_retried():
    with pytest.raises(BackendError) as caught:
        run_script([BackendError("the key was refused")], RetryPolicy(max_attempts=5))
    assert not isinstance(caught.value, TransientBackendError)


def test_a_retry_after_beyond_the_limit_gives_up_at_once():
    fault = TransientBackendError("rate limited (HTTP 429)", retry_after=3600)
    with pytest.raises(TransientBackendError, match="gave up after 1 attempt .the server asked to wait 3600 s"):
        run_script([fault, "ok"], RetryPolicy(max_attempts=5, max_retry_after=120))


def test_a_429_pauses_every_caller_of_the_limiter():
    clock = FakeClock()
    limiter = RateLimiter(None, clock=clock, sleep=clock.sleep)
    fault = TransientBackendError("rate limited (HTTP 429)", retry_after=4.0)
    result, calls, _, slept = run_script([fault, "ok"], RetryPolicy(max_attempts=3, base=0.01), limiter)
    assert result == "ok" and 4.0 <= slept[0] <= 4.01
    # The limiter holds every other thread until the server's wait is over.
    assert clock.slept and clock.slept[0] == pytest.approx(4.0)


@pytest.mark.parametrize(("status", "transient"), [(429, True), (408, True), (500, True), (503, True),
                                                   (529, True), (400, False), (404, False), (422, False)])
def test_which_statuses_are_retried(status, transient):
    error = status_error("the server", status, "  some\n detail ", retry_after=2.0 if status == 429 else None)
    assert isinstance(error, TransientBackendError) is transient
    assert f"HTTP {status}: some detail" in error.message and error.hint
    if status == 429:
        assert error.retry_after == 2.0 and "--rpm" in error.hint


def test_probe_url_counts_any_answer(server):
    server.expect_request("/v1/models").respond_with_data("no", status=404)
    assert probe_url(server.url_for("/v1/models"))
    assert not probe_url(closed_url("/v1/models"), timeout=0.5)
