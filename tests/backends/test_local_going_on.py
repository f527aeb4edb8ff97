"""A string the model tries to close where its pattern first wants a sentence end goes on with a word, not with
the likeliest full stop (which would end "The recipe is very delicious and I.")."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("llama_cpp")
pytest.importorskip("llguidance")

from syngen.backends.local_sampling import Dry, Scratch, SequenceSampler, sampler_chain  # noqa: E402

PIECES = [b"a", b'"', b".", b" and", b"!x", b'",']
CLOSE, STOP, WORD = 1, 2, 3


class Matcher:
    """Refuses the tokens in `refused`, allows everything else (a stand-in for llguidance's matcher)."""

    def __init__(self, refused: set[int]) -> None:
        self.refused = refused

    def validate_tokens(self, tokens: list[int]) -> int:
        return 0 if tokens[0] in self.refused else 1

    def compute_bitmask(self) -> bytes:
        bits = np.array([token not in self.refused for token in range(len(PIECES))] + [False] * 2, dtype=np.uint8)
        return np.packbits(bits, bitorder="little").tobytes()

    def consume_token(self, token: int) -> bool:
        return True


def draw(logits: list[float], refused: set[int]) -> int:
    chain = sampler_chain(None, len(PIECES), temperature=0.0, seed=1, repeat_penalty=1.0, dry=Dry(0, 0),
                          min_p=0.0, prompt=[])
    sampler = SequenceSampler(chain, Matcher(refused), Scratch(len(PIECES), PIECES))
    values = np.array(logits, dtype=np.float32)
    return sampler.sample(values.ctypes.data_as(np.ctypeslib.ctypes.POINTER(np.ctypeslib.ctypes.c_float)))


def test_a_refused_close_goes_on_with_a_word_not_a_full_stop():
    assert draw([0.0, 9.0, 8.0, 7.0, 1.0, 0.0], refused={CLOSE, 5}) == WORD


def test_any_other_refused_token_takes_the_likeliest_allowed_one():
    assert draw([9.0, 0.0, 8.0, 7.0, 1.0, 0.0], refused={0}) == STOP


def test_a_full_stop_stays_when_nothing_else_is_allowed():
    assert draw([0.0, 9.0, 8.0, 7.0, 1.0, 0.0], refused={0, CLOSE, WORD, 4, 5}) == STOP
