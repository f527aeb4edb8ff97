"""Helpers for the scale tests: a scripted backend whose answer depends only on the request's seed (so,
like the real model, the same plan position always gives the same row), and reading a run directory."""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np

from tests.fakes import ScriptedBackend, answer

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

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
    """Twelve words drawn with the request's seed: unlike each other, the same for the same position."""
    rng = np.random.default_rng(request.seed)
    words = rng.choice(VOCABULARY, size=12)
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
