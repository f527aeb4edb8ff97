"""A scripted backend for engine rules that a real model cannot trigger on demand (simonw/llm's pattern):
a queue of canned answers and a history of the requests it was sent."""

from __future__ import annotations

import hashlib
import json
import random
import re
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


_PIECE = re.compile(r"\s*[\w']+|\s*[^\w\s]|\s+")  # a word with its leading space, or one symbol: like tokens


def streamed(request: GenerationRequest, whole: Generation) -> Generation:
    """`whole` written piece by piece (a word with its leading space, or a symbol) with the request's watch asked
    after each piece holding one of its triggers and the piece after it, as the embedded model does at tokens;
    stopped where the watch gives up."""
    watch, written, previous = request.watch, "", ""
    for piece in _PIECE.findall(whole.text):
        written += piece
        asked = watch is not None and any(chr(b) in previous + piece for b in watch.triggers)
        if asked and watch.gives_up(written):
            return Generation(text=written, tokens_in=whole.tokens_in, tokens_out=max(1, len(written) // 4),
                              finish_reason="abandoned", model=whole.model)
        previous = piece
    return whole


class StreamingBackend(ScriptedBackend):
    """Writes its scripted answers piece by piece, judged by the request's watch as it goes."""

    def generate(self, request: GenerationRequest) -> Generation:
        return streamed(request, super().generate(request))


def answer(**fields: str) -> str:
    return json.dumps(fields)


# Words of each star rating, as the demo's reviews use them: the demo's learned rating checks reject a neutral text.
RATING_WORDS = {
    "1": ["terrible", "waste", "money", "refund", "returned", "awful", "sick", "worst", "junk", "threw", "away"],
    "3": ["okay", "fine", "unsure", "mild", "average", "nothing", "special", "price", "meh", "decent"],
    "5": ["great", "love", "excellent", "happy", "recommend", "works", "value", "best", "wonderful", "perfect"],
}
RATING_WORDS["2"], RATING_WORDS["4"] = RATING_WORDS["1"], RATING_WORDS["5"]


def review_answer(request: GenerationRequest, index: int) -> str:
    """A review true to the row its prompt asks for: sentences of words of the row's rating and of its item, in
    an order of this answer's own (never a copy of another), about as long as asked (far shorter is a cut text).
    For engine rules on the demo, whose rating and item checks reject a text that says nothing of either."""
    prompt = request.messages[-1]["content"]
    rating = re.search(r"^rating: (\d)", prompt, re.M)
    item = re.search(r"^item title: (.*)$", prompt, re.M)
    asked = re.search(r'"text" \(about (\d+) words\)', prompt)
    feeling = RATING_WORDS.get(rating.group(1) if rating else "3", RATING_WORDS["3"])
    about = [w.lower() for w in re.findall(r"[A-Za-z]{4,}", item.group(1) if item else "") if w.lower() != "with"]
    shuffle = random.Random(index)
    sentences: list[str] = []
    while sum(len(s.split()) for s in sentences) < min(int(asked.group(1)) if asked else 12, 60):
        words = about[:6] + shuffle.sample(feeling, 4) + shuffle.sample(WORDS, 2)  # its item in every sentence
        sentences.append(" ".join(shuffle.sample(words, len(words))).capitalize() + ".")
    return answer(title=" ".join(shuffle.sample(feeling, 3)).capitalize(), text=" ".join(sentences))


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
            # A whole sentence ended before the bound: the engine rejects a text that stops mid-sentence where real
            # ones end theirs, and a full stop at the bound is one the schema forced.
            fields[name] = text[: max(spec.get("minLength", 1), min(len(text), spec["maxLength"] - 3))].strip() + "."
        return Generation(text=json.dumps(fields), tokens_in=50, tokens_out=20, model="scripted")


class NoOneStarBackend(ScriptedBackend):
    """Reviews true to their rows, except that it never writes a 1-star one: a label the model cannot write."""

    def __init__(self, options=None, on_retry=None) -> None:  # as the registry builds every backend
        super().__init__(lambda request, index: "not json" if _rating_asked(request) == "1"
                         else review_answer(request, index))


def _rating_asked(request: GenerationRequest) -> str:
    found = re.search(r"^rating: (\d)", request.messages[-1]["content"], re.M)
    return found.group(1) if found else ""


def scripted_run(data, out, fields: Callable[[], dict[str, str]], num_samples: int, seed: int):
    """A run of `data` into `out` whose every answer is `fields()` as JSON, without the checks that need a real
    model (topic, stock text): for rules on what the engine writes around the model's text."""
    from syngen.generation.config import GenerationConfig
    from syngen.generation.engine import run_generation
    from syngen.generation.session import prepare_session

    config = GenerationConfig(data=str(data), num_samples=num_samples, seed=seed, out=str(out), topic_check=False,
                              stock_check=False)
    backend = ScriptedBackend(lambda request, index: json.dumps(fields()))
    return run_generation(config, session=prepare_session(config, backend=backend))
