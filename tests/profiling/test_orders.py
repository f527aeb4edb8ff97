"""A date column that never comes before another in the real rows (a ticket resolved after it was opened, a reply
after its review) keeps that order in every planned row, with real gaps; before, each date was drawn on its own
and a reply could be dated days before its review."""

import random
from datetime import datetime, timedelta

import pandas as pd

from syngen.data.loader import read_table_bytes
from syngen.profiling import profile_table
from syngen.profiling.describe import profile_rows
from syngen.sampling.planner import RowPlanner

FORMAT = "%d/%m/%Y %H:%M"


def _tickets(rows: int = 300, misdated: int = 0) -> pd.DataFrame:
    rng = random.Random(7)
    records = []
    for i in range(rows):
        opened = datetime(2023, 1, 1) + timedelta(minutes=rng.randint(0, 500_000))
        resolved = opened + timedelta(hours=rng.randint(1, 72)) if i % 4 else None
        if resolved and misdated:
            resolved, misdated = opened - timedelta(hours=2), misdated - 1
        records.append({
            "opened": opened.strftime(FORMAT),
            "subject": f"Printer {i % 7} in room {i % 13} is not working again today",
            "resolved": resolved.strftime(FORMAT) if resolved else "",
            "born": (datetime(1960, 1, 1) + timedelta(days=rng.randint(0, 20_000))).strftime("%Y-%m-%d"),
            "shift_start": f"{8 + i % 3:02d}:00",
            "shift_end": f"{16 + i % 3:02d}:00",
        })
    return pd.DataFrame(records)


def _profile(frame: pd.DataFrame):
    return profile_table(read_table_bytes(frame.to_csv(index=False).encode(), source="tickets.csv"))


def test_a_date_never_before_another_is_planned_after_it_with_real_gaps():
    profile = _profile(_tickets())
    assert [(o.first, o.then) for o in profile.orders] == [("opened", "resolved")]
    planner = RowPlanner(profile, None, seed=4)
    planned = pd.DataFrame([planner.skeleton(position).values for position in range(300)])
    resolved = planned[planned["resolved"] != ""]
    gaps = (pd.to_datetime(resolved["resolved"], format=FORMAT)
            - pd.to_datetime(resolved["opened"], format=FORMAT)) / pd.Timedelta(hours=1)
    assert 0.6 <= len(resolved) / len(planned) <= 0.9
    assert gaps.min() >= 1 and gaps.max() <= 72 and gaps.nunique() > 20
    row = next(r for r in profile_rows(profile) if r["column"] == "resolved")
    assert "never before opened (real gaps 1 hour to 3 days)" in row["format"]


def test_a_few_misdated_real_rows_do_not_hide_the_order():
    assert [(o.first, o.then) for o in _profile(_tickets(misdated=2)).orders] == [("opened", "resolved")]
    assert _profile(_tickets(misdated=20)).orders == []
