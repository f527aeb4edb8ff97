"""Servers that answer in the providers' documented formats, for the backends that cannot run here.

Response bodies follow the shapes in each API's reference (Ollama's /api/chat and /api/tags, Cohere's v2
/chat, OpenAI's /v1/chat/completions); no real key appears anywhere: tests use FAKE_KEY.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from werkzeug import Request, Response

FAKE_KEY = "test-key-not-a-real-secret"

# Distinct enough that the engine's near-duplicate check keeps every one, in the demo data's vocabulary.
REVIEWS = [
    ("Helps me sleep", "I take two capsules of this magnesium before bed and I fall asleep faster. No stomach "
                       "trouble so far and the bottle lasts two months."),
    ("Tastes like chalk", "The chewable vitamin D works but the flavor is chalky and sticks to my teeth. "
                          "I will finish the jar and switch to softgels."),
    ("Good value fish oil", "Large bottle for the price, no fishy burps when taken with dinner. My joints "
                            "feel less stiff after a month of daily use."),
    ("Arrived broken", "The seal on the zinc tablets was torn when the package arrived, so I could not "
                       "trust them. Customer service sent a replacement quickly."),
    ("Energy boost", "This B complex gives me steady energy through the afternoon without the crash I get "
                     "from coffee. Pills are small and easy to swallow."),
    ("Too strong", "The iron supplement upset my stomach every morning even with food. My doctor suggested "
                   "a gentler form so I stopped after a week."),
    ("Kids love them", "My children ask for these gummy multivitamins every day. They taste like berries and "
                       "contain less sugar than the brand we used before."),
    ("No change", "I used the turmeric capsules for six weeks and noticed no difference in my knee pain. "
                  "Maybe it works for others but not for me."),
]


def row_json(index: int) -> str:
    title, text = REVIEWS[index % len(REVIEWS)]
    return json.dumps({"title": title, "text": text})


def seeded_row(seed: int | None) -> str:
    """The row for a request, chosen by its seed, so an answer depends on the request, not on arrival."""
    return row_json(int(seed or 0) % len(REVIEWS))


def json_response(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(json.dumps(body), status=status, headers=headers, content_type="application/json")


def malformed() -> Response:
    return Response('{"model": "x", "message": {"content": "trunc', status=200, content_type="application/json")


def slow(seconds: float, then: Response) -> Callable[[Request], Response]:
    def answer(request: Request) -> Response:
        time.sleep(seconds)
        return then

    return answer


@dataclass
class Script:
    """A request handler: answers with the scripted responses in turn (the last one repeats); a response
    may be a callable of the request. Records each request's JSON body and headers."""

    responses: list[Response | Callable[[Request], Response]]
    requests: list[dict[str, Any]] = field(default_factory=list)
    times: list[float] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __call__(self, request: Request) -> Response:
        with self._lock:
            self.requests.append({"json": request.get_json(silent=True), "headers": dict(request.headers)})
            self.times.append(time.monotonic())
            index = min(len(self.requests) - 1, len(self.responses) - 1)
        response = self.responses[index]
        return response(request) if callable(response) and not isinstance(response, Response) else response

    @property
    def bodies(self) -> list[dict[str, Any]]:
        return [r["json"] for r in self.requests]


# Ollama: /api/tags and a non-streamed /api/chat, as in Ollama's API reference.
def ollama_tags(*names: str) -> Response:
    models = [{"name": name, "model": name, "modified_at": "2024-09-25T10:17:28.146Z", "size": 2019393189,
               "digest": "a80c4f17acd55265feec403c7aef86be0c25983ab279d83f3bcd3abbcb5b8b72",
               "details": {"parent_model": "", "format": "gguf", "family": "llama", "families": ["llama"],
                           "parameter_size": "3.2B", "quantization_level": "Q4_K_M"}} for name in names]
    return json_response({"models": models})


def ollama_chat(content: str, prompt_tokens: int = 120, output_tokens: int = 40) -> Response:
    return json_response({
        "model": "llama3.2", "created_at": "2024-12-06T14:13:43.416799Z",
        "message": {"role": "assistant", "content": content}, "done": True, "done_reason": "stop",
        "total_duration": 5191566416, "load_duration": 2154458, "prompt_eval_count": prompt_tokens,
        "prompt_eval_duration": 383809000, "eval_count": output_tokens, "eval_duration": 4799921000,
    })


def ollama_rows(request: Request) -> Response:
    return ollama_chat(seeded_row(request.get_json()["options"].get("seed")))


# Cohere: the v2 /chat response and error bodies, as in Cohere's API reference.
def cohere_chat(content: str, billed_in: int = 100, billed_out: int = 50, cached: int | None = None) -> Response:
    return json_response({
        "id": "c14c80c3-18eb-4519-9460-6c92edd8cfb4", "finish_reason": "COMPLETE",
        "message": {"role": "assistant", "content": [{"type": "text", "text": content}]},
        "usage": {"billed_units": {"input_tokens": billed_in, "output_tokens": billed_out},
                  "tokens": {"input_tokens": billed_in + 150, "output_tokens": billed_out},
                  **({} if cached is None else {"cached_tokens": cached})},
    })


def cohere_rows(request: Request) -> Response:
    return cohere_chat(seeded_row(request.get_json().get("seed")))


def cohere_error(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    return json_response({"id": "e4a6a0b4-7f2b-4c51-9b2e-1f0c2d3e4f50", "message": message}, status, headers)


# OpenAI: /v1/models and /v1/chat/completions, as in OpenAI's API reference.
def openai_models(*ids: str) -> Response:
    return json_response({"object": "list", "data": [{"id": i, "object": "model", "created": 1686935002,
                                                      "owned_by": "organization-owner"} for i in ids]})


def openai_chat(content: str, model: str = "served-model", prompt_tokens: int = 90,
                completion_tokens: int = 30, cached_tokens: int | None = None) -> Response:
    details = {} if cached_tokens is None else {"prompt_tokens_details": {"cached_tokens": cached_tokens,
                                                                          "audio_tokens": 0}}
    return json_response({
        "id": "chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT", "object": "chat.completion", "created": 1741569952,
        "model": model, "choices": [{"index": 0, "message": {"role": "assistant", "content": content,
                                                             "refusal": None}, "logprobs": None,
                                     "finish_reason": "stop"}],
        "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens,
                  "total_tokens": prompt_tokens + completion_tokens, **details},
    })


def openai_rows(request: Request) -> Response:
    return openai_chat(seeded_row(request.get_json().get("seed")))


def openai_error(status: int, message: str, kind: str, headers: dict[str, str] | None = None) -> Response:
    return json_response({"error": {"message": message, "type": kind, "param": None, "code": None}},
                         status, headers)
