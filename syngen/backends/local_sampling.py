"""Sampling for one sequence of the local backend: llama.cpp's sampler chain, constrained by llguidance.

Each sequence has its own samplers (repeat penalty, DRY sparing the inside of words, then top-k, typical, top-p,
min-p, temperature, a seeded draw: the chain llama-cpp-python's chat completion builds) and, when its request has
a JSON schema, its own llguidance matcher. The token is drawn from the unconstrained samplers first and checked
against the matcher (well under a microsecond); only when it is not allowed is the whole vocabulary masked and the
token drawn again, as llama.cpp's own common_sampler does. Answers always follow the schema, through public APIs only.

JSON strings are strict: no raw control characters (llguidance's JSON grammar), and of the escapes only
\\n \\t \\" \\\\ (no \\u, so no escaped control character either).
"""

from __future__ import annotations

import ctypes
import json
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import llama_cpp
import llguidance
import llguidance.llamacpp
import numpy as np

from syngen.backends.endings import NO_BIAS, EndBias
from syngen.errors import BackendError

_TOKEN_DATA = np.dtype([("id", np.int32), ("logit", np.float32), ("p", np.float32)], align=True)
# Separators as json.dumps writes them, like the examples in SynGen's prompts: the model's first choice passes.
JSON_OPTIONS = {"whitespace_flexible": False, "item_separator": ", ", "key_separator": ": ",
                "json_allowed_escapes": 'nt"\\'}
PENALTY_LAST_N = 64
TOP_K, TOP_P = 40, 0.95  # llama-cpp-python's chat completion defaults
TOP_K_WINDOWS = (6.0, 12.0, 21.0)  # logits below the likeliest that end_share looks for the top-k tokens within
# DRY ("don't repeat yourself", llama.cpp's sampler): a token that would extend a run the prompt already holds is
# penalised more the longer the run, so the model can name the item but not copy an example's sentence.
DRY_BASE = 1.75  # llama.cpp's recommended base and breakers; a run resets at a breaker (JSON's quotes and colons)
DRY_BREAKERS = (b"\n", b":", b'"', b"*")
DRY_WINDOW = 4096  # tokens of prompt and answer a run is looked for in


class SchemaCompiler:
    """Turns a JSON schema into a fresh llguidance matcher for one sequence; the tokenizer is built once."""

    def __init__(self, vocab: Any, n_vocab: int) -> None:
        with warnings.catch_warnings():  # llguidance calls a deprecated alias once per token of the vocabulary
            warnings.simplefilter("ignore", DeprecationWarning)
            self.tokenizer = llguidance.llamacpp.lltokenizer_from_vocab(vocab, n_vocab=n_vocab)

    def matcher(self, schema: dict[str, Any]) -> llguidance.LLMatcher:
        try:
            grammar = llguidance.LLMatcher.grammar_from_json_schema(json.dumps(schema), defaults=JSON_OPTIONS)
        except ValueError as exc:
            raise BackendError(f"the answer's JSON schema is not valid: {exc}", "Report the schema as a bug") from exc
        matcher = llguidance.LLMatcher(self.tokenizer, grammar, log_level=0)
        if matcher.is_error():
            reason = " ".join(matcher.get_error().split())[:200]
            raise BackendError(f"llguidance could not compile the answer's JSON schema: {reason}",
                               "Shorten the text columns' length bounds, or report the schema as a bug")
        return matcher


