"""The embedded model's constrained sampling: answers follow the schema also when the model's favourite tokens
are forbidden, strings are strict JSON (no raw control character, on any CPU), and seeds decide the answer.

Every assertion is a property of the answer, never a text one machine's model happened to write.
"""

from __future__ import annotations

import ctypes
import json
from collections import Counter
from difflib import SequenceMatcher

import pytest

from syngen.backends.base import Ending, GenerationRequest
from syngen.backends.local import LocalBackend
from syngen.generation.schema import answer_schema

pytest.importorskip("llama_cpp")
pytest.importorskip("llguidance")
pytestmark = pytest.mark.model

ODD_ANIMALS = ["quokka", "axolotl", "pangolin"]
# SmolLM2 answers "4" to this; the schema allows only animals, so every first token it likes is forbidden.
FORBIDDING = {
    "type": "object",
    "properties": {"answer": {"type": "string", "enum": ODD_ANIMALS}, "why": {"type": "string", "maxLength": 40}},
    "required": ["answer", "why"],
    "additionalProperties": False,
}
TEXT = {"type": "object", "properties": {"text": {"type": "string", "minLength": 30, "maxLength": 45}},
        "required": ["text"], "additionalProperties": False}


@pytest.fixture(scope="module")
def backend():
    local = LocalBackend({"threads": 1, "batch_size": 4})
    local.load()
    yield local
    local.close()


def request(seed: int, schema=FORBIDDING, question: str = "What is 2 + 2? Answer with the number.",
            max_tokens: int = 60) -> GenerationRequest:
    return GenerationRequest(messages=[{"role": "user", "content": question}], json_schema=schema,
                             max_tokens=max_tokens, temperature=0.8, seed=seed)


def test_answers_follow_a_schema_that_forbids_what_the_model_wants_to_say(backend):
    for generation in backend.generate_batch([request(seed) for seed in range(6)]):
        answer = json.loads(generation.text)
        assert answer["answer"] in ODD_ANIMALS
        assert set(answer) == {"answer", "why"} and len(answer["why"]) <= 40


def test_string_lengths_hold_at_both_bounds_and_parse_as_strict_json(backend):
    for generation in backend.generate_batch([request(seed, TEXT) for seed in range(4)]):
        text = json.loads(generation.text)["text"]  # strict: a raw control character would not parse
        assert 30 <= len(text) <= 45


def test_a_model_asked_for_lines_still_writes_strict_json(backend):
    """The failure of issue 13 on another CPU: a raw newline inside a string. Asked for a poem in lines, the
    model wants newlines; the schema lets it write them only escaped."""
    schema = {"type": "object", "properties": {"poem": {"type": "string", "maxLength": 120}}, "required": ["poem"],
              "additionalProperties": False}
    question = "Write a poem of four short lines about the sea, one line per line."
    for generation in backend.generate_batch([request(seed, schema, question, 80) for seed in range(4)]):
        if generation.finish_reason == "stop":
            json.loads(generation.text)
        assert not any(ord(char) < 0x20 for char in generation.text)  # outside strings none is written either


PATTERNED = {"type": "object", "properties": {"text": {"type": "string", "pattern": "^[^<>]{5,300}$"}},
             "required": ["text"], "additionalProperties": False}  # a class that itself admits control characters


@pytest.mark.parametrize("schema", [TEXT, PATTERNED], ids=["length bounds", "pattern"])
def test_the_constraint_refuses_raw_control_characters_inside_strings(backend, schema):
    """Whatever a CPU's model would sample: inside a string, no token holding a raw control character is allowed,
    nor a \\u escape (which could spell one); \\n and \\t are."""
    tokenizer = backend._compiler.tokenizer
    matcher = backend._compiler.matcher(schema)
    assert matcher.consume_tokens(tokenizer.tokenize_str('{"text": "ab'))
    for raw in ("\n", "\t", "\r", "\x01"):
        assert matcher.validate_tokens(tokenizer.tokenize_str(raw)) == 0, repr(raw)
    escape = tokenizer.tokenize_str("\\u0001")
    assert matcher.validate_tokens(escape) < len(escape)
    assert matcher.validate_tokens(tokenizer.tokenize_str("\\n")) == len(tokenizer.tokenize_str("\\n"))


def test_same_seed_same_answer_and_seeds_differ(backend):
    first = [g.text for g in backend.generate_batch([request(seed) for seed in range(5)])]
    again = [g.text for g in backend.generate_batch([request(seed) for seed in range(5)])]
    assert first == again
    assert len(set(first)) > 1


