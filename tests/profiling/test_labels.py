"""Label checks learned from real text, on small tables made by hand: a label the text predicts gets a check
that objects to contradicting text; a label it does not predict, or too few rows, gets none."""

import numpy as np
import pandas as pd
import pytest

from syngen.data.loader import Table
from syngen.profiling.infer import profile_table
from syngen.profiling.labels import MARGIN, _luck, label_notes, learn_label_checks

GOOD = ["love it", "works great", "excellent value", "really happy", "best purchase", "great taste",
        "highly recommend", "wonderful results", "fantastic quality", "very pleased"]
BAD = ["broke quickly", "awful taste", "waste of money", "very disappointed", "made me sick", "terrible quality",
       "do not buy", "returned it", "useless product", "stopped working"]
FILLER = ["the bottle came on time", "i take it in the morning", "my sister uses it too", "it is a capsule",
          "bought it last month", "the label is blue"]


def _table(rows: int = 120, seed: int = 0, signal: bool = True) -> Table:
    rng = np.random.default_rng(seed)
    labels = rng.choice(["positive", "negative"], size=rows)
    texts = []
    for label in labels:
        words = GOOD if label == "positive" else BAD
        texts.append(f"{rng.choice(FILLER)} and it is {rng.choice(words)}. {rng.choice(FILLER)}.")
    shuffled = labels if signal else rng.permutation(labels)  # shuffled: the text says nothing of the label
    frame = pd.DataFrame({"review": texts, "label": shuffled, "stars": np.where(shuffled == "positive", "5", "1")})
    return Table(frame=frame.astype(str), source="hand.csv", encoding="utf-8", delimiter=",")


def _checks(table: Table):
    profile = profile_table(table)
    return learn_label_checks(table.frame, profile, seed=0)


def test_a_label_the_text_predicts_is_checked_and_catches_contradictions():
    checks, summaries = _checks(_table())
    label = next(c for c in checks if c.label == "label")
    assert label.summary.checked and label.summary.balanced_accuracy > 0.9
    assert label.margin("i take it daily and it is awful taste, waste of money.", "positive") < 0
    assert label.margin("i take it daily and it is excellent value, love it.", "positive") > 0
    assert label.margin("i take it daily and it is excellent value, love it.", "negative") < 0


def test_a_label_the_text_does_not_predict_gets_no_check():
    checks, summaries = _checks(_table(signal=False))
    assert not any(c.label == "label" for c in checks)
    summary = next(s for s in summaries if s.label == "label")
    assert not summary.checked and "chance" in summary.reason


@pytest.mark.parametrize(("rows", "seed"), [(120, 4), (240, 23)])
def test_a_label_the_classifier_guesses_by_luck_gets_no_check(rows, seed):
    """Tables (of 30 of each size) on which the folds happened to favour a label the text says nothing of: 0.61
    and 0.57 balanced accuracy against chance 0.50 and shuffled labels 0.49 and 0.52. A check needs more than a
    blind guess reaches by luck on that many rows."""
    checks, summaries = _checks(_table(rows=rows, seed=seed, signal=False))
    summary = next(s for s in summaries if s.label == "label")
    assert summary.balanced_accuracy > max(summary.chance, summary.shuffled) + MARGIN  # what two shuffles passed
    assert not summary.checked and not any(c.label == "label" for c in checks)


def test_what_luck_gives_shrinks_with_the_rows():
    yes_no = np.array(["N"] * 139 + ["Y"] * 47)  # a 240-row table's sparse spoiler flag: 0.57 was luck
    stars = np.repeat(["1", "2", "3", "4", "5"], [200, 90, 100, 180, 738])  # the supplements' 1,308 ratings
    assert _luck(yes_no) > 0.1
    assert _luck(stars) < MARGIN


@pytest.mark.parametrize("rows", [20])
def test_too_few_labelled_rows_turn_the_check_off_with_a_note(rows):
    checks, summaries = _checks(_table(rows=rows))
    assert checks == []
    assert any("fewer than" in note for note in label_notes(summaries))


