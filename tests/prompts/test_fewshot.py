"""Example choice: the row's own values first, then what the knobs ask for (long or short, hard or easy,
far apart or typical), on the real supplements data."""

import numpy as np
import pytest

from syngen.prompts import FewShotPicker
from syngen.prompts.fewshot import _similarity, grade
from syngen.prompts.strategies import Knobs


@pytest.fixture(scope="module")
def real(real_profile):
    table, _, profile = real_profile
    return table.frame, profile


def _shown(real, knobs: Knobs, blocks: int = 30) -> list[list[str]]:
    frame, profile = real
    picker = FewShotPicker(frame, profile, 3, seed=1, strata=["rating"], knobs=knobs)
    return [[picker.example(i)["text"] for i in picker.pick(block, block, {"rating": "5"})] for block in range(blocks)]


def _mean(values) -> float:
    return float(np.mean(list(values)))


def test_examples_share_the_rows_rating(real):
    frame, profile = real
    picker = FewShotPicker(frame, profile, 3, seed=1, strata=["rating"])
    for rating in ("1", "2", "5"):
        assert {picker.example(i)["rating"] for i in picker.pick(0, 0, {"rating": rating})} == {rating}


def test_codes_choose_examples_but_are_never_stated(real):
    """An item code (B00J8HV2QM) tells the model nothing and was copied into titles: examples share the row's
    item, but the code is shown neither in them nor (stated columns) in the row's own values."""
    frame, profile = real
    picker = FewShotPicker(frame, profile, 3, seed=1, strata=["rating", "asin"])
    asin = frame["asin"].value_counts().index[0]
    picked = picker.pick(0, 0, {"rating": "5", "asin": asin})
    assert set(frame.loc[picked, "asin"]) == {asin}
    assert "asin" in picker.context_columns and "asin" not in picker.stated_columns
    assert "rating" in picker.stated_columns
    assert all("asin" not in picker.example(i) for i in picked)


def test_the_length_knob_chooses_longer_or_shorter_examples(real):
    words = {level: _mean(len(t.split()) for shown in _shown(real, Knobs(length=level)) for t in shown)
             for level in ("low", "match", "high")}
    assert words["low"] < words["match"] < words["high"]


def test_the_complexity_knob_chooses_harder_or_easier_examples(real):
    grades = {level: _mean(grade(t) for shown in _shown(real, Knobs(complexity=level)) for t in shown)
              for level in ("low", "match", "high")}
    assert grades["low"] < grades["match"] < grades["high"]


def test_the_diversity_knob_chooses_examples_far_apart_or_alike(real):
    def spread(level: str) -> float:
        pairs = [_similarity(set(a.lower().split()), set(b.lower().split()))
                 for shown in _shown(real, Knobs(diversity=level)) for i, a in enumerate(shown) for b in shown[i + 1:]]
        return _mean(pairs)

    assert spread("high") < spread("match") < spread("low")


def test_a_row_asked_for_a_short_text_sees_short_examples_of_its_rating(real):
    frame, profile = real
    picker = FewShotPicker(frame, profile, 3, seed=1, strata=["rating"])
    words = frame["text"].astype(str).str.split().str.len()
    short_limit = words.quantile(0.25)
    for rating in ("1", "5"):
        short = picker.pick(0, 0, {"rating": rating}, target_words=4)
        assert all(words.loc[i] <= short_limit for i in short)
        assert {picker.example(i)["rating"] for i in short} == {rating}
        usual = [i for block in range(10) for i in picker.pick(block, block, {"rating": rating}, target_words=30)]
        assert max(words.loc[i] for i in usual) > short_limit  # a usual target keeps the usual examples


def test_the_length_knob_overrules_a_short_target(real):
    frame, profile = real
    picker = FewShotPicker(frame, profile, 3, seed=1, strata=["rating"], knobs=Knobs(length="high"))
    words = frame["text"].astype(str).str.split().str.len()
    assert min(words.loc[i] for i in picker.pick(0, 0, {"rating": "5"}, target_words=4)) > words.quantile(0.25)


