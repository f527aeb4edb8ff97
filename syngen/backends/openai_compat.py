"""Any OpenAI-compatible chat endpoint (OpenAI itself, vLLM, llama.cpp's servers, LM Studio) through the
official `openai` SDK.

Structure comes from `response_format`, in the first mode of structured.AUTO_ORDER the server accepts:
a server that rejects a mode (llama-cpp-python answers a "json_schema" with HTTP 500) moves the backend to
the next one once, for every later request. Retries are ours (http.py), so the SDK's are turned off.
"""

from __future__ import annotations

import importlib.util
import json
import os
import threading
from typing import Any, ClassVar, Literal

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

OPENAI_URL = "https://api.openai.com/v1"
DEFAULT_MODEL = "gpt-4o-mini"
NO_KEY = "unused"  # the SDK insists on a key; local servers ignore it
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
        if importlib.util.find_spec("openai") is None:
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

    def _connect(self) -> Any:
        try:
            import openai
        except ImportError as exc:
            raise self.missing_extra("openai") from exc
        client = openai.OpenAI(api_key=self._key or NO_KEY, base_url=self.base_url, max_retries=0,
                               timeout=self.options.timeout)
        self._resolved_model = self.options.model_name or self._default_model(client)
        return client

    def _default_model(self, client: Any) -> str:
        """OpenAI: gpt-4o-mini. A local server: the model it serves, as its /models lists it."""
        if self.remote_openai:
            return DEFAULT_MODEL
        try:
            served = [model.id for model in client.models.list().data]
        except Exception:  # noqa: BLE001 - an optional nicety: servers without /models still work
            served = []
        return served[0] if served else DEFAULT_MODEL

    def model(self) -> str:
        return self._resolved_model or self.options.model_name or ("" if not self.remote_openai else DEFAULT_MODEL)

    def _send(self, request: GenerationRequest) -> Generation:
        import openai

        while True:
            mode = self._mode
            try:
                return self._complete(request, mode)
            except openai.APIStatusError as exc:
                # A rejected mode is a fact about the server, not a fault: resend at once in the next mode.
                adaptable = self._adapt and request.json_schema is not None and _rejects_format(exc)
                if not (adaptable and self._step_down(mode)):
                    raise

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

    def _complete(self, request: GenerationRequest, mode: str) -> Generation:
        messages = request.messages
        kwargs: dict[str, Any] = {}
        if request.json_schema is not None:
            if mode not in ENFORCING:
                messages = with_instruction(messages, request.json_schema)
            response_format = FORMATS[mode](request.json_schema)
            if response_format is not None:
                kwargs["response_format"] = response_format
        if request.seed is not None:
            kwargs["seed"] = request.seed
        if request.stop:
            kwargs["stop"] = request.stop
        if self.options.extra_body:
            kwargs["extra_body"] = self.options.extra_body  # the SDK merges it into the request's JSON
        answer = self._client.chat.completions.create(
            model=self.model(), messages=messages, max_tokens=request.max_tokens,
            temperature=request.temperature, **kwargs)
        return self._generation(answer)

    def _generation(self, answer: Any) -> Generation:
        if not getattr(answer, "choices", None):
            raise TransientBackendError(f"{self.who} answered without a choice", "Try again later")
        choice, usage = answer.choices[0], answer.usage
        return Generation(
            text=choice.message.content or "",
            tokens_in=int(getattr(usage, "prompt_tokens", 0) or 0),
            tokens_out=int(getattr(usage, "completion_tokens", 0) or 0),
            tokens_cached=int(getattr(getattr(usage, "prompt_tokens_details", None), "cached_tokens", 0) or 0),
            finish_reason=choice.finish_reason or "stop",
            model=answer.model or self.model(),
        )

    def describe(self) -> dict[str, Any]:
        return {**super().describe(), "base_url": self.base_url, "response_format": self._mode}

    def _translate(self, exc: Exception) -> BackendError | None:
        import openai

        if isinstance(exc, openai.APITimeoutError):
            return TransientBackendError(f"no answer from {self.who} within {self.options.timeout:g} s",
                                         "Raise the timeout option, or lower --concurrency")
        if isinstance(exc, openai.APIConnectionError):
            return TransientBackendError(f"lost the connection to {self.who}", "Check that the server is running")
        if isinstance(exc, openai.APIStatusError):
            return self._status_error(exc)
        if isinstance(exc, openai.APIResponseValidationError | json.JSONDecodeError):
            return TransientBackendError(f"{self.who} sent an answer that is not the JSON it documents",
                                         "Check the server's log, or try again later")
        return None

    def _status_error(self, exc: Any) -> BackendError:
        status, detail = exc.status_code, _detail(exc)
        if status in (401, 403):
            where = "" if self.remote_openai else " (or the api_key option)"
            return BackendUnavailable(f"{self.who} refused the key in {self.key_env_var} (HTTP {status})",
                                      f"Set {self.key_env_var}{where} to a valid key")
        if status == 404:
            return BackendUnavailable(f"{self.who} has no model '{self.model()}' (HTTP 404: {short(detail)})",
                                      "Pass --model-name with a model it serves; --base-url usually ends in /v1")
        return status_error(self.who, status, detail, retry_after_seconds(exc.response.headers))


def _detail(exc: Any) -> str:
    body = getattr(exc, "body", None)
    if isinstance(body, dict):
        error = body.get("error", body)
        return str(error.get("message", error)) if isinstance(error, dict) else str(error)
    return str(body or getattr(exc, "message", "") or "")


def _rejects_format(exc: Any) -> bool:
    """Whether an error answer is about response_format: servers say so with 400, 422 or even 500."""
    if exc.status_code not in (400, 422, 500):
        return False
    text = _detail(exc).lower()
    return "response_format" in text or "json_schema" in text or "schema" in text
