"""Multi-label columns ("billing|login"): found by their recombining labels, profiled as a category of label sets,
and checked label by label, on small hand-made tables; lists that are not label sets (places, names, argument
lists, sentences) are left as they were."""

import numpy as np
import pandas as pd
import pytest

from syngen.data.loader import Table
from syngen.profiling.describe import column_format
from syngen.profiling.infer import profile_table
from syngen.profiling.labels import Labeler, label_candidates, learn_label_checks
from syngen.profiling.labelsets import find_label_set, split_labels
from syngen.profiling.model import ColumnKind
from tests.tables.tagged import PHRASES, tickets


def _table(frame: pd.DataFrame) -> Table:
    return Table(frame=frame.astype(str), source="tickets.csv", encoding="utf-8", delimiter=",")


@pytest.mark.parametrize("separator", ["|", ";", ", "])
def test_a_column_of_tag_sets_is_found_with_its_separator_and_labels(separator):
    found = find_label_set(tickets(separator=separator)["tags"].replace("", np.nan).dropna())
    assert found is not None and found.separator == separator.strip()
    assert sorted(found.labels) == sorted(PHRASES)
    assert split_labels(f"billing{separator}refund", found.separator) == ["billing", "refund"]


@pytest.mark.parametrize("values", [
    [f"{city}, {state}" for city, state in zip(["Austin", "Dallas", "Reno", "Boise", "Tulsa", "Provo"] * 20,
                                               ["TX", "TX", "NV", "ID", "OK", "UT"] * 20, strict=True)],
    [f"{last}, {first}" for last, first in zip(["Smith", "Jones", "Brown", "Lee", "Khan"] * 24,
                                               ["Ann", "Bo", "Cy", "Di", "Ed", "Flo"] * 20, strict=True)],
    ["1,2,3", "2,3", "1,3", "4,5"] * 30,  # numbers, not labels
    ["It works, mostly", "Fine, thanks", "Broken, sadly", "Late, again"] * 30,  # each part in one value only
    [f"({a}, {b}, {c})" for a, b, c in zip(["path", "mode", "size", "key"] * 30, ["flags", "timeout", "encoding"] * 40,
                                           [str(i) for i in range(120)], strict=True)],  # nearly every value new
    ["Health, Household & Baby Care", "Grocery", "Beauty"] * 40,  # one category with a comma in its name
])
def test_lists_that_are_not_label_sets_are_not_taken_for_them(values):
    assert find_label_set(pd.Series(values)) is None


def test_a_tag_column_is_profiled_as_a_category_of_label_sets():
    profile = profile_table(_table(tickets()))
    column = profile.column("tags")
    assert column.kind.value == "categorical" and column.label_set is not None
    assert "sets of 4 labels joined by '|'" in column.reason
    assert column_format(column).startswith("4 labels (") and "combinations" in column_format(column)
    assert [c.name for c in profile.label_set_columns()] == ["tags"]


def test_a_label_set_is_checked_label_by_label_not_by_combination():
    table = _table(tickets())
    profile = profile_table(table)
    candidates = [c for c in label_candidates(profile) if c.column == "tags"]
    assert sorted(c.part for c in candidates) == sorted(PHRASES)
    checks, summaries = learn_label_checks(table.frame, profile, seed=0)
    tags = {c.label: c for c in checks if c.column == "tags"}
    assert set(tags) == {f"tags={label}" for label in PHRASES}
    assert all(s.column == "tags" for s in summaries if s.label.startswith("tags="))
    billing = tags["tags=billing"]
    charged = "Hi team, I was charged twice this month and the invoice shows the wrong amount. Thanks."
    parcel = "Hi team, the parcel has not arrived yet. Thanks."
    assert billing.margin(charged, "billing|shipping") > 0
    assert billing.margin(parcel, "billing|shipping") < 0  # the row says billing, the text never does
    assert billing.margin(charged, "shipping") < 0  # the text speaks of billing, the row does not
    assert billing.margin(parcel, "") > 0  # an untagged row holds no label
    assert not any(c.column == "priority" for c in checks)  # the text says nothing of it


def test_a_rare_label_gets_no_check_and_no_note():
    frame = tickets()
    frame.loc[:3, "tags"] = "refund|escalated"  # four rows only
    profile = profile_table(_table(frame))
    assert "escalated" in profile.column("tags").label_set.labels
    assert not any(c.part == "escalated" for c in label_candidates(profile))


def test_the_checks_of_a_set_read_best_are_calibrated_together():
    """Eight checks of one set at 8% each would reject a third of the real rows: together they reject 8%."""
    table = _table(tickets(rows=400))
    checks, _ = learn_label_checks(table.frame, profile_table(table), seed=0)
    shares = {c.summary.real_share for c in checks if c.column == "tags"}
    assert len(shares) == 1 and shares.pop() < 0.08


def test_a_labeler_of_one_label_names_it():
    labeler = Labeler("tags", part="refund")
    assert labeler.name == "tags=refund"
    assert labeler.describe_value("billing|refund") == "tags with refund"
    assert labeler.describe_value("billing") == "tags without refund"
    assert labeler.classes_of(pd.Series(["refund", "", "billing|refund"])).tolist() == ["refund", "no refund",
                                                                                        "refund"]


def test_a_column_of_label_lists_written_as_literals_is_a_category_of_whole_lists():
    """The hotel-review corpus's Tags ("[' Leisure trip ', ' Couple ', ' Double Room ', ' Stayed 2 nights ']") were
    read as text and written by the model, cut and mis-quoted ("'Stayed 2 nights'']"). A column of list literals
    of reused labels is drawn whole from real rows; lists of free texts are not labels."""
    rng = np.random.default_rng(3)
    trips, kinds = [" Leisure trip ", " Business trip "], [" Couple ", " Solo traveler ", " Family "]
    tags = [str([str(rng.choice(trips)), str(rng.choice(kinds)), f" Stayed {rng.integers(1, 8)} nights "])
            for _ in range(80)]
    genres = [f'[{{"id": {i % 4}, "name": "{["Action", "Drama", "Comedy", "War"][i % 4]}"}}]' for i in range(80)]
    notes = [str([f"note {i} about the room", f"another remark {i}"]) for i in range(80)]
    frame = pd.DataFrame({"Tags": tags, "genres": genres, "notes": notes,
                          "review": [f"Stayed here {i} times and the room was fine each time" for i in range(80)]})
    profile = profile_table(_table(frame))
    assert profile.column("Tags").kind is ColumnKind.CATEGORICAL
    assert "lists of 12 labels" in profile.column("Tags").reason
    assert profile.column("genres").kind is ColumnKind.CATEGORICAL
    assert profile.column("notes").kind is not ColumnKind.CATEGORICAL
    from syngen.sampling import RowPlanner

    planner = RowPlanner(profile, None, 3)
    assert all(planner.skeleton(i).values["Tags"] in set(tags) for i in range(40))
