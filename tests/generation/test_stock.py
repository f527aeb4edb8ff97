"""The stock-text check: learned from texts the model writes about the topic without examples, it rejects a text
in that voice and keeps one in the real texts' voice; off with a note when it cannot tell them apart."""

from __future__ import annotations

import json
import random

import pandas as pd
import pytest

from syngen.backends.base import Backend, Generation, GenerationRequest
from syngen.generation.config import GenerationConfig
from syngen.generation.engine import run_generation
from syngen.generation.session import prepare_session
from syngen.generation.stock import STOCK_TEXTS, StockVoice, learn_stock_check
from tests.fakes import review_answer, streamed

ITEMS = ["bottle", "capsules", "gummies", "powder", "tablets", "drops", "softgels", "tea", "chews", "spray"]
FEELINGS = ["my sleep got better", "my knees hurt less", "it tasted chalky", "the lid broke", "it came late",
            "my wife liked it", "I stopped after a week", "the smell was strong", "it was cheaper than the store",
            "I ordered twice"]
TOPICS = ["vitamin C", "magnesium", "zinc", "fish oil", "biotin", "probiotics", "iron", "melatonin"]
CLAIMS = ["is essential for overall health", "supports the immune system", "is a powerful antioxidant",
          "plays a vital role in the body", "offers numerous benefits for well-being", "boosts energy levels"]


def buyer(rng: random.Random) -> str:
    return (f"I bought the {rng.choice(ITEMS)} last month and {rng.choice(FEELINGS)}. "
            f"Then {rng.choice(FEELINGS)}, so {rng.choice(['I would buy again', 'not sure yet', 'I returned it'])}.")


def stock(rng: random.Random) -> str:
    topic, first, other, second = rng.choice(TOPICS), rng.choice(CLAIMS), rng.choice(TOPICS), rng.choice(CLAIMS)
    if second == first:  # one claim twice is a repetitive text
        second = CLAIMS[(CLAIMS.index(first) + 1) % len(CLAIMS)]
    return f"{topic.capitalize()} {first}. Many people choose {other} because it {second}."


def test_a_text_in_the_models_stock_voice_is_caught_and_a_buyers_text_is_not():
    rng = random.Random(0)
    real, made = [buyer(rng) for _ in range(120)], [stock(rng) for _ in range(40)]
    check, summary, note = learn_stock_check(real, made, "text", seed=1)
    assert check is not None and note == ""
    assert summary.caught >= 0.9 and summary.stock_texts == len(set(made))
    assert check.is_stock("Zinc is a powerful antioxidant. Many people choose iron because it boosts energy levels.")
    assert not check.is_stock("I bought the drops last month and the lid broke. Then it came late, so not sure yet.")
    # A text being written: its first sentence alone tells, judged against real texts' openings.
    assert summary.opening_threshold >= summary.threshold
    assert check.opens_stock("Zinc is a powerful antioxidant.")
    assert not check.opens_stock("I bought the drops last month and the lid broke.")


def test_with_sentence_vectors_a_stock_text_in_words_the_stock_texts_never_used_is_caught(demo_paths):
    """The demo's reviews against 38 texts SmolLM2 wrote about its topic without examples (kept from a run): the
    quick start's "natural health tonic" of 3 December shares too few words with them to be caught by its words."""
    from pathlib import Path

    from syngen.profiling.embedder import RecentTexts, sentence_encoder
    from syngen.profiling.labels import Readers

    real = [t for t in pd.read_csv(demo_paths[0])["text"].dropna() if len(t.split()) >= 8]
    made = json.loads((Path(__file__).parent / "stock_texts_demo.json").read_text(encoding="utf-8"))
    encoder = sentence_encoder()
    check, summary, _ = learn_stock_check(real, made, "text", seed=7, readers=Readers(RecentTexts(encoder), encoder))
    words_only, _, _ = learn_stock_check(real, made, "text", seed=7)
    tonic = "A very beneficial and effective natural health tonic that is available in many countries."
    assert check.is_stock(tonic) and not words_only.is_stock(tonic)
    assert summary.real_share == 0.003  # what the real texts pay for it: unchanged
    for review in ("Great supplement for stress and mood support. Feel more relaxed overall.",
                   "Fine, no side effects but I still felt fatigued."):
        assert not check.is_stock(review)


def test_stock_texts_like_the_real_ones_turn_the_check_off_with_a_note():
    rng = random.Random(0)
    check, summary, note = learn_stock_check([buyer(rng) for _ in range(120)], [buyer(rng) for _ in range(40)],
                                             "text", seed=1)
    assert check is None and summary is None
    assert "read like the real ones" in note


def test_too_few_real_texts_turn_the_check_off_with_a_note():
    rng = random.Random(0)
    check, _, note = learn_stock_check([buyer(rng) for _ in range(10)], [stock(rng) for _ in range(40)], "text", 1)
    assert check is None and "needs 50" in note


