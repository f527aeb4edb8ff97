"""The numpy MiniLM encoder gives sentence-transformers' vectors without torch, and tells off-topic texts apart."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from threadpoolctl import threadpool_info

from syngen.errors import MetricError
from syngen.profiling.embedder import MAX_TOKENS, SentenceEncoder, model_dir, sentence_encoder

DEMO = Path(__file__).parents[2] / "syngen" / "demo" / "reviews.csv"
LONG = ("I started taking these capsules in March after my doctor suggested magnesium for cramps, and at first "
        "nothing changed, but by the third week the night cramps were gone and I slept through. ") * 6
VARIED = [
    "",
    "   ",
    "Ok",
    "Good stuff.",
    "This is a great product, it helped my sleep.",
    "WORKS GREAT!!! 10/10 would buy again!!!",
    "😀🔥💊 love it 👍👍",
    "Très bon produit, je le recommande à tous mes amis.",
    "Das Produkt ist gut, aber die Kapseln sind sehr groß.",
    "这个产品很好，我每天都吃。",
    "この商品はとても良いです。",
    "Отличный продукт, помог мне спать.",
    "المنتج رائع جدا",
    "Price: $19.99 for 120 caps (0.17/cap) — see https://example.com/item?id=42",
    "line one\nline two\tafter a tab",
    "<b>bold</b> &amp; <i>italic</i>",
    "soooooooo goooood",
    "naïve café résumé coöperate",
    LONG,
    "Made me feel wired and anxious, couldn't sleep even taking it in the morning. " * 12,
]


@pytest.fixture(scope="module")
def encoder() -> SentenceEncoder:
    return sentence_encoder().load()


def _blas_threads() -> list[int]:
    return [pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"]


def test_one_unit_length_float32_row_per_text(encoder):
    vectors = encoder.encode(VARIED)
    assert vectors.shape == (len(VARIED), 384) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert encoder.encode([]).shape == (0, 384)


def test_vectors_match_sentence_transformers(encoder):
    pytest.importorskip("sentence_transformers", reason="the eval extra is not installed")
    from syngen.evaluation.embeddings import _new_model

    expected = _new_model(model_dir()).encode(VARIED, normalize_embeddings=True, convert_to_numpy=True)
    cosines = (encoder.encode(VARIED) * expected).sum(axis=1)
    worst = int(cosines.argmin())
    assert cosines.min() >= 0.999, f"cosine {cosines[worst]:.5f} for {VARIED[worst][:60]!r}"


def test_a_text_alone_or_in_a_padded_batch_gets_the_same_vector(encoder):
    alone = encoder.encode(["Good stuff."])[0]
    batched = encoder.encode([LONG, "Good stuff.", "Too much for me, made me jittery."], batch_size=3)[1]
    assert float(alone @ batched) >= 0.9999


def test_the_order_given_is_the_order_returned(encoder):
    forward = encoder.encode(VARIED, batch_size=4)
    backward = encoder.encode(VARIED[::-1], batch_size=4)[::-1]
    assert np.allclose(forward, backward, atol=1e-4)


def test_words_past_the_token_limit_do_not_change_a_vector(encoder):
    head = " ".join(["capsule"] * (MAX_TOKENS + 10))
    cut = encoder.encode([head + " terrible awful poison", head + " wonderful lovely"])
    assert float(cut[0] @ cut[1]) >= 0.9999


def test_an_off_topic_text_is_farther_from_the_real_texts_than_almost_any_real_text():
    texts = pd.read_csv(DEMO)["text"].dropna().astype(str).drop_duplicates().tolist()
    encoder = sentence_encoder()
    real = encoder.encode(texts)
    similarities = real @ real.T
    np.fill_diagonal(similarities, -1.0)
    threshold = np.quantile(similarities.max(axis=1), 0.05)
    off, on = encoder.encode(["I can't say enough joy I get from creating my own world in this game.",
                              "This is a great product, it helped my sleep."])
    assert (real @ off).max() < threshold < (real @ on).max()


def test_threads_sharing_the_encoder_get_the_same_vectors_and_leave_blas_as_it_was():
    before = _blas_threads()
    shared, start, results = SentenceEncoder(), threading.Barrier(4), []

    def run() -> None:
        start.wait()
        results.append(shared.encode(VARIED[:8]))

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 4 and all(np.allclose(r, results[0], atol=1e-6) for r in results)
    assert _blas_threads() == before
    assert sentence_encoder() is sentence_encoder()


def test_weights_of_another_model_are_refused_with_the_fix(tmp_path):
    source = model_dir()
    for name in ("config.json", "modules.json", "tokenizer.json"):
        shutil.copy(source / name, tmp_path / name)
    shutil.copytree(source / "1_Pooling", tmp_path / "1_Pooling")
    config = json.loads((tmp_path / "config.json").read_text())
    (tmp_path / "config.json").write_text(json.dumps({**config, "hidden_act": "relu"}))
    with pytest.raises(MetricError, match="not all-MiniLM-L6-v2.*Reinstall"):
        SentenceEncoder(tmp_path).encode(["hello"])


def test_encoding_never_imports_torch():
    code = ("import sys; import syngen.profiling.embedder as e; e.sentence_encoder().encode(['Good stuff.']); "
            "print(sorted(m for m in ('torch', 'transformers', 'sentence_transformers') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                          cwd=Path(__file__).parents[2])
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_the_encoder_travels_to_another_process_as_that_process_s_own():
    import pickle

    from syngen.profiling.embedder import sentence_encoder

    shared = sentence_encoder()
    assert pickle.loads(pickle.dumps(shared)) is shared  # in this process: the same one, weights loaded once
