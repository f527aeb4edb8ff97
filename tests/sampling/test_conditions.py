"""Conditions on planned rows (--where, --distribution, --balance, ranges), on small tables made here: the
values asked hold exactly, the columns that depend on a conditioned one follow the real pairs, and every
request that cannot be met is one line naming the fix. No model is needed: the planner draws these values."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd
import pytest

from syngen.data import load_table
from syngen.errors import ConfigError
from syngen.generation.config import GenerationConfig
from syngen.profiling import ColumnKind, profile_table
from syngen.sampling import RowPlanner
from syngen.sampling.apportion import Apportioned
from syngen.sampling.conditions import resolve_conditions

CITIES = {"Lyon": "France", "Nice": "France", "Lille": "France", "Porto": "Portugal", "Braga": "Portugal",
          "Turin": "Italy", "Milan": "Italy", "Genoa": "Italy", "Bari": "Italy", "Cork": "Ireland"}


@pytest.fixture(scope="module")
def tickets(tmp_path_factory):
    """300 support tickets: a skewed priority, a city that fixes its country, an amount, a yes/no and a text."""
    rng = np.random.default_rng(5)
    cities = rng.choice(list(CITIES), 300, p=[.2, .1, .1, .15, .05, .1, .1, .05, .05, .1])
    frame = pd.DataFrame({
        "priority": rng.choice(["low", "medium", "high", "urgent"], 300, p=[.6, .25, .1, .05]),
        "city": cities,
        "country": [CITIES[c] for c in cities],
        "amount": [f"{x:.2f}" for x in rng.gamma(2.0, 40.0, 300)],
        "stars": rng.choice(["1", "2", "3", "4", "5"], 300, p=[.05, .05, .1, .3, .5]),
        "resolved": rng.choice(["yes", "no"], 300, p=[.8, .2]),
        "note": [f"customer {i} wrote about a {w} problem with the order." for i, w in
                 zip(range(300), rng.choice(["small", "large", "strange", "billing"], 300), strict=True)],
    })
    path = tmp_path_factory.mktemp("tickets") / "tickets.csv"
    frame.to_csv(path, index=False)
    table = load_table(path)
    return path, table, profile_table(table)


def planned(tickets, n: int = 300, seed: int = 2, **conditions) -> pd.DataFrame:
    path, table, profile = tickets
    config = GenerationConfig(data=str(path), **conditions)
    planner = RowPlanner(profile, None, seed, conditions=resolve_conditions(config, profile, table.frame))
    return pd.DataFrame([planner.skeleton(i).values for i in range(n)])


def test_the_table_has_the_shapes_the_tests_need(tickets):
    _, _, profile = tickets
    kinds = {c.name: c.kind for c in profile.columns}
    assert kinds["priority"] is ColumnKind.CATEGORICAL and kinds["amount"] is ColumnKind.FLOAT
    assert {frozenset((d.parent, d.child)) for d in profile.dependencies} >= {frozenset(("city", "country"))}


def test_every_prefix_of_an_apportioned_plan_holds_the_shares():
    rng = np.random.default_rng(0)
    for trial in range(40):
        shares = dict(zip("abcdefg", rng.dirichlet(np.ones(7) * rng.uniform(0.2, 3)), strict=True))
        plan = Apportioned(shares, seed=trial, stream=1)
        counts = Counter()
        for n in range(1, 600):
            counts[plan.value(n - 1)] += 1
            assert all(abs(counts[v] - p * n) < 1 for v, p in shares.items())
    assert [Apportioned({"a": .5, "b": .5}, 1, 1).value(i) for i in range(20)] == \
        [Apportioned({"a": .5, "b": .5}, 1, 1).value(i) for i in range(20)]
    assert [Apportioned({"a": .5, "b": .5}, 1, 1).value(i) for i in range(20)] != \
        [Apportioned({"a": .5, "b": .5}, 2, 1).value(i) for i in range(20)]


def test_where_gives_only_the_allowed_values_with_their_real_shares(tickets):
    rows = planned(tickets, where={"priority": ["high", "urgent"]})
    assert set(rows["priority"]) == {"high", "urgent"}
    real = tickets[1].frame["priority"].value_counts()
    share = real["urgent"] / (real["urgent"] + real["high"])
    assert abs((rows["priority"] == "urgent").mean() - share) <= 1 / 300


def test_distribution_counts_are_exact_for_the_rows_asked_and_for_top_ups(tickets):
    target = {"1": 0.25, "2": 0.25, "5": 0.5}
    rows = planned(tickets, n=437, distribution={"stars": target})
    for n in (200, 437):  # the N rows asked, and N plus top-ups
        counts = rows["stars"][:n].value_counts()
        assert all(abs(counts[v] - p * n) < 1 for v, p in target.items()), counts
    assert set(rows["stars"]) == set(target)


def test_balance_is_uniform_over_the_real_values(tickets):
    rows = planned(tickets, n=200, balance=["priority"])
    assert rows["priority"].value_counts().to_dict() == {"low": 50, "medium": 50, "high": 50, "urgent": 50}


def test_columns_tied_to_a_conditioned_one_keep_the_real_pairs(tickets):
    """Whichever way the tree was learned (city -> country or back), a condition on either end holds and the
    other end follows it; the other columns keep their real distribution."""
    for where in ({"country": ["Italy"]}, {"city": ["Porto", "Cork"]}):
        rows = planned(tickets, where=where)
        (column, allowed), = where.items()
        assert set(rows[column]) <= set(allowed)
        assert all(CITIES[city] == country for city, country in zip(rows["city"], rows["country"], strict=True))
    rows = planned(tickets, where={"country": ["Italy"]})
    assert set(rows["city"]) == {"Turin", "Milan", "Genoa", "Bari"}
    assert abs((rows["priority"] == "low").mean() - 0.6) < 0.08


def test_two_conditions_in_one_tree_both_hold_and_say_their_pairs_may_not_be_real(tickets):
    path, table, profile = tickets
    asked = {"where": {"country": ["Italy", "France"]}, "distribution": {"city": {"Lyon": .5, "Milan": .5}}}
    rows = planned(tickets, **asked)
    assert rows["city"].value_counts().to_dict() == {"Lyon": 150, "Milan": 150}
    assert set(rows["country"]) <= {"Italy", "France"}
    notes = resolve_conditions(GenerationConfig(data=str(path), **asked), profile, table.frame).notes
    assert len(notes) == 1 and "'city'" in notes[0] and "'country'" in notes[0]


def test_a_range_bounds_numbers_and_picks_categories_of_numbers(tickets):
    rows = planned(tickets, ranges={"amount": (10.0, 30.0), "stars": (1, 2)})
    amounts = rows["amount"].astype(float)
    assert amounts.between(10.0, 30.0).all() and amounts.nunique() > 100
    assert set(rows["stars"]) == {"1", "2"}
    beyond = planned(tickets, n=50, ranges={"amount": (5000.0, 6000.0)})["amount"].astype(float)
    assert beyond.between(5000.0, 6000.0).all()  # no real amount is that high: drawn across the range


def test_without_conditions_the_plan_is_unchanged(tickets):
    _, table, profile = tickets
    plain = RowPlanner(profile, None, 4)
    resolved = resolve_conditions(GenerationConfig(data="x.csv"), profile, table.frame)
    assert [RowPlanner(profile, None, 4, conditions=resolved).skeleton(i) for i in range(30)] == \
        [plain.skeleton(i) for i in range(30)]


@pytest.mark.parametrize(("conditions", "says"), [
    ({"where": {"region": ["north"]}}, "the data has no column 'region'. Its columns are: priority, city"),
    ({"where": {"amount": ["12.00"]}}, "'amount' is a float column, not a category"),
    ({"where": {"priority": ["critical"]}}, "'critical' never occurs in column 'priority'. Its values are: low,"),
    ({"distribution": {"stars": {"1": 0.5, "9": 0.5}}}, "'9' never occurs in column 'stars'"),
    ({"balance": ["note"]}, "'note' is a text column, not a category"),
    ({"ranges": {"note": (1, 2)}}, "a range was given for 'note', a text column"),
    ({"ranges": {"stars": (7, 9)}}, "no value of 'stars' lies between 7 and 9"),
])
def test_a_condition_the_data_cannot_meet_is_one_line(tickets, conditions, says):
    path, table, profile = tickets
    with pytest.raises(ConfigError) as caught:
        resolve_conditions(GenerationConfig(data=str(path), **conditions), profile, table.frame)
    assert says in str(caught.value) and "\n" not in str(caught.value)


@pytest.mark.parametrize(("conditions", "says"), [
    ({"distribution": {"stars": {"1": 0.5, "2": 0.3}}}, "the shares add up to 0.8, not 1"),
    ({"distribution": {"stars": {"1": 1.5, "2": -0.5}}}, "shares must lie between 0 and 1"),
    ({"where": {"stars": ["1"]}, "distribution": {"stars": {"1": 1.0}}}, "--where and --distribution both set"),
    ({"where": {"stars": ["1"]}, "balance": ["stars"]}, "--where and --balance both set column 'stars'"),
    ({"where": {"stars": ["1", "1"]}}, "give each allowed value once"),
    ({"ranges": {"amount": (30.0, 10.0)}}, "runs from 30 down to 10"),
])
def test_contradictory_options_fail_before_the_data_is_read(conditions, says):
    with pytest.raises(ConfigError) as caught:
        GenerationConfig(data="never-read.csv", **conditions)
    assert says in str(caught.value) and "\n" not in str(caught.value)


def test_shares_written_to_three_places_are_a_third_each(tickets):
    rows = planned(tickets, n=300, distribution={"priority": {"low": .333, "high": .333, "urgent": .333}})
    assert rows["priority"].value_counts().to_dict() == {"low": 100, "high": 100, "urgent": 100}


def test_prompts_and_examples_follow_the_conditioned_values(demo_paths, tickets):
    """Examples are chosen by the row's own values (prompts/fewshot.py): one-star rows are shown one-star
    reviews, and a conditioned column the text does not predict (a ticket's city) is matched too."""
    from syngen.generation.session import prepare_session
    from tests.fakes import SchemaFillingBackend

    reviews, products = demo_paths
    config = GenerationConfig(data=str(reviews), products=str(products), model="scripted", few_shot=2,
                              where={"rating": ["1"], "parent_asin": ["B07XK2M9QZ"]})
    session = prepare_session(config, backend=SchemaFillingBackend())
    frame = session.table.frame
    assert session.profile.dependency_of("parent_asin").parent == "asin"  # learned the other way round
    for position in range(6):
        skeleton = session.maker.planner.skeleton(position)
        assert (skeleton.values["rating"], skeleton.values["parent_asin"]) == ("1", "B07XK2M9QZ")
        assert skeleton.values["asin"] in set(frame.loc[frame["parent_asin"] == "B07XK2M9QZ", "asin"])
        assert skeleton.context  # the catalogue's facts about the conditioned product reach the prompt
        shown = frame.loc[session.picker.pick(position // 2, position, skeleton.values)]
        assert (shown["rating"] == "1").all()
    config = GenerationConfig(data=str(tickets[0]), model="scripted", few_shot=3, where={"city": ["Porto"]})
    session = prepare_session(config, backend=SchemaFillingBackend())
    for block in range(4):
        shown = session.table.frame.loc[session.picker.pick(block, block, session.maker.planner.skeleton(block).values)]
        assert (shown["city"] == "Porto").all()


def test_where_on_a_catalogue_key_no_real_row_uses_still_plans_it(demo_paths, tmp_path):
    from syngen.generation.session import prepare_session
    from tests.fakes import SchemaFillingBackend

    reviews, products = demo_paths
    real = pd.read_csv(reviews, dtype=str, keep_default_na=False)
    unused = real["parent_asin"].value_counts().index[-1]  # a product of the catalogue; its reviews are removed
    kept = tmp_path / "reviews.csv"
    real[real["parent_asin"] != unused].to_csv(kept, index=False)
    config = GenerationConfig(data=str(kept), products=str(products), model="scripted",
                              where={"parent_asin": [unused, real["parent_asin"].iloc[0]]})
    session = prepare_session(config, backend=SchemaFillingBackend())
    planned = Counter(session.maker.planner.skeleton(p).values["parent_asin"] for p in range(40))
    assert set(planned) == {unused, real["parent_asin"].iloc[0]}


@pytest.fixture(scope="module")
def tagged(tmp_path_factory):
    from tests.tables.tagged import tickets as tagged_tickets

    path = tmp_path_factory.mktemp("tagged") / "tagged.csv"
    tagged_tickets(rows=240).to_csv(path, index=False)
    table = load_table(path)
    return path, table, profile_table(table)


def test_where_on_a_multi_label_column_keeps_every_combination_holding_the_label(tagged):
    path, table, _ = tagged
    rows = planned(tagged, n=200, where={"tags": ["refund"]})
    assert all("refund" in tags.split("|") for tags in rows["tags"])
    holding = table.frame["tags"][table.frame["tags"].str.contains("refund")]
    assert set(rows["tags"]) == set(holding)  # refund alone and with others, in their real shares
    assert set(planned(tagged, n=50, where={"tags": ["billing|refund"]})["tags"]) == {"billing|refund"}
    with pytest.raises(ConfigError, match="'warranty' never occurs in column 'tags'. Its labels are: "):
        resolve_conditions(GenerationConfig(data=str(path), where={"tags": ["warranty"]}), tagged[2], table.frame)
