"""A whole-sentence field is pushed toward a sentence end once it passes its target length, harder the nearer it
comes to its bound, and only while that field is the one being written; a field of phrases (a title) toward
closing its string. Short of its target, a whole-sentence field is held from closing its string."""

from __future__ import annotations

import numpy as np
import pytest

from syngen.backends.base import Ending
from syngen.backends.endings import EARLY_SHARE, MAX_EARLY_PENALTY, MAX_END_BIAS, NO_BIAS, EndBias, EndingPressure

PRESSURE = EndingPressure({"text": Ending(target=20, bound=60)})


def answer(text: str, title: str = "Fine") -> str:
    return f'{{"title": "{title}", "text": "{text}'


def test_no_pressure_before_the_field_or_at_its_target():
    assert PRESSURE.bias('{"title": "A long title that runs past twenty characters') == NO_BIAS
    assert PRESSURE.bias(answer("x" * 20)) == NO_BIAS


def test_a_sentence_field_short_of_its_target_is_held_from_closing_less_and_less():
    """Asked for 54 words, the embedded model's supplements texts stopped at a median 37."""
    start, early, near = (PRESSURE.bias(answer("x" * n)) for n in (0, 6, int(EARLY_SHARE * 20)))
    assert start.shuts and early.shuts
    assert start.amount == -MAX_EARLY_PENALTY < early.amount < 0
    assert near == NO_BIAS
    titles = EndingPressure({"title": Ending(target=20, bound=60, closes=True)})
    assert titles.bias('{"title": "Good') == NO_BIAS  # a phrase stops where it likes


def test_pressure_grows_past_the_target_and_is_full_at_the_bound():
    halfway, at_bound, beyond = (PRESSURE.bias(answer("x" * n)).amount for n in (40, 60, 90))
    assert 0 < halfway < at_bound
    assert halfway == pytest.approx(MAX_END_BIAS / 2)
    assert at_bound == beyond == MAX_END_BIAS


def test_an_escaped_quote_does_not_close_the_field_but_a_real_one_does():
    assert PRESSURE.bias(answer('she said \\"fine\\" and it was a good buy')).amount > 0
    assert PRESSURE.bias(answer("x" * 50) + '"}') == NO_BIAS


def test_a_field_without_an_ending_is_left_alone():
    assert EndingPressure({"other": Ending(5, 10)}).bias(answer("x" * 50)) == NO_BIAS


def test_a_title_past_its_target_is_pushed_to_close_not_to_end_a_sentence():
    titles = EndingPressure({"title": Ending(target=10, bound=30, closes=True)})
    pushed = titles.bias('{"title": "Great for energy without')
    assert pushed.closes and 0 < pushed.amount < MAX_END_BIAS
    assert titles.bias('{"title": "Great"') == NO_BIAS


def test_a_title_is_pushed_to_close_only_where_real_titles_stop():
    titles = EndingPressure({"title": Ending(target=5, bound=30, closes=True, after=frozenset({"it", "energy"}))})
    assert titles.bias('{"title": "Love it').closes
    assert titles.bias('{"title": "Great for energy').amount > 0
    assert titles.bias('{"title": "Works. Great!').amount > 0  # after a sentence end
    for broken in ("Meh, no, it's a d", "Great for energy without the", "Love it ", "My pick for 4"):
        assert titles.bias('{"title": "' + broken) == NO_BIAS, broken


def test_the_bias_makes_a_slightly_less_likely_full_stop_win():
    pytest.importorskip("llama_cpp")
    pytest.importorskip("llguidance")
    from syngen.backends.local_sampling import Dry, Scratch, SequenceSampler, sampler_chain

    pieces = [b" and", b".", b'",']
    logits = np.array([5.0, 4.0, 3.5], dtype=np.float32)
    pointer = logits.ctypes.data_as(np.ctypeslib.ctypes.POINTER(np.ctypeslib.ctypes.c_float))

    def draw(end_bias: EndBias) -> int:
        chain = sampler_chain(None, len(pieces), temperature=0.0, seed=1, repeat_penalty=1.0, dry=Dry(0, 0),
                              min_p=0.0, prompt=[])
        return SequenceSampler(chain, None, Scratch(len(pieces), pieces)).sample(pointer, end_bias)

    assert draw(NO_BIAS) == 0
    assert draw(EndBias(MAX_END_BIAS / 2)) == 1
    assert draw(EndBias(MAX_END_BIAS / 2, closes=True)) == 2  # a title closes its string instead
    assert logits[1] == 4.0  # the model's own logits are not changed
    pieces[1:] = [b'."', b" the"]  # a sentence end and the close in one token is held back too
    logits[:] = [4.0, 5.0, 3.5]
    assert draw(NO_BIAS) == 1 and draw(EndBias(-MAX_EARLY_PENALTY, shuts=True)) == 0


def test_a_wrapped_field_is_pushed_to_close_only_right_after_its_closer():
    pressure = EndingPressure({"signature": Ending(target=10, bound=40, closes=True, closer=")")})
    assert pressure.bias('{"signature": "(path, mode) and').amount == 0
    assert pressure.bias('{"signature": "(path, mode=None)').closes
