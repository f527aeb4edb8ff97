"""Unseen tables, one per case (tests/tables/*.csv, made by tests/tables/make_tables.py): over 200 planned
skeletons every structured value has the real column's format, and every column is empty as often as in the
real data, within sampling noise. No model is needed: these values are never written by one."""

from __future__ import annotations

import math
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from syngen.data import load_table
from syngen.evaluation.formats import build_checks
from syngen.profiling import ColumnKind, profile_table
from syngen.profiling.describe import column_format
from syngen.sampling import RowPlanner

TABLES = Path(__file__).parents[1] / "tables"
N = 200


def plan(name: str, seed: int = 3):
    table = load_table(TABLES / name)
    profile = profile_table(table)
    planner = RowPlanner(profile, None, seed)
    skeletons = [planner.skeleton(i) for i in range(N)]
    made = pd.DataFrame([s.values for s in skeletons])
    for skeleton, index in zip(skeletons, made.index, strict=True):
        for column in skeleton.text_targets:
            made.loc[index, column] = "written by the model"
    return table.frame, profile, skeletons, made


def empty_gap_ok(real: pd.Series, made: pd.Series) -> bool:
    """|made - real| empty share within three standard errors of 200 draws, plus one row."""
    share = (real == "").mean()
    return abs((made == "").mean() - share) <= 3 * math.sqrt(share * (1 - share) / N) + 1 / N


def assert_valid_and_as_empty(real: pd.DataFrame, profile, made: pd.DataFrame) -> None:
    checks = build_checks(profile)
    for column in profile.columns:
        assert checks[column.name](made).all(), (column.name, made[column.name][~checks[column.name](made)].head())
        assert empty_gap_ok(real[column.name], made[column.name]), column.name


def test_sparse_category_stays_sparse_and_booleans_keep_their_blanks():
    real, profile, _, made = plan("sparse_category.csv")
    assert_valid_and_as_empty(real, profile, made)
    assert (made["flag"] != "").sum() <= 2  # 1 real row of 1000 has X-5; it is not in all 200
    assert 0.2 < (made["verified"] == "").mean() < 0.4


def test_four_decimal_floats_are_written_like_the_real_ones_and_never_copied():
    real, profile, _, made = plan("four_decimals.csv")
    assert_valid_and_as_empty(real, profile, made)
    assert made["confidence"].str.fullmatch(r"0(\.\d{1,4})?|1|0\.\d*[1-9]").all()
    assert not made["confidence"].str.contains(r"\.\d*0$").any()  # trailing zeros stripped, as in the data
    assert made["score"].str.fullmatch(r"\d+\.\d{4}").all()
    assert len(set(made["score"]) & set(real["score"])) <= 5  # drawn anew: only chance meetings on a 4-decimal grid


def test_timestamps_keep_offsets_zones_epochs_day_first_and_zero_seconds():
    real, profile, _, made = plan("timestamps.csv")
    assert_valid_and_as_empty(real, profile, made)
    assert made["created"].str.fullmatch(r"2015-02-\d\d \d\d:\d\d:\d\d -0800").all()
    assert made["created_utc"].str.endswith("Z").all()
    assert profile.column("day_first").stats.day_first is True
    assert all(datetime.strptime(v, "%d/%m/%Y") for v in made["day_first"])
    epochs = made["created_epoch"].astype(int)
    real_epochs = real["created_epoch"].astype(int)
    assert epochs.between(real_epochs.min(), real_epochs.max()).all()
    assert made["minute"].str.endswith(":00").all()
    assert made["named"].str.fullmatch(r"\d\d [A-Z][a-z]+ \d{4}").all()
    assert profile.column("named").stats.formats == {"%d %B %Y": 1.0}


def test_times_booked_on_the_quarter_hour_stay_on_it(tmp_path):
    rng = np.random.default_rng(0)
    days, hours = rng.integers(1, 29, 60), rng.integers(7, 23, 60)
    pd.DataFrame({"created": [f"{d:02d}/05/2026 {h:02d}:{m:02d}" for d, h, m in
                              zip(days, hours, rng.choice([0, 15, 30, 45], 60), strict=True)],
                  "logged": [f"2026-05-{d:02d} {h:02d}:{m:02d}" for d, h, m in
                             zip(days, hours, rng.integers(0, 60, 60), strict=True)],
                  "note": [f"call {i}" for i in range(60)]}).to_csv(tmp_path / "bookings.csv", index=False)
    profile = profile_table(load_table(tmp_path / "bookings.csv"), require_text=False)
    assert profile.column("created").stats.minute_step == 15 and profile.column("logged").stats.minute_step == 1
    planner = RowPlanner(profile, None, 3)
    made = pd.DataFrame([planner.skeleton(i).values for i in range(N)])
    assert made["created"].str.fullmatch(r"\d\d/05/2026 \d\d:(00|15|30|45)").all()  # before: 15:09, 12:11
    assert made["logged"].str[-2:].astype(int).mod(15).ne(0).any()



