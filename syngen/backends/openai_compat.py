"""Any OpenAI-compatible chat endpoint (OpenAI itself, vLLM, llama.cpp's servers, LM Studio), spoken to in
JSON as OpenAI's API reference documents it (jsonwire.py says why not through the `openai` SDK).

Structure comes from `response_format`, in the first mode of structured.AUTO_ORDER the server accepts:
a server that rejects a mode (llama-cpp-python answers a "json_schema" with HTTP 500) moves the backend to
the next one once, for every later request. Retries are ours (http.py).
"""

from __future__ import annotations

import importlib.util
import os
import threading
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from pydantic import Field, field_validator

from syngen.backends.base import (
    BackendOptions,
    BackendStatus,
    Generation,
    GenerationRequest,
    ReadyState,
    RetryHandler,
    lookup_key,
)
from syngen.backends.http import HTTPBackend, PricedOptions, probe_url, retry_after_seconds, short, status_error
from syngen.backends.structured import ENFORCING, FORMATS, next_mode, with_instruction
from syngen.errors import BackendError, BackendUnavailable, TransientBackendError

if TYPE_CHECKING:
    from syngen.backends.jsonwire import Answer, JSONWire

OPENAI_URL = "https://api.openai.com/v1"
DEFAULT_MODEL = "gpt-4o-mini"
NO_KEY = "unused"  # sent when there is no key, as the SDK did; local servers ignore it
# Sent when set in the environment, as the openai SDK sends them.
ACCOUNT_HEADERS = {"OpenAI-Organization": "OPENAI_ORG_ID", "OpenAI-Project": "OPENAI_PROJECT_ID"}
Mode = Literal["auto", "json_schema", "json_schema_portable", "json_object_schema", "json_object", "text"]


# The request fields SynGen sets itself, and where the user sets them instead of in extra_body.
SENT_BY_SYNGEN = {"model": "--model-name", "messages": "the prompt type", "max_tokens": "the max_tokens option",
                  "temperature": "--temperature", "seed": "--seed", "stop": "the prompt type",
                  "response_format": "the response_format option"}


class OpenAICompatOptions(PricedOptions):
    response_format: Mode = "auto"  # auto: the first that the server accepts (see structured.py)
    # Server-specific fields sent with each request, e.g. llama.cpp's {"grammar": ...}, vLLM's {"top_k": 20}.
    extra_body: dict[str, Any] = Field(default_factory=dict)

    @field_validator("extra_body")
    @classmethod
    def _not_sent_by_syngen(cls, value: dict[str, Any]) -> dict[str, Any]:
        taken = [key for key in value if key in SENT_BY_SYNGEN]
        if taken:
            raise ValueError(f"extra_body sets '{taken[0]}', which SynGen sends itself; set it with "
                             f"{SENT_BY_SYNGEN[taken[0]]} instead")
        return value


def resolve_base_url(options: BackendOptions) -> str:
    url = getattr(options, "base_url", None) or os.environ.get("OPENAI_BASE_URL") or OPENAI_URL
    return url.rstrip("/")


