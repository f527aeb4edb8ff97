"""A column's stats are a typed model of its kind: read as attributes, saved and read back as the same JSON."""

from __future__ import annotations

import pandas as pd
import pytest
from pydantic import ValidationError

from syngen.data import read_table_bytes
from syngen.profiling import profile_table
from syngen.profiling.model import (
    ColumnKind,
    ColumnProfile,
    CountStats,
    DatasetProfile,
    DatetimeStats,
    DerivedStats,
    IdentifierStats,
    NumberStats,
    ShortTextStats,
    TextStats,
)


def _table() -> bytes:
    rows = 60
    frame = pd.DataFrame({
        "order_id": [f"ORD-{100000 + i * 7}" for i in range(rows)],
        "size": ["S", "M", "L"] * (rows // 3),
        "weight": [f"{1.5 + i * 0.37:.2f}" for i in range(rows)],
        "placed": [f"2024-03-{1 + i % 28:02d} 10:{i % 60:02d}" for i in range(rows)],
        "day": [f"2024-03-{1 + i % 28:02d}" for i in range(rows)],
        "courier": [f"{['Ann', 'Bo', 'Cy', 'Di', 'Ed'][i % 5]} {['Lee', 'Ray', 'Fox', 'Kim'][i % 4]}"
                    for i in range(rows)],
        "note": [f"Parcel {i} arrived a little late but the box was intact and dry." for i in range(rows)],
        "gift": [""] * (rows - 6) + ["yes"] * 6,
    })
    return frame.to_csv(index=False).encode()


@pytest.fixture(scope="module")
def profile() -> DatasetProfile:
    return profile_table(read_table_bytes(_table(), source="orders.csv"), overrides={"courier": ColumnKind.SHORT_TEXT})


def test_each_kind_has_its_own_stats(profile):
    expected = {"order_id": IdentifierStats, "size": CountStats, "weight": NumberStats, "placed": DatetimeStats,
                "day": DerivedStats, "courier": ShortTextStats, "note": TextStats, "gift": CountStats}
    assert {c.name: type(c.stats) for c in profile.columns} == expected, {c.name: c.kind for c in profile.columns}
    assert profile.column("size").counts == {"S": 20, "M": 20, "L": 20}
    assert profile.column("weight").stats.number_format.decimals == {"2": 60}
    assert profile.column("placed").formats == ["%Y-%m-%d %H:%M"] and profile.column("size").formats == []
    assert profile.column("day").stats.source == "placed"
    assert profile.column("gift").stats.empty_share == pytest.approx(0.9)


def test_a_profile_saved_as_json_reads_back_the_same(profile):
    again = DatasetProfile.model_validate_json(profile.model_dump_json())
    assert again == profile
    assert type(again.column("placed").stats) is DatetimeStats
    assert profile.model_dump()["columns"][1]["stats"] == {"empty_share": 0.0, "counts": {"S": 20, "M": 20, "L": 20},
                                                          "catalogue_key": None, "separator": None, "labels": {}}


def test_a_stat_its_kind_does_not_have_is_refused():
    with pytest.raises(ValidationError, match="median_words"):
        ColumnProfile(name="n", kind=ColumnKind.INTEGER, n_rows=1, n_distinct=1, n_empty=0,
                      stats={"median_words": 3})


def test_a_kind_forced_on_an_empty_column_learns_defaults():
    table = read_table_bytes(b"a,b,note\n1,,It came on time and well packed.\n2,,Late again.\n", source="t.csv")
    column = profile_table(table, overrides={"b": ColumnKind.INTEGER}).column("b")
    assert isinstance(column.stats, NumberStats) and column.stats.sample == [] and column.stats.empty_share == 1.0
