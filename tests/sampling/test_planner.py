import random
from collections import Counter

import pandas as pd
from scipy.stats import ks_2samp

from syngen.data import read_table_bytes
from syngen.evaluation.formats import build_checks
from syngen.profiling import profile_table
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


def test_diversity_high_spreads_the_lengths_within_the_real_ones(real_profile):
    """More rows from the short and the long end of the real lengths, none outside them: the report's
    self-similarity follows how alike the texts' lengths are."""
    import numpy as np

    table, catalogue, profile = real_profile
    real_words = table.frame["text"].dropna().str.split().str.len()

    def targets(diversity: str) -> np.ndarray:
        planner = RowPlanner(profile, catalogue, seed=1, diversity=diversity)
        return np.array([planner.skeleton(i).text_targets.get("text", 0) for i in range(400)])

    match, wide = targets("match"), targets("high")
    low_end, high_end = np.percentile(real_words, [20, 80])
    assert ((wide <= low_end) | (wide >= high_end)).mean() > ((match <= low_end) | (match >= high_end)).mean() + 0.1
    assert wide[wide > 0].min() >= real_words.min() and wide.max() <= real_words.max()
    middle = np.median(match[match > 0])
    assert abs(np.median(wide[wide > 0]) - middle) <= 0.25 * middle  # as long in the middle


def test_row_numbers_go_on_from_the_real_ones_never_repeating():
    shuffled = random.Random(2).sample(range(1, 61), 60)
    rows = b"".join(b"%05d,%d,words of review %d here\n" % (i, i % 3, i) for i in shuffled)
    profile = profile_table(read_table_bytes(b"ticket_no,label,text\n" + rows, source="tickets.csv"))
    planner = RowPlanner(profile, None, seed=3)
    numbers = [planner.skeleton(i).values["ticket_no"] for i in range(0, 500, 7)]
    assert numbers[:2] == ["00061", "00068"]  # plan position 0 and 7: gaps where positions are rejected
    assert len(set(numbers)) == len(numbers) and numbers == sorted(numbers)
    assert build_checks(profile)["ticket_no"](pd.DataFrame({"ticket_no": numbers})).all()
    assert row_problems(profile, {**planner.skeleton(0).values, "text": "x"}) == []


def _wine_regions(rows: int = 240, seed: int = 5):
    """`region_2` is filled for US wines only; the taster tells which US region, and rows without a taster come
    from every country, so the dependency tree hangs region_2 under the taster."""
    import random

    import pandas as pd

    from syngen.data.loader import read_table_bytes

    rng = random.Random(seed)
    tasters = {"US": ["Virginie Boone", "Paul Gregutt"], "France": ["Roger Voss"], "Italy": ["Kerin O'Keefe"]}
    regions = {"Virginie Boone": ["Napa"], "Paul Gregutt": ["Willamette Valley"]}
    others = ["Napa", "Sonoma", "Columbia Valley", "Central Coast", "Finger Lakes"]
    out = []
    for i in range(rows):
        country = rng.choice(["US", "US", "France", "Italy"])
        taster = "" if rng.random() < 0.2 else rng.choice(tasters[country])
        region = rng.choice(regions.get(taster, others)) if country == "US" else ""
        out.append({"country": country, "taster_name": taster, "region_2": region,
                    "description": f"Tasting note {i}: ripe fruit, firm tannins and a long finish, number {i}."})
    return read_table_bytes(pd.DataFrame(out).to_csv(index=False).encode(), source="wines.csv")


def test_a_category_filled_for_one_country_only_stays_empty_elsewhere():
    """Planned by its tree parent alone, rows without a taster drew a US region for any country."""
    table = _wine_regions()
    profile = profile_table(table)
    assert profile.dependency_of("region_2").parent == "taster_name"
    assert profile.emptiness_of("region_2").parent == "country"
    planner = RowPlanner(profile, None, 3)
    rows = [planner.skeleton(i).values for i in range(400)]
    assert all(not r["region_2"] for r in rows if r["country"] != "US")
    us = [r for r in rows if r["country"] == "US"]
    assert sum(bool(r["region_2"]) for r in us) == len(us)
    boone = {r["region_2"] for r in us if r["taster_name"] == "Virginie Boone"}
    assert boone == {"Napa"}, "the filled values still follow the taster"


def _replies(rows: int = 300, seed: int = 2):
    """App reviews: a developer's reply (a text) in a quarter of them, mostly to low scores, its date exactly where
    it is; a consent flag of one value, given exactly where the review has a note."""
    rng = random.Random(seed)
    words = ["sync", "crash", "login", "update", "widget", "battery", "export", "dark", "mode", "ads", "backup"]
    out = []
    for i in range(rows):
        score = rng.choice(["1", "2", "5", "5", "4"])
        replied = rng.random() < (0.6 if score in "12" else 0.1)
        noted = rng.random() < 0.4
        out.append({"score": score, "content": f"The {' '.join(rng.sample(words, 4))} works, review {i}.",
                    "note": f"Note {i} on {' and '.join(rng.sample(words, 3))}." if noted else "",
                    "consent": "Consent provided" if noted else "",
                    "reply": f"Thanks, we looked at the {' '.join(rng.sample(words, 3))} issue {i}." if replied else "",
                    "repliedAt": f"2021-03-{rng.randint(10, 28)} 12:{rng.randint(10, 59)}:00" if replied else ""})
    return read_table_bytes(pd.DataFrame(out).to_csv(index=False).encode(), source="replies.csv")


def test_columns_empty_together_in_every_real_row_are_planned_empty_together():
    """A reply's date followed the score, as the reply did, each on its own: 2 of 10 generated rows had a reply
    and no date. A flag of one value, given exactly where a note is, was no parent at all (one value)."""
    profile = profile_table(_replies())
    assert profile.emptiness_of("repliedAt").parent == "reply" and profile.emptiness_of("repliedAt").by_emptiness
    assert profile.emptiness_of("note").parent == "consent"
    planner = RowPlanner(profile, None, 3)
    skeletons = [planner.skeleton(i) for i in range(400)]
    replied = [("reply" in s.text_targets, bool(s.values["repliedAt"])) for s in skeletons]
    noted = [("note" in s.text_targets, bool(s.values["consent"])) for s in skeletons]
    assert all(a == b for a, b in replied) and 40 < sum(a for a, _ in replied) < 160
    assert all(a == b for a, b in noted) and 100 < sum(a for a, _ in noted) < 220
