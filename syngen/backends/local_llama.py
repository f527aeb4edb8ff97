"""One llama.cpp model and context, through llama-cpp-python's bindings of llama.h (its public C API).

The context gives each sequence its own KV cache stream (llama.cpp's `kv_unified = false`), so a sequence's
attention reads only its own cells: with one unified cache every token attends over the cells of all sequences,
which made decoding 8 sequences with 900-token prompts half as fast (a micro-benchmark, docs/embedded-model.md). A
sequence with an equal prompt prefix takes a copy of another's stream (`share`), and one `decode` call advances
every sequence by a step. Imported only by `LocalBackend.load()`.
"""

from __future__ import annotations

import ctypes
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import llama_cpp
from llama_cpp.llama_chat_format import Jinja2ChatFormatter

from syngen.errors import BackendError

KV_BUDGET_BYTES = 1 << 30  # the KV cache may take at most this much, or a quarter of the free memory if less
# Tokens per sequence at first: the supplements prompts average 311 tokens and their answers 42 (a 200-row run's
# sidecar), and 1,024 tokens of 8 sequences hold 185 MB. A longer request grows every sequence's context to the cap.
START_CONTEXT = 1024
_METADATA_BYTES = 1 << 16


@dataclass(frozen=True)
class Entry:
    """One token to decode: its sequence, position, and whether its logits are wanted."""

    token: int
    pos: int
    seq: int
    logits: bool


def _quiet(level: int, text: bytes, data: Any) -> None:
    """llama.cpp logs every tensor at load; SynGen reports failures as errors instead."""


_QUIET = llama_cpp.llama_log_callback(_quiet)  # module-level: the C side keeps the pointer


def convert_to_q8_0(source: Path, target: Path, threads: int) -> None:
    """Write `source`'s model with its weights at Q8_0 to `target` (llama.cpp's own quantizer), whole or not
    at all: another process may be reading `target` (the cache) as it appears."""
    llama_cpp.llama_log_set(_QUIET, ctypes.c_void_p(0))
    params = llama_cpp.llama_model_quantize_default_params()
    params.ftype, params.allow_requantize, params.nthread = llama_cpp.LLAMA_FTYPE_MOSTLY_Q8_0, True, threads
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _unwritable(target, exc.strerror) from exc
    partial = target.with_name(f".{target.name}.{os.getpid()}.part")
    try:
        status = llama_cpp.llama_model_quantize(str(source).encode(), str(partial).encode(), ctypes.byref(params))
        if status != 0:
            raise _unwritable(target, f"llama.cpp's quantizer failed with status {status}")
        partial.replace(target)
    except OSError as exc:
        raise _unwritable(target, exc.strerror) from exc
    finally:
        partial.unlink(missing_ok=True)


def _unwritable(target: Path, why: str) -> BackendError:
    return BackendError(f"cannot write the model's Q8_0 weights to {target.parent} ({why})",
                        "Point SYNGEN_CACHE_DIR at a writable folder, or pass --backend-option weights=file")