def test_a_label_with_one_value_is_not_a_candidate():
    table = _table()
    table.frame["label"] = "positive"
    table.frame["stars"] = "5"
    checks, summaries = _checks(table)
    assert checks == [] and all(s.label not in ("label", "stars") for s in summaries)
    notes = label_notes(summaries, profile_table(table))
    assert any("'label'" in note and "same value" in note for note in notes)


def test_rare_values_are_left_unchecked_but_others_are():
    table = _table(rows=150)
    table.frame.loc[:3, "label"] = "mixed"  # four rows: too few to calibrate a threshold on
    checks, _ = _checks(table)
    label = next(c for c in checks if c.label == "label")
    assert "mixed" not in label.thresholds and label.margin("whatever it is", "mixed") is None


def _stars_check(stars, words: dict, rng, phrases: int = 1):
    """The check learned for a 'stars' column whose reviews say `phrases` phrases of their star's words."""
    texts = [f"{rng.choice(FILLER)} and it is " + ". ".join(rng.choice(words[s]) for _ in range(phrases)) + "."
             for s in stars]
    table = Table(frame=pd.DataFrame({"review": texts, "stars": stars}), source="s.csv", encoding="utf-8",
                  delimiter=",")
    checks, _ = _checks(table)
    return next(c for c in checks if c.label == "stars")


def test_on_a_scale_a_neighbouring_value_is_no_contradiction():
    rng = np.random.default_rng(4)
    stars = rng.choice(["1", "2", "3", "4", "5"], size=300)
    check = _stars_check(stars, {"1": BAD, "2": BAD[:3], "3": FILLER, "4": GOOD[:3], "5": GOOD}, rng)
    praise = "i take it daily and it is love it, works great, best purchase."
    assert check.margin(praise, "5") > 0 and check.margin(praise, "4") > 0
    assert check.margin(praise, "1") < 0


def test_a_scale_whose_low_values_are_rare_is_checked_in_groups_of_neighbours():
    """A small table where 1-3 stars are few (the demo's first 80 rows): the low end is still checked, as a group."""
    rng = np.random.default_rng(5)
    stars = np.array(["1"] * 6 + ["2"] * 5 + ["3"] * 6 + ["4"] * 10 + ["5"] * 60)
    check = _stars_check(stars, {"1": BAD, "2": BAD, "3": FILLER, "4": GOOD, "5": GOOD}, rng, phrases=2)
    praise = "i take it daily and it is love it, works great, best purchase."
    complaint = "i take it daily and it is awful taste, waste of money, do not buy."
    assert check.margin(praise, "1") < 0 and check.margin(complaint, "1") > 0
    assert check.margin(complaint, "5") < 0 and check.margin(praise, "5") > 0
    assert check.margin(praise, "2") == check.margin(praise, "1")  # one group: each too rare alone


def test_with_sentence_vectors_a_check_reads_words_the_real_rows_never_used():
    from syngen.profiling.embedder import RecentTexts, sentence_encoder
    from syngen.profiling.labels import Readers

    table = _table()
    encoder = sentence_encoder()
    checks, _ = learn_label_checks(table.frame, profile_table(table), seed=0,
                                   readers=Readers(RecentTexts(encoder), encoder))
    words_only, _ = _checks(table)
    by_meaning = next(c for c in checks if c.label == "label")
    by_words = next(c for c in words_only if c.label == "label")
    unseen = "Dreadful. Nauseating. Regrettable."  # not one word of the table
    assert by_meaning.margin(unseen, "negative") > 0 > by_meaning.margin(unseen, "positive")
    assert by_words.margin(unseen, "negative") < 0  # its words are none the check knows: it cannot tell
    assert by_meaning.probabilities([unseen, unseen], ["negative", "positive"])[0] > 0.5


