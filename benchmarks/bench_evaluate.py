"""Benchmark: evaluate 2,000 synthetic rows against the 1,308 real reviews, embeddings included, cold cache.

The synthetic rows are real rows resampled and perturbed (words dropped and swapped, new user ids,
shifted timestamps with their date and time columns kept consistent), deterministically from a seed, so
almost every text is new to the embedding model and the run measures real work.

    python benchmarks/bench_evaluate.py [--rows 2000] [--seed 0] [--html /tmp/report.html]

Target: <= 60 s wall on the 2-core machine, from loading the real file to the finished report.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "data"
ID_ALPHABET = list("234567ABCDEFGHIJKLMNOPQRSTUVWXYZ")


def perturb(text: str, rng: np.random.Generator) -> str:
    """Drop about one word in ten and swap one neighbouring pair: a new text that reads like the old."""
    words = text.split()
    kept = [w for w in words if rng.random() > 0.1] or words
    if len(kept) > 2:
        i = int(rng.integers(0, len(kept) - 1))
        kept[i], kept[i + 1] = kept[i + 1], kept[i]
    return " ".join(kept)


def shifted(timestamp: str, rng: np.random.Generator) -> tuple[str, str, str]:
    """The timestamp moved by up to a year either way, in its own format, with date and time to match."""
    from syngen.profiling import datetimes

    fmt = datetimes.match_format(timestamp)
    moment = datetimes.parse(timestamp, fmt) + timedelta(seconds=int(rng.integers(-365 * 86400, 365 * 86400)))
    return (datetimes.format_value(moment, fmt, digits=3), moment.strftime("%Y-%m-%d"), moment.strftime("%H:%M"))


def synthetic_rows(real: pd.DataFrame, count: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = real.iloc[rng.integers(0, len(real), count)].reset_index(drop=True).copy()
    rows["text"] = [perturb(t, rng) for t in rows["text"]]
    rows["title"] = [perturb(t, rng) if rng.random() < 0.5 else t for t in rows["title"]]
    rows["user_id"] = ["A" + "".join(rng.choice(ID_ALPHABET, 27)) for _ in range(count)]
    rows["helpful_vote"] = rng.choice(real["helpful_vote"].to_numpy(), count)
    times = [shifted(t, rng) for t in rows["timestamp"]]
    rows["timestamp"], rows["date"], rows["time"] = zip(*times, strict=True)
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--real", default=str(DATA / "reviews_supplements.csv"))
    parser.add_argument("--products", default=str(DATA / "product_asin.csv"))
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--html", help="also write the HTML report here (timed separately)")
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    with tempfile.TemporaryDirectory() as cache:  # a cold embedding cache: every text goes through the model
        os.environ["SYNGEN_CACHE_DIR"] = cache
        return run(args)


def run(args: argparse.Namespace) -> int:
    from syngen.data import load_table
    from syngen.evaluation import evaluate_input
    from syngen.evaluation.embeddings import Embedder
    from syngen.evaluation.inputs import from_frame
    from syngen.evaluation.scorecard import scorecard
    from syngen.profiling import load_catalogue, profile_table

    table = load_table(args.real)
    rows = synthetic_rows(table.frame, args.rows, args.seed)
    started = time.perf_counter()
    table = load_table(args.real)
    catalogue = load_catalogue(args.products, table)
    profile = profile_table(table, catalogue)
    synthetic = from_frame(rows, profile.names, source=f"perturbed_{args.rows}_output.csv")
    embedder = Embedder()
    report = evaluate_input(table, profile, synthetic, catalogue, seed=args.seed, embedder=embedder)
    seconds = time.perf_counter() - started
    print(scorecard(report))
    print(f"\nevaluated {len(rows):,} synthetic rows against {len(table.frame):,} real rows in {seconds:.1f} s wall "
          f"({embedder.encoded:,} texts embedded, cold cache; CPU {time.process_time():.1f} s)")
    if args.html:
        from syngen.evaluation.html_report import write_html

        started = time.perf_counter()
        write_html(report, args.html)
        print(f"HTML report {args.html} written in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
