"""Datetime formats: offsets and zones, ISO T, day-first decided once per column, month names, epochs."""

import pytest

from syngen.profiling import datetimes


@pytest.mark.parametrize(
    ("values", "formats"),
    [
        (["2015-02-24 11:35:52 -0800", "2015-02-23 09:01:02 -0800"], {"%Y-%m-%d %H:%M:%S %z": 1.0}),
        (["2021-03-01T10:00:00+01:00", "2021-03-02T11:30:00Z"], {"%Y-%m-%dT%H:%M:%S%z": 1.0}),
        (["Tue Feb 24 11:35:52 +0000 2015"], {"%a %b %d %H:%M:%S %z %Y": 1.0}),
        (["06 May 2010", "07 August 2011"], {"%d %B %Y": 1.0}),
        (["06 May 2010", "07 Aug 2011"], {"%d %b %Y": 1.0}),
        (["1424800000", "1424900000"], {datetimes.EPOCH: 1.0}),
        (["05/01/2020", "01/17/2020"], {"%m/%d/%Y": 1.0}),
        (["05.01.2020", "06.01.2020"], {"%d.%m.%Y": 1.0}),  # no evidence: the dot is European, day first
    ],
)
def test_formats_are_recognised(values, formats):
    assert datetimes.detect_formats(values) == formats


def test_mixed_file_gains_no_month_first_format_it_never_had():
    values = ["2020-01-05", "05/01/2020", "17/01/2020", "03/02/2020"]
    assert set(datetimes.detect_formats(values)) == {"%d/%m/%Y", "%Y-%m-%d"}


def test_versions_are_not_dates():
    assert datetimes.detect_formats(["1.2.33", "2.10.12", "3.1.15"]) is None


def test_an_offset_is_written_as_the_real_data_wrote_it():
    moment = datetimes.from_epoch(1424806552)  # 2015-02-24 19:35:52 UTC
    assert datetimes.format_value(moment, "%Y-%m-%d %H:%M:%S %z", offset="-0800") == "2015-02-24 11:35:52 -0800"
    assert datetimes.format_value(moment, "%Y-%m-%dT%H:%M:%S%z", offset="Z") == "2015-02-24T19:35:52Z"
    assert datetimes.format_value(moment, datetimes.EPOCH) == "1424806552"


def test_dates_with_spaces_around_and_month_names_both_short_and_full_are_dates():
    """The ISOT news corpus dates its true stories "December 31, 2017 " (a space after) and its fake ones "December
    31, 2017", "Dec 31, 2017" or "31-Dec-17", with one link among them: read as a pattern, 17% of the new dates were
    no dates ("Qisydgb 30, 2016")."""
    import random

    import pandas as pd

    from syngen.data.loader import Table
    from syngen.profiling import ColumnKind, profile_table
    from syngen.sampling import RowPlanner

    rng = random.Random(4)
    months = ["January", "March", "May", "June", "August", "October", "December"]
    dates = [f"{rng.choice(months)} {rng.randint(1, 28)}, {rng.choice([2016, 2017])}" for _ in range(150)]
    dates = [d + " " if i % 2 else d for i, d in enumerate(dates)]
    dates[:20] = [f"{d.split()[0][:3]} {d.split(' ', 1)[1].strip()}" for d in dates[:20]]
    dates[20:25] = ["31-Dec-17", "04-Mar-16", "19-May-17", "02-Jun-16", "11-Oct-17"]
    dates[30] = "https://example.com/a-story-about-a-veteran"
    frame = pd.DataFrame({"date": dates, "title": [f"Story number {i} about the council" for i in range(150)]})
    profile = profile_table(Table(frame, "news.csv", "utf-8", ","), require_text=False)
    column = profile.column("date")
    assert column.kind is ColumnKind.DATETIME
    assert set(column.stats.formats) == {"%B %d, %Y", "%b %d, %Y", "%d-%b-%y"}
    planner = RowPlanner(profile, None, 3)
    made = [planner.skeleton(i).values["date"] for i in range(60)]
    assert all(datetimes.match_format(v, list(column.stats.formats)) for v in made)
    assert any(v.startswith("May ") or v.split()[0] in months for v in made)
