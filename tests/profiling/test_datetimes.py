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
