"""The embedded model decodes many requests at once (issue 15): each answer follows its own schema, a sequence
that finishes early hands its slot to the next request, the same requests and batch size give the same answers,
and what cannot be done is a one-line error. Assertions are properties, never one machine's text."""

from __future__ import annotations

import dataclasses
import json
import os

import pytest

from syngen.backends.base import GenerationRequest
from syngen.backends.local import LocalBackend
from syngen.errors import BackendError, ContextOverflow
from syngen.parsing.answers import closed_fields

pytest.importorskip("llama_cpp")
pytest.importorskip("llguidance")
pytestmark = pytest.mark.model

COLOURS = ["teal", "ochre", "mauve"]


def obj(**properties) -> dict:
    return {"type": "object", "properties": properties, "required": list(properties), "additionalProperties": False}


SCHEMAS = {
    "colour": obj(colour={"type": "string", "enum": COLOURS}),
    "count": obj(count={"type": "integer", "minimum": 3, "maximum": 7}),
    "words": obj(first={"type": "string", "minLength": 5, "maxLength": 12}, second={"type": "string", "maxLength": 6}),
    "flag": obj(ok={"type": "boolean"}, note={"type": "string", "maxLength": 10}),
}


def follows(kind: str, answer: dict) -> bool:
    if kind == "colour":
        return set(answer) == {"colour"} and answer["colour"] in COLOURS
    if kind == "count":
        return set(answer) == {"count"} and isinstance(answer["count"], int) and 3 <= answer["count"] <= 7
    if kind == "words":
        return set(answer) == {"first", "second"} and 5 <= len(answer["first"]) <= 12 and len(answer["second"]) <= 6
    return set(answer) == {"ok", "note"} and isinstance(answer["ok"], bool) and len(answer["note"]) <= 10


def ask(kind: str | None, seed: int, question: str = "Describe your favourite thing.", max_tokens: int = 40):
    return GenerationRequest(messages=[{"role": "user", "content": question}], max_tokens=max_tokens, seed=seed,
                             json_schema=SCHEMAS[kind] if kind else None)


@pytest.fixture(scope="module")
def backend():
    local = LocalBackend({"threads": 1, "batch_size": 3})
    local.load()
    yield local
    local.close()


def test_a_batch_of_different_schemas_every_answer_follows_its_own(backend):
    kinds = ["colour", "count", "words", "flag", "count", "colour", "flag"]
    answers = backend.generate_batch([ask(kind, seed) for seed, kind in enumerate(kinds)])
    assert len(answers) == len(kinds)
    for kind, answer in zip(kinds, answers, strict=True):
        assert answer.finish_reason == "stop" and follows(kind, json.loads(answer.text)), (kind, answer.text)
        assert answer.tokens_in > 0 and answer.tokens_out > 0


def test_fixed_values_open_each_answer_as_given_and_the_text_follows(backend):
    """A row's stated values (const in its schema) open the answer, as the real examples show them; what the
    schema forces is fed with the prompt, not drawn token by token."""
    schema = obj(rating={"const": "1"}, helpful_vote={"const": "0"},
                 title={"type": "string", "minLength": 3, "maxLength": 30})
    asked = [GenerationRequest(messages=[{"role": "user", "content": "Review a vitamin you disliked."}],
                               max_tokens=60, seed=seed, json_schema=schema) for seed in range(3)]
    for answer in backend.generate_batch(asked):
        parsed = json.loads(answer.text)
        assert list(parsed) == ["rating", "helpful_vote", "title"], answer.text
        assert parsed["rating"] == "1" and parsed["helpful_vote"] == "0" and 3 <= len(parsed["title"]) <= 30
        opening = backend._runtime.tokenize('{"rating": "1", "helpful_vote": "0", "title":')
        assert answer.tokens_out <= len(backend._runtime.tokenize(answer.text)) - len(opening) + 2


def test_a_request_without_schema_in_the_batch_is_free_text_and_stops_at_its_limit(backend):
    plain, colour = backend.generate_batch([ask(None, 1, "Tell me a long story about a ship.", 12), ask("colour", 2)])
    assert plain.text and 0 < plain.tokens_out <= 12
    assert (plain.finish_reason == "length") == (plain.tokens_out == 12)  # or the model ended its turn itself
    assert follows("colour", json.loads(colour.text))


