"""Ids with a mark at a fixed place are drawn by shape; they keep the prefix every real id shares and the
characters real ids use (Play Store review ids "GP:AOQPTO" + hex digits came out "GP:UGEFENL2402152W0")."""

import random

import pandas as pd

from syngen.data.loader import read_table_bytes
from syngen.profiling import profile_table
from syngen.sampling.planner import RowPlanner


def test_ids_drawn_by_shape_keep_their_shared_prefix_and_their_characters():
    rng = random.Random(2)
    ids = [f"GP:AOQPTO{rng.getrandbits(40):010X}" for _ in range(300)]
    frame = pd.DataFrame({"review_id": ids, "text": [f"Review number {i} says the app works well" for i in range(300)]})
    profile = profile_table(read_table_bytes(frame.to_csv(index=False).encode(), source="reviews.csv"))
    planner = RowPlanner(profile, None, seed=1)
    drawn = [planner.skeleton(position).values["review_id"] for position in range(200)]
    assert all(value.startswith("GP:AOQPTO") for value in drawn)
    assert set("".join(value[9:] for value in drawn)) <= set("0123456789ABCDEF")
    assert len(set(drawn)) == 200 and not set(drawn) & set(ids)
