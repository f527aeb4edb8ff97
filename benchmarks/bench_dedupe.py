"""Benchmark the near-duplicate index (syngen/generation/dedupe.py): its recall against the exact all-pairs
check on real texts with planted near copies, and what a check costs and the index weighs as it grows.

    python benchmarks/bench_dedupe.py                                   # the demo reviews
    python benchmarks/bench_dedupe.py --data ../shared/data/reviews_supplements.csv --column text
    python benchmarks/bench_dedupe.py --sizes 1000,10000,100000         # cost per check at each index size
    python benchmarks/bench_dedupe.py --look-alike                      # ... on texts alike in words

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
from syngen.generation.dedupe import (
    MIN_CONTAINED_WORDS,
    NEAR_RATIO,
    DuplicateIndex,
    long_enough,
    normalise,
    word_count,
)

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


def cut_copy(rng: random.Random, key: str) -> str:
    """30 to 70% of a text's words, its first ones or from inside it, half the time with characters edited."""
    words = key.split()
    start = rng.choice([0, rng.randrange(len(words) // 2)])
    piece = " ".join(words[start: start + max(MIN_CONTAINED_WORDS, int(len(words) * rng.uniform(0.3, 0.7)))])
    return edit(rng, piece) if rng.random() < 0.5 else piece


def copies(key: str, keys: list[str]) -> bool:
    """The definition checked against every stored text: ratio, then partial ratio against each longer one."""
    if process.extractOne(key, keys, scorer=fuzz.ratio, score_cutoff=NEAR_RATIO):
        return True
    longer = [k for k in keys if len(k) > len(key)]
    return word_count(key) >= MIN_CONTAINED_WORDS and process.extractOne(
        key, longer, scorer=fuzz.partial_ratio, score_cutoff=NEAR_RATIO) is not None


def contained_recall(texts: list[str], count: int, seed: int) -> None:
    """Recall on cut copies (a piece of a real text, 8+ words) that only the containment part of the definition
    finds: ratio < NEAR_RATIO with every real text, partial ratio >= NEAR_RATIO with a longer one."""
    rng = random.Random(seed)
    keys = sorted({k for k in map(normalise, texts) if long_enough(k)})
    index = DuplicateIndex()
    index.add_all(keys)
    sources = [k for k in keys if word_count(k) >= 2 * MIN_CONTAINED_WORDS]
    cuts = [normalise(cut_copy(rng, rng.choice(sources))) for _ in range(count)]
    cuts = [c for c in cuts if process.extractOne(c, keys, scorer=fuzz.ratio, score_cutoff=NEAR_RATIO) is None]
    truth = [c for c in cuts if copies(c, keys)]
    hit = sum(index.find(c) is not None for c in truth)
    false = sum(index.find(c) is not None for c in cuts if c not in truth)
    print(f"  cut (contained) recall {hit / max(len(truth), 1):.4f} ({hit}/{len(truth)} of {len(cuts)} planted "
          f"pieces at ratio < {NEAR_RATIO:.0f}; {false} found that the exact check does not)")


def filler(words: list[str], rng: random.Random) -> str:
    """A text of real words in random order: unrelated to the others, like the texts of a large run."""
    return " ".join(rng.choice(words) for _ in range(rng.randint(15, 60))) + "."


def look_alike(bases: list[list[str]], words: list[str], rng: random.Random) -> str:
    """The words of one of a few real texts shuffled, made longer with other real words: like the texts of a
    model that writes many similar ones (and benchmarks/instant_server.py's), LSH candidates of one another."""
    base = rng.sample(rng.choice(bases), k=len(bases[0]))
    return " ".join(base + [rng.choice(words) for _ in range(rng.randint(0, 150))]) + "."


def cost(texts: list[str], sizes: list[int], seed: int, alike: bool) -> None:
    """Per-text time of find + add as the index grows, and the memory the index takes per text."""
    rng = random.Random(seed)
    words = [w for t in texts for w in normalise(t).split()]
    bases = [words[i: i + 40] for i in range(0, 40 * 20, 40)]  # 20 texts of 40 real words
    make = (lambda: look_alike(bases, words, rng)) if alike else (lambda: filler(words, rng))
    process_info = psutil.Process()
    print(f"\n{'look-alike' if alike else 'unrelated'} texts\n"
          f"{'stored texts':>12} {'us per find+add':>16} {'index MB':>9} {'KB per text':>12}")
    index, stored, before = DuplicateIndex(), 0, process_info.memory_info().rss
    for size in sizes:
        batch = [make() for _ in range(size - stored)]
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
    parser.add_argument("--cuts", type=int, default=1000, help="cut copies planted (the containment check)")
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--look-alike", action="store_true", help="time look-alike texts, not unrelated ones")
    args = parser.parse_args()
    texts = pd.read_csv(args.data, dtype=str, keep_default_na=False)[args.column].tolist()
    recall(texts, args.per_text, args.seed)
    contained_recall(texts, args.cuts, args.seed)
    cost(texts, [int(s) for s in args.sizes.split(",")], args.seed, args.look_alike)


if __name__ == "__main__":
    main()