class Scratch:
    """One candidates array for all sequences (they are sampled one after another), reset before each use, and
    which tokens close a JSON string and which end a sentence (`pieces`: each token's bytes)."""

    def __init__(self, n_vocab: int, pieces: Sequence[bytes] = ()) -> None:
        self.n_vocab = n_vocab
        self.ids = np.arange(n_vocab, dtype=np.int32)
        self.candidates = np.zeros(n_vocab, dtype=_TOKEN_DATA)
        self.closes = np.array([piece.startswith(b'"') for piece in pieces], dtype=bool)
        self.ends_sentence = np.array([piece[:1] in (b".", b"!", b"?") for piece in pieces], dtype=bool)
        self.ends = self.closes | self.ends_sentence
        self.shuts = np.array([b'"' in piece.replace(b'\\"', b"") for piece in pieces], dtype=bool)  # '."' too
        self.inside_word = np.array([_goes_on_inside_word(piece) for piece in pieces], dtype=bool)
        self.glued = _glued_twins(pieces)
        self._before = np.zeros(n_vocab, dtype=np.float32)

    def fill(self, logits: Any, mask: np.ndarray | None = None, end_bias: EndBias = NO_BIAS) -> Any:
        values = np.ctypeslib.as_array(logits, shape=(self.n_vocab,))
        if end_bias.amount:
            ending = self.shuts if end_bias.shuts else self.closes if end_bias.closes else self.ends_sentence
            values = values + end_bias.amount * ending
        self.candidates["logit"] = values if mask is None else np.where(mask, values, -np.inf)
        self.candidates["p"] = 0.0
        self.candidates["id"] = self.ids  # samplers reorder the array in place
        data = self.candidates.ctypes.data_as(llama_cpp.llama_token_data_p)
        return llama_cpp.llama_token_data_array(data=data, size=self.n_vocab, selected=-1, sorted=False)

    def spare_inside_words(self, penalise: Callable[[], None]) -> None:
        """Run `penalise` (which lowers logits in place) and move it from the tokens that go on inside a word to
        the word itself: a penalised word start (" more") lays its penalty on its twin without the space
        ("more"), which the model otherwise took instead ("not muchmore")."""
        logits, before = self.candidates["logit"], self._before
        np.copyto(before, logits)
        penalise()
        changed = np.flatnonzero(logits != before)
        if not changed.size or not self.inside_word.size:
            return
        inside = self.inside_word[changed]
        logits[changed[inside]] = before[changed[inside]]
        starts = changed[~inside]
        twins = self.glued[starts]
        has_twin = twins >= 0
        starts, twins = starts[has_twin], twins[has_twin]
        logits[twins] = np.minimum(logits[twins], before[twins] - (before[starts] - logits[starts]))


def _glued_twins(pieces: Sequence[bytes]) -> np.ndarray:
    """For each token that starts a word with a space (" more"), the token of the same word without it ("more");
    -1 where there is none."""
    ids = {piece: token for token, piece in enumerate(pieces)}
    return np.array([ids.get(piece[1:], -1) if piece[:1] == b" " and piece[1:2].isalpha() else -1
                     for piece in pieces], dtype=np.int64)


def _goes_on_inside_word(piece: bytes) -> bool:
    """A piece that continues the word before it: it starts with a letter or digit (a new word's piece starts
    with a space), or it is a contraction's ending ("'ve", "'s")."""
    text = piece.decode("utf-8", errors="ignore")
    if text[:1] in ("'", "’"):
        return text[1:].isalpha()
    return text[:1].isalnum()


@dataclass(frozen=True)
class Dry:
    """Penalty for repeating the prompt: `multiplier` 0 turns it off; runs up to `allowed` tokens are free."""

    multiplier: float
    allowed: int


class SamplerSteps:
    """llama.cpp's samplers of one sequence: the repeat penalty, DRY and the draw (top-k ... the seeded draw).

    DRY is applied on its own so that it can spare the tokens that go on inside a word: pushed off a copied run
    in the middle of a word, the model ends the word wrongly ("nauseash", "I's tried" where the example said
    "nauseous", "I've tried"); spared there, the run is broken at the next word's start, where any word reads."""

    def __init__(self, penalties: Any, dry: Any | None, draw: Any) -> None:
        self.penalties, self.dry, self.draw = penalties, dry, draw

    def apply(self, array: Any, scratch: Scratch) -> None:
        self.penalise(array, scratch)
        self.draw_from(array)

    def draw_from(self, array: Any) -> None:
        """The draw alone (top-k ... the seeded draw), on logits already penalised."""
        llama_cpp.llama_sampler_apply(self.draw, ctypes.byref(array))

    def penalise(self, array: Any, scratch: Scratch) -> None:
        """The repeat penalty and DRY, on `array` as `scratch.fill` made it (both change logits in place, so index
        i is still token i)."""
        llama_cpp.llama_sampler_apply(self.penalties, ctypes.byref(array))
        if self.dry is not None:
            scratch.spare_inside_words(lambda: llama_cpp.llama_sampler_apply(self.dry, ctypes.byref(array)))

    def accept(self, token: int) -> None:
        for step in (self.penalties, self.dry, self.draw):
            if step is not None:
                llama_cpp.llama_sampler_accept(step, token)

    def free(self) -> None:
        for step in (self.penalties, self.dry, self.draw):
            if step is not None:
                llama_cpp.llama_sampler_free(step)
        self.penalties = self.dry = self.draw = None


