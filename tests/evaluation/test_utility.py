"""ML utility on hand-made tables whose answer is known: each class writes with its own words."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import f1_score

from syngen.data.loader import Table
from syngen.errors import ConfigError, DataError
from syngen.evaluation.utility import measure_utility
from syngen.evaluation.utility_stats import macro_f1, paired_bootstrap
from syngen.profiling import profile_table

FILLER = ["the", "this", "was", "very", "really", "quite", "it", "and", "so", "my", "day", "week"]


def _vocabulary(rng: np.random.Generator, size: int) -> list[str]:
    letters = list("bcdfghklmnprstvz")
    vowels = list("aeiou")
    return ["".join(rng.choice(letters) + rng.choice(vowels) for _ in range(3)) for _ in range(size)]


def reviews(counts: dict[str, int], seed: int, own_words: int = 3, wide: tuple[str, ...] = ()) -> pd.DataFrame:
    """Rows of a `label` and a `review` written with words of the label's own vocabulary among fillers; the
    `wide` labels draw from 200 words (a few rows of them miss most), the others from 30."""
    words = {label: _vocabulary(np.random.default_rng(sum(map(ord, label))), 200 if label in wide else 30)
             for label in counts}
    rng = np.random.default_rng(seed)
    rows = []
    for label, count in counts.items():
        for _ in range(count):
            chosen = [*rng.choice(words[label], own_words), *rng.choice(FILLER, 6)]
            rng.shuffle(chosen)
            rows.append({"label": label, "review": " ".join(chosen).capitalize() + ".",
                         "stars": str(rng.integers(1, 200))})
    return pd.DataFrame(rows).sample(frac=1, random_state=seed).reset_index(drop=True)


def profile_of(frame: pd.DataFrame):
    return profile_table(Table(frame, "real.csv", "utf-8", ","))


BALANCED = {"calm": 60, "loud": 60, "sour": 60}


@pytest.fixture(scope="module")
def real():
    return reviews(BALANCED, seed=1)


def test_the_hand_made_table_reads_as_a_category_and_a_text(real):
    profile = profile_of(real)
    assert profile.column("label").kind.value == "categorical"
    assert profile.column("review").kind.value == "text"


def test_separable_synthetic_rows_teach_as_well_as_real_ones(real):
    result = measure_utility(real, reviews(BALANCED, seed=2), profile_of(real), "label")
    tstr = result.comparisons["tstr"].scores
    assert tstr.candidate.value > 0.9 and tstr.baseline.value > 0.9
    assert tstr.difference.low < 0.05 and tstr.difference.high > -0.1
    assert result.text == "review" and result.test_rows == 54


def test_shuffled_labels_teach_nothing(real):
    synthetic = reviews(BALANCED, seed=2)
    synthetic["label"] = synthetic["label"].sample(frac=1, random_state=0).to_numpy()
    tstr = measure_utility(real, synthetic, profile_of(real), "label").comparisons["tstr"].scores
    assert tstr.candidate.value < 0.6  # chance is 1/3 with three classes
    assert tstr.baseline.value > 0.9
    assert tstr.difference.high < -0.2  # the interval says so too


def test_intervals_hold_their_value_and_repeat_with_the_seed(real):
    synthetic = reviews(BALANCED, seed=3)
    first = measure_utility(real, synthetic, profile_of(real), "label", seed=4)
    again = measure_utility(real, synthetic, profile_of(real), "label", seed=4)
    for comparison in first.comparisons.values():
        for interval in (comparison.scores.candidate, comparison.scores.baseline, comparison.scores.difference):
            assert interval.low <= interval.value <= interval.high
    assert first.to_dict() == again.to_dict()


def test_synthetic_rows_of_a_rare_class_help_a_classifier_find_it():
    counts = {"calm": 120, "loud": 120, "rare": 30}
    real = reviews(counts, seed=1, wide=("rare",))
    synthetic = reviews({"rare": 300}, seed=2, wide=("rare",))
    result = measure_utility(real, synthetic, profile_of(real), "label")
    augmentation = result.comparisons["augmentation"]
    assert augmentation.classes == ["rare"] and augmentation.candidate_rows == augmentation.baseline_rows + 300
    assert augmentation.scores.difference.low > 0  # the gain is larger than the test rows' noise
    assert "tstr" not in result.comparisons  # one class alone trains no classifier
    assert any("one label value" in note for note in result.notes)


def test_rows_of_some_classes_are_compared_on_those_classes(real):
    synthetic = reviews({"calm": 40, "loud": 40}, seed=2)
    result = measure_utility(real, synthetic, profile_of(real), "label")
    assert result.comparisons["tstr"].classes == ["calm", "loud"]
    assert result.comparisons["tstr"].scores.candidate.value > 0.9
    assert any("2 of the 3 label values" in note for note in result.notes)


def test_the_point_score_is_scikit_learns_macro_f1():
    rng = np.random.default_rng(0)
    truth = rng.choice(list("abc"), 80)
    predicted = np.where(rng.random(80) < 0.6, truth, rng.choice(list("abc"), 80))
    scores = paired_bootstrap(truth, predicted, truth, list("abc"), seed=0)
    assert scores.candidate.value == pytest.approx(f1_score(truth, predicted, average="macro"))
    assert scores.baseline.value == 1.0 and scores.difference.high < 0
    assert macro_f1(np.array([0, 0]), np.array([1, 1]), [0, 1]) == 0.0  # no hit, no division by zero


@pytest.mark.parametrize("case, error, words", [
    ("a number column", ConfigError, "not a category"),
    ("a text column", ConfigError, "not a category"),
    ("no such column", ConfigError, "has no such column"),
    ("text that is not text", ConfigError, "not free text"),
    ("too few rows of a class", DataError, "has 3 real row"),
    ("a value only the synthetic rows hold", DataError, "never has"),
    ("one class", DataError, "two or more"),
])
def test_what_cannot_be_measured_is_one_clear_error(real, case, error, words):
    frame, synthetic, label, text = real.copy(), reviews(BALANCED, seed=2), "label", None
    if case == "a number column":
        frame["stars"] = [str(i) for i in range(len(frame))]
        label = "stars"
    elif case == "a text column":
        label = "review"
    elif case == "no such column":
        label = "mood"
    elif case == "text that is not text":
        text = "label"
    elif case == "too few rows of a class":
        frame = pd.concat([frame, reviews({"odd": 3}, seed=5)], ignore_index=True)
    elif case == "a value only the synthetic rows hold":
        synthetic.loc[0, "label"] = "angry"
    elif case == "one class":
        frame = reviews({"calm": 40, "zz": 1}, seed=5)
        frame = frame[frame.label == "calm"].reset_index(drop=True)
        frame.loc[0, "label"] = "calm "  # stripped: still one value
    with pytest.raises(error) as caught:
        measure_utility(frame, synthetic, profile_of(frame), label, text)
    assert words in caught.value.one_line() and "\n" not in caught.value.one_line()


def test_a_large_test_set_is_resampled_in_bounded_chunks_with_the_same_answer(monkeypatch):
    import syngen.evaluation.utility_stats as stats

    rng = np.random.default_rng(1)
    truth = rng.choice(list("ab"), 500)
    predicted = np.where(rng.random(500) < 0.7, truth, rng.choice(list("ab"), 500))
    whole = stats.paired_bootstrap(truth, predicted, truth, ["a", "b"], seed=2)
    monkeypatch.setattr(stats, "CELLS_AT_ONCE", 500 * 7)  # 7 resamples at a time
    chunked = stats.paired_bootstrap(truth, predicted, truth, ["a", "b"], seed=2)
    assert chunked.candidate.value == whole.candidate.value
    assert chunked.candidate.low == pytest.approx(whole.candidate.low, abs=0.02)
    assert chunked.candidate.low < chunked.candidate.value < chunked.candidate.high
