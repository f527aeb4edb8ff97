"""Fixtures for the evaluation tests: the real reviews split in halves, and one embedder per session.

The embedder uses the normal on-disk cache (SYNGEN_CACHE_DIR or ~/.cache/syngen), so the real texts are
embedded once per machine; a fresh CI machine pays that once, about half a minute.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from syngen.data.loader import Table


@pytest.fixture(scope="session")
def embedder():
    from syngen.evaluation.embeddings import default_embedder

    return default_embedder()


@pytest.fixture(scope="session")
def halves(real_profile) -> tuple[pd.DataFrame, pd.DataFrame]:
    table, _, _ = real_profile
    order = np.random.default_rng(0).permutation(len(table.frame))
    half = len(order) // 2
    first = table.frame.iloc[order[:half]].reset_index(drop=True)
    second = table.frame.iloc[order[half:]].reset_index(drop=True)
    return first, second


@pytest.fixture(scope="session")
def half_context(real_profile, halves, embedder):
    """Real half A as the reference, with no synthetic rows yet: tests call `with_synthetic`."""
    from syngen.evaluation.context import EvalContext
    from syngen.profiling import profile_table

    _, catalogue, _ = real_profile
    first, second = halves
    profile = profile_table(Table(first, "first half", "utf-8", ","), catalogue)
    return EvalContext(real=first, synthetic=second.iloc[:0], profile=profile, embedder=embedder,
                       topic=profile.topic, expected_rows=len(second))