def test_a_text_judged_by_several_checks_is_encoded_once():
    from syngen.profiling.embedder import RecentTexts

    class Counting:
        seen: list[str] = []

        def encode(self, texts):
            self.seen.extend(texts)
            return np.ones((len(texts), 3), dtype=np.float32)

    counting = Counting()
    recent = RecentTexts(counting, size=2)
    recent.encode(["a", "b"])
    recent.encode(["b", "a", "b"])
    assert counting.seen == ["a", "b"]
    recent.encode(["c"])
    recent.encode(["b"])  # "a" was the oldest: forgotten, "b" kept
    recent.encode(["a"])
    assert counting.seen == ["a", "b", "c", "a"]


def test_a_category_of_many_values_that_the_text_names_is_checked():
    """A package's section among 40 values ("python", "perl", ...): each value's texts name it, so it is checked,
    and furthest above chance of the table's labels."""
    rng = np.random.default_rng(1)
    sections = [f"topic{i}" for i in range(40)]
    rows = [(section, f"a {rng.choice(FILLER)} tool for {section} work", rng.choice(["1", "2", "3"]))
            for section in sections for _ in range(12)]
    frame = pd.DataFrame(rows, columns=["section", "summary", "level"]).astype(str)
    checks, summaries = _checks(Table(frame=frame, source="packages.csv", encoding="utf-8", delimiter=","))
    section = next(c for c in checks if c.label == "section")
    assert section.summary.checked and section.summary.lift > 0.8
    assert section.margin("a small tool for topic7 work", "topic7") > 0
    assert section.margin("a small tool for topic7 work", "topic30") < 0
    assert not any(c.label == "level" for c in checks)


def _supports(rows: int, checks: int, alike: bool, seed: int = 0):
    from syngen.profiling.labels import RealSupport

    rng = np.random.default_rng(seed)
    classes = rng.choice(["a", "b"], size=rows)
    first = rng.random(rows)
    return [RealSupport(np.arange(rows), classes, first if alike else rng.random(rows)) for _ in range(checks)]


def _rejected_share(supports, checks) -> float:
    failed = np.zeros(len(supports[0].own), dtype=bool)
    for support, check in zip(supports, checks, strict=True):
        failed |= support.own < np.array([check.thresholds[c] for c in support.classes])
    return float(failed.mean())


@pytest.mark.parametrize("alike", [False, True])
def test_the_other_labels_checks_together_reject_the_share_of_real_rows_one_check_would(alike):
    """The label the text predicts best keeps its check; three checks of other labels (one label read from two
    texts, another label) together fail 8% of the real rows, as one check alone does, whether they read alike or
    not (per check, three unrelated ones failed 22%)."""
    from types import SimpleNamespace

    from syngen.profiling.labels import THRESHOLD_QUANTILE, _calibrate_secondary

    supports = _supports(3000, 4, alike)
    checks = [SimpleNamespace(label=label, column=label, labeler=SimpleNamespace(part=None), thresholds={"a": 1.0},
                              summary=SimpleNamespace(real_share=THRESHOLD_QUANTILE, lift=lift))
              for label, lift in (("stars", 0.6), ("size", 0.3), ("size", 0.25), ("colour", 0.2))]
    _calibrate_secondary(checks, supports)
    assert checks[0].thresholds == {"a": 1.0} and checks[0].summary.real_share == THRESHOLD_QUANTILE
    assert abs(_rejected_share(supports[1:], checks[1:]) - THRESHOLD_QUANTILE) < 0.01
    share = checks[1].summary.real_share
    assert (abs(share - THRESHOLD_QUANTILE) < 0.005) if alike else (share < THRESHOLD_QUANTILE / 2)


