"""Grammar-constrained sampling for the local backend that checks the grammar after sampling, not before.

llama-cpp-python puts the JSON-schema grammar first in its sampler chain, so every token costs a grammar
check of the whole vocabulary (49,152 tokens for SmolLM2): about 10 ms a token, a third of the time of a
row on a 2-core CPU. llama.cpp's own samplers (common_sampler) sample from the unconstrained chain
first, check only the chosen token against the grammar, and constrain the whole vocabulary only when
that token is not allowed. This module does the same; the answers still always follow the grammar.
Imported only by `LocalBackend.load()`. It reaches into llama-cpp-python's internals (`Llama._init_sampler`,
`LlamaGrammar._grammar`), which is one reason pyproject pins llama-cpp-python to one exact version.
"""

from __future__ import annotations

import ctypes
import math
from typing import Any

import llama_cpp
import numpy as np
from llama_cpp import Llama

from syngen.errors import BackendError

_TOKEN_DATA = np.dtype([("id", np.int32), ("logit", np.float32), ("p", np.float32)], align=True)


class GrammarCheckedSampler:
    """Drop-in for llama-cpp-python's LlamaSampler (`sample`, `close`): an unconstrained chain plus a grammar."""

    def __init__(self, chain: Any, model: Any, grammar: Any, n_vocab: int) -> None:
        self.chain = chain
        self.grammar = llama_cpp.llama_sampler_init_grammar(
            model.vocab, grammar._grammar.encode("utf-8"), grammar._root.encode("utf-8"))
        if not self.grammar:  # a NULL sampler would crash the process at the first token
            chain.close()
            raise BackendError("llama.cpp could not compile the answer's JSON schema into a grammar",
                               "Shorten the text columns' length bounds, or report the schema as a bug")
        self.n_vocab = n_vocab
        self.token_ids = np.arange(n_vocab, dtype=np.int32)
        self.candidates = np.zeros(n_vocab, dtype=_TOKEN_DATA)
        self.single = llama_cpp.llama_token_data()

    def sample(self, ctx: Any, idx: int = -1) -> int:
        logits = llama_cpp.llama_get_logits_ith(ctx.ctx, idx)
        token = self._pick(logits, constrained=False)
        if not self._allowed(token):
            token = self._pick(logits, constrained=True)
        llama_cpp.llama_sampler_accept(self.grammar, token)
        llama_cpp.llama_sampler_accept(self.chain.sampler, token)
        return token

    def _pick(self, logits: Any, constrained: bool) -> int:
        self.candidates["logit"] = np.ctypeslib.as_array(logits, shape=(self.n_vocab,))
        self.candidates["p"] = 0.0
        self.candidates["id"] = self.token_ids  # samplers reorder the array in place
        array = _token_array(self.candidates.ctypes.data_as(llama_cpp.llama_token_data_p), self.n_vocab)
        if constrained:
            llama_cpp.llama_sampler_apply(self.grammar, ctypes.byref(array))
        llama_cpp.llama_sampler_apply(self.chain.sampler, ctypes.byref(array))
        return int(array.data[array.selected].id)  # samplers may point `data` at their own buffer

    def _allowed(self, token: int) -> bool:
        self.single.id, self.single.logit, self.single.p = token, 1.0, 0.0
        array = _token_array(ctypes.pointer(self.single), 1)
        llama_cpp.llama_sampler_apply(self.grammar, ctypes.byref(array))
        return math.isfinite(self.single.logit)

    def close(self) -> None:
        if getattr(self, "grammar", None):
            llama_cpp.llama_sampler_free(self.grammar)
            self.grammar = None
        self.chain.close()

    def __del__(self) -> None:
        self.close()


def _token_array(data: Any, size: int) -> Any:
    """Candidates as llama.cpp's samplers take them: nothing selected yet, not sorted."""
    return llama_cpp.llama_token_data_array(data=data, size=size, selected=-1, sorted=False)


class FastGrammarLlama(Llama):
    """Llama whose grammar-constrained generations use GrammarCheckedSampler; everything else unchanged."""

    def _init_sampler(self, *args: Any, grammar: Any = None, **kwargs: Any) -> Any:
        chain = super()._init_sampler(*args, grammar=None, **kwargs)
        if grammar is None:
            return chain
        return GrammarCheckedSampler(chain, self._model, grammar, self._n_vocab)