SENTENCE = "The capsules arrived on Tuesday and my husband has taken two every morning since then without trouble."
COPY_ME = f'Repeat this sentence exactly, word for word: "{SENTENCE}"'
SEEDS = 48  # answers each way: on 12, the draws alone moved a sum by a tenth and the count at the bound by 2
FREE_TEXT = {"type": "object", "properties": {"text": {"type": "string", "maxLength": 200}},
             "required": ["text"], "additionalProperties": False}


def longest_shared_run(text: str, source: str) -> int:
    """The most consecutive words of `source` that `text` repeats."""
    said, words = text.lower().split(), source.lower().split()
    return SequenceMatcher(None, said, words, autojunk=False).find_longest_match().size


@pytest.mark.parametrize("multiplier", [0.0, 0.8])
def test_the_prompt_penalty_stops_the_model_copying_a_sentence_of_its_prompt(multiplier):
    """Asked to copy a sentence of its prompt, the model does (penalty off); with the DRY penalty on (the default)
    it breaks off within a few words (then rewords, so a near copy is left to the copy check): how an example's
    sentence stays out of a row."""
    local = LocalBackend({"threads": 1, "batch_size": 4, "dry_multiplier": multiplier})
    try:
        answers = local.generate_batch([request(seed, FREE_TEXT, COPY_ME, max_tokens=70) for seed in range(4)])
    finally:
        local.close()
    runs = [longest_shared_run(json.loads(a.text)["text"], SENTENCE) for a in answers]
    if multiplier == 0:
        assert max(runs) >= 10, runs
    else:
        assert max(runs) < 10, runs


def test_a_text_asked_to_end_near_its_target_ends_sooner_and_rarely_at_its_bound(backend):
    """Past its target length the sentence ends are favoured, so texts end at a sentence of the writer's own
    choosing rather than running on to the bound, where the schema's forced full stop cuts a clause."""
    low, high, target = 20, 140, 50
    schema = answer_schema({"text": (low, high)}, None, frozenset({"text"}), {"text": target})
    question = 'Write a review of a vitamin D supplement you bought, as JSON with a "text" field.'

    def lengths(endings: dict[str, Ending]) -> list[int]:
        asked = [GenerationRequest(messages=[{"role": "user", "content": question}], json_schema=schema,
                                   max_tokens=200, temperature=0.8, seed=seed, endings=endings)
                 for seed in range(SEEDS)]
        return [len(json.loads(answer.text)["text"]) for answer in backend.generate_batch(asked)]

    # 200 tokens: room for a text of digits to reach its bound ("2018-07-29 13:54:56.1319599,2018-..." at one seed)
    free, steered = lengths({}), lengths({"text": Ending(target, high)})
    assert sum(steered) < sum(free), (steered, free)
    assert sum(length >= high for length in steered) <= 2, steered  # the full bonus falls on the last few characters


def test_a_text_held_to_a_real_opening_starts_with_it_within_its_bounds(backend):
    """The opening is escaped into the pattern (its space too) and llguidance holds the model to it, however
    unlikely the word: no review of a vitamin opens with "Zebras" unasked."""
    question = 'Write a review of a vitamin D supplement you bought, as JSON with a "text" field.'
    for opening in ("Zebras ", "I've "):
        schema = answer_schema({"text": (30, 120)}, {"text": r'[^"{}\[\]<>]'}, frozenset({"text"}), {"text": 80},
                               openings={"text": opening})
        asked = [GenerationRequest(messages=[{"role": "user", "content": question}], json_schema=schema,
                                   max_tokens=80, temperature=0.8, seed=seed) for seed in range(3)]
        for answer in backend.generate_batch(asked):
            text = json.loads(answer.text)["text"]
            assert text.startswith(opening) and text[-1] in ".!?" and 30 <= len(text) <= 120, text


def test_a_title_asked_to_end_near_its_target_closes_sooner_and_rarely_at_its_bound(backend):
    """Past its target length a title is pushed to close its string (not to end a sentence), so it ends on a
    phrase of its own choosing rather than where the schema's bound cuts a word or a phrase."""
    low, high, target = 3, 40, 12
    schema = answer_schema({"title": (low, high)})
    question = ('Give a long, detailed title for a review of a vitamin D supplement you bought, as JSON with a '
                '"title" field.')

    def lengths(endings: dict[str, Ending]) -> list[int]:
        asked = [GenerationRequest(messages=[{"role": "user", "content": question}], json_schema=schema,
                                   max_tokens=40, temperature=0.8, seed=seed, endings=endings)
                 for seed in range(SEEDS)]
        return [len(json.loads(answer.text)["title"]) for answer in backend.generate_batch(asked)]

    free, steered = lengths({}), lengths({"title": Ending(target, high, closes=True)})
    assert sum(steered) < sum(free), (steered, free)
    at_bound = [sum(length >= high - 1 for length in lengths) for lengths in (steered, free)]
    assert at_bound[0] <= at_bound[1] / 2, at_bound  # measured on 108 draws: 15-20% against 70%


