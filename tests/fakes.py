"""A scripted backend for engine rules that a real model cannot trigger on demand (simonw/llm's pattern):
a queue of canned answers and a history of the requests it was sent."""

from __future__ import annotations

import hashlib
import json
import random
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


WORDS = ["bottle", "capsule", "taste", "price", "sleep", "energy", "shipping", "label", "smell", "dose", "morning",
         "habit", "friend", "doctor", "week", "month", "value", "quality", "brand", "order", "powder", "tablet",
         "daily", "better", "worse"]


def request_number(request: GenerationRequest) -> int:
    """A number from the request's content (prompt and seed): the same request gets the same answer whatever
    was asked before it and in whichever batch, as from a real model."""
    text = json.dumps([request.messages, request.seed], sort_keys=True)
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:4], "big") % 1_000_003


class SchemaFillingBackend(Backend):
    """Answers every request with text that fits the request's JSON schema, different for each request and
    the same for the same one. Used where the test is about input handling, not about the model (registered
    under the name 'scripted')."""

    name = "scripted"
    supports_schema = True

    def load(self) -> None:
        """Nothing to load."""

    def generate(self, request: GenerationRequest) -> Generation:
        self._calls = request_number(request)
        fields = {}
        for index, (name, spec) in enumerate(request.json_schema["properties"].items()):
            # Every word, in an order of this request's own: never repetitive, never a near copy of another row.
            words = (random.Random(self._calls * 31 + index).sample(WORDS, len(WORDS)) * 3)[:60]
            text = f"{self._calls} " + " ".join(words)
            # A whole sentence: the engine rejects a text that stops mid-sentence where real ones end theirs.
            fields[name] = text[: max(spec.get("minLength", 1), min(len(text), spec["maxLength"] - 1))].strip() + "."
        return Generation(text=json.dumps(fields), tokens_in=50, tokens_out=20, model="scripted")
