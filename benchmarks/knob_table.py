"""The knob table: every knob at low and high against match on the same seed, and match on more seeds for the
noise between seeds. Each knob is judged on its own measure: reading grade (and ease) for complexity, median
words for length, distinct-2 and self-similarity for diversity.

    python benchmarks/knob_table.py --rows 40 --out-dir /tmp/knobs      # or bench_generate.py --knobs 40
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from syngen.evaluation.metrics.lexical import SelfSimilarity, distinct_n, tokenize
from syngen.evaluation.textfeatures import readability

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
KNOBS = ("complexity", "length", "diversity")
MATCH_SEEDS = 3  # match runs on this many seeds; their spread is the noise a knob must beat


@dataclass(frozen=True)
class Measure:
    name: str
    knob: str
    direction: int  # +1: `high` should raise it, -1: `high` should lower it


MEASURES = [Measure("grade", "complexity", 1), Measure("reading ease", "complexity", -1),
            Measure("median words", "length", 1), Measure("distinct-2", "diversity", 1),
            Measure("self-similarity", "diversity", -1)]


def measures(texts: list[str]) -> dict[str, float]:
    scores = [r for r in map(readability, texts) if r is not None]
    return {
        "grade": float(np.mean([r.grade for r in scores])),
        "reading ease": float(np.mean([r.reading_ease for r in scores])),
        "median words": float(pd.Series([len(t.split()) for t in texts]).median()),
        "distinct-2": distinct_n([tokenize(t) for t in texts], 2),
        "self-similarity": SelfSimilarity(seed=0).measure(texts),
    }


def cells(seed: int) -> list[tuple[str, dict[str, str], int]]:
    """(name, knobs, seed) for every run: match on MATCH_SEEDS seeds, then each knob low and high on `seed`."""
    runs = [("match", {}, seed + offset) for offset in range(MATCH_SEEDS)]
    return runs + [(f"{knob} {level}", {knob: level}, seed) for knob in KNOBS for level in ("low", "high")]


def generate(data: Path, n: int, knobs: dict[str, str], seed: int, out: Path) -> list[str]:
    """The texts of one cell, read back from `out` when an earlier run already wrote it."""
    if not out.exists():
        from syngen.generation.config import GenerationConfig
        from syngen.generation.engine import run_generation
        from syngen.generation.session import prepare_session

        config = GenerationConfig(data=str(data / "reviews_supplements.csv"), products=str(data / "product_asin.csv"),
                                  num_samples=n, seed=seed, out=str(out), **knobs)
        session = prepare_session(config)
        run_generation(config, session=session)
        session.backend.close()
    return pd.read_csv(out, dtype=str, keep_default_na=False)["text"].astype(str).tolist()


def knob_table(data: Path, n: int, seed: int, out_dir: Path, only: set[str] | None = None) -> pd.DataFrame | None:
    """Runs (or reads back) every cell and prints one line per cell as it completes, then the table. `only`
    ("length high@7", ...) runs just those cells, so several processes can share the work; no table then."""
    rows = []
    for name, knobs, cell_seed in cells(seed):
        if only and f"{name}@{cell_seed}" not in only:
            continue
        out = out_dir / f"knob_{name.replace(' ', '_')}_{cell_seed}_{n}.csv"
        figures = measures(generate(data, n, knobs, cell_seed, out))
        rows.append({"cell": name, "seed": cell_seed, **figures})
        print("  " + "  ".join([f"{name:16}", f"seed {cell_seed}"] + [f"{k} {v:.3f}" for k, v in figures.items()]),
              flush=True)
    if only:
        return None
    table = summary(pd.DataFrame(rows), seed)
    print("\n" + table.to_markdown(index=False), flush=True)
    return table


def summary(raw: pd.DataFrame, seed: int) -> pd.DataFrame:
    """One line per knob measure: low, match and high on `seed`, the spread of match over seeds, and whether
    both levels move the measure the right way by more than that spread."""
    match = raw[raw["cell"] == "match"]
    lines = []
    for m in MEASURES:
        low = float(raw.loc[raw["cell"] == f"{m.knob} low", m.name].iloc[0])
        high = float(raw.loc[raw["cell"] == f"{m.knob} high", m.name].iloc[0])
        base = float(match.loc[match["seed"] == seed, m.name].iloc[0])
        noise = float(match[m.name].max() - match[m.name].min())
        moved = m.direction * (high - base) > noise and m.direction * (base - low) > noise
        lines.append({"knob": m.knob, "measure": m.name, "low": round(low, 3), "match": round(base, 3),
                      "high": round(high, 3), "match spread over seeds": round(noise, 3),
                      "both move by more than the spread": "yes" if moved else "no"})
    return pd.DataFrame(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=40, help="rows per cell")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out-dir", type=Path, required=True, help="cells already written here are read back")
    parser.add_argument("--only", default="", help='comma-separated cells to run, e.g. "match@8,length high@7"')
    args = parser.parse_args()
    args.out_dir.mkdir(parents=True, exist_ok=True)
    print(f"== Knobs: base prompt type, {args.rows} rows a cell, seed {args.seed}; match also on seeds "
          f"{args.seed + 1}..{args.seed + MATCH_SEEDS - 1} for the noise between seeds", flush=True)
    knob_table(DATA, args.rows, args.seed, args.out_dir, {c.strip() for c in args.only.split(",") if c.strip()})
    return 0


if __name__ == "__main__":
    sys.exit(main())
