"""The knobs choose the examples a prompt shows, on a small table of our own making: `--length high` shows
longer texts than `low`, `--complexity high` harder ones, `--diversity high` ones further apart, and `match`
chooses as it did before the knobs did anything."""

import numpy as np
import pandas as pd
import pytest

from syngen.data.loader import Table
from syngen.profiling import profile_table
from syngen.prompts import FewShotPicker
from syngen.prompts.fewshot import _similarity, grade
from syngen.prompts.strategies import Knobs

EASY = ["I like it.", "It is good.", "We use it a lot.", "My dog ate it.", "It was fine.", "So far so good."]
HARD = ["The formulation demonstrates considerable bioavailability.",
        "Its encapsulation apparently mitigates gastrointestinal discomfort.",
        "Manufacturers emphasise standardised concentrations throughout production.",
        "Nevertheless, the characteristic aftertaste remains objectionable."]
TOPICS = ["tea", "bread", "soap", "paint", "rope", "glue", "lamp", "desk", "sock", "boat", "kite", "drum"]


def _table(rows: int = 96, seed: int = 0) -> pd.DataFrame:
    """Texts of one to nine sentences, easy or hard, each about one of many topics; a 1-3 'mood' label."""
    rng = np.random.default_rng(seed)
    records = []
    for i in range(rows):
        pool = HARD if i % 3 == 0 else EASY
        sentences = [str(rng.choice(pool)) for _ in range(1 + i % 9)]
        topic = TOPICS[i % len(TOPICS)]
        text = " ".join([f"This {topic} is from {TOPICS[(i * 5) % len(TOPICS)]} town.", *sentences])
        records.append({"text": text, "mood": str(1 + i % 3)})
    return pd.DataFrame(records)


@pytest.fixture(scope="module")
def table():
    frame = _table()
    return frame, profile_table(Table(frame, "moods.csv", "utf-8", ","))


def _shown(table, knobs: Knobs, blocks: int = 24) -> list[list[str]]:
    frame, profile = table
    picker = FewShotPicker(frame, profile, 3, seed=3, strata=["mood"], knobs=knobs)
    return [[picker.example(i)["text"] for i in picker.pick(block, block * 8, {"mood": str(1 + block % 3)})]
            for block in range(blocks)]


def _mean(values) -> float:
    return float(np.mean(list(values)))


def test_length_high_shows_longer_examples_than_match_and_match_than_low(table):
    words = {level: _mean(len(t.split()) for shown in _shown(table, Knobs(length=level)) for t in shown)
             for level in ("low", "match", "high")}
    assert words["low"] < words["match"] < words["high"]


def test_complexity_high_shows_harder_examples_than_match_and_match_than_low(table):
    grades = {level: _mean(grade(t) for shown in _shown(table, Knobs(complexity=level)) for t in shown)
              for level in ("low", "match", "high")}
    assert grades["low"] < grades["match"] < grades["high"]


def test_diversity_high_shows_examples_further_apart_than_low(table):
    def alike(level: str) -> float:
        sets = [[set(t.lower().split()) for t in shown] for shown in _shown(table, Knobs(diversity=level))]
        return _mean(_similarity(a, b) for shown in sets for i, a in enumerate(shown) for b in shown[i + 1:])

    assert alike("high") < alike("match") < alike("low")


def test_the_example_stays_the_row_own_mood_whatever_the_knobs(table):
    frame, profile = table
    for knobs in (Knobs(length="high"), Knobs(complexity="low"), Knobs(diversity="high")):
        picker = FewShotPicker(frame, profile, 3, seed=3, strata=["mood"], knobs=knobs)
        assert {picker.example(i)["mood"] for i in picker.pick(0, 0, {"mood": "2"})} == {"2"}


def _sets(table, knobs: Knobs, positions: range) -> list[tuple[int, ...]]:
    """The example sets rows of one mood see at these plan positions (blocks of 8, as the base prompt type)."""
    frame, profile = table
    picker = FewShotPicker(frame, profile, 3, seed=3, strata=["mood"], knobs=knobs)
    return [tuple(picker.pick(position // 8, position, {"mood": "1"})) for position in positions]


def test_diversity_high_gives_each_row_its_own_examples_and_low_one_set_for_the_run(table):
    assert len(set(_sets(table, Knobs(diversity="high"), range(8)))) >= 6  # one block, (nearly) a set a row
    assert len(set(_sets(table, Knobs(diversity="low"), range(0, 64, 8)))) == 1  # eight blocks, one set
    match = _sets(table, Knobs(), range(0, 64, 4))
    assert match[0] == match[1] and len(set(match)) > 4  # shared within a block, rotated across blocks


def test_diversity_high_shows_examples_far_apart_in_content_not_merely_short(table):
    words = {level: _mean(len(t.split()) for shown in _shown(table, Knobs(diversity=level)) for t in shown)
             for level in ("match", "high")}
    assert words["high"] >= words["match"]
