"""The bundled demo table: internally consistent, and big enough that the rating checks SynGen learns from it
tell a plainly negative review from a plainly positive one, in the text and in the title."""

import pandas as pd
import pytest

from syngen.data.loader import load_table
from syngen.demo import demo_paths
from syngen.profiling import load_catalogue, profile_table
from syngen.profiling.labels import learn_label_checks

# Written for this test, in no demo row: what a quick-start row at 1 or 5 stars must (not) say.
NEGATIVE = ["This made me sick and I want a refund. Terrible product.", "Worst purchase ever, total waste of money.",
            "Do not buy this, it arrived broken and I want a refund.", "Awful taste and it gave me a headache."]
POSITIVE = ["Great product, I love it and will buy again.", "Excellent, I sleep much better now. Highly recommend!",
            "Works great, my joints feel so much better.", "Really happy with it, great value."]


@pytest.fixture(scope="module")
def demo() -> pd.DataFrame:
    return pd.read_csv(demo_paths()[0], dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def rating_checks():
    reviews, products = demo_paths()
    table = load_table(reviews)
    checks, _ = learn_label_checks(table.frame, profile_table(table, load_catalogue(products, table)), seed=0)
    return {c.text: c for c in checks if c.label == "rating"}


def test_the_rating_is_checked_from_text_and_title_clearly_above_chance(rating_checks):
    assert set(rating_checks) == {"text", "title"}
    for check in rating_checks.values():
        assert check.summary.classes == ["1", "2", "3", "4", "5"]  # each star checked on its own, none grouped
        assert check.summary.balanced_accuracy > check.summary.chance + 0.25


@pytest.mark.parametrize("column", ["text", "title"])
def test_plain_complaints_pass_at_one_star_and_fail_at_five_and_praise_the_reverse(rating_checks, column):
    check = rating_checks[column]
    for complaint in NEGATIVE:
        assert check.margin(complaint, "1") > 0 > check.margin(complaint, "5"), complaint
    for praise in POSITIVE:
        assert check.margin(praise, "5") > 0 > check.margin(praise, "1"), praise


def test_the_star_mix_is_close_to_amazons(demo):
    shares = demo["rating"].value_counts(normalize=True)
    assert len(demo) >= 400
    assert shares["5"] == pytest.approx(0.55, abs=0.05) and shares["1"] == pytest.approx(0.15, abs=0.03)
    assert min(shares[s] for s in "234") >= 0.05


def test_date_and_time_are_the_timestamps_parts(demo):
    stamps = pd.to_datetime(demo["timestamp"], format="mixed")
    assert (stamps.dt.strftime("%Y-%m-%d") == demo["date"]).all()
    assert (stamps.dt.strftime("%H:%M") == demo["time"]).all()
    assert stamps.dt.year.between(2012, 2023).all()


def test_every_product_is_in_the_catalogue_and_every_reviewer_once(demo):
    catalogue = pd.read_csv(demo_paths()[1], dtype=str)
    assert set(demo["parent_asin"]) <= set(catalogue["parent_asin"])
    assert demo["user_id"].is_unique
    assert demo["user_id"].str.fullmatch(r"A[A-Z0-9]{27}").all()


def test_a_variant_asin_always_belongs_to_the_same_product(demo):
    assert (demo.groupby("asin")["parent_asin"].nunique() == 1).all()
    assert (demo["text"].str.split().str.len() >= 2).all() and demo["text"].is_unique
