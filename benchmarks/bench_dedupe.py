"""Benchmark the near-duplicate index (syngen/generation/dedupe.py): its recall against the exact all-pairs
check on real texts with planted near copies, and what a check costs and the index weighs as it grows.

    python benchmarks/bench_dedupe.py                                   # the demo reviews
    python benchmarks/bench_dedupe.py --data ../shared/data/reviews_supplements.csv --column text
    python benchmarks/bench_dedupe.py --sizes 1000,10000,100000         # cost per check at each index size

Planted copies: each real text edited (characters replaced, dropped or inserted), reordered (adjacent words
swapped), truncated, or edited and truncated; only those at rapidfuzz ratio >= NEAR_RATIO with their source
are kept. The exact check scores each against every real text; recall is the share of what it finds that
the index finds too (the index confirms every candidate, so it never finds more).
"""

from __future__ import annotations

import argparse
import random
import time
from collections import Counter

import pandas as pd
import psutil
from rapidfuzz import fuzz, process

from syngen.demo import demo_paths
from syngen.generation.dedupe import NEAR_RATIO, DuplicateIndex, long_enough, normalise

LETTERS = "abcdefghijklmnopqrstuvwxyz "
TIMED = 2000


def edit(rng: random.Random, text: str) -> str:
    chars = list(text)
    for _ in range(rng.randint(1, max(1, len(text) // 12))):
        i, op = rng.randrange(len(chars)), rng.random()
        if op < 1 / 3:
            chars[i] = rng.choice(LETTERS)
        elif op < 2 / 3 and len(chars) > 1:
            del chars[i]
        else:
            chars.insert(i, rng.choice(LETTERS))
    return "".join(chars)


def reorder(rng: random.Random, text: str) -> str:
    words = text.split()
    for _ in range(rng.randint(1, 3)):
        i = rng.randrange(len(words) - 1)
        words[i], words[i + 1] = words[i + 1], words[i]
    return " ".join(words)


def truncate(rng: random.Random, text: str) -> str:
    return text[: int(len(text) * rng.uniform(0.8, 0.99))]


PLANTS = {"edit": edit, "reorder": reorder, "truncate": truncate,
          "edit+truncate": lambda rng, text: truncate(rng, edit(rng, text))}


def planted(keys: list[str], per_text: int, seed: int) -> list[tuple[str, str]]:
    """(kind, near copy) pairs at ratio >= NEAR_RATIO with the real text they were made from."""
    rng, pairs = random.Random(seed), []
    for key in keys:
        for _ in range(per_text):
            kind = rng.choice(list(PLANTS))
            copy = PLANTS[kind](rng, key)
            if long_enough(normalise(copy)) and fuzz.ratio(normalise(copy), key) >= NEAR_RATIO:
                pairs.append((kind, copy))
    return pairs


def recall(texts: list[str], per_text: int, seed: int) -> None:
    keys = sorted({k for k in map(normalise, texts) if long_enough(k)})
    index = DuplicateIndex()
    index.add_all(keys)
    pairs = planted(keys, per_text, seed)
    found, truth = Counter(), Counter()
    for kind, copy in pairs:
        if process.extractOne(normalise(copy), keys, scorer=fuzz.ratio, score_cutoff=NEAR_RATIO) is None:
            continue
        truth[kind] += 1
        found[kind] += index.find(copy) is not None
    print(f"{len(keys)} real texts of {len(texts)} long enough; {len(pairs)} planted near copies (ratio >= "
          f"{NEAR_RATIO:.0f}), {sum(truth.values())} found by the exact check")
    for kind in [*PLANTS, "all"]:
        hit = sum(found.values()) if kind == "all" else found[kind]
        total = sum(truth.values()) if kind == "all" else truth[kind]
        print(f"  {kind:<14} recall {hit / max(total, 1):.4f} ({hit}/{total})")


def filler(words: list[str], rng: random.Random) -> str:
    """A text of real words in random order: unrelated to the others, like the texts of a large run."""
    return " ".join(rng.choice(words) for _ in range(rng.randint(15, 60))) + "."


def cost(texts: list[str], sizes: list[int], seed: int) -> None:
    """Per-text time of find + add as the index grows, and the memory the index takes per text."""
    rng = random.Random(seed)
    words = [w for t in texts for w in normalise(t).split()]
    process_info = psutil.Process()
    print(f"\n{'stored texts':>12} {'us per find+add':>16} {'index MB':>9} {'KB per text':>12}")
    index, stored, before = DuplicateIndex(), 0, process_info.memory_info().rss
    for size in sizes:
        batch = [filler(words, rng) for _ in range(size - stored)]
        timed = batch[-TIMED:]  # the cost at this size: the last texts added, as a run checks then adds them
        index.add_all(batch[: -len(timed)])
        started = time.perf_counter()
        for text in timed:
            index.find(text)
            index.add(text)
        elapsed = time.perf_counter() - started
        stored = size
        grown = (process_info.memory_info().rss - before) / 2**20
        print(f"{size:>12,} {elapsed / len(timed) * 1e6:>16.0f} {grown:>9.0f} "
              f"{grown * 1024 / size:>12.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", default=str(demo_paths()[0]))
    parser.add_argument("--column", default="text")
    parser.add_argument("--per-text", type=int, default=4, help="near copies planted per real text")
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    texts = pd.read_csv(args.data, dtype=str, keep_default_na=False)[args.column].tolist()
    recall(texts, args.per_text, args.seed)
    cost(texts, [int(s) for s in args.sizes.split(",")], args.seed)


if __name__ == "__main__":
    main()
