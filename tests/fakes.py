"""A scripted backend for engine rules that a real model cannot trigger on demand (simonw/llm's pattern):
a queue of canned answers and a history of the requests it was sent."""

from __future__ import annotations

import json
from collections.abc import Callable

from syngen.backends.base import Backend, Generation, GenerationRequest


class ScriptedBackend(Backend):
    name = "scripted"
    supports_schema = True

    def __init__(self, answers: list[str] | Callable[[GenerationRequest, int], str]) -> None:
        super().__init__()
        self.answers = answers
        self.requests: list[GenerationRequest] = []

    def load(self) -> None:
        self._loaded = True

    def generate(self, request: GenerationRequest) -> Generation:
        self.requests.append(request)
        index = len(self.requests) - 1
        text = self.answers(request, index) if callable(self.answers) else self.answers[index % len(self.answers)]
        return Generation(text=text, tokens_in=100, tokens_out=max(1, len(text) // 4), model="scripted")


def answer(**fields: str) -> str:
    return json.dumps(fields)
