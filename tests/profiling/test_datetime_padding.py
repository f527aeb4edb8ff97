"""Dates written without leading zeros (Google Forms' "2/1/2024 1:52:58") are generated so; they came out
"02/01/2024 01:52:58"."""

import random
import re
from datetime import datetime, timedelta

import pandas as pd

from syngen.data.loader import read_table_bytes
from syngen.profiling import profile_table
from syngen.profiling.datetimes import unpadded_fields
from syngen.sampling.planner import RowPlanner


def _moments(count: int = 200) -> list[datetime]:
    rng = random.Random(3)
    return [datetime(2024, 1, 1) + timedelta(seconds=rng.randint(0, 365 * 86_400)) for _ in range(count)]


def test_fields_written_without_a_leading_zero_are_found():
    forms = [f"{m.month}/{m.day}/{m.year} {m.hour}:{m:%M:%S}" for m in _moments()]
    assert unpadded_fields(forms, "%m/%d/%Y %H:%M:%S") == ["%m", "%d", "%H"]
    assert unpadded_fields([m.strftime("%m/%d/%Y %H:%M:%S") for m in _moments()], "%m/%d/%Y %H:%M:%S") == []
    assert unpadded_fields([f"{m.day}.{m:%m.%Y}" for m in _moments()], "%d.%m.%Y") == ["%d"]


def test_generated_dates_keep_the_real_padding():
    frame = pd.DataFrame({"Timestamp": [f"{m.month}/{m.day}/{m.year} {m.hour}:{m:%M:%S}" for m in _moments()],
                          "Answer": [f"It was fine on day {i}, thanks for asking me" for i in range(200)]})
    profile = profile_table(read_table_bytes(frame.to_csv(index=False).encode(), source="form.csv"))
    planner = RowPlanner(profile, None, seed=2)
    drawn = [planner.skeleton(position).values["Timestamp"] for position in range(100)]
    assert all(re.fullmatch(r"[1-9]\d?/[1-9]\d?/2024 [1-9]?\d:\d\d:\d\d", value) for value in drawn)
    assert any(re.match(r"\d/\d/", value) for value in drawn)
