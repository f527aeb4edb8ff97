"""An answer is judged field by field as the model closes each one: a title that contradicts the row's rating
fails the answer before its text is written, with the reason the whole answer's checks would give."""

from __future__ import annotations

import json
import re

from syngen.backends.base import GenerationRequest
from syngen.generation.config import GenerationConfig
from syngen.generation.session import prepare_session
from syngen.runs.audit import answer_verdict
from tests.fakes import RATING_WORDS, ScriptedBackend, StreamingBackend, answer, review_answer


def _contradicting_title_first(request: GenerationRequest, index: int) -> str:
    if index == 0:
        return answer(title="Terrible waste, returned it",
                      text="Works great, I love the value and the taste. My energy is better every morning, "
                           "and I recommend it to my friends.")
    return review_answer(request, index)


def _maker(demo_paths, backend):
    reviews, products = demo_paths
    config = GenerationConfig(data=str(reviews), products=str(products), num_samples=1, seed=3, where={"rating": ["5"]})
    return prepare_session(config, backend=backend).maker


def test_a_title_against_the_rating_stops_the_answer_before_its_text(demo_paths):
    backend = StreamingBackend(_contradicting_title_first)
    outcome = _maker(demo_paths, backend).make(0)
    assert outcome.row is not None and outcome.reasons == ["label_mismatch:rating"]
    first = backend.requests[0]
    assert first.watch is not None and first.watch.rejection.reason == "label_mismatch:rating"
    assert '"title"' in str(first.watch.rejection)


def test_the_verdict_is_the_same_with_or_without_the_watch(demo_paths):
    """A backend that gets whole answers (HTTP) rejects the same answer for the same reason, later."""
    streamed = _maker(demo_paths, StreamingBackend(_contradicting_title_first)).make(0)
    whole = _maker(demo_paths, ScriptedBackend(_contradicting_title_first)).make(0)
    assert streamed.reasons == whole.reasons == ["label_mismatch:rating"]
    assert streamed.row == whole.row and streamed.tokens_out < whole.tokens_out  # the text was never written


def test_a_title_true_to_the_rating_is_written_to_the_end(demo_paths):
    backend = StreamingBackend(review_answer)
    outcome = _maker(demo_paths, backend).make(0)
    assert outcome.reasons == [] and outcome.row["title"].split()[0].lower() in RATING_WORDS["5"]
    assert backend.requests[0].watch.rejection is None


def _contradicting_text_last(request: GenerationRequest, index: int) -> str:
    if index == 0:
        return answer(title="Great product",
                      text="Terrible, it made me sick and I returned it. A waste of money, do not buy it.")
    return review_answer(request, index)


def test_the_last_field_is_left_to_the_whole_answer(demo_paths):
    """Nothing follows the text, so stopping at it saves nothing: the whole answer's checks judge it, in their
    own order (the same reason as a backend without the watch gives), and the watch raises nothing."""
    backend = StreamingBackend(_contradicting_text_last)
    streamed = _maker(demo_paths, backend).make(0)
    whole = _maker(demo_paths, ScriptedBackend(_contradicting_text_last)).make(0)
    assert streamed.row is not None and streamed.reasons and streamed.reasons == whole.reasons
    assert streamed.tokens_out == whole.tokens_out  # the text was written to its end
    watch = backend.requests[0].watch
    assert watch.rejection is None and watch.judged == 1


def _runaway_markup_first(request: GenerationRequest, index: int) -> str:
    """A true review whose first sentence runs into markup real reviews never hold: any trim keeps the tag."""
    if index > 0:
        return review_answer(request, index)
    true = json.loads(review_answer(request, 1))
    markup = (" <b>Fitness Lite</b></strong><b>Barefoot Balsamic Oil</b> great for young ones"
              " <i>Sunny Day Tea</i></em><i>Morning Oats Mix</i> fine for old ones"
              " <u>Green Leaf Salt</u></span><u>River Stone Honey</u> good for all of us")
    return answer(title=true["title"], text=true["text"].split(".")[0] + markup + ". " + true["text"])


def test_a_text_running_into_markup_stops_at_the_first_tag(demo_paths):
    backend = StreamingBackend(_runaway_markup_first)
    streamed = _maker(demo_paths, backend).make(0)
    whole = _maker(demo_paths, ScriptedBackend(_runaway_markup_first)).make(0)
    assert streamed.reasons == whole.reasons == ["prompt_fragment"]  # the same verdict as on the whole answer
    rejection = backend.requests[0].watch.rejection
    assert rejection is not None and "<b>" in str(rejection) and rejection.text.endswith("<b>")
    assert streamed.row == whole.row and streamed.tokens_out < whole.tokens_out


def test_markup_the_trim_would_cut_away_does_not_stop_the_text(demo_paths):
    """Past the sentence end nearest its target, a text may still hold anything: the trim keeps none of it."""
    def whole_then_markup(request: GenerationRequest, index: int) -> str:
        true = json.loads(review_answer(request, index))
        return answer(title=true["title"], text=true["text"] + " Then <b>bold</b> words and more words to end.")

    backend = StreamingBackend(whole_then_markup)
    outcome = _maker(demo_paths, backend).make(0)
    assert outcome.reasons == [] and "<b>" not in outcome.row["text"]
    assert backend.requests[0].watch.rejection is None


