"""Metrics on sentence embeddings (unit vectors): semantic diversity and nearest-neighbour similarity."""

from __future__ import annotations

import numpy as np

from syngen.evaluation.metrics import base
from syngen.evaluation.metrics.sampled import EqualBudgetMetric

EMBEDDING_SAMPLE = 500  # Vendi and pairwise cosine on 500 vectors: stable, and a 500x500 matrix is cheap


def vendi_score(vectors: np.ndarray) -> float:
    """Vendi score (Friedman & Dieng 2023) with the cosine kernel: the effective number of distinct items,
    1 when all are identical, n when all are orthogonal. exp(entropy of the eigenvalues of K/n); K = X X^T
    has the same non-zero eigenvalues as X^T X, so the smaller of the two matrices is decomposed."""
    n = len(vectors)
    if n == 0:
        return 0.0
    x = vectors.astype(np.float64)
    gram = x @ x.T if n <= x.shape[1] else x.T @ x
    eigenvalues = np.linalg.eigvalsh(gram / n)
    eigenvalues = eigenvalues[eigenvalues > 1e-12]
    eigenvalues = eigenvalues / eigenvalues.sum()
    return float(np.exp(-np.sum(eigenvalues * np.log(eigenvalues))))


def mean_pairwise_cosine(vectors: np.ndarray) -> float:
    n = len(vectors)
    if n < 2:
        return 1.0
    total = vectors.sum(axis=0)
    # sum over all pairs of dot products = |sum|^2, minus the n self-products (each 1 for unit vectors)
    return float((total @ total - np.sum(vectors * vectors)) / (n * (n - 1)))


class VendiScore(EqualBudgetMetric):
    name = "vendi_score"
    max_budget = EMBEDDING_SAMPLE

    def measure(self, items: list[np.ndarray]) -> float:
        return vendi_score(np.stack(items)) if items else 0.0


class MeanPairwiseCosine(EqualBudgetMetric):
    """Mean cosine similarity between two texts of the same side: the embedding view of homogenisation."""

    name = "mean_pairwise_cosine"
    max_budget = EMBEDDING_SAMPLE

    def measure(self, items: list[np.ndarray]) -> float:
        return mean_pairwise_cosine(np.stack(items)) if items else 0.0


def nearest_similarity(queries: np.ndarray, references: np.ndarray, leave_one_out: bool = False) -> np.ndarray:
    """For each query vector, the cosine similarity of the most similar reference vector. With
    `leave_one_out` the queries are the references and each one's own row is skipped: the holdout view
    of how close a real record is to the rest of the real data."""
    if len(queries) == 0 or len(references) == 0:
        return np.zeros(len(queries), dtype=np.float32)
    best = np.empty(len(queries), dtype=np.float32)
    for rows in base.row_chunks(len(queries), len(references)):  # bounded memory: a block of rows at a time
        block = queries[rows] @ references.T
        if leave_one_out:
            own = np.arange(len(block))
            block[own, own + rows.start] = -np.inf
        best[rows] = block.max(axis=1)
    return best
