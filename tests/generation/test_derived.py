"""Derived columns: Jinja2 templates over each generated row (syngen/generation/derived.py), compiled and tried
on a real row before a run, and computed on every accepted row. The model is a schema-filling stand-in."""

from __future__ import annotations

import random

import pandas as pd
import pytest

import syngen
from syngen.backends import registry
from syngen.data.loader import read_table_bytes
from syngen.errors import ConfigError
from syngen.generation.config import GenerationConfig
from syngen.generation.derived import compile_derivations, parse_derive, set_aside
from syngen.profiling.infer import profile_table


@pytest.fixture(autouse=True)
def scripted_backend(monkeypatch):
    monkeypatch.setitem(registry._BUILT_IN, "scripted", "tests.fakes:SchemaFillingBackend")


@pytest.fixture(scope="module")
def trips() -> pd.DataFrame:
    """60 bike trips: a station, a rider type that follows the station, a distance and a note."""
    rng = random.Random(3)  # notes that predict no column: the stand-in model's text must pass the label checks
    rows = []
    for i in range(60):
        station = ["dock a", "dock b", "dock c"][i % 3]
        rows.append({"station": station, "rider": "member" if station != "dock c" else "guest",
                     "km": str(1 + (i * 7) % 19), "note": f"trip {i} went {rng.choice(['well', 'slowly', 'wet'])}."})
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def profile(trips):
    return profile_table(read_table_bytes(trips.to_csv(index=False).encode(), source="trips.csv"))


def test_templates_see_the_row_and_the_derived_columns_before_them(profile, trips):
    derive = {"rider": "{{ 'long' if km|int >= 10 else 'short' }}", "tag": "{{ station }}:{{ rider }}",
              "spaced": "{{ row['station']|replace(' ', '_') }}"}
    derivations = compile_derivations(derive, profile, trips.iloc[0].to_dict())
    row = derivations.apply({"station": "dock b", "km": "12", "note": "fine."})
    assert row == {"station": "dock b", "km": "12", "note": "fine.", "rider": "long", "tag": "dock b:long",
                   "spaced": "dock_b"}
    assert derivations.replaced == {"rider"}
    assert derivations.columns(["station", "km", "note"]) == ["station", "rider", "km", "note", "tag", "spaced"]


def test_a_replaced_column_leaves_the_profile_with_what_ties_it(profile):
    assert any("rider" in (d.child, d.parent) for d in profile.dependencies)  # the station decides the rider
    kept = set_aside(profile, frozenset({"rider"}))
    assert "rider" not in kept.names and not any("rider" in (d.child, d.parent) for d in kept.dependencies)
    assert "rider" in profile.names  # the caller's profile (the app's corrected one) is left as it was


@pytest.mark.parametrize(("derive", "says"), [
    ({"x": "{{ rider }}", "rider": "{{ km }}"}, "derived column 'x' uses 'rider', which is not a generated column"),
    ({"x": "{{ y }}", "y": "{{ km }}"}, "derived column 'x' uses 'y'"),  # a template sees only the ones before it
    ({"x": "{% if km %}big"}, "derived column 'x': Unexpected end of template"),
    ({"x": "{{ km|int / (km|int - km|int) }}"}, "derived column 'x' fails on the data's first row: division by zero"),
    ({"x": "{{ row['nowhere'] }}"}, "derived column 'x' fails on the data's first row"),
    ({"x": "{{ station.__class__ }}"}, "derived column 'x' fails on the data's first row"),  # the sandbox
])
def test_a_broken_template_is_found_on_a_real_row(profile, trips, derive, says):
    with pytest.raises(ConfigError) as caught:
        compile_derivations(derive, profile, trips.iloc[0].to_dict())
    assert says in caught.value.message


def test_a_derive_pair_splits_at_its_first_equals_sign():
    assert parse_derive(["short={{ 'y' if km|int <= 3 else 'n' }}"]) == {"short": "{{ 'y' if km|int <= 3 else 'n' }}"}
    with pytest.raises(ConfigError, match="is not NAME=TEMPLATE"):
        parse_derive(["={{ km }}"])


def test_a_derived_column_takes_no_other_setting():
    with pytest.raises(ConfigError, match="column 'km' is derived and also has a range"):
        GenerationConfig(data="d.csv", derive={"km": "{{ station }}"}, ranges={"km": (1, 3)})
    with pytest.raises(ConfigError, match="derived column 'x' has an empty template"):
        GenerationConfig(data="d.csv", derive={"x": "  "})


def test_the_python_api_takes_derive(trips):
    result = syngen.generate(trips, num_samples=5, model="scripted", progress=False,
                             derive={"rider": "{{ station|upper }}", "far": "{{ km|int > 9 }}"})
    rows = result.rows
    assert list(rows.columns) == ["station", "rider", "km", "note", "far"]
    assert (rows["rider"] == rows["station"].str.upper()).all()
    assert (rows["far"] == rows["km"].astype(int).gt(9).map({True: "True", False: "False"})).all()
    assert result.sidecar["derived_columns"] == {"rider": "{{ station|upper }}", "far": "{{ km|int > 9 }}"}
