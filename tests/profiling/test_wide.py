"""A wide table profiles in seconds (per column O(n); pairs of structured columns one bincount each), and the
caller hears of every column as it is done."""

import time

import numpy as np
import pandas as pd

from syngen.data import read_table_bytes
from syngen.profiling import profile_table


def _wide(columns: int, rows: int) -> bytes:
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


def test_two_hundred_columns_profile_in_seconds_with_progress():
    table = read_table_bytes(_wide(200, 2000), source="wide.csv")
    heard = []
    started = time.perf_counter()
    profile = profile_table(table, progress=lambda done, total, name: heard.append((done, total)))
    elapsed = time.perf_counter() - started
    assert len(profile.columns) == 200 and heard[-1] == (200, 200) and len(heard) == 200
    assert elapsed < 30, f"{elapsed:.1f} s (about 4 s on an idle 2-core machine)"
