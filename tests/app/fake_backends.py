"""Backends for app tests that the embedded model cannot play: one that needs an API key (and records the
keys it was given), and a module that fails to import its SDK."""

from __future__ import annotations

import json
import os
import random
import threading
from typing import ClassVar

from syngen.backends.base import (
    Backend,
    BackendOptions,
    BackendStatus,
    Generation,
    GenerationRequest,
    ReadyState,
)
from syngen.errors import BackendError

KEY_ENV = "SYNGEN_TEST_KEYED_API_KEY"
WORDS = [
    "capsule", "bottle", "taste", "price", "sleep", "energy", "shipping", "label", "smell", "dose", "morning",
    "habit", "focus", "calm", "joints", "skin", "hair", "digestion", "powder", "tablet", "gummy", "brand",
]


class KeyedOptions(BackendOptions):
    api_key: str | None = None


class KeyedBackend(Backend):
    """Answers every request with a new, valid JSON row, and keeps each key it was built with."""

    name = "keyed"
    description = "test backend that needs a key"
    supports_schema = True
    needs_key = True
    key_env_var = KEY_ENV
    Options: ClassVar[type[BackendOptions]] = KeyedOptions
    keys_seen: ClassVar[list[str | None]] = []
    calls: ClassVar[int] = 0
    _count_lock = threading.Lock()

    def __init__(self, options=None, on_retry=None) -> None:
        super().__init__(options, on_retry)
        KeyedBackend.keys_seen.append(self.options.api_key or os.environ.get(KEY_ENV))

    @classmethod
    def status(cls, options: BackendOptions | None = None) -> BackendStatus:
        if getattr(options, "api_key", None) or os.environ.get(KEY_ENV):
            return BackendStatus(ReadyState.READY)
        return BackendStatus(ReadyState.KEY_MISSING, f"set {KEY_ENV}")

    def load(self) -> None:
        self._loaded = True

    def generate(self, request: GenerationRequest) -> Generation:
        with KeyedBackend._count_lock:
            KeyedBackend.calls += 1
            call = KeyedBackend.calls
        fields = request.json_schema["properties"]
        answer = {name: _text(call, spec["minLength"], spec["maxLength"]) for name, spec in fields.items()}
        return Generation(json.dumps(answer), tokens_in=50, tokens_out=20, model="keyed-test")


CLAUSES = ["the {} is fine", "I like the {}", "my {} is better now", "good for {}", "the {} could be better",
           "it helps with {}", "no change in {}", "the {} was as described", "I noticed the {} first"]


def _text(call: int, low: int, high: int) -> str:
    """A review-like sentence of clauses drawn for this call, between low and high characters. Clauses, not
    word-number codes: the engine's topic check rejects word salad ("capsule0 bottle1"), and whether a run
    passed then depended on which call numbers its tests drew."""
    draw = random.Random(call)
    text = ""
    words = draw.sample(WORDS, len(CLAUSES))  # no clause and no word said twice: that reads as repetitive
    for form, word in zip(draw.sample(CLAUSES, len(CLAUSES)), words, strict=True):
        clause = form.format(word)
        if len(text) + len(clause) + 2 > high - 2:
            break
        text = f"{text}, {clause}" if text else clause[0].upper() + clause[1:]
    while len(text) < low:
        text += "x"
    return text[: high - 2] + "."  # a whole sentence, as the engine's checks want


class FailingBackend(KeyedBackend):
    """One good chunk (two batches of two rows, asked for at once), then a failure: a BackendError (the engine
    saves what passed), or with `crash` set, an unexpected error whose message repeats the key (as a careless
    SDK might)."""

    name = "failing"
    crash: ClassVar[bool] = False

    def __init__(self, options=None, on_retry=None) -> None:
        super().__init__(options, on_retry)
        self.answered = 0

    def batch_size(self) -> int:
        return 2

    def generate_all(self, requests, follow_up):
        if self.answered >= 1:
            if FailingBackend.crash:
                raise RuntimeError(f"socket closed while sending key {self.options.api_key}")
            raise BackendError("the test server went away", "Start it again")
        self.answered += 1
        return super().generate_all(requests, follow_up)