class OpenAICompatBackend(HTTPBackend):
    name = "openai"
    description = "an OpenAI-compatible endpoint (--base-url; default OpenAI's API)"
    extra = "openai"
    supports_schema = True  # enforced where the server can; otherwise asked for in words and parsed
    needs_key = True  # for OpenAI's own API; a local server needs none
    key_env_var = "OPENAI_API_KEY"
    Options: ClassVar[type[BackendOptions]] = OpenAICompatOptions

    def __init__(self, options: OpenAICompatOptions | dict[str, Any] | None = None,
                 on_retry: RetryHandler | None = None) -> None:
        super().__init__(options, on_retry)
        auto = self.options.response_format == "auto"
        self._mode = "json_schema" if auto else self.options.response_format
        self._adapt = auto  # only "auto" may change mode when the server rejects one
        self._resolved_model: str | None = None
        self._mode_lock = threading.Lock()

    @property
    def base_url(self) -> str:
        return resolve_base_url(self.options)

    @property
    def remote_openai(self) -> bool:
        return self.base_url == OPENAI_URL

    @property
    def who(self) -> str:
        return "the OpenAI API" if self.remote_openai else f"the server at {self.base_url}"

    @classmethod
    def status(cls, options: BackendOptions | None = None) -> BackendStatus:
        options = options or cls.Options()
        if importlib.util.find_spec("urllib3") is None or importlib.util.find_spec("certifi") is None:
            return BackendStatus(ReadyState.EXTRA_MISSING, cls.install_hint())
        url = resolve_base_url(options)
        if url == OPENAI_URL:
            if not lookup_key(getattr(options, "api_key", None), cls.key_env_var):
                return BackendStatus(ReadyState.KEY_MISSING,
                                     f"set {cls.key_env_var} (environment or .env), or --base-url for a local server")
            return BackendStatus(ReadyState.READY, url)
        if not probe_url(f"{url}/models"):
            return BackendStatus(ReadyState.UNREACHABLE, f"nothing answers at {url}; start the server there")
        return BackendStatus(ReadyState.READY, url)

    def _check(self) -> None:
        self._key = lookup_key(self.options.api_key, self.key_env_var)
        if self._key is None and self.remote_openai:
            raise BackendUnavailable(f"the OpenAI API needs a key and {self.key_env_var} is not set",
                                     f"Set {self.key_env_var} in the environment or a .env file, "
                                     "or pass --base-url for a local server")
        if not self.remote_openai and not probe_url(f"{self.base_url}/models", timeout=5):
            raise BackendUnavailable(f"nothing answers at {self.base_url}",
                                     "Start the server, or pass the right --base-url (it usually ends in /v1)")

    def _connect(self) -> JSONWire:
        try:
            from syngen.backends.jsonwire import JSONWire
        except ImportError as exc:
            raise self.missing_extra("openai") from exc
        headers = {"Authorization": f"Bearer {self._key or NO_KEY}"}
        headers.update({name: os.environ[var] for name, var in ACCOUNT_HEADERS.items() if os.environ.get(var)})
        wire = JSONWire(self.base_url, headers, self.options.timeout, self.batch_size())
        self._resolved_model = self.options.model_name or self._default_model(wire)
        return wire

    def _default_model(self, wire: JSONWire) -> str:
        """OpenAI: gpt-4o-mini. A local server: the model it serves, as its /models lists it."""
        if self.remote_openai:
            return DEFAULT_MODEL
        try:
            answer = wire.get("/models")
            served = [model["id"] for model in answer.json()["data"]] if answer.status == 200 else []
        except Exception:  # noqa: BLE001 - an optional nicety: servers without /models still work
            served = []
        return str(served[0]) if served else DEFAULT_MODEL

    def model(self) -> str:
        return self._resolved_model or self.options.model_name or ("" if not self.remote_openai else DEFAULT_MODEL)

    def _send(self, request: GenerationRequest) -> Generation:
        while True:
            mode = self._mode
            answer = self._client.post("/chat/completions", self._body(request, mode))
            if answer.status < 300:
                return self._generation(answer)
            # A rejected mode is a fact about the server, not a fault: resend at once in the next mode.
            adaptable = self._adapt and request.json_schema is not None and _rejects_format(answer)
            if not (adaptable and self._step_down(mode)):
                raise self._status_error(answer)

    def _step_down(self, failed: str) -> bool:
        """Move past a mode the server rejected; False when no mode is left to try."""
        with self._mode_lock:
            if self._mode != failed:  # another thread already moved on
                return True
            following = next_mode(failed)
            if following is None:
                return False
            self._mode = following
            return True

    def _body(self, request: GenerationRequest, mode: str) -> dict[str, Any]:
        """The request's JSON: SynGen's fields and extra_body's (which may not name SynGen's)."""
        body: dict[str, Any] = {**self.options.extra_body, "model": self.model(), "messages": request.messages,
                                "max_tokens": request.max_tokens, "temperature": request.temperature}
        if request.json_schema is not None:
            if mode not in ENFORCING:
                body["messages"] = with_instruction(request.messages, request.json_schema)
            response_format = FORMATS[mode](request.json_schema)
            if response_format is not None:
                body["response_format"] = response_format
        if request.seed is not None:
            body["seed"] = request.seed
        if request.stop:
            body["stop"] = request.stop
        return body

    def _generation(self, answer: Answer) -> Generation:
        """The first choice of a chat completion; a body of another shape is a fault worth retrying."""
        try:
            data = answer.json()
            if not isinstance(data, dict) or not data.get("choices"):
                raise TransientBackendError(f"{self.who} answered without a choice", "Try again later")
            choice, usage = data["choices"][0], data.get("usage") or {}
            return Generation(
                text=(choice.get("message") or {}).get("content") or "",
                tokens_in=int(usage.get("prompt_tokens") or 0),
                tokens_out=int(usage.get("completion_tokens") or 0),
                tokens_cached=int((usage.get("prompt_tokens_details") or {}).get("cached_tokens") or 0),
                finish_reason=choice.get("finish_reason") or "stop",
                model=data.get("model") or self.model(),
            )
        except (ValueError, AttributeError, TypeError) as exc:  # not JSON, or a field of another type
            raise TransientBackendError(f"{self.who} sent an answer that is not the JSON it documents",
                                        "Check the server's log, or try again later") from exc

    def describe(self) -> dict[str, Any]:
        return {**super().describe(), "base_url": self.base_url, "response_format": self._mode}

    def _translate(self, exc: Exception) -> BackendError | None:
        from urllib3.exceptions import HTTPError, NewConnectionError, TimeoutError

        # A refused connection is a NewConnectionError, which urllib3 makes a kind of timeout.
        if isinstance(exc, TimeoutError) and not isinstance(exc, NewConnectionError):
            return TransientBackendError(f"no answer from {self.who} within {self.options.timeout:g} s",
                                         "Raise the timeout option, or lower --concurrency")
        if isinstance(exc, HTTPError):
            return TransientBackendError(f"lost the connection to {self.who}", "Check that the server is running")
        return None

    def _status_error(self, answer: Answer) -> BackendError:
        status, detail = answer.status, answer.error_detail()
        if status < 400:  # not followed: a POST redirected may arrive as a GET, or not at all
            where = answer.headers.get("location", "another address")
            return BackendUnavailable(f"{self.who} redirects to {where} (HTTP {status})",
                                      "Pass the address it redirects to as --base-url")
        if status in (401, 403):
            where = "" if self.remote_openai else " (or the api_key option)"
            return BackendUnavailable(f"{self.who} refused the key in {self.key_env_var} (HTTP {status})",
                                      f"Set {self.key_env_var}{where} to a valid key")
        if status == 404:
            return BackendUnavailable(f"{self.who} has no model '{self.model()}' (HTTP 404: {short(detail)})",
                                      "Pass --model-name with a model it serves; --base-url usually ends in /v1")
        return status_error(self.who, status, detail, retry_after_seconds(answer.headers))


def _rejects_format(answer: Answer) -> bool:
    """Whether an error answer is about response_format: servers say so with 400, 422 or even 500."""
    if answer.status not in (400, 422, 500):
        return False
    text = answer.error_detail().lower()
    return "response_format" in text or "json_schema" in text or "schema" in text