class StockWriter(Backend):
    """Writes stock text when asked without examples, and a review true to the row otherwise: the first answer
    for each row is stock text too, so the engine must reject it and ask again."""

    name = "stock-writer"
    supports_schema = True

    def __init__(self) -> None:
        super().__init__()
        self.requests: list[GenerationRequest] = []
        self.rows_asked: set[str] = set()

    def load(self) -> None:
        self._loaded = True

    def generate(self, request: GenerationRequest) -> Generation:
        self.requests.append(request)
        rng = random.Random(len(self.requests))
        prompt = request.messages[-1]["content"]
        row = prompt.split("This entry:")[-1]
        if "Real examples" not in prompt or row not in self.rows_asked:
            self.rows_asked.add(row)
            text = json.dumps({"title": "Health", "text": stock(rng)})
        else:
            text = review_answer(request, len(self.requests))
        return Generation(text=text, tokens_in=100, tokens_out=max(1, len(text) // 4))


def test_the_engine_rejects_stock_text_and_asks_again_saying_why(demo_paths, tmp_path, monkeypatch):
    monkeypatch.setenv("SYNGEN_CACHE_DIR", str(tmp_path / "cache"))  # the stock texts are asked, not read back
    reviews, products = demo_paths
    config = GenerationConfig(data=str(reviews), products=str(products), num_samples=4, seed=3, stock_check=True,
                              out=str(tmp_path / "out.csv"))
    backend = StockWriter()
    result = run_generation(config, session=prepare_session(config, backend=backend))
    assert result.sidecar["rejections"].get("stock_text", 0) >= 4
    assert result.sidecar["stock_check"]["stock_texts"] == STOCK_TEXTS
    without_examples = [r for r in backend.requests if "Real examples" not in r.messages[-1]["content"]]
    assert len(without_examples) == STOCK_TEXTS  # learned once, before the first rows
    retries = [r.messages[-1]["content"] for r in backend.requests if "An earlier answer" in r.messages[-1]["content"]]
    # A stock text naming a supplement ("Magnesium") of a row of another item is refused as that first.
    assert any("general writing about the topic" in r for r in retries)
    frame = pd.read_csv(tmp_path / "out.csv", dtype=str, keep_default_na=False)
    assert len(frame) == 4 and not any(claim in text for text in frame["text"] for claim in CLAIMS)


class StreamingStockWriter(StockWriter):
    """The same answers, written piece by piece and judged as they go, as the embedded model writes them."""

    def __init__(self) -> None:
        super().__init__()
        self.answers: list[Generation] = []

    def generate(self, request: GenerationRequest) -> Generation:
        self.answers.append(streamed(request, super().generate(request)))
        return self.answers[-1]


def test_a_stock_text_being_written_stops_at_its_first_stock_sentence(demo_paths, tmp_path, monkeypatch):
    monkeypatch.setenv("SYNGEN_CACHE_DIR", str(tmp_path / "cache"))
    reviews, products = demo_paths
    config = GenerationConfig(data=str(reviews), products=str(products), num_samples=3, seed=3, stock_check=True,
                              out=str(tmp_path / "out.csv"))
    backend = StreamingStockWriter()
    result = run_generation(config, session=prepare_session(config, backend=backend))
    stopped = [a for a in backend.answers if a.finish_reason == "abandoned"]
    # On a 1-star row the same first sentence contradicts the rating; on a row of another item, it names the wrong one.
    rejections = result.sidecar["rejections"]
    assert 3 <= len(stopped) <= sum(rejections.get(reason, 0)
                                    for reason in ("stock_text", "label_mismatch:rating", "other_item"))
    assert rejections["stock_text"] >= 3
    assert all("Many people choose" not in a.text for a in stopped)  # the second sentence was never written
    assert len(pd.read_csv(tmp_path / "out.csv", dtype=str)) == 3


class InProcessWriter(StockWriter):
    stock_check_default = True  # like the embedded model


@pytest.mark.parametrize(("backend_class", "asked", "checked"), [
    (StockWriter, None, False), (InProcessWriter, None, True), (InProcessWriter, False, False),
    (StockWriter, True, True)])
def test_the_backend_decides_unless_the_run_says(demo_paths, tmp_path, backend_class, asked, checked):
    reviews, products = demo_paths
    config = GenerationConfig(data=str(reviews), products=str(products), num_samples=2, seed=3, stock_check=asked,
                              out=str(tmp_path / "out.csv"))
    session = prepare_session(config, backend=backend_class())
    assert (session.maker.stock is not None) == checked


def test_the_stock_texts_are_kept_on_disk_for_the_next_run(tmp_path):
    rng = random.Random(0)
    real = [buyer(rng) for _ in range(80)]

    def voice() -> StockVoice:
        return StockVoice(real, "text", "Vitamins", seed=5, temperature=0.8, cache_dir=tmp_path)

    first, second = StockWriter(), StockWriter()
    voice().learn(first)
    voice().learn(second)
    assert len(first.requests) == STOCK_TEXTS and second.requests == []
    asked = first.requests[0]
    assert "Vitamins" in asked.messages[0]["content"] and "Real examples" not in asked.messages[-1]["content"]


@pytest.mark.parametrize("schema", [True, False])
def test_stock_requests_ask_for_the_column_as_json(schema):
    asked = StockVoice([], "review_body", "Tea", seed=1, temperature=0.7).requests(schema)
    assert len(asked) == STOCK_TEXTS and len({r.seed for r in asked}) == STOCK_TEXTS
    if schema:
        assert list(asked[0].json_schema["properties"]) == ["review_body"]
    else:
        assert asked[0].json_schema is None and '"review_body"' in asked[0].messages[-1]["content"]
