import numpy as np
import pytest

from syngen.evaluation.metrics.semantic import (
    MeanPairwiseCosine,
    VendiScore,
    mean_pairwise_cosine,
    nearest_similarity,
    vendi_score,
)


def test_vendi_score_counts_effective_items():
    same = np.tile([[1.0, 0.0, 0.0]], (4, 1))
    orthogonal = np.eye(3)
    assert vendi_score(same) == pytest.approx(1.0)
    assert vendi_score(orthogonal) == pytest.approx(3.0)
    # two identical pairs of orthogonal vectors: two effective items
    assert vendi_score(np.array([[1, 0], [1, 0], [0, 1], [0, 1.0]])) == pytest.approx(2.0)
    # more items than dimensions takes the d x d route: same answer
    assert vendi_score(np.tile(np.eye(2), (300, 1))) == pytest.approx(2.0)


def test_mean_pairwise_cosine_by_hand():
    assert mean_pairwise_cosine(np.array([[1.0, 0], [1.0, 0]])) == pytest.approx(1.0)
    assert mean_pairwise_cosine(np.array([[1.0, 0], [0, 1.0]])) == pytest.approx(0.0)
    # three vectors: pairs (1,2)=1, (1,3)=0, (2,3)=0 -> mean 1/3
    assert mean_pairwise_cosine(np.array([[1.0, 0], [1.0, 0], [0, 1.0]])) == pytest.approx(1 / 3)


def test_embedding_metrics_compare_with_real():
    rng = np.random.default_rng(0)
    varied = rng.normal(size=(50, 8))
    varied /= np.linalg.norm(varied, axis=1, keepdims=True)
    collapsed = np.tile(varied[:1], (50, 1))
    vendi = VendiScore(repeats=1)
    assert vendi.normalize(vendi.compute(list(varied), list(varied))) == pytest.approx(1.0)
    assert vendi.normalize(vendi.compute(list(varied), list(collapsed))) < 0.2  # 1 effective item of ~7.4
    cosine = MeanPairwiseCosine(repeats=1)
    assert cosine.normalize(cosine.compute(list(varied), list(collapsed))) < 0.1


def test_nearest_similarity_with_and_without_self():
    vectors = np.array([[1.0, 0], [0.6, 0.8], [0, 1.0]])
    assert nearest_similarity(vectors, vectors).tolist() == pytest.approx([1, 1, 1])
    assert nearest_similarity(vectors, vectors, leave_one_out=True).tolist() == pytest.approx([0.6, 0.8, 0.8])
    assert len(nearest_similarity(vectors[:0], vectors)) == 0


def test_nearest_similarity_holds_a_bounded_block_in_memory(monkeypatch):
    import tracemalloc

    from syngen.evaluation.metrics import base

    rng = np.random.default_rng(3)
    queries = rng.normal(size=(2_000, 4)).astype(np.float32)
    references = rng.normal(size=(20_000, 4)).astype(np.float32)
    expected = (queries[:50] @ references.T).max(axis=1)
    monkeypatch.setattr(base, "MAX_CELLS", 1_000_000)  # 4 MB of float32 a block; the whole matrix is 160 MB
    tracemalloc.start()
    best = nearest_similarity(queries, references)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert best[:50] == pytest.approx(expected, rel=1e-5)
    assert peak < 12_000_000
    vectors = rng.normal(size=(30, 3))
    monkeypatch.setattr(base, "MAX_CELLS", 7)  # blocks of 1 row: leave-one-out must skip the right cell
    assert nearest_similarity(vectors, vectors, leave_one_out=True) == pytest.approx(
        np.sort(vectors @ vectors.T - np.eye(30) * 1e9, axis=1)[:, -1])
