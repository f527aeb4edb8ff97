import pytest

from syngen.prompts import FewShotPicker, get_strategy
from syngen.sampling import RowPlanner


@pytest.fixture(scope="module")
def parts(real_profile):
    table, catalogue, profile = real_profile
    return table, profile, RowPlanner(profile, catalogue, seed=2), FewShotPicker(table.frame, profile, 3, seed=2)


def build(parts, name, position=0, **knobs):
    table, profile, planner, picker = parts
    skeleton = planner.skeleton(position)
    examples = [picker.example(i) for i in picker.pick(position // 8, position, skeleton.values)]
    limits = {"title": (5, 20), "text": (40, 90)}
    return get_strategy(name, **knobs).build(profile.topic, skeleton, examples, ["rating"], limits), skeleton


def test_prompt_carries_topic_product_rating_and_lengths(parts):
    messages, skeleton = build(parts, "base")
    user = messages[-1]["content"]
    assert "Vitamins & Supplements" in messages[0]["content"]
    assert f"rating: {skeleton.values['rating']}" in user
    assert skeleton.context["title"].split()[0] in user
    assert f'"text" (about {skeleton.text_targets["text"]} words' in user


def test_prompt_types_ask_for_different_things(parts):
    texts = {name: build(parts, name)[0][-1]["content"]
             for name in ("base", "diversity", "lang_complexity", "text_length")}
    assert len(set(texts.values())) == 4
    assert "clearly different" in texts["diversity"]
    assert "vocabulary" in texts["lang_complexity"] or "articulate" in texts["lang_complexity"]


def test_knobs_override_the_prompt_type(parts):
    plain = build(parts, "base")[0][-1]["content"]
    simple = build(parts, "base", complexity="low")[0][-1]["content"]
    assert "short sentences" in simple and "short sentences" not in plain
    assert get_strategy("lang_complexity", complexity="low").knobs.complexity == "low"


def test_few_shots_rotate_and_share_a_prefix_within_a_block(parts):
    table, profile, planner, picker = parts
    first = picker.pick(0, 0, planner.skeleton(0).values)
    second = picker.pick(0, 1, planner.skeleton(1).values)
    later = picker.pick(5, 40, planner.skeleton(40).values)
    assert first[:2] == second[:2]  # shared by the block: the prompt cache is reused
    assert set(first[:2]) != set(later[:2])  # rotated across blocks
    rating = planner.skeleton(0).values["rating"]
    assert table.frame.loc[first[-1], "rating"] == rating  # one example from the row's own stratum


def test_the_diversity_knob_scales_the_sampling_temperature():
    from syngen.prompts.strategies import get_strategy

    asked = 0.8
    low, match, high = (get_strategy("base", diversity=level).knobs.temperature(asked) for level in LEVELS_ORDER)
    assert low < match == asked < high
    assert get_strategy("diversity").knobs.temperature(asked) > asked  # that prompt type asks for high diversity
    assert get_strategy("base", diversity="high").knobs.temperature(1.9) == 2.0  # never past the backends' limit


LEVELS_ORDER = ("low", "match", "high")
