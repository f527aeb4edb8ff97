"""Conditions in the page: a category column's values (--where), target shares (--distribution) or balance
(--balance), chosen from the real values, reach the run's configuration and hold in its rows. The model is a
test backend that fills the answer schema."""

from __future__ import annotations

import random

import pandas as pd
import pytest

from syngen.app.conditions_panel import percent_shares
from syngen.profiling import ColumnKind
from tests.app.conftest import new_app, page_has, use_upload, wait_for_run
from tests.app.fake_backends import KEY_ENV


def _orders() -> bytes:
    """90 orders: a shop that fixes its town, a skewed size, a grade and a comment that predicts none of them."""
    rng = random.Random(5)
    rows = []
    for i in range(90):
        shop = ["north", "south", "east"][i % 7 % 3]
        comment = f"order {i} of {rng.choice(['figs', 'plums', 'limes'])} came {rng.choice(['late', 'wet'])}."
        rows.append({"shop": shop, "town": {"north": "Oslo", "south": "Rome", "east": "Kyiv"}[shop],
                     "size": "big" if i % 4 == 0 else "small", "grade": str(1 + i % 3 + (i % 5 == 0)),
                     "comment": comment})
    return pd.DataFrame(rows).to_csv(index=False).encode()


@pytest.fixture
def app(registry, monkeypatch):
    monkeypatch.setenv(KEY_ENV, "from-the-environment")
    page = use_upload(new_app(), "orders.csv", _orders())
    page.sidebar.selectbox(key="backend").set_value("keyed").run()
    assert not page.exception, [e.value for e in page.exception]
    return page


def _condition(app, column: str, mode: str):
    app.multiselect(key="cond_columns").set_value([column]).run()
    app.radio(key=f"cond_mode::{column}").set_value(mode).run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def _generate(app, rows: int):
    app.number_input(key="num_samples").set_value(rows).run()
    app.button(key="generate").click().run()
    wait_for_run(app, timeout=90)
    job = app.session_state["job"]
    assert job.error is None, job.error
    return job


def test_only_the_chosen_values_are_made(app):
    assert app.multiselect(key="cond_columns").options == ["shop", "town", "size", "grade"]  # not the comment
    _condition(app, "town", "where")
    options = app.multiselect(key="cond_where::town").options
    assert options[0] == "Oslo" and sorted(options) == ["Kyiv", "Oslo", "Rome"]  # the real values, most common first
    assert page_has(app, "Choose the values of 'town' to make") and app.button(key="generate").disabled
    app.multiselect(key="cond_where::town").set_value(["Rome", "Kyiv"]).run()
    job = _generate(app, 6)
    assert job.inputs.config.where == {"town": ["Rome", "Kyiv"]}
    assert set(job.rows["town"]) <= {"Rome", "Kyiv"} and len(job.rows) == 6
    assert set(job.rows["shop"]) <= {"south", "east"}  # the shop follows its town
    assert job.sidecar["conditions"]["town"]["source"] == "where"


def test_target_shares_start_from_the_real_ones_and_must_add_up(app):
    _condition(app, "size", "distribution")
    fields = {n.key.rpartition("::")[2]: n for n in app.number_input if n.key.startswith("cond_share::size::")}
    assert {value: field.value for value, field in fields.items()} == {"small": 74, "big": 26}  # 67 and 23 of 90
    fields["big"].set_value(50).run()
    assert page_has(app, "The shares of 'size' add up to 124%, not 100%.") and app.button(key="generate").disabled
    app.number_input(key="cond_share::size::small").set_value(50).run()
    job = _generate(app, 6)
    assert job.inputs.config.distribution == {"size": {"small": 0.5, "big": 0.5}}
    assert job.rows["size"].value_counts().to_dict() == {"small": 3, "big": 3}


def test_balance_makes_each_real_value_as_often(app):
    _condition(app, "grade", "balance")
    job = _generate(app, 8)
    assert job.inputs.config.balance == ["grade"]
    assert job.rows["grade"].value_counts().to_dict() == {"1": 2, "2": 2, "3": 2, "4": 2}


def test_a_column_whose_kind_was_corrected_since_is_refused_in_one_line(app):
    _condition(app, "grade", "where")
    app.multiselect(key="cond_where::grade").set_value(["1"]).run()
    digest = app.session_state["data"].digest
    app.selectbox(key=f"kind::{digest}::grade").set_value(ColumnKind.INTEGER).run()
    assert app.multiselect(key="cond_columns").value == ["grade"]  # kept: the user still sees what was asked
    app.button(key="generate").click().run()
    assert "job" not in app.session_state, "a run started"
    errors = [e.value for e in app.error]
    assert len(errors) == 1 and "'grade' is a integer column, not a category" in errors[0], errors
    assert "\n" not in errors[0]


def test_real_shares_round_to_whole_percents_adding_up_to_100():
    assert percent_shares({"a": 1, "b": 1, "c": 1}) == {"a": 34, "b": 33, "c": 33}
    assert percent_shares({"x": 7, "y": 2}) == {"x": 78, "y": 22}
