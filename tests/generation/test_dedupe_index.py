"""The near-duplicate index: the LSH candidates find what the all-pairs check finds, a check costs the same
at any size, and generation and evaluation agree on what a copy is."""

import random

import pytest
from rapidfuzz import fuzz, process

from syngen.evaluation.metrics.copies import copy_matches
from syngen.generation import dedupe
from syngen.generation.dedupe import NEAR_RATIO, CopyKind, DuplicateIndex, normalise

LETTERS = "abcdefghijklmnopqrstuvwxyz"


def vocabulary(rng: random.Random, size: int = 2000) -> list[str]:
    return ["".join(rng.choice(LETTERS) for _ in range(rng.randint(2, 9))) for _ in range(size)]


def sentences(rng: random.Random, count: int, low: int = 6, high: int = 60) -> list[str]:
    words = vocabulary(rng)
    return [" ".join(rng.choice(words) for _ in range(rng.randint(low, high))).capitalize() + "." for _ in range(count)]


def planted(rng: random.Random, text: str) -> str:
    """An edited, reordered or truncated copy of `text` (not always at ratio 90: the caller checks)."""
    chars, words = list(text), text.split()
    kind = rng.choice(["edit", "reorder", "truncate"])
    if kind == "edit":
        for _ in range(rng.randint(1, max(1, len(text) // 15))):
            chars[rng.randrange(len(chars))] = rng.choice("abcdefgh ,")
        return "".join(chars)
    if kind == "reorder":
        i = rng.randrange(len(words) - 1)
        words[i], words[i + 1] = words[i + 1], words[i]
        return " ".join(words)
    return text[: int(len(text) * rng.uniform(0.85, 0.97))]


def exact_check(stored: list[str], text: str) -> bool:
    """The all-pairs check the index replaces: every stored text scored."""
    keys = [normalise(t) for t in stored if dedupe.long_enough(normalise(t))]
    return dedupe.long_enough(normalise(text)) and process.extractOne(
        normalise(text), keys, scorer=fuzz.ratio, score_cutoff=NEAR_RATIO) is not None


def test_the_index_finds_what_the_all_pairs_check_finds_on_planted_near_copies():
    rng = random.Random(3)
    stored = sentences(rng, 400)
    index = DuplicateIndex()
    index.add_all(stored)
    queries = [planted(rng, rng.choice(stored)) for _ in range(600)] + sentences(rng, 200)
    truth = [exact_check(stored, q) for q in queries]
    found = [index.find(q) is not None for q in queries]
    assert sum(truth) > 300, "the planted copies should mostly be near copies"
    pairs = list(zip(found, truth, strict=True))
    assert not any(f and not t for f, t in pairs), "every candidate is confirmed: no false copy"
    assert sum(f and t for f, t in pairs) / sum(truth) >= 0.99


def test_exact_copies_ignore_case_punctuation_and_spacing():
    index = DuplicateIndex()
    index.add("Great product,  works WELL for me")
    copy = index.find("great product works well for me!")
    assert copy is not None and copy.kind is CopyKind.EXACT and copy.of == "great product works well for me"


def test_a_short_text_is_a_repeat_at_generation_but_never_a_copy():
    index = DuplicateIndex()
    index.add("Works really well!")
    assert index.find("works really well") is None  # 3 words: many real people write it
    assert index.check("works really well") == "exact_copy"  # still not accepted twice in one table



def test_a_short_text_several_real_rows_hold_is_no_ones_to_copy():
    """A fifth of a hotel corpus's complaints read "No Negative": the model's every "No Negative" was an exact copy,
    so its rows never held the placeholder that a fifth of the real ones do."""
    index, _ = dedupe.copy_index(["No Negative", "Bad stay", "No Negative", "The bed was broken and the room cold"])
    assert index.check("no negative") is None
    assert index.check("Bad stay!") == "exact_copy"  # one real row's own words
    assert index.check("The bed was broken and the room cold.") == "exact_copy"

@pytest.mark.parametrize("real, synthetic", [
    ("Works really well", "Works really well!"),  # 3 words: evaluation used to count it, generation let it pass
    ("This vitamin gave me so much energy", "this vitamin, gave me so much energy!!"),
    ("Tastes awful, would not buy it again", "Tastes awful would not buy it again."),
    ("The capsules are large but easy to swallow", "The capsules are large but easy to swallow daily"),
])
def test_a_text_generation_accepts_is_never_counted_as_a_copy_by_evaluation(real, synthetic):
    index = DuplicateIndex()
    index.add(real)
    flagged = copy_matches([real], [synthetic])
    assert (index.check(synthetic) is None) <= (not flagged)
    assert bool(flagged) == (index.find(synthetic) is not None)


def test_generation_and_evaluation_agree_on_planted_copies():
    rng = random.Random(5)
    real = sentences(rng, 150, low=2, high=30)
    synthetic = [planted(rng, rng.choice(real)) for _ in range(200)] + sentences(rng, 100, low=2, high=30)
    index = DuplicateIndex()
    index.add_all(real)
    flagged = {m["index"] for m in copy_matches(real, synthetic)}
    accepted = {i for i, text in enumerate(synthetic) if index.check(text) is None}
    assert flagged and accepted and not flagged & accepted


def test_a_check_looks_at_a_few_candidates_however_many_texts_are_stored(monkeypatch):
    rng = random.Random(7)
    index = DuplicateIndex()
    index.add_all(sentences(rng, 4000, low=20, high=50))
    looked_at = []
    extract = process.extractOne

    def counted(query, choices, **kwargs):
        looked_at.append(len(choices))
        return extract(query, choices, **kwargs)

    monkeypatch.setattr(dedupe.process, "extractOne", counted)
    for text in sentences(rng, 200, low=20, high=50):
        index.find(text)
    assert sum(looked_at) / len(looked_at) < 10, "candidates should not grow with the number of stored texts"


def test_a_short_text_is_held_against_few_of_many_look_alike_longer_ones_and_a_cut_copy_is_still_found(monkeypatch):
    rng = random.Random(13)
    words = vocabulary(rng, 80)  # one small vocabulary: every text shares most 4-grams with every other one
    stored = [" ".join(rng.choice(words) for _ in range(rng.randint(150, 300))) for _ in range(300)]
    index = DuplicateIndex()
    index.add_all(stored)
    contained = []
    extract = process.extractOne

    def counted(query, choices, **kwargs):
        if kwargs.get("scorer") is fuzz.partial_ratio:
            contained.append(len(choices))
        return extract(query, choices, **kwargs)

    monkeypatch.setattr(dedupe.process, "extractOne", counted)
    for _ in range(30):
        assert index.find(" ".join(rng.choice(words) for _ in range(rng.randint(30, 60)))) is None
    assert sum(contained) <= 3, "the containment check ran on look-alike texts that cannot contain the query"
    source = stored[5].split()
    cut = " ".join(source[10: len(source) * 3 // 4] + ["x"])  # two thirds of a stored text, from inside, one word more
    assert fuzz.ratio(cut, stored[5]) < NEAR_RATIO, "a cut copy the containment check alone finds"
    copy = index.find(cut)
    assert copy is not None and copy.kind is CopyKind.NEAR and copy.of == stored[5]


def test_the_bound_before_the_containment_check_never_drops_a_contained_text():
    rng = random.Random(17)
    words = vocabulary(rng, 60)
    contained = 0
    for _ in range(400):
        text = " ".join(rng.choice(words) for _ in range(rng.randint(20, 120)))
        start = rng.randrange(len(text) // 2)
        piece = list(text[start: start + rng.randint(20, len(text) - start)])
        for _ in range(rng.randint(0, 4)):  # a few characters edited: partial ratio either side of the threshold
            piece[rng.randrange(len(piece))] = rng.choice(LETTERS)
        key = "".join(piece)
        if fuzz.partial_ratio(key, text) >= NEAR_RATIO:
            contained += 1
            assert dedupe._may_contain(text, key), (key, text)
    assert contained > 100


def test_the_index_travels_to_ray_actors_whole():
    import pickle

    index = DuplicateIndex()
    index.add_all(sentences(random.Random(9), 50, low=10, high=30))
    text = index._texts[7]
    copy = pickle.loads(pickle.dumps(index)).find(text[:-2])  # a near copy still found after the trip
    assert copy is not None and copy.of == text


def test_the_first_sentences_of_a_real_text_cut_off_are_a_near_copy():
    index = DuplicateIndex()
    index.add("My vitamin D was 18 at my last physical. After four months on one of these a day it was up to 52. "
              "My doctor was impressed. Tiny softgels, no taste.")
    cut = "My vitamin D was 18 at my last physical. After four months on one of these, it went up to 52."
    assert index.check(cut) == "near_copy"
    assert index.check("My vitamin D was low at my last physical, so my doctor said to take these.") is None
    assert index.check("My doctor was impressed.") is None  # too short to call a copy


def test_a_sentence_lifted_from_an_example_is_found_and_a_shared_short_one_is_not():
    from syngen.generation.dedupe import copied_sentence

    example = ["My mother is 82 and has trouble sleeping, and with restless legs at night she was up every hour. "
               "These helped a lot."]
    assert copied_sentence("My mother is 82 and has trouble sleeping and restless legs. She likes it.", example)
    assert copied_sentence("My father is 70 and sleeps badly. He likes these a lot.", example) is None
    assert copied_sentence("I take one every morning with my breakfast and these helped a lot.", example) is None
    shown = ["Instantly nauseous every time I took it, even after breakfast. Tried a week, couldn't do it anymore."]
    reworded = "Instantly nauseous whenever I take it, even after breakfast. Tried to stop the pain for days on end."
    assert copied_sentence(reworded, shown)  # a few words apart from a sentence it was shown (a quick start's row)
