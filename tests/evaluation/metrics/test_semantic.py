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