def test_a_sequence_that_finishes_early_frees_its_slot_for_the_next_request(backend):
    story = GenerationRequest(messages=[{"role": "user", "content": "Write a long story about three sailors."}],
                              json_schema=obj(story={"type": "string", "minLength": 200, "maxLength": 400}),
                              max_tokens=60, seed=1)  # takes dozens of steps on any CPU; a colour takes a few
    requests = [story, ask("colour", 2), ask("colour", 3), ask("colour", 4)]
    backend.generate_batch(requests)
    long, short, *later = backend.last_schedule()
    assert long.finished_at > max(place.finished_at for place in [short, *later])  # the long one runs throughout
    last = later[-1]
    assert last.admitted_at < long.finished_at  # the fourth did not wait for the batch to drain
    assert last.admitted_at >= min(place.finished_at for place in [short, later[0]])  # it took a freed slot


def test_candidates_of_one_prompt_share_it_in_the_cache(backend):
    """K candidates of one row: the same messages, different seeds; all but the first reuse the prompt's cells."""
    requests = [ask("colour", seed) for seed in range(3)]
    backend.generate_batch(requests)
    shared = [place.shared_tokens for place in backend.last_schedule()]
    prompt = backend.generate(requests[0]).tokens_in
    assert shared[0] == 0 and all(count == prompt - 1 for count in shared[1:])


def test_same_requests_and_batch_size_give_the_same_answers(backend):
    requests = [ask(kind, seed) for seed, kind in enumerate(["words", "flag", "words", "count", "words"])]
    first = [answer.text for answer in backend.generate_batch(requests)]
    backend.generate(ask(None, 9, "Something in between.", 5))  # whatever ran in between changes nothing
    assert [answer.text for answer in backend.generate_batch(requests)] == first
    other = LocalBackend({"threads": 1, "batch_size": 3})
    try:
        assert [answer.text for answer in other.generate_batch(requests)] == first
    finally:
        other.close()


def test_a_schema_that_cannot_compile_is_a_one_line_backend_error_and_the_backend_goes_on(backend):
    broken = GenerationRequest(messages=[{"role": "user", "content": "Hi"}], max_tokens=10, seed=1,
                               json_schema=obj(code={"type": "string", "pattern": "(("}))
    with pytest.raises(BackendError, match="could not compile") as caught:
        backend.generate_batch([ask("colour", 1), broken])
    assert "\n" not in str(caught.value)
    assert follows("colour", json.loads(backend.generate(ask("colour", 1)).text))


def test_each_sequence_context_grows_to_a_long_request_up_to_the_trained_context(backend):
    from syngen.backends.local_llama import KV_BUDGET_BYTES

    runtime = backend._runtime
    assert runtime.n_ctx_train == 8192  # SmolLM2-135M
    assert runtime.max_ctx * runtime.n_seq * runtime.kv_bytes_per_cell() <= KV_BUDGET_BYTES
    free = os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    if free > 8 * 3 * 8192 * runtime.kv_bytes_per_cell():  # ample memory: up to the whole trained context
        assert runtime.max_ctx == 8192
    long = ask("colour", 4, "Please read this sentence again. " * 450, max_tokens=20)  # about 2,700 tokens
    answers = backend.generate_batch([ask("count", 3), long])
    assert runtime.n_ctx >= answers[1].tokens_in + 20 > 2500
    assert follows("count", json.loads(answers[0].text)) and follows("colour", json.loads(answers[1].text))


def test_a_prompt_that_cannot_fit_is_a_context_overflow_with_the_token_counts():
    small = LocalBackend({"threads": 1, "batch_size": 2, "n_ctx": 256})
    try:
        long = ask("colour", 1, "Please read this. " * 60, max_tokens=40)
        with pytest.raises(ContextOverflow, match=r"prompt of \d+ tokens plus an answer of up to 40 tokens") as caught:
            small.generate_batch([ask("colour", 2), long])
        assert "256" in str(caught.value) and "\n" not in str(caught.value)
    finally:
        small.close()