class EndChance:
    """Whether a token ends (a sentence end or the string's close) with the chance a lenient min_p gives it, so
    that a stricter min_p cuts unlikely words without shortening texts: cut from the words, the tail's mass went to
    the ends (measured: min_p 0.2 alone gave 0.114 -> 0.167 length KS on the supplements benchmark). Drawn
    with its own seeded generator, so a sequence's tokens depend only on its seed."""

    def __init__(self, min_p: float, temperature: float, seed: int) -> None:
        self.min_p, self.temperature = min_p, temperature
        self.rng = np.random.default_rng(seed)

    def side(self, logits: np.ndarray, ends: np.ndarray) -> np.ndarray:
        """The tokens to draw from: the ends, with the chance the lenient draw would end here, or the others."""
        chance = end_share(logits, ends, self.min_p, self.temperature)
        return ends if self.rng.random() < chance else ~ends


def end_share(logits: np.ndarray, ends: np.ndarray, min_p: float, temperature: float) -> float:
    """The chance llama.cpp's chain (top-k 40, top-p 0.95, `min_p`, `temperature`) draws one of `ends` from
    `logits` (penalised, -inf where masked); llama.cpp exposes no chain's probabilities without drawing."""
    top = _top_k(logits)
    if not top.size:
        return 0.0
    values = logits[top].astype(np.float32)  # as llama.cpp computes, so a token at the min-p bound is kept alike
    probs = np.exp(values.astype(np.float64) - values[0])
    probs /= probs.sum()
    kept = min(len(values), int(np.searchsorted(np.cumsum(probs), TOP_P)) + 1)
    values = values[:kept]
    if min_p > 0:
        values = values[values >= values[0] + np.float32(np.log(min_p))]
    weights = np.exp((values.astype(np.float64) - values[0]) / temperature)
    return float(weights[ends[top[: len(values)]]].sum() / weights.sum())


def _top_k(logits: np.ndarray) -> np.ndarray:
    """The TOP_K likeliest finite tokens, likeliest first, among those within TOP_K_WINDOWS[-1] logits of the
    likeliest: a token further down has under 1e-9 of its probability, which llama.cpp's float32 sums do not see.
    Looked for in the narrowest window holding TOP_K tokens: a partition of the whole vocabulary took 0.57 ms of
    a token's 1.0 ms here, a window's 0.05 ms."""
    best = logits.max()
    if not np.isfinite(best):
        return np.zeros(0, dtype=np.int64)
    for window in TOP_K_WINDOWS:
        near = np.flatnonzero(logits >= best - window)
        if len(near) >= TOP_K:
            break
    k = min(TOP_K, len(near))
    top = near[np.argpartition(-logits[near], k - 1)[:k]]
    return top[np.argsort(-logits[top], kind="stable")]


def sampler_chain(vocab: Any, n_vocab: int, temperature: float, seed: int, repeat_penalty: float,
                  dry: Dry, min_p: float, prompt: Sequence[int]) -> SamplerSteps:
    penalties = llama_cpp.llama_sampler_init_penalties(n_vocab, PENALTY_LAST_N, repeat_penalty, 0.0, 0.0)
    draw = llama_cpp.llama_sampler_chain_init(llama_cpp.llama_sampler_chain_default_params())
    if temperature <= 0:
        steps = [llama_cpp.llama_sampler_init_greedy()]
    else:
        steps = [llama_cpp.llama_sampler_init_top_k(TOP_K), llama_cpp.llama_sampler_init_typical(1.0, 1),
                 llama_cpp.llama_sampler_init_top_p(TOP_P, 1), llama_cpp.llama_sampler_init_min_p(min_p, 1),
                 llama_cpp.llama_sampler_init_temp(temperature), llama_cpp.llama_sampler_init_dist(seed)]
    for step in steps:
        llama_cpp.llama_sampler_chain_add(draw, step)  # the chain owns and frees its steps
    return SamplerSteps(penalties, _dry_step(vocab, dry, prompt) if dry.multiplier > 0 else None, draw)


