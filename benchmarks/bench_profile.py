"""Benchmark profiling wide tables: seconds to profile 50, 100 and 200 columns (categories, floats, integers,
datetimes and texts in turn), as `syngen profile` does without --checks.

    python benchmarks/bench_profile.py                       # 50,100,200 columns of 14,640 rows
    python benchmarks/bench_profile.py --columns 200 --rows 2000

Run it alone on an idle machine: the figures are wall seconds.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

from syngen.data import read_table_bytes
from syngen.profiling import profile_table


def wide_table(columns: int, rows: int) -> bytes:
    """`columns` columns of five kinds in turn, `rows` rows, seeded."""
    rng = np.random.default_rng(0)
    makers = [
        lambda j: rng.choice(["a", "b", "c", "d"], rows),
        lambda j: np.round(rng.normal(50, 10, rows), 3).astype(str),
        lambda j: rng.integers(0, 1000, rows).astype(str),
        lambda j: pd.to_datetime(rng.integers(1.4e9, 1.5e9, rows), unit="s").strftime("%Y-%m-%d %H:%M:%S"),
        lambda j: [f"some words here number {i} and more {j}" for i in range(rows)],
    ]
    frame = pd.DataFrame({f"c{j}": makers[j % 5](j) for j in range(columns)})
    return frame.to_csv(index=False).encode()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--columns", default="50,100,200", help="comma-separated column counts")
    parser.add_argument("--rows", type=int, default=14640)
    args = parser.parse_args()
    print("columns | rows | profile seconds")
    for columns in (int(c) for c in args.columns.split(",")):
        table = read_table_bytes(wide_table(columns, args.rows), source="wide.csv")
        started = time.perf_counter()
        profile_table(table)
        print(f"{columns} | {args.rows:,} | {time.perf_counter() - started:.1f}")


if __name__ == "__main__":
    main()