def test_the_labels_after_the_best_predicted_share_the_real_rows_their_checks_may_reject():
    table = _table(rows=200)
    frame = table.frame.assign(size=np.where(table.frame["review"].str.contains("capsule|bottle"), "big", "small"))
    checks, summaries = learn_label_checks(frame, profile_table(Table(frame, "hand.csv", "utf-8", ",")), seed=0)
    checked = [s for s in summaries if s.checked]
    main = max(checked, key=lambda s: s.lift)
    others = {s.real_share for s in checked if s.label != main.label}
    assert {c.label for c in checks} >= {"label", "size"} and main.real_share == 0.08
    assert len(others) == 1 and others.pop() < 0.08


def test_a_number_written_with_its_currency_is_checked_by_its_value():
    """"$512.40" is a number to bin, not a value no real row has: a price the text speaks of gets its check."""
    rng = np.random.default_rng(0)
    tiers = rng.integers(0, 3, size=150)
    prices = np.array([5.0, 50.0, 500.0])[tiers] * rng.uniform(0.8, 1.2, size=150)
    texts = [f"{rng.choice(FILLER)} and {rng.choice(FILLER)}. It is {['cheap', 'fair', 'pricey'][t]} for what it "
             "is, I think." for t in tiers]
    frame = pd.DataFrame({"review": texts, "price": [f"${p:,.2f}" for p in prices]})
    checks, _ = learn_label_checks(frame, profile_table(Table(frame, "hand.csv", "utf-8", ",")), seed=0)
    price = next(c for c in checks if c.label == "price")
    assert price.margin("my sister uses it too. It is pricey for what it is, I think.", "$512.40") > 0
    assert price.margin("my sister uses it too. It is cheap for what it is, I think.", "$512.40") < 0


def _titled_table(seed: int = 0) -> Table:
    """Star ratings with short titles: praise at 4-5 stars, complaints at 1-2, a plain remark at 3; the stock
    titles a shop writes for a rating ("Five Stars"), always with their own; and "Great Taste" on three 5-star rows."""
    rng = np.random.default_rng(seed)
    stars = rng.choice(["1", "2", "3", "4", "5"], size=300, p=[0.1, 0.1, 0.15, 0.25, 0.4])
    stock = {"5": "Five Stars", "4": "Four Stars", "3": "Three Stars"}
    titles, reviews, tasted = [], [], 0
    for star in stars:
        words = GOOD if star in "45" else BAD if star in "12" else FILLER
        title = f"{str(rng.choice(words)).capitalize()}, {rng.choice(FILLER)} {rng.integers(2, 90)} days ago"
        if star in stock and rng.random() < 0.2:
            title = stock[star]
        elif star == "5" and tasted < 3:
            title, tasted = "Great Taste", tasted + 1
        titles.append(title)
        reviews.append(f"{rng.choice(FILLER)} and it is {rng.choice(words)}. {rng.choice(FILLER)}.")
    frame = pd.DataFrame({"title": titles, "review": reviews, "stars": stars})
    return Table(frame=frame, source="titles.csv", encoding="utf-8", delimiter=",")


def test_a_phrase_the_real_rows_repeat_with_one_value_is_held_to_it():
    """A 4-star row titled "Three Stars" passed: a scale's check lets a text stand on a neighbouring value. A
    phrase the real rows repeat with one value only, more consistently than a text fitting the neighbours would,
    is held to that value; a praise phrase that happens to occur at 5 stars only is not."""
    checks, _ = _checks(_titled_table())
    check = next(c for c in checks if c.label == "stars" and c.text == "title")
    assert check.fixed == {"five stars": "5", "four stars": "4", "three stars": "3"}
    assert check.summary.fixed_phrases == 3 and "3 phrase(s)" in check.summary.describe()
    assert check.margin("Three Stars!", "4") < 0 and check.margin("Three Stars", "3") > 0
    assert check.margin("Five stars", "4") < 0 and check.margin("five stars", "5") > 0
    assert check.probabilities(["Three Stars", "Three Stars"], ["4", "3"])[0] == 0.0
    assert "great taste" not in check.fixed  # three 5-star rows: as likely by chance as not, among 4 and 5 stars
    assert check.margin("Great Taste", "4") > 0
