"""The backend contract.

A backend turns one GenerationRequest (chat messages, optional JSON schema, sampling settings) into one
Generation (text plus token counts). It knows nothing about tables, prompts or validation: the engine
does that. Capabilities are class attributes; options are a pydantic model that rejects unknown keys.
Heavy libraries are imported in `load()`, raising BackendUnavailable with the extra to install. A constructor
does no I/O: what every request needs (a key, a server, a model file) is checked by `preflight()`, which
`load()` runs and which a session runs before a run opens any file.
"""

from __future__ import annotations

import os
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, ClassVar, Protocol

from dotenv import dotenv_values
from pydantic import BaseModel, ConfigDict

from syngen.errors import BackendUnavailable


class AnswerWatch(Protocol):
    # A backend asks `gives_up` after each token whose text holds one of these bytes, and after the token that
    # follows it: a full stop ends a sentence only once the text goes on ("costs 3." may become "3.5").
    triggers: bytes

    def gives_up(self, partial: str) -> bool:
        """True once the answer written so far is sure to be rejected, so the rest need not be written."""


@dataclass(frozen=True)
class Ending:
    """Where a string field of the answer should end: past `target` characters a backend that writes token by
    token favours a sentence end more and more, so the writer ends its sentence before the schema's `bound`
    forces a full stop into the middle of one. A field of phrases (`closes`, a title) favours closing the
    string instead, so it ends on a phrase of its own before the bound cuts one ("Good collagen, mixes"), and
    only after a sentence end or a word in `after` (the words its real texts end on; empty: after anything), so
    the bonus does not close it mid-phrase ("Meh, it's a d"); a field every real value of which ends on `closer`
    (a signature's ")") only right after it."""

    target: int
    bound: int
    closes: bool = False
    after: frozenset[str] = frozenset()
    closer: str = ""


@dataclass
class GenerationRequest:
    messages: list[dict[str, str]]  # [{"role": "system"|"user"|"assistant", "content": ...}]
    json_schema: dict[str, Any] | None = None  # constrain the answer to this schema where supported
    max_tokens: int = 256
    temperature: float = 0.8
    seed: int | None = None
    stop: list[str] = field(default_factory=list)
    # A backend that writes token by token may ask it after each token holding one of its triggers (a closing
    # quote, a sentence end) and stop a doomed answer there (finish_reason "abandoned"); one that gets whole
    # answers ignores it.
    watch: AnswerWatch | None = None
    endings: dict[str, Ending] = field(default_factory=dict)  # string field -> where it should end


@dataclass
class Generation:
    text: str
    tokens_in: int = 0
    tokens_out: int = 0
    finish_reason: str = "stop"  # "stop" | "length" | "error" | "abandoned" (its request's watch gave up)
    tokens_cached: int = 0  # of tokens_in, those the API served from its prompt cache (billed at a discount)
    model: str = ""


@dataclass(frozen=True)
class Retry:
    """A request failed in a way worth retrying, and is sent again after `wait_s` seconds."""

    attempt: int  # the attempt that failed, 1-based
    error: str
    wait_s: float


RetryHandler = Callable[[Retry], None]
FollowUp = Callable[[int, Generation], Sequence[GenerationRequest]]  # (number, answer) -> further requests


class ReadyState(str, Enum):
    READY = "ready"
    EXTRA_MISSING = "extra missing"
    KEY_MISSING = "key missing"
    UNREACHABLE = "server unreachable"
    MODEL_MISSING = "model missing"


@dataclass
class BackendStatus:
    state: ReadyState
    detail: str = ""

    @property
    def ready(self) -> bool:
        return self.state is ReadyState.READY


class BackendOptions(BaseModel):
    """Options every backend accepts; backends subclass this with their own fields."""

    model_config = ConfigDict(extra="forbid", protected_namespaces=())

    model_name: str | None = None
    temperature: float = 0.8
    max_tokens: int = 512
    timeout: float = 120.0