def test_a_follow_up_takes_the_cells_of_its_first_attempt_and_starts_while_others_decode(backend):
    first = ask("words", 5, "Name two animals that live in the sea, and say why you like them.")
    other = ask("words", 40, "Describe a long walk along a river in autumn.", max_tokens=120)

    def retry(answer: str) -> GenerationRequest:
        messages = first.messages + [{"role": "assistant", "content": answer},
                                     {"role": "user", "content": "That answer was rejected. Write a new one."}]
        return GenerationRequest(messages=messages, max_tokens=40, seed=6, json_schema=SCHEMAS["words"])

    def chunk() -> tuple[list[str], list]:
        answers = backend.generate_all([first, other], lambda n, answer: [retry(answer.text)] if n == 0 else [])
        return [answer.text for answer in answers], backend.last_schedule()

    texts, schedule = chunk()
    assert len(texts) == 3 and follows("words", json.loads(texts[2]))
    retried = next(p for p in schedule if p.index == 2)
    assert retried.shared_tokens > backend.generate_batch([first])[0].tokens_in - 2  # the first prompt, cached
    assert retried.admitted_at < next(p for p in schedule if p.index == 1).finished_at  # slots stay full
    assert chunk()[0] == texts  # the same requests again: the same answers, whatever ran before


class Recorder:
    """Keeps what it was shown; never gives up."""

    triggers = b"."

    def __init__(self) -> None:
        self.seen: list[str] = []

    def gives_up(self, partial: str) -> bool:
        self.seen.append(partial)
        return False


class GiveUpAfterFirst(Recorder):
    """Gives up as soon as the first field is closed, and keeps what it was shown."""

    triggers = b'"'

    def gives_up(self, partial: str) -> bool:
        super().gives_up(partial)
        return bool(closed_fields(partial))


def test_a_watch_that_gives_up_stops_its_sequence_and_the_others_go_on(backend):
    watched, plain = ask("words", 5), ask("words", 5)
    watched.watch = GiveUpAfterFirst()
    stopped, whole, colour = backend.generate_batch([watched, plain, ask("colour", 6)])
    assert stopped.finish_reason == "abandoned" and '"second"' not in stopped.text
    assert [name for name, _ in closed_fields(stopped.text)] == ["first"]
    assert all('"' in seen for seen in watched.watch.seen)  # asked only at its triggers: where a string may close
    assert whole.finish_reason == colour.finish_reason == "stop" and follows("words", json.loads(whole.text))
    assert follows("colour", json.loads(colour.text))


def test_the_decode_tally_counts_every_prompt_token_and_every_drawn_one(backend):
    """What a benchmark prints about where the time went adds up: the prompt tokens decoded are the prompts less
    what the cache shared, and each answer's tokens were drawn (all but a last one that is never decoded)."""
    before = dataclasses.replace(backend.decode_tally())
    answers = backend.generate_batch([ask("colour", 5), ask("words", 6), ask("colour", 5, "Name a colour.")])
    after, placements = backend.decode_tally(), backend.last_schedule()
    shared = sum(p.shared_tokens for p in placements)
    assert after.prompt_tokens - before.prompt_tokens == sum(a.tokens_in for a in answers) - shared
    drawn, written = after.drawn_tokens - before.drawn_tokens, sum(a.tokens_out for a in answers)
    assert written - len(answers) <= drawn <= written
    assert after.prompt_seconds > before.prompt_seconds and after.draw_steps >= before.draw_steps


def test_the_watch_is_asked_at_a_trigger_and_at_the_token_after_it():
    """A full stop is a sentence end only once the text goes on: the token after it shows that."""
    from syngen.backends.local_batch import Job, _gives_up

    watch = Recorder()
    job = Job(0, GenerationRequest(messages=[], watch=watch), prompt=[], sampler=None)
    for piece in [b"Works", b" well", b".", b" My", b" wife", b" likes", b" it", b"."]:
        job.pieces.append(piece)
        _gives_up(job)
    assert watch.seen == ["Works well.", "Works well. My", "Works well. My wife likes it."]
