"""Cohere's chat API (v2) through the official `cohere` SDK. The key is COHERE_API_KEY (or the SDK's own
CO_API_KEY), read from the environment or a .env file; the schema goes in `response_format` as a JSON
object schema, without string-length keywords (outside the subset Cohere documents; the prompt states the
lengths). Retries are ours (http.py), so the SDK's are turned off.
"""

from __future__ import annotations

import importlib.util
from typing import Any, ClassVar

from syngen.backends.base import BackendOptions, BackendStatus, Generation, GenerationRequest, ReadyState, lookup_key
from syngen.backends.http import HTTPBackend, PricedOptions, retry_after_seconds, short, status_error
from syngen.backends.structured import portable_schema
from syngen.errors import BackendError, BackendUnavailable, TransientBackendError

DEFAULT_MODEL = "command-r-plus"
KEY_PAGE = "https://dashboard.cohere.com/api-keys"
SDK_KEY_ENV = "CO_API_KEY"
FINISH = {"COMPLETE": "stop", "STOP_SEQUENCE": "stop", "MAX_TOKENS": "length"}


class CohereOptions(PricedOptions):
    model_name: str | None = DEFAULT_MODEL


class CohereBackend(HTTPBackend):
    name = "cohere"
    description = "Cohere's chat API (COHERE_API_KEY; default command-r-plus)"
    extra = "cohere"
    supports_schema = True
    needs_key = True
    key_env_var = "COHERE_API_KEY"
    Options: ClassVar[type[BackendOptions]] = CohereOptions

    def _check(self) -> None:
        self._key = self.find_key(self.options)
        if not self._key:
            raise BackendUnavailable(f"the Cohere API needs a key and {self.key_env_var} is not set",
                                     f"Set {self.key_env_var} in the environment or a .env file (keys: {KEY_PAGE})")

    @classmethod
    def find_key(cls, options: BackendOptions) -> str | None:
        return lookup_key(getattr(options, "api_key", None), cls.key_env_var) or lookup_key(None, SDK_KEY_ENV)

    @classmethod
    def status(cls, options: BackendOptions | None = None) -> BackendStatus:
        options = options or cls.Options()
        if importlib.util.find_spec("cohere") is None:
            return BackendStatus(ReadyState.EXTRA_MISSING, cls.install_hint())
        if not cls.find_key(options):
            return BackendStatus(ReadyState.KEY_MISSING, f"set {cls.key_env_var} (environment or .env)")
        return BackendStatus(ReadyState.READY, options.base_url or "api.cohere.com")

    def _connect(self) -> Any:
        try:
            import cohere
        except ImportError as exc:
            raise self.missing_extra("cohere") from exc
        kwargs: dict[str, Any] = {"base_url": self.options.base_url} if self.options.base_url else {}
        return cohere.ClientV2(api_key=self._key, timeout=self.options.timeout,
                               log_warning_experimental_features=False, **kwargs)

    def _send(self, request: GenerationRequest) -> Generation:
        kwargs: dict[str, Any] = {}
        if request.json_schema is not None:
            kwargs["response_format"] = {"type": "json_object", "json_schema": portable_schema(request.json_schema)}
        if request.seed is not None:
            kwargs["seed"] = request.seed
        if request.stop:
            kwargs["stop_sequences"] = request.stop
        # Per request, not on the client: older SDKs (5.x) have no client-wide max_retries.
        answer = self._client.chat(model=self.model(), messages=request.messages, max_tokens=request.max_tokens,
                                   temperature=request.temperature, request_options={"max_retries": 0}, **kwargs)
        return self._generation(answer)

    def _generation(self, answer: Any) -> Generation:
        texts = [part.text for part in (answer.message.content or []) if getattr(part, "text", None)]
        usage = answer.usage
        # Billed units are what the price applies to; `tokens` adds Cohere's own prompt template.
        counted = (usage.billed_units or usage.tokens) if usage else None
        return Generation(
            text="".join(texts),
            tokens_in=int(getattr(counted, "input_tokens", 0) or 0),
            tokens_out=int(getattr(counted, "output_tokens", 0) or 0),
            tokens_cached=int(getattr(usage, "cached_tokens", 0) or 0),  # "prompt tokens that hit the cache"
            finish_reason=FINISH.get(str(answer.finish_reason), str(answer.finish_reason).lower()),
            model=self.model(),
        )

    def _translate(self, exc: Exception) -> BackendError | None:
        import httpx
        from cohere.core.api_error import ApiError

        who = "the Cohere API"
        if isinstance(exc, ApiError):
            return self._api_error(exc, who)
        if isinstance(exc, httpx.TimeoutException):
            return TransientBackendError(f"no answer from {who} within {self.options.timeout:g} s",
                                         "Raise the timeout option, or lower --concurrency")
        if isinstance(exc, httpx.TransportError):
            return TransientBackendError(f"lost the connection to {who}", "Check the network, or try again later")
        return None

    def _api_error(self, exc: Any, who: str) -> BackendError:
        status, detail = exc.status_code or 0, _detail(exc.body)
        if 200 <= status < 300:  # the SDK's wrapper for a 2xx answer whose body it could not read
            return TransientBackendError(f"{who} sent an answer that is not the JSON it documents",
                                         "Try again later")
        if status in (401, 403, 498):
            return BackendUnavailable(f"{who} refused the key in {self.key_env_var} (HTTP {status})",
                                      f"Set {self.key_env_var} to a valid key (keys: {KEY_PAGE})")
        if status == 404:
            return BackendUnavailable(f"{who} has no model '{self.model()}' (HTTP 404: {short(detail)})",
                                      "Pass --model-name with a Cohere chat model, e.g. command-r-plus")
        return status_error(who, status, detail, retry_after_seconds(exc.headers))

    def describe(self) -> dict[str, Any]:
        return {**super().describe(), "base_url": self.options.base_url or "https://api.cohere.com"}


def _detail(body: Any) -> str:
    if isinstance(body, dict):
        return str(body.get("message") or body)
    return str(body or "")