class Backend(ABC):
    name: ClassVar[str]
    description: ClassVar[str] = ""
    extra: ClassVar[str | None] = None  # pip extra that installs what load() imports
    supports_schema: ClassVar[bool] = False
    supports_pattern: ClassVar[bool] = False  # honours a JSON schema string's "pattern" while decoding
    supports_streaming: ClassVar[bool] = False
    max_concurrency: ClassVar[int] = 1  # >1 lets the engine send requests in parallel
    default_concurrency: ClassVar[int] = 1  # parallel requests when the user gives no --concurrency
    needs_key: ClassVar[bool] = False
    key_env_var: ClassVar[str | None] = None
    # Whether a run checks text against the model's stock writing by default (generation/stock.py): the check
    # first asks the model for 40 texts, about 10 s for the embedded model decoding them together, minutes for a
    # transformers model answering one at a time, a paid call each on an API.
    stock_check_default: ClassVar[bool] = False
    Options: ClassVar[type[BackendOptions]] = BackendOptions

    def __init__(self, options: BackendOptions | dict[str, Any] | None = None,
                 on_retry: RetryHandler | None = None) -> None:
        """No I/O here. `on_retry` hears of each retried request (backends that retry call it); a subclass
        that overrides the constructor passes both arguments on."""
        if options is None or isinstance(options, dict):
            options = self.Options(**(options or {}))
        self.options = options
        self.on_retry = on_retry
        self._loaded = False
        self._checked = False

    def preflight(self) -> None:
        """Raise BackendUnavailable for what would make every request fail (no key, no server, no model file),
        without loading a model, so that it costs one line and not a partial output. May use the network. It
        checks once: a server lost after the check fails requests, which are retried like any other fault."""
        if not self._checked:
            self._check()
            self._checked = True

    def _check(self) -> None:  # noqa: B027 - optional hook
        """What `preflight` checks; a backend overrides this."""

    @abstractmethod
    def load(self) -> None:
        """Run `preflight()`, import heavy libraries, load weights or open clients. Idempotent."""

    @abstractmethod
    def generate(self, request: GenerationRequest) -> Generation:
        """Answer one request. Raise TransientBackendError for faults worth retrying."""

    def batch_size(self) -> int:
        """How many requests the engine should hand over at once in `generate_batch`."""
        return 1

    def generate_batch(self, requests: Sequence[GenerationRequest]) -> list[Generation]:
        """Answer several requests, in their order. Backends that decode sequences together (local) or send
        requests in parallel (HTTP) override this; each answer must depend only on its own request (and seed)."""
        return [self.generate(request) for request in requests]

    def generate_all(self, requests: Sequence[GenerationRequest], follow_up: FollowUp) -> list[Generation]:
        """Answer `requests` and the requests their answers lead to (a row's retry): each answer goes to
        `follow_up(number, answer)` once known, and the requests it returns are answered too, numbered on from
        the last request so far, in the order returned. Returns every answer by number. Here: in rounds of
        `generate_batch`; the embedded model starts a follow-up the moment one of its sequences frees up."""
        answers: list[Generation] = []
        todo = list(requests)
        while todo:
            start = len(answers)
            answers += self.generate_batch(todo)
            todo = [request for number in range(start, len(answers)) for request in follow_up(number, answers[number])]
        return answers

    @classmethod
    def status(cls, options: BackendOptions | None = None) -> BackendStatus:
        """Whether this backend can run here, without loading a model. Cheap; used by `syngen models`."""
        return BackendStatus(ReadyState.READY)

    def describe(self) -> dict[str, Any]:
        """What the sidecar records about the model (name, file hash, endpoint...). Never a secret."""
        return {"backend": self.name, "model": self.options.model_name}

    def estimate_cost(self, tokens_in: int, tokens_out: int) -> dict[str, Any] | None:
        """What `tokens_in`/`tokens_out` cost on a paid API (see pricing.py); None where nothing is billed."""
        return None

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release the model or client."""

    @classmethod
    def install_hint(cls) -> str:
        return f"pip install 'syngen[{cls.extra}]'" if cls.extra else "pip install syngen"

    def missing_extra(self, module: str) -> BackendUnavailable:
        return BackendUnavailable(
            f"the {self.name} backend needs the Python package '{module}', which is not installed",
            f"Install it with: {self.install_hint()}",
        )


def lookup_key(explicit: str | None, env_var: str, dotenv_path: str = ".env") -> str | None:
    """An API key from, in order: the explicit value, the environment, a .env file in the working folder.
    The file is read by python-dotenv (comments, quotes, `export`, multi-line values); `${VAR}` is kept as
    written, since a key is a literal."""
    if explicit:
        return explicit
    if os.environ.get(env_var):
        return os.environ[env_var]
    return dotenv_values(dotenv_path, interpolate=False).get(env_var) or None
