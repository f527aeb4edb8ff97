"""Category columns of many values that the real texts name (a wine's variety): found from the real rows, stated in
every prompt, and a text naming another of the column's values instead of its own is rejected and asked again."""

import json

import pandas as pd
import pytest

from syngen.data.loader import load_table
from syngen.generation.config import GenerationConfig
from syngen.generation.session import prepare_session
from syngen.profiling import profile_table
from syngen.profiling.named import find_named_values
from tests.fakes import ScriptedBackend
from tests.tables.wines import NOTES, VARIETIES, names_half, never_names, wines


@pytest.fixture(scope="module")
def named_csv(tmp_path_factory):
    return wines(tmp_path_factory.mktemp("tables"), names_half)


def _found(path, seed: int = 7):
    table = load_table(str(path))
    return find_named_values(table.frame, profile_table(table, None, {}), seed)


def test_a_column_the_texts_name_is_found_and_checked(named_csv):
    named, summaries = _found(named_csv)
    assert [n.column for n in named] == ["variety"] and named[0].checked
    summary = summaries[0]
    assert 0.45 < summary.named_share < 0.75 and summary.chance_share < 0.1 and summary.other_share == 0
    assert "variety named by the texts: stated in every prompt" in summary.describe()


def test_another_value_named_instead_of_the_own_is_found_a_longer_or_shorter_one_is_not(named_csv):
    variety = _found(named_csv)[0][0]
    assert variety.named_instead("This cabernet franc shows plum.", "Muscat") == "cabernet franc"
    assert variety.named_instead("This Muscat shows pear, unlike a Riesling.", "Muscat") is None  # its own too
    assert variety.named_instead("Aromas of pear.", "Muscat") is None
    assert variety.named_instead("A Pinot Noir, plum.", "Pinot Noir") is None
    assert variety.named_instead("Merlotish plum.", "Syrah") is None  # whole words only
    assert variety.named_instead("This Merlot shows plum.", "") is None  # a row without a variety names none wrongly


def test_no_column_is_found_where_the_texts_do_not_name_it_or_name_every_value_alike(tmp_path):
    assert _found(wines(tmp_path, never_names)) == ([], [])

    def every_value(rng, variety: str) -> str:  # a text naming them all names its own by chance
        return never_names(rng, variety) + " Unlike " + ", ".join(VARIETIES) + "."

    assert _found(wines(tmp_path, every_value)) == ([], [])


def test_a_column_whose_texts_often_name_another_value_is_stated_but_not_checked(tmp_path):
    def compares(rng, variety: str) -> str:
        other = rng.choice([v for v in VARIETIES if v != variety])
        if rng.random() < 0.3:
            return f"Better than any {other}, with {rng.choice(NOTES)}."
        return names_half(rng, variety)

    named, summaries = _found(wines(tmp_path, compares))
    assert [n.column for n in named] == ["variety"] and not named[0].checked
    assert "not checked" in summaries[0].describe()


def test_a_small_category_the_texts_name_is_checked_too(tmp_path):
    """Stated anyway; a text naming "Italy" on a France row still contradicts it."""
    def names_country(rng, variety: str) -> str:
        return f"{never_names(rng, variety)} Typical of {rng.choice(['Spain', 'France', 'Italy'])}."

    frame = pd.read_csv(wines(tmp_path, names_country))
    frame["country"] = frame["description"].str.extract(r"of (\w+)\.$")[0]
    frame.to_csv(tmp_path / "wine.csv", index=False)
    named, _ = _found(tmp_path / "wine.csv")
    assert [n.column for n in named] == ["country"] and named[0].checked
    assert named[0].named_instead("Typical of Italy.", "France") == "italy"


def test_the_prompt_states_the_value_and_a_text_naming_another_is_rejected_and_asked_again(named_csv):
    def other_variety_first(request, index):
        entry = request.messages[1]["content"].split("This entry:")[-1]
        variety = next(v for v in sorted(VARIETIES, key=len, reverse=True) if f"variety: {v}" in entry)
        named = "Zinfandel" if variety != "Zinfandel" else "Merlot"
        first = "rejected" not in request.messages[-1]["content"]
        return json.dumps({"description": f"This {named if first else variety} shows plum and cedar, with spice "
                                          f"on the finish {index}."})

    config = GenerationConfig(data=str(named_csv), num_samples=3, seed=5, stock_check=False)
    backend = ScriptedBackend(other_variety_first)
    maker = prepare_session(config, backend=backend).maker
    outcomes = maker.make_many(range(3))
    assert [o.reasons for o in outcomes] == [["label_mismatch:variety"]] * 3
    for outcome in outcomes:
        assert f"This {outcome.row['variety']} shows" in outcome.row["description"]
    feedback = backend.requests[-1].messages[-1]["content"]
    assert "names variety" in feedback and "rejected" in feedback
