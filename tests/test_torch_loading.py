"""Models loaded from several threads at once (the app's report threads, a backend) all get real weights.

transformers swaps `torch.nn.Module.register_parameter` for the whole process while it builds a model; two
loads that overlap used to leave it swapped, and every later load in the process failed with "Cannot copy
out of meta tensor" (the order-dependent failures of the app and evaluation tests)."""

from __future__ import annotations

import threading

import numpy as np
import pytest

pytest.importorskip("sentence_transformers", reason="the eval extra is not installed")

from torch import nn  # noqa: E402 - after the skip

from syngen.errors import SynGenError  # noqa: E402
from syngen.evaluation import embeddings  # noqa: E402
from syngen.torch_loading import loading_model  # noqa: E402


def test_models_loaded_by_threads_at_once_have_real_weights(monkeypatch):
    monkeypatch.setattr(embeddings, "_MODELS", {})  # as in a fresh process
    path, start = embeddings.model_dir(), threading.Barrier(3)
    loaded, errors = [], []

    def load() -> None:
        start.wait()
        try:
            loaded.append(embeddings._load_model(path))
        except Exception as exc:  # noqa: BLE001 - the test reports what a thread met
            errors.append(repr(exc))

    threads = [threading.Thread(target=load) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert len({id(model) for model in loaded}) == 1  # loaded once, the others waited for it
    assert nn.Module.register_parameter.__qualname__ == "Module.register_parameter"  # torch left as it was
    vector = loaded[0].encode(["A fresh model after the others."], normalize_embeddings=True)
    assert vector.shape == (1, embeddings.DIMENSIONS) and np.isclose(np.linalg.norm(vector), 1.0, atol=1e-5)


def test_a_process_left_building_empty_weights_is_one_clear_error():
    from accelerate import init_empty_weights

    with init_empty_weights(), pytest.raises(SynGenError, match="meta.*Restart the process"), loading_model():
        pass
