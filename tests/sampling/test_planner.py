from collections import Counter

from scipy.stats import ks_2samp

from syngen.profiling.conformance import row_problems
from syngen.sampling import RowPlanner


def test_skeletons_are_valid_new_and_reproducible(real_profile):
    table, catalogue, profile = real_profile
    planner = RowPlanner(profile, catalogue, seed=7)
    skeletons = [planner.skeleton(i) for i in range(300)]
    real_ids = set(table.frame["user_id"])
    for skeleton in skeletons:
        row = {**skeleton.values, "title": "t", "text": "x"}
        assert row_problems(profile, row) == []
        assert skeleton.values["user_id"] not in real_ids
        assert skeleton.values["date"] == skeleton.values["timestamp"][:10]
        assert skeleton.values["time"] == skeleton.values["timestamp"][11:16]
        assert skeleton.context["title"]  # the product named from the catalogue
    assert len({s.values["user_id"] for s in skeletons}) == 300
    again = RowPlanner(profile, catalogue, seed=7)
    assert again.skeleton(123) == skeletons[123]
    assert RowPlanner(profile, catalogue, seed=8).skeleton(123) != skeletons[123]


def test_distributions_follow_the_real_data(real_profile):
    table, catalogue, profile = real_profile
    planner = RowPlanner(profile, catalogue, seed=1)
    skeletons = [planner.skeleton(i) for i in range(200)]
    real = table.frame["rating"].value_counts(normalize=True)
    made = Counter(s.values["rating"] for s in skeletons)
    tvd = sum(abs(made.get(k, 0) / 200 - share) for k, share in real.items()) / 2
    assert tvd < 0.03
    real_words = table.frame["text"].str.split().str.len()
    assert ks_2samp(real_words, [s.text_targets["text"] for s in skeletons]).statistic < 0.08
    # asin always belongs to its parent in the real data's pairs
    pairs = set(zip(table.frame["asin"], table.frame["parent_asin"], strict=True))
    assert all((s.values["asin"], s.values["parent_asin"]) in pairs for s in skeletons)


def test_length_knob_scales_targets(real_profile):
    _, catalogue, profile = real_profile
    match = RowPlanner(profile, catalogue, seed=1).skeleton(5).text_targets["text"]
    high = RowPlanner(profile, catalogue, seed=1, length="high").skeleton(5).text_targets["text"]
    assert high > match
