"""A model served by Ollama, through the official `ollama` client. The row's JSON schema goes in `format`
(Ollama >= 0.5 constrains the answer to it).

The server and the model are checked when the backend loads, so "not running" and "not pulled" each give
one line naming the command that fixes it; a server lost mid-run is retried like any transient fault.
"""

from __future__ import annotations

import importlib.util
import json
import os
import threading
from typing import Any, ClassVar

from pydantic import ValidationError

from syngen.backends.base import BackendOptions, BackendStatus, Generation, GenerationRequest, ReadyState
from syngen.backends.http import HTTPBackend, HTTPOptions, retry_after_seconds, short, status_error
from syngen.errors import BackendError, BackendUnavailable, TransientBackendError

DEFAULT_HOST = "http://127.0.0.1:11434"
DEFAULT_MODEL = "llama3.2"
_last_headers = threading.local()  # the ollama client drops response headers; a hook keeps Retry-After


class OllamaOptions(HTTPOptions):
    model_name: str | None = DEFAULT_MODEL
    keep_alive: str | None = None  # how long the server keeps the model loaded, e.g. "10m"


def resolve_host(options: BackendOptions) -> str:
    host = getattr(options, "base_url", None) or os.environ.get("OLLAMA_HOST") or DEFAULT_HOST
    if "://" not in host:  # OLLAMA_HOST is often written as host:port
        host = f"http://{host}"
    return host.rstrip("/")


def served_models(host: str, timeout: float = 1.5) -> set[str] | None:
    """Names the server has pulled (from /api/tags), or None when the server does not answer."""
    import urllib.request

    try:
        with urllib.request.urlopen(f"{host}/api/tags", timeout=timeout) as response:
            tags = json.load(response)
    except (OSError, ValueError):
        return None
    return {model.get("name", "") for model in tags.get("models", [])}


def has_model(served: set[str], model: str) -> bool:
    return model in served or (":" not in model and f"{model}:latest" in served)


class OllamaBackend(HTTPBackend):
    name = "ollama"
    description = "a model served by Ollama (OLLAMA_HOST or --base-url; default llama3.2)"
    extra = "ollama"
    supports_schema = True
    Options: ClassVar[type[BackendOptions]] = OllamaOptions

    @property
    def host(self) -> str:
        return resolve_host(self.options)

    @classmethod
    def status(cls, options: BackendOptions | None = None) -> BackendStatus:
        options = options or cls.Options()
        if importlib.util.find_spec("ollama") is None:
            return BackendStatus(ReadyState.EXTRA_MISSING, cls.install_hint())
        host, model = resolve_host(options), options.model_name or DEFAULT_MODEL
        served = served_models(host)
        if served is None:
            return BackendStatus(ReadyState.UNREACHABLE, f"no Ollama server at {host}; start it with: ollama serve")
        if not has_model(served, model):
            return BackendStatus(ReadyState.MODEL_MISSING, f"get it with: ollama pull {model}")
        return BackendStatus(ReadyState.READY, host)

    def _check(self) -> None:
        served = served_models(self.host, timeout=5)
        if served is None:
            raise BackendUnavailable(f"no Ollama server answers at {self.host}",
                                     "Start it with: ollama serve (or set OLLAMA_HOST or --base-url)")
        if not has_model(served, self.model()):
            raise self._model_missing()

    def _connect(self) -> Any:
        try:
            import ollama
        except ImportError as exc:
            raise self.missing_extra("ollama") from exc
        return ollama.Client(host=self.host, timeout=self.options.timeout,
                             event_hooks={"response": [_keep_headers]})

    def _model_missing(self) -> BackendUnavailable:
        return BackendUnavailable(f"the Ollama server at {self.host} has no model '{self.model()}'",
                                  f"Pull it with: ollama pull {self.model()}")

    def _send(self, request: GenerationRequest) -> Generation:
        options: dict[str, Any] = {"temperature": request.temperature, "num_predict": request.max_tokens}
        if request.seed is not None:
            options["seed"] = request.seed
        if request.stop:
            options["stop"] = request.stop
        answer = self._client.chat(model=self.model(), messages=request.messages, format=request.json_schema,
                                   options=options, keep_alive=self.options.keep_alive)
        return Generation(
            text=answer.message.content or "",
            tokens_in=answer.prompt_eval_count or 0,
            tokens_out=answer.eval_count or 0,
            finish_reason=answer.done_reason or "stop",
            model=answer.model or self.model(),
        )

    def _translate(self, exc: Exception) -> BackendError | None:
        import httpx
        import ollama

        who = f"the Ollama server at {self.host}"
        if isinstance(exc, ollama.ResponseError):
            if exc.status_code == 404 and "not found" in str(exc.error).lower():
                return self._model_missing()
            return status_error(who, exc.status_code, str(exc.error), retry_after_seconds(_headers()))
        if isinstance(exc, httpx.TimeoutException):
            return TransientBackendError(f"no answer from {who} within {self.options.timeout:g} s",
                                         "Raise the timeout option, or lower --concurrency")
        if isinstance(exc, ConnectionError | httpx.TransportError):
            return TransientBackendError(f"lost the connection to {who}", "Check that it is running: ollama serve")
        if isinstance(exc, json.JSONDecodeError | ValidationError):
            return TransientBackendError(f"{who} sent an answer that is not the JSON it documents "
                                         f"({short(str(exc), 80)})", "Check the server's log, or try again later")
        return None

    def describe(self) -> dict[str, Any]:
        return {**super().describe(), "host": self.host}


def _keep_headers(response: Any) -> None:
    _last_headers.value = dict(response.headers) if response.status_code >= 400 else None


def _headers() -> dict[str, str] | None:
    return getattr(_last_headers, "value", None)