def test_texts_cached_for_the_stock_check_are_written_again_when_the_sampling_changes(tmp_path):
    """The stock texts are the model's own writing, so a changed prompt penalty or min_p (of words or of ends) must
    not reuse them."""
    from syngen.generation.stock import StockVoice

    voice = StockVoice(["A real review of a vitamin."] * 20, "text", "Vitamins", seed=5, temperature=0.8,
                       cache_dir=tmp_path)
    default = LocalBackend({"threads": 1})
    same = LocalBackend({"threads": 1})
    files = {voice._cache_file(LocalBackend({"threads": 1, **option})) for option in
             ({"dry_allowed": 2}, {"dry_multiplier": 0.0}, {"min_p": 0.1}, {"ends_min_p": 0.1})}
    assert voice._cache_file(default) == voice._cache_file(same)
    assert voice._cache_file(default) not in files and len(files) == 4


def test_the_prompt_penalty_breaks_a_copied_run_between_words_never_inside_one(backend):
    """Pushed off a copied run in the middle of a word, the model ended the word wrongly ("feeling nauseash" for
    the example's "feeling nauseous"). The penalty spares the tokens that go on inside a word and falls on the
    next word's start instead, and on that word written without its space ("not muchmore" for "not much more")."""
    from syngen.backends.local_sampling import Dry, Scratch, sampler_chain

    runtime = backend._runtime
    sentence = " Started getting headaches and feeling nauseous about a week in."
    copy = runtime.tokenize(sentence)
    scratch = Scratch(runtime.n_vocab, [runtime.piece(token) for token in range(runtime.n_vocab)])
    steps = sampler_chain(runtime.vocab, runtime.n_vocab, 0.0, 1, repeat_penalty=1.0, dry=Dry(0.8, 3),
                          min_p=0.05, prompt=runtime.tokenize(f"An example review:{sentence}"))
    zeros = (ctypes.c_float * runtime.n_vocab)()
    penalties = []  # each token of the copy: its piece and the logit the penalty left it (from 0)
    glued = []  # each penalised word start's twin without the space (" about" -> "about"): (start's, twin's)
    try:
        for token in copy:
            array = scratch.fill(zeros)
            steps.penalise(array, scratch)
            logit = float(scratch.candidates["logit"][token])
            penalties.append((runtime.piece(token), logit))
            if logit < 0 and scratch.glued[token] >= 0:
                glued.append((logit, float(scratch.candidates["logit"][scratch.glued[token]])))
            steps.accept(token)
    finally:
        steps.free()
    inside_word = [logit for piece, logit in penalties if piece[:1].isalpha()]
    word_starts = [logit for piece, logit in penalties if piece[:1] == b" "]
    assert inside_word, penalties  # "nauseous" is more than one token
    assert all(logit == 0.0 for logit in inside_word), penalties
    assert min(word_starts) < -1.0, penalties  # the run is still broken, at a word's start
    assert glued and all(twin <= start for start, twin in glued), glued  # not "nauseousabout" instead


def _draw_counts(min_p: float, logits: list[float], seeds: int = 300, temperature: float = 1.5,
                 pieces: list[bytes] | None = None, ends_min_p: float | None = None) -> Counter:
    from syngen.backends.local_sampling import Dry, EndChance, Scratch, SequenceSampler, sampler_chain

    drawn = Counter()
    array = (ctypes.c_float * len(logits))(*logits)
    scratch = Scratch(len(logits), pieces or [])
    for seed in range(seeds):
        chain = sampler_chain(None, len(logits), temperature, seed, repeat_penalty=1.0, dry=Dry(0.0, 3),
                              min_p=min_p, prompt=[])
        ends = EndChance(ends_min_p, temperature, seed) if ends_min_p is not None else None
        sampler = SequenceSampler(chain, None, scratch, ends)
        drawn[sampler.sample(array)] += 1
        sampler.close()
    return drawn


def _draws(min_p: float, logits: list[float], seeds: int = 300) -> set[int]:
    return set(_draw_counts(min_p, logits, seeds))


def test_min_p_never_draws_a_token_far_less_likely_than_the_likeliest():
    """`--backend-option min_p=0.2`: garbled phrases ("worth the gold of good") are draws of tokens the model found
    unlikely (docs/embedded-model.md). Even at a high temperature a token under min_p of the likeliest's probability
    is never drawn, and the default (0.05) lets it through."""
    from math import log

    shares = [1.0, 0.6, 0.3, 0.14, 0.1]  # of the likeliest token's probability
    assert _draws(0.2, [log(share) for share in shares]) == {0, 1, 2}
    assert 3 in _draws(0.05, [log(share) for share in shares])


