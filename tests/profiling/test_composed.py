"""Columns written from the row's other columns and fixed text (a link, an e-mail address) are found, so generated
rows compute them from their own values instead of filling their shape with random letters."""

from __future__ import annotations

import random

import pandas as pd
import pytest

import syngen
from syngen.backends import registry
from syngen.data.loader import read_table_bytes
from syngen.profiling.composed import find_compositions
from syngen.profiling.infer import profile_table

MODULES = ["os", "json", "os.path", "re", "shutil", "math", "html", "csv"]
NAMES = ["listdir", "loads", "dumps", "join", "split", "sub", "copy", "floor", "escape", "reader", "html5", "docs"]


def _docs(rows: int = 80, odd: int = 4, seed: int = 1) -> pd.DataFrame:
    """Functions with a documentation link built from module and name; `odd` links break the rule (as the real
    docs' os.path pages do); an address and a name joined from first and last names; a note of free text."""
    rng = random.Random(seed)
    out = []
    for i in range(rows):
        module, name = rng.choice(MODULES), f"{rng.choice(NAMES)}_{i}"
        link = f"https://docs.example.org/3/library/{module}.html#{module}.{name}"
        first, last = rng.choice(["ann", "bo", "cy", "dee"]), rng.choice(["lee", "moss", "park", "quinn"])
        out.append({"module": module, "name": name, "first": first, "last": last,
                    "link": link if i >= odd else f"https://docs.example.org/3/library/misc.html#{name}",
                    "email": f"{first}.{last}{i}@example.com", "full name": f"{first} {last}",
                    "note": f"{rng.choice(['Reads', 'Writes'])} the {rng.choice(['file', 'data'])} in {i} steps."})
    return pd.DataFrame(out)


def _profile(frame: pd.DataFrame):
    return profile_table(read_table_bytes(frame.to_csv(index=False).encode(), source="docs.csv"))


def test_a_link_made_of_the_rows_values_is_found_with_the_share_it_writes():
    frame = _docs()
    found = find_compositions(frame, _profile(frame))
    template, share = found["link"]
    assert template == "https://docs.example.org/3/library/{{ module }}.html#{{ module }}.{{ name }}"
    assert share == pytest.approx(76 / 80)
    assert found["full name"][0] == "{{ first }} {{ last }}"


def test_a_value_inside_a_longer_word_is_not_taken_for_its_column():
    """"os" stands in "docs" and "html" in "html5": only whole values are placeholders."""
    template = find_compositions(_docs(), _profile(_docs()))["link"][0]
    assert "docs.example" in template and "{{ module }}.html#" in template


def test_columns_that_follow_no_one_template_are_left_to_the_samplers():
    frame = _docs()
    found = find_compositions(frame, _profile(frame))
    assert "email" not in found, "the row number in each address is no column's value"
    assert "note" not in found and "module" not in found
    broken = _docs(odd=20)  # a quarter of the links follow another rule
    assert "link" not in find_compositions(broken, _profile(broken))


def test_the_profile_notes_the_composition_and_a_run_computes_it_from_each_row(monkeypatch):
    monkeypatch.setitem(registry._BUILT_IN, "scripted", "tests.fakes:SchemaFillingBackend")
    frame = _docs()
    profile = _profile(frame)
    assert profile.compositions["link"].startswith("https://docs.example.org/3/library/{{ module }}")
    assert any("'link' is written from each row's other columns" in note for note in profile.notes)
    result = syngen.generate(frame, num_samples=6, model="scripted", progress=False)
    rows = result.rows
    assert list(rows.columns) == list(frame.columns)
    expected = "https://docs.example.org/3/library/" + rows["module"] + ".html#" + rows["module"] + "." + rows["name"]
    assert (rows["link"] == expected).all()
    assert (rows["full name"] == rows["first"] + " " + rows["last"]).all()
    assert result.sidecar["derived_columns"]["link"] == profile.compositions["link"]


def test_a_users_template_for_the_column_wins(monkeypatch):
    monkeypatch.setitem(registry._BUILT_IN, "scripted", "tests.fakes:SchemaFillingBackend")
    result = syngen.generate(_docs(), num_samples=3, model="scripted", progress=False, derive={"link": "{{ name }}"})
    assert (result.rows["link"] == result.rows["name"]).all()


def test_the_only_text_column_is_left_to_the_model_even_when_composed():
    frame = _docs()
    frame["note"] = "About " + frame["name"] + " of " + frame["module"] + ", the helper we keep."
    profile = _profile(frame)
    assert "note" in find_compositions(frame, profile)
    assert "note" not in profile.compositions and "link" in profile.compositions


def test_a_column_another_one_copies_stays_to_be_made():
    frame = _docs()
    frame["link again"] = frame["link"]
    profile = _profile(frame)
    assert profile.column("link again").kind.value == "derived"
    assert "link" not in profile.compositions, "computing it would leave its copy without a source"

