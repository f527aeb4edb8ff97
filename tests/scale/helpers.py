"""Helpers for the scale tests: a scripted backend whose answer depends only on the request's seed (so,
like the real model, the same plan position always gives the same row), and reading a run directory."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import numpy as np

from syngen.backends.omp import set_thread_wait
from tests.fakes import RATING_WORDS, ScriptedBackend, answer

set_thread_wait()  # before anything imports llama_cpp

VOCABULARY = [
    "capsule", "bottle", "taste", "price", "sleep", "energy", "shipping", "label", "smell", "dose", "morning",
    "habit", "focus", "stomach", "gummies", "powder", "mix", "water", "doctor", "brand", "refund", "box", "week",
    "month", "result", "joint", "skin", "hair", "calm", "tired", "strong", "weak", "cheap", "fast", "slow",
    "honest", "tiny", "large", "bitter", "sweet", "fresh", "stale",
]
SEED_STEP = 31  # RowMaker's request seed is seed * 1_000_003 + position * 31 + attempt


def position_of(request, seed: int = 0) -> int:
    return (request.seed - seed * 1_000_003) % (2**31) // SEED_STEP


def seeded_answer(request, index: int) -> str:
    """Twelve words drawn with the request's seed after three of the row's rating: unlike each other, the same
    for the same position, and true to the rating (the demo's rating check reads the words and their meaning)."""
    rng = np.random.default_rng(request.seed)
    rating = re.search(r"^rating: (\d)", request.messages[-1]["content"], re.M)
    feeling = list(rng.choice(RATING_WORDS[rating.group(1) if rating else "3"], size=3, replace=False))
    words = feeling + list(rng.choice(VOCABULARY, size=12))
    return answer(title=" ".join(rng.choice(VOCABULARY, size=3)), text=" ".join(words) + ".")


class Crash(Exception):
    """Not a SynGen error: it ends the process's run the way a crash would."""


def crashing_at(position: int, seed: int = 0) -> ScriptedBackend:
    def reply(request, index):
        if position_of(request, seed) >= position:
            raise Crash(f"crash at position {position}")
        return seeded_answer(request, index)

    return ScriptedBackend(reply)


def read_shard_records(run_dir: Path) -> list[dict]:
    records = []
    for path in sorted((run_dir / "shards").glob("part-*.jsonl")):
        records += [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines(keepends=True)
                    if line.endswith("\n")]
    return records


def read_rows(path: Path) -> list[dict[str, str]]:
    import pandas as pd

    return pd.read_csv(path, dtype=str, keep_default_na=False).to_dict("records")


class BatchSensitiveBackend(ScriptedBackend):
    """Answers a batch of `batch` requests together, each answer drawn with its own seed and the seeds of the
    whole batch, as the embedded model's logits depend (a little) on the batch; crashes at `crash_at`."""

    def __init__(self, batch: int = 4, crash_at: int | None = None) -> None:
        super().__init__(seeded_answer)
        self.batch, self.crash_at = batch, crash_at
        self.batches: list[list[int]] = []  # the plan positions of each batch, as asked

    def batch_size(self) -> int:
        return self.batch

    def generate_batch(self, requests):
        self.batches.append([position_of(r) for r in requests])
        if self.crash_at is not None and any(position_of(r) >= self.crash_at for r in requests):
            raise Crash(f"crash at position {self.crash_at}")
        together = sum(r.seed for r in requests)
        return [self.generate(replace(r, seed=(r.seed + together) % (2**31))) for r in requests]