class LlamaRuntime:
    def __init__(self, path: Path, n_ctx: int | None, n_seq: int, threads: int, n_batch: int = 512) -> None:
        """`n_ctx` fixes each sequence's context (a prompt plus its answer must fit it); None: it starts at
        START_CONTEXT and grows with the longest request, up to the trained context or the memory budget."""
        llama_cpp.llama_log_set(_QUIET, ctypes.c_void_p(0))
        llama_cpp.llama_backend_init()
        self.model = self._load_model(path)
        self.vocab = llama_cpp.llama_model_get_vocab(self.model)
        self.n_vocab = llama_cpp.llama_vocab_n_tokens(self.vocab)
        self.n_ctx_train = llama_cpp.llama_model_n_ctx_train(self.model)
        self.n_seq = n_seq
        self.max_ctx = n_ctx or self.default_n_ctx()
        self.n_ctx = n_ctx or min(START_CONTEXT, self.max_ctx)
        self.n_batch = n_batch
        self.threads = threads
        self.ctx = self._new_context(n_seq, threads)
        self.memory = llama_cpp.llama_get_memory(self.ctx)
        self.batch = llama_cpp.llama_batch_init(n_batch, 0, 1)
        self.formatter = self._chat_formatter()
        self._piece = ctypes.create_string_buffer(256)

    @staticmethod
    def _load_model(path: Path) -> Any:
        params = llama_cpp.llama_model_default_params()
        # Extra buffer types repack weights for AMX; ggml's AMX matmul crashes on some Sapphire Rapids VMs
        # (llama.cpp issue 20824, seen here). Q4 models lose nothing measurable without it on AVX-512.
        params.use_extra_bufts = False
        model = llama_cpp.llama_model_load_from_file(str(path).encode(), params)
        if not model:
            raise BackendError(f"llama.cpp could not load {path}", "Pass a valid GGUF model file")
        return model

    def kv_bytes_per_cell(self) -> int:
        """f16 K and V of every layer for one token."""
        heads, heads_kv = llama_cpp.llama_model_n_head(self.model), llama_cpp.llama_model_n_head_kv(self.model)
        n_embd_kv = llama_cpp.llama_model_n_embd(self.model) * heads_kv // max(1, heads)
        return 2 * 2 * llama_cpp.llama_model_n_layer(self.model) * n_embd_kv

    def default_n_ctx(self) -> int:
        """The trained context, or less where its KV cache would not fit the memory budget."""
        pages = os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
        budget = min(KV_BUDGET_BYTES, pages // 4)
        fits = budget // self.n_seq // self.kv_bytes_per_cell() // 256 * 256
        return max(512, min(self.n_ctx_train, fits))

    def grow(self, tokens: int) -> bool:
        """Make each sequence's context hold `tokens` (at most `max_ctx`); True if it grew (the cache is empty)."""
        if tokens <= self.n_ctx:
            return False
        llama_cpp.llama_free(self.ctx)
        self.ctx = None
        self.n_ctx = min(self.max_ctx, -(-tokens // 512) * 512)
        self.ctx = self._new_context(self.n_seq, self.threads)
        self.memory = llama_cpp.llama_get_memory(self.ctx)
        return True

    def _new_context(self, n_seq: int, threads: int) -> Any:
        params = llama_cpp.llama_context_default_params()
        params.n_ctx, params.n_batch, params.n_ubatch = self.n_ctx * n_seq, self.n_batch, self.n_batch
        params.n_seq_max, params.kv_unified = n_seq, False
        params.n_threads = params.n_threads_batch = threads
        params.no_perf = True
        # Measured: with flash attention a sequence's logits change with the other sequences in its batch (up
        # to 0.9, a total-variation distance of 0.05 between next-token distributions). Without it they still
        # change with the cells the sequence occupies and with one-token against larger batches, but no more.
        params.flash_attn_type = llama_cpp.LLAMA_FLASH_ATTN_TYPE_DISABLED
        ctx = llama_cpp.llama_init_from_model(self.model, params)
        if not ctx:
            raise BackendError(f"llama.cpp could not make a context of {self.n_ctx} tokens",
                               "Pass a smaller --backend-option n_ctx=N or batch_size=N")
        return ctx

    def _chat_formatter(self) -> Jinja2ChatFormatter:
        template = self.metadata("tokenizer.chat_template")
        if not template:
            raise BackendError("the GGUF model has no chat template", "Pass a chat (instruct) model's GGUF file")
        eos, bos = llama_cpp.llama_vocab_eos(self.vocab), llama_cpp.llama_vocab_bos(self.vocab)
        return Jinja2ChatFormatter(template=template, eos_token=self.token_text(eos), bos_token=self.token_text(bos))

    def metadata(self, key: str) -> str | None:
        buffer = ctypes.create_string_buffer(_METADATA_BYTES)
        size = llama_cpp.llama_model_meta_val_str(self.model, key.encode(), buffer, _METADATA_BYTES)
        return buffer.value.decode("utf-8", "replace") if size >= 0 else None

    def token_text(self, token: int) -> str:
        return "" if token < 0 else llama_cpp.llama_vocab_get_text(self.vocab, token).decode("utf-8", "replace")

    def chat_tokens(self, messages: list[dict[str, str]]) -> list[int]:
        """The prompt as llama-cpp-python's chat completion builds it: the model's template, special tokens."""
        return self.tokenize(self.formatter(messages=messages).prompt)

    def tokenize(self, text: str) -> list[int]:
        data = text.encode("utf-8")
        tokens = (llama_cpp.llama_token * (len(data) + 2))()
        count = llama_cpp.llama_tokenize(self.vocab, data, len(data), tokens, len(tokens), False, True)
        return list(tokens[:count])

    def piece(self, token: int) -> bytes:
        """The token's bytes as text; control tokens (end of turn) are empty."""
        size = llama_cpp.llama_token_to_piece(self.vocab, token, self._piece, len(self._piece), 0, False)
        return self._piece.raw[:size] if size > 0 else b""

    def is_end(self, token: int) -> bool:
        return bool(llama_cpp.llama_vocab_is_eog(self.vocab, token))

    def decode(self, entries: Sequence[Entry]) -> None:
        batch = self.batch
        batch.n_tokens = len(entries)
        for i, entry in enumerate(entries):
            batch.token[i], batch.pos[i], batch.logits[i] = entry.token, entry.pos, entry.logits
            batch.n_seq_id[i], batch.seq_id[i][0] = 1, entry.seq
        status = llama_cpp.llama_decode(self.ctx, batch)
        if status != 0:
            raise BackendError(f"llama.cpp could not decode a batch (status {status})",
                               "Pass a smaller --backend-option batch_size=N")

    def logits(self, index: int) -> Any:
        """The logits of the index-th entry of the last decode (a C float array of n_vocab)."""
        return llama_cpp.llama_get_logits_ith(self.ctx, index)

    def clear(self) -> None:
        """Empty the cache, so that the next sequences take the same cells as after loading."""
        llama_cpp.llama_memory_clear(self.memory, True)

    def forget(self, seq: int, start: int = 0) -> None:
        """Drop the sequence's cells from position `start` on."""
        llama_cpp.llama_memory_seq_rm(self.memory, seq, start, -1)

    def share(self, source: int, target: int, length: int) -> None:
        """Give `target` the first `length` cells of `source`. Across streams llama.cpp copies a whole stream (at
        the next decode, before its tokens are placed), so the copy is cut back to the prefix."""
        llama_cpp.llama_memory_seq_cp(self.memory, source, target, -1, -1)
        llama_cpp.llama_memory_seq_rm(self.memory, target, length, -1)

    def close(self) -> None:
        if getattr(self, "batch", None) is not None:
            llama_cpp.llama_batch_free(self.batch)
            self.batch = None
        if getattr(self, "ctx", None):
            llama_cpp.llama_free(self.ctx)
            self.ctx = None
        if getattr(self, "model", None):
            llama_cpp.llama_model_free(self.model)
            self.model = None
