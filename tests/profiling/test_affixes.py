"""A short-text column whose first or last word follows a category (package names in their section) learns its
values under each of the category's values; one whose words do not, does not."""

import numpy as np
import pandas as pd

from syngen.data.loader import Table
from syngen.profiling import ColumnKind, profile_table
from syngen.sampling import RowPlanner

STEMS = ["alpha", "beta", "gamma", "delta", "omega", "sigma", "kappa", "theta", "zeta", "iota", "lambda", "rho",
         "tau", "phi", "chi", "psi", "eta", "nu", "xi", "mu"]
SHAPES = {"python": "python3-{}-{}{}", "perl": "lib{}-{}{}-perl", "doc": "{}-{}{}-doc"}


def _packages(tied: bool, rows: int = 300, seed: int = 0) -> Table:
    rng = np.random.default_rng(seed)
    sections = rng.choice(list(SHAPES), size=rows)
    shapes = sections if tied else rng.permutation(sections)
    names = [SHAPES[s].format(*rng.choice(STEMS, 3)) for s in shapes]
    summaries = [f"{rng.choice(STEMS)} module for {s} users, with {rng.choice(STEMS)} tests and docs" for s in sections]
    frame = pd.DataFrame({"package": names, "section": sections, "summary": summaries})
    return Table(frame=frame.astype(str), source="packages.csv", encoding="utf-8", delimiter=",")


def test_names_follow_their_rows_section():
    profile = profile_table(_packages(tied=True))
    column = profile.column("package")
    assert column.kind is ColumnKind.SHORT_TEXT and column.stats.parent == "section"
    planner = RowPlanner(profile, None, 7)
    rows = [planner.skeleton(i).values for i in range(90)]
    assert all(r["package"].startswith("python3-") for r in rows if r["section"] == "python")
    assert all(r["package"].endswith("-perl") for r in rows if r["section"] == "perl")


def test_names_that_do_not_follow_a_category_get_no_parent():
    column = profile_table(_packages(tied=False)).column("package")
    assert column.kind is ColumnKind.SHORT_TEXT and column.stats.parent is None and not column.stats.by_parent
