"""Backends for the grid test: one that answers with plausible reviews, one that is never ready here,
and one that fails after its first answer."""

from __future__ import annotations

import json
import threading
from typing import ClassVar

from syngen.backends.base import Backend, BackendStatus, Generation, GenerationRequest, ReadyState
from syngen.errors import BackendError

OPENINGS = ["I take these every morning", "My doctor suggested this brand", "The capsules are small",
            "This bottle lasted two months", "I bought it for my mother", "The powder mixes well"]
ENDINGS = ["and my energy is better.", "but the smell is strong.", "and the price is fair.",
           "so I will order again.", "though shipping was slow.", "and it helps me sleep."]


class ReviewBackend(Backend):
    """Schema-following answers built from stock review phrases, a different one each call."""

    name = "reviews"
    supports_schema = True
    calls: ClassVar[int] = 0
    _lock = threading.Lock()

    def load(self) -> None:
        self._loaded = True

    def generate(self, request: GenerationRequest) -> Generation:
        with ReviewBackend._lock:
            ReviewBackend.calls += 1
            call = ReviewBackend.calls
        fields = request.json_schema["properties"]
        answer = {name: _fit(_sentence(call, name), spec["minLength"], spec["maxLength"])
                  for name, spec in fields.items()}
        return Generation(json.dumps(answer), tokens_in=120, tokens_out=30, model="reviews-test")


def _sentence(call: int, field: str) -> str:
    if "title" in field:
        return f"{OPENINGS[call % 6].split()[1].capitalize()} review {call}"
    return f"{OPENINGS[call % 6]} {ENDINGS[(call // 6) % 6]} Week {call} of use."


# Each padding sentence differs: a text saying one clause twice is rejected as repetitive.
PADDING = [f" {how} {what}." for how in ("Still", "Really", "Quite", "Very")
           for what in ("good", "fine", "useful", "pleasant", "solid", "handy")]


def _fit(text: str, low: int, high: int) -> str:
    for padding in PADDING:
        if len(text) >= low:
            break
        text += padding
    return text if len(text) <= high else text[: high - 1].rstrip() + "."


class DownBackend(ReviewBackend):
    name = "down"

    @classmethod
    def status(cls, options=None) -> BackendStatus:
        return BackendStatus(ReadyState.UNREACHABLE, "no server at 127.0.0.1:9")


class FailingBackend(ReviewBackend):
    name = "failing"

    def generate(self, request: GenerationRequest) -> Generation:
        raise BackendError("the test server went away", "Start it again")