def test_a_multi_label_column_is_stated_however_many_combinations_its_labels_make():
    """Six labels in 30-odd combinations: more values than a prompt states of a category, but each row's labels
    are what its text must speak of."""
    import pandas as pd

    from syngen.data.loader import Table
    from syngen.profiling import profile_table

    rng = np.random.default_rng(0)
    labels = ["economy", "politics", "sports", "health", "science", "travel"]
    tags = ["|".join(sorted(rng.choice(labels, size=rng.integers(1, 4), replace=False))) for _ in range(300)]
    texts = [f"Story {i} tells of {tag.replace('|', ' and ')} in plain words." for i, tag in enumerate(tags)]
    frame = pd.DataFrame({"summary": texts, "topics": tags, "desk": rng.choice(["a", "b"], size=300)})
    profile = profile_table(Table(frame, "news.csv", "utf-8", ","))
    assert profile.column("topics").n_distinct > 20
    picker = FewShotPicker(frame, profile, k=3, seed=0, strata=[])
    assert "topics" in picker.stated_columns and "desk" in picker.stated_columns


def test_a_label_whose_texts_are_all_long_is_shown_its_own_rows_shortened():
    """Well-asked questions come with their code and run past the examples' word cap; the badly asked ones are
    short. An HQ row was shown three LQ_CLOSE rows (the only short ones) and wrote one."""
    import pandas as pd

    from syngen.data.loader import Table
    from syngen.profiling import profile_table

    long_body = "I call the parser on each line of the file and it returns an empty list. " * 6
    short_body = "pls help my code not work"
    frame = pd.DataFrame({"body": [f"{long_body} Case {i}." if i % 3 == 0 else f"{short_body} {i}"
                                   for i in range(90)],
                          "quality": ["HQ" if i % 3 == 0 else "LQ" for i in range(90)]})
    profile = profile_table(Table(frame, "questions.csv", "utf-8", ","))
    picker = FewShotPicker(frame, profile, 3, seed=0, strata=["quality"])
    shown = picker.pick(0, 0, {"quality": "HQ"})
    assert {picker.example(i)["quality"] for i in shown} == {"HQ"}
    assert all(len(picker.example(i)["body"].split()) < len(long_body.split()) for i in shown)  # shortened
    assert {picker.example(i)["quality"] for i in picker.pick(0, 0, {"quality": "LQ"})} == {"LQ"}


def test_a_table_of_long_texts_is_shown_them_whole_up_to_half_again_its_median():
    """Reviews of 60-100 words: capped at 45 words, every example was cut short of the lengths asked for."""
    import pandas as pd

    from syngen.data.loader import Table
    from syngen.profiling import profile_table
    from syngen.prompts.fewshot import MAX_EXAMPLE_WORDS

    rng = np.random.default_rng(2)
    sentence = "The tablets were easy to swallow and my energy came back within a week of taking them."
    texts = [" ".join([sentence] * int(rng.integers(4, 7))) + f" Batch {i}." for i in range(120)]
    frame = pd.DataFrame({"review": texts, "stars": rng.choice(["1", "5"], size=120)})
    profile = profile_table(Table(frame, "long.csv", "utf-8", ","))
    picker = FewShotPicker(frame, profile, 3, seed=0, strata=["stars"])
    shown = [picker.example(i)["review"] for i in picker.pick(0, 0, {"stars": "5"})]
    assert all(text in texts for text in shown), "whole texts, not cut"
    assert max(len(text.split()) for text in shown) > MAX_EXAMPLE_WORDS


def test_a_rating_is_given_its_scale_but_coordinates_are_not():
    """A hotel table's prompt read "lat: 48.8385709 (on a scale of 41.3857 to 52.3702)": the scale says what a
    rating's 1 means (or a count's 0), not where a coordinate lies."""
    import pandas as pd

    from syngen.data.loader import Table
    from syngen.profiling import profile_table

    rows = 60
    frame = pd.DataFrame({
        "stars": [str(1 + i % 5) for i in range(rows)],
        "score": [f"{5 + (i % 11) / 2:.1f}" for i in range(rows)],  # 5.0 to 10.0 in half steps
        "lat": [["51.5192391", "48.8385709", "41.3856645", "52.3702155"][i % 4] for i in range(rows)],
        "helpful": [str(i % 16) for i in range(rows)],
        "review": [f"Stay number {i} was {['fine', 'bad', 'great'][i % 3]} and the staff kind." for i in range(rows)],
    })
    profile = profile_table(Table(frame, "hotels.csv", "utf-8", ","))
    picker = FewShotPicker(frame, profile, 3, seed=1, strata=["stars"])
    stated = set(picker.stated_columns)
    assert {"stars", "lat"} <= stated
    assert picker.scales.get("stars") == "1 to 5"
    assert "lat" not in picker.scales
    assert picker.scales.get("score", "5 to 10") == "5 to 10"
