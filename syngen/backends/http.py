"""What every HTTP backend shares: a requests-per-minute limiter, retries with exponential backoff and
jitter that honour Retry-After, request counters, and a cheap reachability probe.

A backend subclasses HTTPBackend and implements three methods: `_connect()` (make the SDK client),
`_send(request)` (one call, no retry) and `_translate(exc)` (an SDK exception -> TransientBackendError for
faults worth retrying, BackendError for the rest, None for a bug that must surface as is). Retrying lives
here, inside the backend, because a BackendError escaping `generate` stops the engine's run.
"""

from __future__ import annotations

import email.utils
import logging
import random
import threading
import time
import urllib.error
import urllib.request
from abc import abstractmethod
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass
from typing import Any, ClassVar, TypeVar

from pydantic import Field

from syngen.backends.base import Backend, BackendOptions, Generation, GenerationRequest, Retry, RetryHandler
from syngen.backends.pricing import PriceTable
from syngen.errors import BackendError, TransientBackendError

log = logging.getLogger(__name__)
T = TypeVar("T")
# Worth retrying: timeouts, conflicts, rate limits, and every server-side failure (529 is "overloaded").
RETRY_STATUSES = frozenset({408, 409, 425, 429})


class HTTPOptions(BackendOptions):
    base_url: str | None = None
    concurrency: int | None = Field(None, ge=1, le=64)  # requests in flight; None: the backend's default
    rpm: float | None = Field(None, gt=0)  # at most this many requests a minute, retries included
    max_attempts: int = Field(6, ge=1, le=50)  # tries per request before giving up
    backoff_base: float = Field(1.0, gt=0)  # seconds; the n-th retry waits about base * 2**(n-1)
    backoff_max: float = Field(30.0, gt=0)  # no single backoff wait is longer than this
    max_retry_after: float = Field(120.0, ge=0)  # a Retry-After longer than this gives up at once


class PricedOptions(HTTPOptions):
    """Options of a paid API: a key, and prices for the cost estimate."""

    api_key: str | None = None  # else the backend's key variable, from the environment or .env
    price_file: str | None = None  # JSON prices overriding the built-in table (see pricing.py)


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 6
    base: float = 1.0
    cap: float = 30.0
    max_retry_after: float = 120.0

    def delay(self, retry: int, retry_after: float | None, rng: random.Random) -> float:
        """Seconds before retry number `retry` (1-based). "Equal jitter": half the exponential step is
        fixed, half random, so concurrent callers spread out but none retries at once."""
        if retry_after is not None:
            return retry_after + rng.uniform(0, min(1.0, self.base))
        step = min(self.cap, self.base * 2 ** (retry - 1))
        return step / 2 + rng.uniform(0, step / 2)


