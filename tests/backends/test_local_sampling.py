"""The embedded model's grammar check after sampling: answers still always follow the schema, also when the
model's favourite tokens are forbidden (the fallback path), and the same seed still gives the same answer."""

from __future__ import annotations

import json

import pytest

from syngen.backends.base import GenerationRequest
from syngen.backends.local import LocalBackend
from syngen.errors import BackendError

pytest.importorskip("llama_cpp")

ODD_ANIMALS = ["quokka", "axolotl", "pangolin"]
# SmolLM2 answers "4" to this; the schema allows only animals, so every first token it likes is forbidden.
FORBIDDING = {
    "type": "object",
    "properties": {"answer": {"type": "string", "enum": ODD_ANIMALS}, "why": {"type": "string", "maxLength": 40}},
    "required": ["answer", "why"],
    "additionalProperties": False,
}


@pytest.fixture(scope="module")
def backend():
    local = LocalBackend({"threads": 1})
    local.load()
    yield local
    local.close()


def ask(backend: LocalBackend, seed: int, schema=FORBIDDING) -> str:
    request = GenerationRequest(messages=[{"role": "user", "content": "What is 2 + 2? Answer with the number."}],
                                json_schema=schema, max_tokens=60, temperature=0.8, seed=seed)
    return backend.generate(request).text


def test_answers_follow_a_schema_that_forbids_what_the_model_wants_to_say(backend):
    for seed in range(6):
        answer = json.loads(ask(backend, seed))
        assert answer["answer"] in ODD_ANIMALS
        assert set(answer) == {"answer", "why"} and len(answer["why"]) <= 40


def test_string_lengths_hold_at_both_bounds(backend):
    schema = {"type": "object", "properties": {"text": {"type": "string", "minLength": 30, "maxLength": 45}},
              "required": ["text"], "additionalProperties": False}
    for seed in range(4):
        text = json.loads(ask(backend, seed, schema))["text"]
        assert 30 <= len(text) <= 45


def test_a_grammar_llama_cpp_cannot_compile_is_a_backend_error_not_a_crash(backend):
    from syngen.backends.local_sampling import GrammarCheckedSampler

    class Unclosed:
        _grammar, _root = 'root ::= ( "a"', "root"

    chain = backend._llama._init_sampler(temp=0.8)
    with pytest.raises(BackendError, match="could not compile"):
        GrammarCheckedSampler(chain, backend._llama._model, Unclosed(), backend._llama._n_vocab)


def test_same_seed_same_answer_and_seeds_differ(backend):
    assert ask(backend, 11) == ask(backend, 11)
    assert len({ask(backend, seed) for seed in range(5)}) > 1
