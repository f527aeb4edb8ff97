"""Property-based fuzzing of the loader and the profiler: any input gives a result or a clean SynGenError.

Inputs that once crashed are kept in corpus/ and replayed as regression tests.
"""

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from syngen.data import read_table_bytes
from syngen.errors import SynGenError
from syngen.profiling import profile_table
from syngen.sampling import RowPlanner

CORPUS = Path(__file__).parent / "corpus"
# FUZZ_EXAMPLES=2000 for a longer hunt than CI runs.
FUZZ = settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "150")), deadline=None,
                suppress_health_check=[HealthCheck.too_slow])

cell = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["", "5", "-1.5", "True", "2021-03-04 10:11:12.123", "1.23E+11", '"quoted, comma"', "=SUM(A1)",
                     "ümlaut", "line\nbreak", "\x00"]),
)


def load_and_profile(raw: bytes) -> None:
    try:
        table = read_table_bytes(raw, source="fuzz.csv")
        profile = profile_table(table)
        planner = RowPlanner(profile, None, seed=1)
        for position in range(3):
            planner.skeleton(position)
    except SynGenError as exc:
        assert exc.one_line() and "\n" not in exc.one_line()


@FUZZ
@given(st.binary(max_size=400))
def test_any_bytes_load_or_fail_cleanly(raw):
    load_and_profile(raw)


@FUZZ
@given(
    st.lists(st.text(min_size=1, max_size=12), min_size=1, max_size=5),
    st.lists(st.lists(cell, min_size=1, max_size=6), min_size=0, max_size=25),
    st.sampled_from([",", "\t", ";"]),
    st.sampled_from(["utf-8", "utf-16", "latin-1"]),
)
def test_any_table_loads_and_profiles_or_fails_cleanly(header, rows, delimiter, encoding):
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    try:
        raw = buffer.getvalue().encode(encoding)
    except UnicodeEncodeError:
        raw = buffer.getvalue().encode("utf-8")
    load_and_profile(raw)


@pytest.mark.parametrize("path", sorted(CORPUS.glob("*")), ids=lambda p: p.name)
def test_corpus_of_former_crashes(path):
    load_and_profile(path.read_bytes())
