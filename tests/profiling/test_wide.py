"""A wide table is profiled column by column, and the caller hears of every column as it is done (its speed is
benchmarks/bench_profile.py's to measure, not a test's)."""

import importlib.util
from pathlib import Path

from syngen.data import read_table_bytes
from syngen.profiling import profile_table

PATH = Path(__file__).parents[2] / "benchmarks" / "bench_profile.py"
spec = importlib.util.spec_from_file_location("bench_profile", PATH)
bench_profile = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bench_profile)


def test_two_hundred_columns_are_profiled_with_progress():
    table = read_table_bytes(bench_profile.wide_table(200, 2000), source="wide.csv")
    heard = []
    profile = profile_table(table, progress=lambda done, total, name: heard.append((done, total)))
    assert len(profile.columns) == 200 and heard[-1] == (200, 200) and len(heard) == 200
    assert [c.kind.value for c in profile.columns[:5]] == ["categorical", "float", "integer", "datetime", "text"]
