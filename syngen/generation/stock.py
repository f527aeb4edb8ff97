"""Does a text read like the model's stock writing about the topic rather than like the real texts?

Shown real examples, a small model still slips into what it writes about a topic unprompted: encyclopedia lines
and ad copy ("Vitamin C is a powerful antioxidant that boosts immune function", "The best vitamins and
supplements."), on the topic, so the topic check passes them, yet nothing a real row would say. The check learns
that voice from the model itself: before the first rows, the model writes STOCK_TEXTS texts about the table's
topic without any example, and a TF-IDF + logistic classifier learns to tell them from the real texts. A
generated text the classifier places with the stock texts more firmly than all but REAL_SHARE of the real texts
(out of fold) is rejected. A text still being written is judged at each sentence end too: its sentences so far
are stock when they read so more firmly than any sentence-end opening of all but REAL_SHARE of the real texts
does, so a rambling stock text stops at its first stock sentences (on the supplements benchmark's answers, 58 of
95 stock texts, saving a seventh of the text characters written). Where sentence vectors are at hand, a whole text
is read by its meaning too (a logistic regression on its vector, averaged with the words' reading, as the label
checks do): "A very beneficial and effective natural health tonic that is available in many countries." shares
few words with the stock texts (0.36, under the words' threshold 0.42) but all of their meaning (0.82). Learned
per table and per model, so any table and any backend work; off, with a data note, when the classifier cannot
tell the two apart.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from syngen.backends.base import Backend, GenerationRequest
from syngen.errors import ParseError
from syngen.generation.schema import answer_schema, json_instruction
from syngen.parsing.answers import parse_json_object
from syngen.profiling.labels import OneText, Readers, TextMeaning
from syngen.profiling.model import StockCheckSummary
from syngen.profiling.textshape import sentence_ends
from syngen.prompts import templates

STOCK_TEXTS = 40  # about 10 s for the embedded model; 39 of them taught it 85% of the stock texts (supplements)
# Share of real texts (out of fold) the check would reject. Measured on the 200-row benchmark: 1% rejected 202
# answers and cut the text-length KS to 0.156 (texts grew shorter) and the speed to 27 rows/min; 0.3% 144, 0.147, 32.
REAL_SHARE = 0.003
MIN_CAUGHT = 0.5  # on only when it tells at least half of the stock texts (out of fold) from the real ones
MIN_REAL, MIN_STOCK = 50, 20
STOCK_WORDS = (8, 60)  # a stock text's length bounds in words: long enough to carry the voice
ASKS = ("Write one new entry about $topic.", "Write a short text about $topic.")
FOLDS = 5
CACHE_VERSION = 2  # 2: a backend without a schema is asked in the engine's own words (json_instruction)


@dataclass
class StockCheck:
    column: str
    classifier: Any  # a fitted scikit-learn pipeline: text -> P(stock)
    threshold: float  # for a whole text
    opening_threshold: float  # for a text's sentences so far, while it is written (by its words)
    meaning: TextMeaning | None = None  # reads a whole text's meaning too, averaged with its words

    def __post_init__(self) -> None:
        self._one = OneText(self.classifier)

    def is_stock(self, text: str) -> bool:
        words = self._words(text)
        if self.meaning is None:
            return words > self.threshold
        return (words + float(self.meaning.probabilities([text])[0, 1])) / 2 > self.threshold

    def opens_stock(self, sentences: str) -> bool:
        """`sentences`: the whole sentences a text still being written has so far."""
        return self._words(sentences) > self.opening_threshold

    def _words(self, text: str) -> float:
        return float(self._one.probabilities(text)[1])


@dataclass
class StockVoice:
    """What the check is learned from, and the check once learned (at the first rows, with the run's backend:
    a Ray actor learns it with its own model)."""

    real: list[str]
    column: str
    topic: str
    seed: int
    temperature: float
    cache_dir: Path | None = None
    readers: Readers | None = None  # sentence vectors, where their weights are installed
    learned: bool = False
    check: StockCheck | None = None
    summary: StockCheckSummary | None = None
    note: str = ""

    def learn(self, backend: Backend) -> StockCheck | None:
        if not self.learned:
            stock = self._stock_texts(backend)
            self.check, self.summary, self.note = learn_stock_check(self.real, stock, self.column, self.seed,
                                                                    self.readers)
            self.learned = True
        return self.check

    def requests(self, json_schema: bool) -> list[GenerationRequest]:
        """The model's stock texts are asked with the run's own frame (system prompt) and no example."""
        system = templates.render("system.txt", topic=self.topic)
        low, high = STOCK_WORDS[0] * 5, STOCK_WORDS[1] * 6
        limits = {self.column: (low, high)}
        schema = answer_schema(limits) if json_schema else None
        asks = []
        for number in range(STOCK_TEXTS):
            ask = ASKS[number % len(ASKS)].replace("$topic", self.topic)
            if not json_schema:
                ask += " " + json_instruction(limits)
            asks.append(GenerationRequest(
                messages=[{"role": "system", "content": system}, {"role": "user", "content": ask}],
                json_schema=schema, max_tokens=high // 3 + 32, temperature=self.temperature,
                seed=(self.seed * 7_919 + number * 104_729 + 17) % (2**31)))
        return asks

    def _stock_texts(self, backend: Backend) -> list[str]:
        cache = self._cache_file(backend)
        if cache is not None and cache.is_file():
            return json.loads(cache.read_text(encoding="utf-8"))
        answers = backend.generate_all(self.requests(backend.supports_schema), lambda number, answer: [])
        texts = [text for answer in answers if (text := self._text(answer.text))]
        if cache is not None:
            cache.parent.mkdir(parents=True, exist_ok=True)
            partial = cache.with_suffix(f".{os.getpid()}.tmp")  # Ray actors may write the same texts at once
            partial.write_text(json.dumps(texts), encoding="utf-8")
            partial.replace(cache)  # another process reading it sees all of it or nothing
        return texts

    def _text(self, answer: str) -> str:
        try:
            text = str(parse_json_object(answer).get(self.column) or "")
        except ParseError:
            return ""
        return text if len(text.split()) >= STOCK_WORDS[0] else ""

    def _cache_file(self, backend: Backend) -> Path | None:
        """The same model, topic, seed and asks give the same texts: kept on disk, the check costs one run."""
        if self.cache_dir is None:
            return None
        key = json.dumps([CACHE_VERSION, backend.describe(), self.topic, self.column, self.seed, self.temperature,
                          STOCK_TEXTS, ASKS, STOCK_WORDS, templates.read("system.txt")], sort_keys=True, default=str)
        return self.cache_dir / "stock" / f"{hashlib.sha256(key.encode()).hexdigest()[:24]}.json"


def learn_stock_check(real: list[str], stock: list[str], column: str, seed: int, readers: Readers | None = None
                      ) -> tuple[StockCheck | None, StockCheckSummary | None, str]:
    """The check, its summary for the profile, and a data note when it is off."""
    from syngen.profiling.labels import _meaning_classifier, _pipeline

    real = list(dict.fromkeys(t for t in real if t.strip()))
    stock = list(dict.fromkeys(stock))
    if len(real) < MIN_REAL or len(stock) < MIN_STOCK:
        return None, None, (f"no stock-text check for '{column}': {len(real)} real and {len(stock)} stock texts "
                            f"(needs {MIN_REAL} and {MIN_STOCK})")
    texts, labels = real + stock, np.array([0] * len(real) + [1] * len(stock))
    vectors = None
    if readers is not None:  # the real texts' vectors from the disk cache the label checks filled
        vectors = np.vstack([readers.cached.encode(real), readers.encoder.encode(stock)]).astype(np.float32)
    whole, opening = _out_of_fold(texts, labels, seed, vectors)
    threshold = float(np.quantile(whole[labels == 0], 1 - REAL_SHARE))
    opening_threshold = float(np.quantile(opening[labels == 0], 1 - REAL_SHARE))
    caught = float((whole[labels == 1] > threshold).mean())
    if caught < MIN_CAUGHT:
        return None, None, (f"no stock-text check for '{column}': the model's own texts about the topic read like "
                            f"the real ones (only {caught:.0%} told apart)")
    summary = StockCheckSummary(column=column, threshold=round(threshold, 4), real_share=REAL_SHARE,
                                caught=round(caught, 3), stock_texts=len(stock),
                                opening_threshold=round(opening_threshold, 4))
    meaning = None if readers is None else TextMeaning(readers.encoder, _meaning_classifier(seed).fit(vectors, labels))
    check = StockCheck(column, _pipeline(seed).fit(texts, labels), threshold, opening_threshold, meaning)
    return check, summary, ""


def _out_of_fold(texts: list[str], labels: np.ndarray, seed: int,
                 vectors: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Each text's P(stock) from the folds that did not learn it: of the whole text (by its words, averaged with
    its meaning's where `vectors` are given), and the highest of its openings (its text up to each sentence end,
    itself included, by their words), which a text being written is judged by."""
    from sklearn.model_selection import StratifiedKFold

    from syngen.profiling.labels import _meaning_classifier, _pipeline

    whole, opening = np.zeros(len(texts)), np.zeros(len(texts))
    for train, test in StratifiedKFold(FOLDS, shuffle=True, random_state=seed).split(texts, labels):
        model = _pipeline(seed).fit([texts[i] for i in train], labels[train])
        whole[test] = model.predict_proba([texts[i] for i in test])[:, 1]
        if vectors is not None:
            meaning = _meaning_classifier(seed).fit(vectors[train], labels[train])
            whole[test] = (whole[test] + meaning.predict_proba(vectors[test])[:, 1]) / 2
        owners = [(i, part) for i in test for part in _openings(texts[i])]
        scores = model.predict_proba([part for _, part in owners])[:, 1]
        for (i, _), score in zip(owners, scores, strict=True):
            opening[i] = max(opening[i], score)
    return whole, opening


def _openings(text: str) -> list[str]:
    """`text` up to each of its sentence ends, and all of it."""
    text = " ".join(text.split())
    return [text[:end] for end in sentence_ends(text) if end < len(text)] + [text]