def _dry_step(vocab: Any, dry: Dry, prompt: Sequence[int]) -> Any:
    """The DRY step, shown the prompt (only this step: the repeat penalty keeps to the answer's own tokens)."""
    breakers = (ctypes.c_char_p * len(DRY_BREAKERS))(*DRY_BREAKERS)
    step = llama_cpp.llama_sampler_init_dry(vocab, dry.multiplier, DRY_BASE, dry.allowed, DRY_WINDOW, breakers,
                                            len(DRY_BREAKERS))
    for token in prompt:
        llama_cpp.llama_sampler_accept(step, token)
    return step


class SequenceSampler:
    """Draws the tokens of one sequence; `finished` once the matcher's grammar is complete."""

    def __init__(self, chain: SamplerSteps, matcher: llguidance.LLMatcher | None, scratch: Scratch,
                 end_chance: EndChance | None = None) -> None:
        self.chain = chain
        self.matcher = matcher
        self.scratch = scratch
        self.end_chance = end_chance  # None: ends are drawn like any token
        self.masked = 0  # tokens that needed the whole-vocabulary mask (for measurement)

    def sample(self, logits: Any, end_bias: EndBias = NO_BIAS) -> int:
        """`end_bias`: logits added to the tokens that end a sentence or close the string (EndingPressure)."""
        token, side = self._draw(logits, None, end_bias)
        if self.matcher is not None and not self.matcher.validate_tokens([token]):
            self.masked += 1
            token, _ = self._draw(logits, self._instead_of(token), end_bias, side)
        self.chain.accept(token)
        if self.matcher is not None and not self.matcher.consume_token(token):
            raise BackendError(f"the JSON-schema matcher refused a token it allowed: {self.matcher.get_error()}",
                               "Report this as a bug")
        return token

    def take_forced(self, tokens: list[int]) -> None:
        """Tokens the grammar forces, put in the answer without a draw: the matcher and the penalties see them
        as if drawn."""
        if self.matcher is not None and tokens and not self.matcher.consume_tokens(tokens):
            raise BackendError(f"the JSON-schema matcher refused its own forced tokens: {self.matcher.get_error()}",
                               "Report this as a bug")
        for token in tokens:
            self.chain.accept(token)

    def allows_end(self) -> bool:
        return self.matcher is None or self.matcher.is_accepting()

    @property
    def finished(self) -> bool:
        """The grammar is complete and allows nothing more than the end of the answer."""
        return self.matcher is not None and self.matcher.is_stopped()

    def _draw(self, logits: Any, mask: np.ndarray | None, end_bias: EndBias = NO_BIAS,
              side: np.ndarray | None = None) -> tuple[int, np.ndarray | None]:
        """The token drawn, and the side (ends or the others) it was drawn from, which a redraw keeps."""
        array = self.scratch.fill(logits, mask, end_bias)
        self.chain.penalise(array, self.scratch)
        if self.end_chance is not None:
            penalised = self.scratch.candidates["logit"]
            if side is None:
                side = self.end_chance.side(penalised, self.scratch.ends)
            if np.isfinite(penalised[side]).any():  # the grammar may allow none of that side
                penalised[~side] = -np.inf
        self.chain.draw_from(array)
        return int(array.data[array.selected].id), side  # samplers may point `data` at their own buffer

    def _instead_of(self, refused: int) -> np.ndarray:
        """The tokens allowed in place of a refused one. A string the model tried to close where its pattern
        wants a sentence end first goes on without one: the likeliest full stop would cut the sentence short
        ("The recipe is very delicious and I.")."""
        mask = self._mask()
        if self.scratch.closes.size and self.scratch.closes[refused]:
            going_on = mask & ~self.scratch.ends_sentence
            if going_on.any():
                return going_on
        return mask

    def _mask(self) -> np.ndarray:
        bits = np.frombuffer(self.matcher.compute_bitmask(), dtype=np.uint8)
        return np.unpackbits(bits, bitorder="little")[: self.scratch.n_vocab].astype(bool)

    def close(self) -> None:
        if self.chain is not None:
            self.chain.free()
            self.chain = None

    def __del__(self) -> None:
        self.close()
