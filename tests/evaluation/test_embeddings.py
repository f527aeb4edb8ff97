import numpy as np

from syngen.evaluation.embeddings import Embedder


def test_embeddings_are_unit_vectors_and_cached_on_disk(tmp_path):
    cache = tmp_path / "cache.sqlite"
    first = Embedder(cache_path=cache)
    texts = ["Great vitamins, more energy.", "Terrible taste.", "Great vitamins, more energy."]
    vectors = first.encode(texts)
    assert vectors.shape == (3, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert first.encoded == 2  # the repeated text is embedded once
    assert vectors[0] @ vectors[2] > 0.999 and vectors[0] @ vectors[1] < 0.9

    second = Embedder(cache_path=cache)  # a new process: everything comes from the SQLite file
    assert np.allclose(second.encode(texts), vectors)
    assert second.encoded == 0
    assert second.encode([]).shape == (0, 384)


def test_unwritable_cache_is_a_metric_error(tmp_path):
    import pytest

    from syngen.errors import MetricError
    from syngen.evaluation.embeddings import EmbeddingCache

    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(MetricError, match="SYNGEN_CACHE_DIR"):
        EmbeddingCache(blocker / "embeddings.sqlite")
