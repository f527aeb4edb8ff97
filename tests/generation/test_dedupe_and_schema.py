import re

import pytest

from syngen.generation.dedupe import DuplicateIndex
from syngen.generation.schema import MAX_LENGTH_SPAN, answer_schema, field_limits, token_budget
from syngen.sampling.planner import Skeleton


def test_exact_copies_ignore_case_and_spacing():
    index = DuplicateIndex()
    index.add("Great product,  works well")
    assert index.check("great product, works WELL") == "exact_copy"
    assert index.check("Terrible product") is None


def test_near_copies_need_enough_words():
    index = DuplicateIndex()
    index.add("These capsules helped my sleep within a week and I feel rested")
    assert index.check("These capsules helped my sleep within a week and I feel rested!") == "exact_copy"
    assert index.check("These capsules helped my sleep within one week and I feel rested") == "near_copy"
    index.add("Helped my sleep")
    assert index.check("Helped my sleep a lot") is None  # a text of 3 words is never a near copy
    assert index.check("A completely different text about the bottle and the price") is None


def test_every_string_in_the_answer_schema_has_bounds():
    schema = answer_schema({"title": (5, 20), "text": (50, 120)})
    for spec in schema["properties"].values():
        assert spec["type"] == "string" and spec["minLength"] < spec["maxLength"]
    assert schema["required"] == ["title", "text"]
    assert token_budget({"title": (5, 20), "text": (50, 120)}) >= (20 + 120) / 3


def test_long_targets_keep_the_length_span_llama_cpp_can_parse(real_profile):
    profile = real_profile[2]
    skeleton = Skeleton(0, {}, {"title": 3, "text": 410})  # the longest real review
    low, high = field_limits(profile, skeleton, tolerance=0.35)["text"]
    assert high - low <= MAX_LENGTH_SPAN and low > 410 * 4


def test_a_text_that_must_end_whole_cannot_be_closed_mid_sentence():
    import jsonschema

    schema = answer_schema({"title": (3, 30), "text": (10, 60)}, {"title": "[^{}]"}, whole=frozenset({"text"}))
    valid = jsonschema.Draft202012Validator(schema).is_valid
    assert valid({"title": "Works", "text": "It helped me sleep well."})
    assert not valid({"title": "Works", "text": "This product is a great choice for anyone looking to get their"})
    assert not valid({"title": "{Works}", "text": "It helped me sleep well!"})  # the title's class still holds
    assert not valid({"title": "Works", "text": "Short."}) and not valid({"title": "Works", "text": "x" * 61 + "."})


def test_past_its_target_a_whole_text_ends_at_its_first_sentence_end():
    import jsonschema

    limits = {"title": (3, 30), "text": (10, 120)}
    schema = answer_schema(limits, {"text": "[^{}]"}, whole=frozenset({"text"}), closes={"text": 30})
    valid = jsonschema.Draft202012Validator(schema).is_valid
    assert valid({"title": "Works", "text": "It helped. I sleep well now, and I wake up rested."})  # ends before 30
    assert valid({"title": "Works", "text": "It helped me sleep well every night this month!"})
    assert not valid({"title": "Works", "text": "It helped me sleep well every night this month! And more."})
    assert not valid({"title": "Works", "text": "It helped {me} sleep."})  # the column's class still holds


def test_close_points_are_the_target_lengths_of_the_columns_asked_for(real_profile):
    from syngen.generation.schema import close_points

    profile = real_profile[2]
    closes = close_points(profile, Skeleton(0, {}, {"title": 3, "text": 20}))
    assert closes == {"title": int(3 * profile.column("title").stats.char_per_word),
                      "text": int(20 * profile.column("text").stats.char_per_word)}
    assert set(close_points(profile, Skeleton(0, {}, {"text": 20}))) == {"text"}  # a title planned empty


@pytest.mark.model
def test_a_long_text_without_a_sentence_end_stays_within_what_llguidance_can_follow():
    """A text past its close point with no full stop runs to the bound under llguidance, a mask at every step.
    (An earlier form of the pattern, with the split point left open, failed an 883-character answer in a
    benchmark run with "too many expressions"; that exact answer is not reproducible from its text alone.)"""
    import os

    from syngen.backends.local import LocalBackend

    pytest.importorskip("llguidance")
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    backend = LocalBackend({"threads": 1, "batch_size": 1})
    backend.load()
    schema = answer_schema({"text": (460, 1260)}, {"text": "[^{}]"}, whole=frozenset({"text"}), closes={"text": 602})
    matcher = backend._compiler.matcher(schema)
    words = "Lemon Nutto Caramel Coconut Mocha Zuke Sriracha Gingerbread Jumbo Rice " * 20
    for token in backend._runtime.tokenize('{"text": "' + words[:1250] + '."}'):
        matcher.compute_bitmask()
        assert matcher.consume_token(token), matcher.get_error()
    assert matcher.is_accepting()
    backend.close()


def test_a_field_whose_real_values_are_wrapped_is_asked_for_wrapped():
    pattern = answer_schema({"signature": (3, 40)}, wrappers={"signature": ("(", ")")})["properties"]["signature"]
    assert re.fullmatch(pattern["pattern"].strip("^$"), "(a, b=None)")
    assert not re.fullmatch(pattern["pattern"].strip("^$"), "a, b=None")
    assert not re.fullmatch(pattern["pattern"].strip("^$"), "(" + "x" * 39 + ")"), "the brackets count in the bound"