class RateLimiter:
    """At most `rpm` calls a minute, evenly spaced, across threads. `hold(s)` pauses every caller, as a
    429's Retry-After asks of the whole client, not only of the request that got it."""

    def __init__(self, rpm: float | None, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.interval = 60.0 / rpm if rpm else 0.0
        self._clock, self._sleep = clock, sleep
        self._next = 0.0
        self._lock = threading.Lock()

    def wait(self) -> float:
        """Block until this caller may send; returns the seconds waited."""
        with self._lock:  # reserve a slot under the lock, sleep outside it so others can queue behind
            now = self._clock()
            slot = max(now, self._next)
            self._next = slot + self.interval
        if slot > now:
            self._sleep(slot - now)
        return slot - now

    def hold(self, seconds: float) -> None:
        with self._lock:
            self._next = max(self._next, self._clock() + seconds)


def retry_after_seconds(headers: Mapping[str, str] | None, now: float | None = None) -> float | None:
    """The wait a response asks for: `retry-after-ms`, or `retry-after` in seconds or as an HTTP date."""
    lowered = {k.lower(): v for k, v in (headers or {}).items()}
    if "retry-after-ms" in lowered:
        seconds = _number(lowered["retry-after-ms"])
        if seconds is not None:
            return max(0.0, seconds / 1000)
    value = lowered.get("retry-after")
    if value is None:
        return None
    seconds = _number(value)
    if seconds is not None:
        return max(0.0, seconds)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def status_error(who: str, status: int, detail: str = "", retry_after: float | None = None) -> BackendError:
    """The error for an HTTP status that no backend-specific rule took: 429, 408 and 5xx are retried."""
    said = f"HTTP {status}" + (f": {short(detail)}" if detail else "")
    if status == 429:
        return TransientBackendError(f"{who} is rate limiting requests ({said})",
                                     "Lower --rpm or --concurrency, or try again later", retry_after)
    if status in RETRY_STATUSES or status >= 500:
        return TransientBackendError(f"{who} failed ({said})", "Check the server's log, or try again later",
                                     retry_after)
    return BackendError(f"{who} rejected the request ({said})", "Check --model-name and the backend's options")


def short(text: str, limit: int = 200) -> str:
    """One line of at most `limit` characters, for an error message built from a server's answer."""
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def call_with_retries(call: Callable[[], T], policy: RetryPolicy, limiter: RateLimiter,
                      on_retry: Callable[[int, TransientBackendError, float], None] | None = None,
                      sleep: Callable[[float], None] = time.sleep, rng: random.Random | None = None) -> T:
    """Run `call` (after the limiter lets it) until it succeeds, raises a non-transient error, or has
    failed `policy.max_attempts` times; then raise the last error, saying how many attempts were made."""
    rng = rng or random.Random()
    for attempt in range(1, policy.max_attempts + 1):
        limiter.wait()
        try:
            return call()
        except TransientBackendError as exc:
            wait = exc.retry_after
            if wait is not None and wait > policy.max_retry_after:
                raise _gave_up(exc, attempt, f"the server asked to wait {wait:.0f} s") from exc
            if attempt == policy.max_attempts:
                raise _gave_up(exc, attempt) from exc
            if wait is not None:
                limiter.hold(wait)
            delay = policy.delay(attempt, wait, rng)
            if on_retry:
                on_retry(attempt, exc, delay)
            sleep(delay)
    raise AssertionError("unreachable: the loop returns or raises")


def _gave_up(exc: TransientBackendError, attempts: int, why: str = "") -> TransientBackendError:
    tries = f"{attempts} attempt{'s' if attempts != 1 else ''}"
    reason = f"gave up after {tries}" + (f" ({why})" if why else "")
    return TransientBackendError(f"{exc.message}; {reason}", exc.hint, exc.retry_after)


def probe_url(url: str, timeout: float = 1.5) -> bool:
    """Whether anything answers HTTP at `url`. Any status counts (a 401 or 404 still means a server).
    A new opener each time: urlopen's shared one keeps the proxy settings of its first call."""
    try:
        with urllib.request.build_opener().open(urllib.request.Request(url, method="GET"), timeout=timeout):
            return True
    except urllib.error.HTTPError:
        return True
    except (OSError, ValueError):
        return False


class HTTPBackend(Backend):
    """A backend that talks to a server: requests may run in parallel, and are limited and retried."""

    max_concurrency = 64  # the engine uses min(--concurrency, this); the server is the real limit
    default_concurrency = 4  # remote latency dominates: a few requests in flight pay off without flooding a server
    Options: ClassVar[type[BackendOptions]] = HTTPOptions

    def __init__(self, options: BackendOptions | dict[str, Any] | None = None,
                 on_retry: RetryHandler | None = None) -> None:
        super().__init__(options, on_retry)
        opts = self.options
        self.policy = RetryPolicy(opts.max_attempts, opts.backoff_base, opts.backoff_max, opts.max_retry_after)
        self.limiter = RateLimiter(opts.rpm)
        self.counters: Counter[str] = Counter()
        self.prompt_tokens: Counter[str] = Counter()  # "all" and "cached", over every answer this backend got
        self._client: Any = None
        self._pool: ThreadPoolExecutor | None = None  # kept across batches: starting threads per batch costs
        self._lock = threading.Lock()
        # Read now (a local file, no network), so a bad price file stops the run before any request.
        self.prices = PriceTable(self.name, opts.price_file) if isinstance(opts, PricedOptions) else None

    def load(self) -> None:
        with self._lock:
            if self._client is None:
                self.preflight()
                self._client = self._connect()

    def generate(self, request: GenerationRequest) -> Generation:
        self.load()
        try:
            generation = call_with_retries(lambda: self._attempt(request), self.policy, self.limiter,
                                           self._retried)
        except BackendError:
            self._count("failed")
            raise
        self._count("succeeded")
        with self._lock:
            self.prompt_tokens.update(all=generation.tokens_in, cached=generation.tokens_cached)
        return generation

    def batch_size(self) -> int:
        """Requests in flight at once: the concurrency option, else the default, at most max_concurrency."""
        return max(1, min(self.options.concurrency or self.default_concurrency, self.max_concurrency))

    def generate_batch(self, requests: Sequence[GenerationRequest]) -> list[Generation]:
        """Send the requests in parallel, `batch_size()` at a time, each limited and retried on its own; the
        answers come back in request order. The first failure, in request order, is raised once every
        request already sent has finished (those not yet sent are dropped)."""
        workers = min(self.batch_size(), len(requests))
        if workers <= 1:
            return [self.generate(request) for request in requests]
        self.load()  # once, before the threads: a missing key is one error, not one per request
        futures = [self._threads().submit(self.generate, request) for request in requests]
        try:
            return [future.result() for future in futures]
        finally:
            for future in futures:
                future.cancel()
            wait(futures)  # every request already sent has finished when this returns, as documented

    def _threads(self) -> ThreadPoolExecutor:
        with self._lock:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(max_workers=self.batch_size(), thread_name_prefix=f"syngen-{self.name}")
            return self._pool

    def _attempt(self, request: GenerationRequest) -> Generation:
        self._count("sent")
        try:
            return self._send(request)
        except BackendError:
            raise
        except Exception as exc:
            translated = self._translate(exc)
            if translated is None:
                raise
            raise translated from exc

    def _retried(self, attempt: int, error: TransientBackendError, wait: float) -> None:
        self._count("retried")
        log.info("%s: attempt %d failed (%s); retrying in %.1f s", self.name, attempt, error.message, wait)
        if self.on_retry is not None:
            self.on_retry(Retry(attempt, error.message, round(wait, 2)))

    def _count(self, what: str) -> None:
        with self._lock:
            self.counters[what] += 1

    def model(self) -> str:
        """The model the requests name (a backend may resolve a default from its server)."""
        return self.options.model_name or ""

    def describe(self) -> dict[str, Any]:
        return {"backend": self.name, "model": self.model(), "requests": dict(self.counters)}

    def estimate_cost(self, tokens_in: int, tokens_out: int) -> dict[str, Any] | None:
        """The run's cost, its prompt tokens served from the API's cache in the share this backend saw (the
        same requests, unless a resumed run's earlier ones were made by another process)."""
        if self.prices is None:
            return None
        seen = self.prompt_tokens["all"]
        cached = round(tokens_in * self.prompt_tokens["cached"] / seen) if seen else 0
        return self.prices.estimate(self.model(), tokens_in, tokens_out, cached)

    def close(self) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
        client, self._client = self._client, None
        closer = getattr(client, "close", None)
        if callable(closer):
            closer()

    @abstractmethod
    def _connect(self) -> Any:
        """Build the SDK client (heavy import here, raising `self.missing_extra(...)`)."""

    @abstractmethod
    def _send(self, request: GenerationRequest) -> Generation:
        """One request, no retry."""

    @abstractmethod
    def _translate(self, exc: Exception) -> BackendError | None:
        """An SDK or transport exception as a SynGen error; None lets an unexpected one surface."""