def test_a_clause_said_twice_stops_the_text_at_the_sentence_that_repeats_it(demo_paths):
    def repeating_first(request: GenerationRequest, index: int) -> str:
        if index > 0:
            return review_answer(request, index)
        true = json.loads(review_answer(request, 1))
        loop = " I take it every single morning. I take it every single morning. I take it every single morning."
        return answer(title=true["title"], text=loop * 3 + " " + true["text"])

    backend = StreamingBackend(repeating_first)
    outcome = _maker(demo_paths, backend).make(0)
    rejection = backend.requests[0].watch.rejection
    assert outcome.reasons == ["repetitive"] and rejection is not None
    assert rejection.text.count("every single morning") == 2  # stopped at the second saying


def _examples_shown(request: GenerationRequest) -> list[str]:
    lines = [line for line in request.messages[-1]["content"].splitlines() if line.startswith("{")]
    return [json.loads(line)["text"] for line in lines]


def test_a_text_copying_a_sentence_of_its_example_stops_at_that_sentence(demo_paths):
    """The copy cannot be undone by what follows, so the rest of the text is never drawn."""
    def copying_first(request: GenerationRequest, index: int) -> str:
        if index > 0:
            return review_answer(request, index)
        sentences = [s.strip() for text in _examples_shown(request) for s in re.split(r"(?<=[.!?])\s", text)]
        longest = max(sentences, key=lambda s: len(s.split()))
        assert len(longest.split()) >= 8 and longest[-1] in ".!?"  # the demo's examples for this row have one
        true = json.loads(review_answer(request, 1))
        return answer(title=true["title"], text=f"{longest} {true['text']} Then more words to the end.")

    backend = StreamingBackend(copying_first)
    streamed = _maker(demo_paths, backend).make(0)
    whole = _maker(demo_paths, ScriptedBackend(copying_first)).make(0)
    assert streamed.reasons == whole.reasons == ["near_copy"]
    rejection = backend.requests[0].watch.rejection
    assert rejection is not None and "copies a sentence" in str(rejection) and "more words" not in rejection.text
    assert streamed.row == whole.row and streamed.tokens_out < whole.tokens_out



FRAGMENT = "Its {{asin}} entry."  # a short sentence: it ends nearer the text's target than the sentence before it


def _first_answer(text_of):
    """The first answer's text made from a true review's sentences by `text_of`; later answers true ones."""
    def script(request: GenerationRequest, index: int) -> str:
        if index > 0:
            return review_answer(request, index)
        true = json.loads(review_answer(request, 1))
        return answer(title=true["title"], text=text_of(re.split(r"(?<=[.!?])\s", true["text"])))
    return script


def _fragment_second(sentences: list[str]) -> str:
    return f"{sentences[0]} {FRAGMENT} {' '.join(sentences[1:])}"


def test_a_text_given_up_at_a_fragment_keeps_the_whole_sentences_before_it(demo_paths):
    """Cut back to the sentence end it had passed, as a text past its target is trimmed: the row is kept on its
    first answer, without the fragment or anything after it."""
    backend = StreamingBackend(_first_answer(_fragment_second))
    outcome = _maker(demo_paths, backend).make(0)
    assert backend.requests[0].watch.rejection is not None  # the answer was given up at the fragment
    assert outcome.row is not None and outcome.reasons == [] and len(backend.requests) == 1
    true = json.loads(review_answer(backend.requests[0], 1))
    assert outcome.row["text"] == re.split(r"(?<=[.!?])\s", true["text"])[0]


def test_a_whole_answer_is_cut_back_as_a_given_up_one_is(demo_paths):
    """A backend that gets whole answers (HTTP) keeps the same row, without a retry."""
    streamed = _maker(demo_paths, StreamingBackend(_first_answer(_fragment_second))).make(0)
    backend = ScriptedBackend(_first_answer(_fragment_second))
    whole = _maker(demo_paths, backend).make(0)
    assert whole.reasons == [] and len(backend.requests) == 1 and whole.row == streamed.row
    assert whole.tokens_out > streamed.tokens_out  # it wrote the rest of the text first


def test_a_text_with_nothing_whole_before_its_fragment_is_still_rejected(demo_paths):
    backend = StreamingBackend(_first_answer(lambda sentences: f"{FRAGMENT} {' '.join(sentences)}"))
    outcome = _maker(demo_paths, backend).make(0)
    assert outcome.reasons == ["prompt_fragment"] and outcome.row is not None  # kept on the second attempt


def test_a_cut_back_text_failing_another_check_is_rejected_for_its_fragment(demo_paths):
    """What is kept is judged whole like any answer: here a sentence of a 1-star review on a 5-star row. The
    retry is told of the fragment, the flaw the model wrote."""
    terrible = "Terrible waste of money, it made me sick and I returned it."
    backend = StreamingBackend(_first_answer(lambda sentences: f"{terrible} {FRAGMENT} {' '.join(sentences)}"))
    outcome = _maker(demo_paths, backend).make(0)
    assert backend.requests[0].watch.rejection is not None
    assert outcome.reasons == ["prompt_fragment"] and outcome.row is not None
    assert "{" in backend.requests[1].messages[-1]["content"].split("An earlier answer was rejected")[-1]


def test_the_audit_shows_the_answer_as_written_and_what_was_cut(demo_paths):
    maker = _maker(demo_paths, StreamingBackend(_first_answer(_fragment_second)))
    maker.record_attempts = True
    attempt = maker.make(0).attempts[0]
    assert attempt.kept and attempt.reason == "" and "{{asin}}" in attempt.answer
    assert attempt.detail.startswith("cut back to its sentences before this:") and "{" in attempt.detail
    assert answer_verdict(attempt).startswith("kept, cut back to its sentences before this:")  # what --preview shows