def test_epoch_times_of_whole_days_stay_at_midnight(tmp_path):
    """Amazon's fine-food reviews date each review by a unix time at midnight UTC (1303862400); the new rows' times
    fell anywhere in the day (1202434020)."""
    rng = np.random.default_rng(1)
    days = 1_200_000_000 // 86_400 + rng.integers(0, 2_000, 60)
    pd.DataFrame({"Time": days * 86_400, "UpdateTime": (days * 24 + rng.integers(0, 24, 60)) * 3_600,
                  "Text": [f"review {i}" for i in range(60)]}).to_csv(tmp_path / "food.csv", index=False)
    profile = profile_table(load_table(tmp_path / "food.csv"), require_text=False)
    assert profile.column("Time").stats.minute_step == 1440 and profile.column("UpdateTime").stats.minute_step == 60
    assert "always at midnight" in column_format(profile.column("Time"))
    planner = RowPlanner(profile, None, 3)
    made = pd.DataFrame([planner.skeleton(i).values for i in range(N)])
    assert (made["Time"].astype(int) % 86_400 == 0).all() and (made["UpdateTime"].astype(int) % 3_600 == 0).all()
    assert made["Time"].nunique() > N // 2

def test_user_codes_that_repeat_keep_the_characters_of_each_place(tmp_path):
    """Amazon's user ids are "A" and 13 letters or digits anywhere; users write several reviews, so the column is
    a pattern, not an id. Drawn shape by shape, 5 of 8 new ids lost their "A" ("FNRH8SGHT9MUHA")."""
    rng = np.random.default_rng(2)
    alphabet = list("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
    users = ["A" + "".join(rng.choice(alphabet, 13)) for _ in range(400)]
    column = [users[i] for i in rng.integers(0, 400, 400)]  # 63% distinct
    frame = pd.DataFrame({"UserId": column, "Text": [f"review {i}" for i in range(400)]})
    frame.to_csv(tmp_path / "u.csv", index=False)
    profile = profile_table(load_table(tmp_path / "u.csv"), require_text=False)
    user = profile.column("UserId")
    assert user.kind is ColumnKind.PATTERN and "each place keeps its real characters" in column_format(user)
    made = pd.DataFrame([RowPlanner(profile, None, 3).skeleton(i).values for i in range(N)])
    assert made["UserId"].str.fullmatch(r"A[A-Z0-9]{13}").all()
    assert made["UserId"].str.contains(r"\d").mean() > 0.5  # digits too, not letters alone
    assert build_checks(profile)["UserId"](made).all()
    assert not build_checks(profile)["UserId"](pd.DataFrame({"UserId": ["B" + users[0][1:]]})).any()


def test_day_first_is_decided_once_for_the_whole_column():
    days = [f"{d:02d}/{m:02d}/2017" for d in range(1, 29) for m in range(1, 13)]
    from syngen.profiling import datetimes

    assert datetimes.detect_formats(days) == {"%d/%m/%Y": 1.0}  # not half %m/%d/%Y for the days <= 12


def test_mostly_empty_coordinates_and_urls_are_patterns_never_copied():
    real, profile, _, made = plan("coordinates.csv")
    assert profile.column("tweet_coord").kind is ColumnKind.PATTERN
    assert profile.column("url").kind is ColumnKind.PATTERN
    assert_valid_and_as_empty(real, profile, made)
    coords = made["tweet_coord"][made["tweet_coord"] != ""]
    assert coords.str.fullmatch(r"\[40\.\d{8}, -7[34]\.\d{8}\]").all()
    assert not set(made["url"]) & set(real["url"])
    assert made["version"].str.fullmatch(r"v\d\.\d+\.\d+").all()


def test_handles_and_names_follow_their_shape_and_are_never_real():
    real, profile, _, made = plan("handles.csv")
    assert_valid_and_as_empty(real, profile, made)
    assert made["handle"].str.fullmatch(r"@[a-z]+\d*").all()
    assert not {v.lower() for v in made["handle"]} & {v.lower() for v in real["handle"]}
    assert profile.column("full_name").kind is ColumnKind.SHORT_TEXT
    assert made["full_name"].str.fullmatch(r"[A-Z][a-z]+ [A-Z][a-z]+").mean() > 0.9
    assert not set(made["full_name"]) & set(real["full_name"])
    assert not set(made["location"]) - {""} & set(real["location"])


def test_a_column_empty_exactly_when_another_says_so():
    real, profile, skeletons, made = plan("dependent_empty.csv")
    assert_valid_and_as_empty(real, profile, made)
    negative = made["sentiment"] == "negative"
    assert ((made["negativereason"] != "") == negative).all()
    assert all(("reason_text" in s.text_targets) == (s.values["sentiment"] == "negative") for s in skeletons)
    assert all("text" in s.text_targets for s in skeletons)


def test_money_percents_decimal_commas_scientific_codes_and_signs():
    real, profile, _, made = plan("money.csv")
    assert_valid_and_as_empty(real, profile, made)
    assert made["price"].str.fullmatch(r"\$\d{1,3}(,\d{3})*\.\d\d").all()
    assert made["population"].str.fullmatch(r"\d{1,3}(,\d{3})*").all()
    assert made["share"].str.fullmatch(r"\d{1,3}%").all()
    assert made["euro"].str.fullmatch(r"\d+,\d\d").all()
    assert made["scientific"].str.fullmatch(r"\d\.\d\de[+-]\d\d").all()
    assert made["zip"].str.fullmatch(r"\d{5}").all() and made["zip"].str.startswith("0").any()
    assert made["account"].str.fullmatch(r"000\d{6}").all()
    assert made["delta"].str.fullmatch(r"[+-]\d+\.\d").all()


def test_ranges_keep_their_format_and_order_and_phone_numbers_are_no_ranges():
    real, profile, _, made = plan("ranges.csv")
    assert_valid_and_as_empty(real, profile, made)
    assert profile.column("salary").stats.number_format.range_separator == " - "
    assert made["salary"].str.fullmatch(r"\$\d{1,3}(,\d{3})* - \$\d{1,3}(,\d{3})*").all()
    for low, high in made["span"].str.split("-"):
        assert int(low) <= int(high)
    assert profile.column("phone").kind is not ColumnKind.INTEGER
    assert made["phone"].str.fullmatch(r"555-\d{4}").all()


def test_mixed_fifteen_column_table():
    real, profile, _, made = plan("mixed15.csv")
    assert_valid_and_as_empty(real, profile, made)
    assert ((made["reason_conf"] != "") == (made["sentiment"] == "negative")).all()


def test_a_column_that_is_always_empty_stays_empty():
    raw = "id,text,nothing\n" + "".join(f"{i},words number {i} of a text,\n" for i in range(30))
    from syngen.data import read_table_bytes

    profile = profile_table(read_table_bytes(raw.encode()))
    planner = RowPlanner(profile, None, 0)
    assert all(planner.skeleton(i).values["nothing"] == "" for i in range(50))


@pytest.mark.parametrize("value", ["0.39299999999999996", "0.6842 ", "-0.5", "0,68"])
def test_a_wrongly_written_number_is_invalid(value):
    real, profile, _, _ = plan("four_decimals.csv")
    check = build_checks(profile)["confidence"]
    assert not check(pd.DataFrame({"confidence": [value]}))[0]


def test_money_written_as_a_plain_number_is_invalid():
    _, profile, _, _ = plan("money.csv")
    checks = build_checks(profile)
    frame = pd.DataFrame({"price": ["41541.13", '", price:"', "$42,874.82"], "share": ["1.2%,", "54", "54%"]})
    assert checks["price"](frame).tolist() == [False, False, True]
    assert checks["share"](frame).tolist() == [False, False, True]


def test_datetime_written_by_a_model_is_invalid():
    _, profile, _, _ = plan("timestamps.csv")
    check = build_checks(profile)["created"]
    frame = pd.DataFrame({"created": ["2015-02-32 14:57:21 -698,381", "The [Fictional Person's Name] is",
                                      "2015-02-24 11:35:52 -0800"]})
    assert check(frame).tolist() == [False, False, True]


def test_names_close_the_quotes_and_brackets_they_open():
    """Amazon's profile names read `Mary "mj"`; a character chain can stop between the quotes (`Karye "1`)."""
    from syngen.profiling.model import ColumnProfile, ShortTextStats
    from syngen.sampling.shorttext import ShortTextSampler

    rng = np.random.default_rng(4)
    first = ["Mary", "J. Smith", "Karen", "Bob the Builder", "lisa m", "A Customer", "Dave K.", "Nurse Jen",
             "T. Nguyen", "coffee lover", "Sam (NY)"]
    real = [first[i % len(first)] + ("" if i % 3 else f' "{i % 97}"') for i in range(1300)]
    stats = ShortTextStats(sample=real, known=real, word_lengths=[len(v.split()) for v in real],
                           max_words=4, max_chars=max(map(len, real)))
    sampler = ShortTextSampler(ColumnProfile(name="ProfileName", kind=ColumnKind.SHORT_TEXT, stats=stats, n_rows=300,
                                             n_distinct=len(set(real)), n_empty=0))
    made = [sampler.sample(rng) for _ in range(400)]
    assert all(v.count('"') % 2 == 0 and v.count("(") == v.count(")") for v in made)
    assert sum('"' in v for v in made) > 50  # the marks are kept, closed


def test_short_text_keeps_the_order_of_its_marks():
    """Web addresses drawn from a character chain keep a shape some real one has ("://./"): not "https://doc"."""
    rng = np.random.default_rng(0)
    words = ["gcc", "llvm", "qt", "kde", "gnome", "python", "perl", "rust", "golang", "haskell", "ocaml", "lua",
             "docs", "wiki", "release", "projects", "tools", "lib", "dev", "src"]
    marks = ["/", "/", "-", ".", "_", "#", "~"]

    def url() -> str:
        host = ".".join(rng.choice(words, rng.integers(2, 4)))
        path = "".join(rng.choice(marks) + rng.choice(words) for _ in range(rng.integers(0, 5)))
        return f"http{rng.choice(['', 's'])}://{host}{path}"

    urls = [url() for _ in range(300)]
    raw = "homepage,summary\n" + "".join(f"{u},a tool for {i} things and more\n" for i, u in enumerate(urls))
    from syngen.data import read_table_bytes
    from syngen.sampling.shorttext import _marks

    profile = profile_table(read_table_bytes(raw.encode(), source="urls.csv"))
    assert profile.column("homepage").kind is ColumnKind.SHORT_TEXT
    planner = RowPlanner(profile, None, 3)
    drawn = [planner.skeleton(i).values["homepage"] for i in range(100)]
    assert {_marks(u) for u in drawn} <= {_marks(u) for u in urls}


def test_place_names_that_share_words_are_recombined_from_whole_words():
    """Wine regions drawn from a character chain read "Riorongto Superti Supe"; where real values share words,
    new ones are made of real words in an order some real value has them, and never a real value itself."""
    from syngen.profiling.model import ColumnProfile, ShortTextStats
    from syngen.sampling.shorttext import ShortTextSampler

    firsts = ["Napa", "Sonoma", "Columbia", "Willamette", "Russian River", "Santa Lucia", "Walla Walla", "Alexander"]
    lasts = ["Valley", "Coast", "Highlands", "Valley (WA)", "Hills"]
    real = [f"{first} {last}" for i, first in enumerate(firsts) for j, last in enumerate(lasts) if (i + j) % 3]
    stats = ShortTextStats(sample=real, known=real, word_lengths=sorted(len(v.split()) for v in real),
                           max_words=4, max_chars=max(map(len, real)))
    sampler = ShortTextSampler(ColumnProfile(name="region", kind=ColumnKind.SHORT_TEXT, stats=stats, n_rows=len(real),
                                             n_distinct=len(real), n_empty=0))
    rng = np.random.default_rng(2)
    made = [sampler.sample(rng) for _ in range(200)]
    words = {word for value in real for word in value.split()}
    of_real_words = [v for v in made if set(v.split()) <= words]
    assert len(of_real_words) > 0.8 * len(made), made
    assert not set(made) & set(real)


def test_masked_zip_codes_keep_their_mask_and_uneven_ids_their_width(tmp_path):
    """A fifth of the complaints' ZIPs are masked ("941XX"): drawn place by place, 16% of new ones held an X
    anywhere ("6956X", "734X8"). Complaint ids of 7 digits with uneven gaps, counted on from the last real one,
    became 8-digit a few rows on."""
    rng = np.random.default_rng(4)
    zips = [f"{rng.integers(10000, 99999)}" for _ in range(400)]
    zips = [z[:3] + "XX" if rng.random() < 0.2 else z for z in zips]
    ids = rng.choice(np.arange(2_000_000, 9_999_000), 400, replace=False)
    frame = pd.DataFrame({"Complaint ID": ids.astype(str), "ZIP code": zips,
                          "Narrative": [f"complaint number {i} about my account" for i in range(400)]})
    frame.to_csv(tmp_path / "c.csv", index=False)
    profile = profile_table(load_table(tmp_path / "c.csv"), require_text=False)
    assert not profile.column("Complaint ID").stats.counter.even
    made = pd.DataFrame([RowPlanner(profile, None, 3).skeleton(i).values for i in range(1000)])
    assert made["ZIP code"].str.fullmatch(r"\d{5}|\d{3}XX").all()
    assert 0.1 < made["ZIP code"].str.endswith("XX").mean() < 0.3
    assert made["Complaint ID"].str.fullmatch(r"\d{7}").all()
    assert not set(made["Complaint ID"]) & set(frame["Complaint ID"])
    assert build_checks(profile)["ZIP code"](made).all() and build_checks(profile)["Complaint ID"](made).all()
