"""The planner's per-row draws made cheaply (bench_pipeline's profile: a skeleton cost 0.67 ms, most of it a new
generator for every Weyl draw and np.interp copying the whole sample list) give the same values, bit for bit."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from syngen.data.loader import load_table
from syngen.demo import demo_paths
from syngen.profiling.infer import profile_table
from syngen.sampling.columns import quantile_at
from syngen.sampling.planner import _PRIMES, RowPlanner

finite = st.floats(-1e9, 1e9, allow_nan=False, allow_infinity=False)


@settings(max_examples=400, deadline=None)
@given(st.lists(finite | st.integers(-10**6, 10**6), min_size=1, max_size=40),
       st.floats(0, 1, exclude_max=True) | st.sampled_from([0.0, 0.5, 0.25, 1 - 2**-53]))
def test_a_quantile_is_np_interps_to_the_bit(values, u):
    ordered = sorted(values)
    expected = float(np.interp(u * (len(ordered) - 1), np.arange(len(ordered)), ordered))
    assert quantile_at(u, ordered) == expected


def test_weyl_draws_are_the_fresh_generators_ones():
    planner = RowPlanner(profile_table(load_table(demo_paths()[0])), None, seed=11)
    for stream in (0, 3, 30):
        step = np.sqrt(_PRIMES[stream % len(_PRIMES)]) % 1.0
        offset = np.random.default_rng([11, stream, 7]).uniform()
        for position in (0, 1, 999, 123_457):
            assert planner.u(position, stream) == float((offset + position * step) % 1.0)
