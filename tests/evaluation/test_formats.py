import pandas as pd

from syngen.evaluation.formats import build_checks


def test_every_real_cell_passes_its_own_check(real_profile):
    table, _, profile = real_profile
    checks = build_checks(profile)
    for name, check in checks.items():
        assert check(table.frame).mean() == 1.0, name


def test_broken_cells_fail(real_profile):
    table, _, profile = real_profile
    checks = build_checks(profile)
    row = table.frame.iloc[[0]].reset_index(drop=True)
    broken = row.assign(rating="4.5", asin="B00X00ZY00", user_id="A123456789EXAMPLE", timestamp="15/05/2022",
                        helpful_vote="-1", verified_purchase="yes", date="2012-03-11", time="")
    for name in ("rating", "asin", "user_id", "timestamp", "helpful_vote", "verified_purchase", "date", "time"):
        assert not checks[name](broken)[0], name
    for name in ("title", "text", "parent_asin"):
        assert checks[name](broken)[0], name


def test_open_numbers_false_and_missing_columns(real_profile):
    table, _, profile = real_profile
    checks = build_checks(profile)
    row = table.frame.iloc[[0]].reset_index(drop=True)
    # a vote count never seen in the real data is still a count; False is spelled like the real True
    assert checks["helpful_vote"](row.assign(helpful_vote="999"))[0]
    assert checks["verified_purchase"](row.assign(verified_purchase="False"))[0]
    assert not checks["rating"](pd.DataFrame({"title": ["x"]}))[0]