# A word the model likes, a closing quote and a sentence end, and eight unlikely words (a tenth of the likeliest's
# probability each): min_p 0.2 cuts the eight, and their mass went to the ends, which shortened texts.
ENDS_PIECES = [b" good", b'"', b".", *(f" w{i}".encode() for i in range(8))]
ENDS_SHARES = [1.0, 0.35, 0.25] + [0.1] * 8


def test_the_chance_of_an_end_is_what_llama_cpps_chain_gives_it():
    """`end_share` mirrors the chain (top-k, top-p, min-p, temperature) that llama.cpp exposes only by drawing."""
    from math import log

    import numpy as np

    from syngen.backends.local_sampling import Scratch, end_share

    logits = [log(share) for share in ENDS_SHARES]
    ends = Scratch(len(logits), ENDS_PIECES).ends
    for min_p, temperature in [(0.05, 0.8), (0.2, 0.8), (0.05, 1.5), (0.3, 1.0)]:
        drawn = _draw_counts(min_p, logits, seeds=3000, temperature=temperature, pieces=ENDS_PIECES)
        share = (drawn[1] + drawn[2]) / 3000
        assert share == pytest.approx(end_share(np.array(logits, dtype=np.float32), ends, min_p, temperature),
                                      abs=0.03)


def test_a_strict_min_p_cuts_unlikely_words_but_ends_as_often_as_the_lenient_one():
    """`--backend-option min_p=0.2` with the ends' chance kept at 0.05: no unlikely word is drawn, and a sentence
    or the text ends as often as at 0.05, not more (docs/embedded-model.md)."""
    from math import log

    logits = [log(share) for share in ENDS_SHARES]
    lenient = _draw_counts(0.05, logits, seeds=3000, temperature=1.0, pieces=ENDS_PIECES)
    strict = _draw_counts(0.2, logits, seeds=3000, temperature=1.0, pieces=ENDS_PIECES)
    kept = _draw_counts(0.2, logits, seeds=3000, temperature=1.0, pieces=ENDS_PIECES, ends_min_p=0.05)
    ends = {name: (drawn[1] + drawn[2]) / 3000 for name, drawn in
            [("lenient", lenient), ("strict", strict), ("kept", kept)]}
    assert ends["lenient"] == pytest.approx(0.6 / 2.3, abs=0.03)  # top-p 0.95 leaves out one unlikely word
    assert ends["strict"] == pytest.approx(0.6 / 1.6, abs=0.03)  # what shortened texts
    assert ends["kept"] == pytest.approx(ends["lenient"], abs=0.03)
    assert set(kept) == {0, 1, 2} and set(lenient) > {0, 1, 2}


def _end_share_over_every_token(logits, ends, min_p, temperature):
    """end_share as first written: the top-k partitioned out of the whole vocabulary."""
    import numpy as np

    from syngen.backends.local_sampling import TOP_K, TOP_P

    finite = int(np.isfinite(logits).sum())
    top = np.argpartition(-logits, min(TOP_K, finite) - 1)[: min(TOP_K, finite)]
    top = top[np.argsort(-logits[top], kind="stable")]
    values = logits[top]
    probs = np.exp(values.astype(np.float64) - values[0])
    probs /= probs.sum()
    values = values[: min(len(values), int(np.searchsorted(np.cumsum(probs), TOP_P)) + 1)]
    values = values[values >= values[0] + np.float32(np.log(min_p))]
    weights = np.exp((values.astype(np.float64) - values[0]) / temperature)
    return float(weights[ends[top[: len(values)]]].sum() / weights.sum())


def test_the_chance_of_an_end_looked_for_near_the_likeliest_token_is_the_whole_vocabularys():
    """end_share looks for the top-k tokens within a few logits of the likeliest (a tenth of the time): on flat,
    peaked and masked vocabularies it gives what the whole vocabulary gives."""
    import numpy as np

    from syngen.backends.local_sampling import end_share

    rng = np.random.default_rng(5)
    for trial in range(300):
        logits = (rng.standard_normal(49152) * [0.5, 2.0, 6.0][trial % 3]).astype(np.float32)
        if trial % 4 == 0:
            logits[rng.integers(49152)] += 30.0  # one token far likelier than the rest
        if trial % 5 == 0:
            logits[rng.random(49152) < 0.9] = -np.inf  # what a schema's mask leaves
        ends = rng.random(49152) < 0.05
        ends[np.argsort(-logits)[: trial % 3]] = True  # the likeliest token an end, at times
        for min_p, temperature in [(0.05, 0.8), (0.2, 0.8), (0.05, 1.5)]:
            assert end_share(logits, ends, min_p, temperature) == pytest.approx(
                _end_share_over_every_token(logits, ends, min_p, temperature), abs=1e-9)
