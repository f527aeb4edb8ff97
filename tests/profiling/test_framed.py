"""A column made mostly of its row's other values around a part no column holds (a wine title: winery, vintage,
variety, region) is found, and generated rows fill a real row's frame with their own values, instead of asking
the model to spell it (it mixed up the row's variety and region)."""

from __future__ import annotations

import random
import re

import pandas as pd

import syngen
from syngen.backends import registry
from syngen.data.loader import read_table_bytes
from syngen.generation.derived import fill_frame
from syngen.profiling.framed import find_frames
from syngen.profiling.infer import profile_table

WINERIES = ["Trimbach", "Stemmari", "Ponzi", "Duckhorn", "Quinta do Crasto", "Château Lagrange", "Dr. Loosen",
            "Bodega Norton", "Acrobat", "Kendall-Jackson", "Feudi di San Gregorio", "Rainstorm"]
PLACES = {"Alsace": ["Alsace"], "Bordeaux": ["Pauillac", "Saint-Julien"], "Oregon": ["Willamette Valley"],
          "Douro": [""], "Tuscany": ["Chianti Classico", "Bolgheri"]}
VARIETIES = ["Riesling", "Pinot Noir", "Red Blend", "Portuguese Red", "Sangiovese", "Chardonnay"]
WORDS = ["cherry", "plum", "oak", "spice", "lemon", "tannins", "finish", "bright", "soft", "long", "savory"]


def _wines(rows: int = 120, seed: int = 3) -> pd.DataFrame:
    rng = random.Random(seed)
    out = []
    for _ in range(rows):
        province = rng.choice(list(PLACES))
        region = rng.choice(PLACES[province])
        winery, variety = rng.choice(WINERIES), rng.choice(VARIETIES)
        designation = rng.choice(["", "", "Reserve", "Old Vines", "Estate"])
        vintage = rng.randint(2004, 2016)
        title = f"{winery} {vintage} {designation + ' ' if designation else ''}{variety} ({region or province})"
        note = " ".join(rng.choice(WORDS) for _ in range(12)).capitalize() + "."
        out.append({"winery": winery, "designation": designation, "variety": variety, "province": province,
                    "region_1": region, "points": rng.randint(80, 99), "title": title, "description": note})
    return pd.DataFrame(out)


def _profile(frame: pd.DataFrame):
    return profile_table(read_table_bytes(frame.to_csv(index=False).encode(), source="wines.csv"))


def test_a_title_of_the_rows_values_and_a_vintage_is_framed_by_them():
    frame = _wines()
    found = find_frames(frame, _profile(frame), set())
    framed = found["title"]
    assert framed.share == 1.0
    assert set(framed.sources) == {"winery", "designation", "variety", "province", "region_1"}
    assert all(re.fullmatch(r" (20\d\d) ", f.texts[1]) for f in framed.frames), "the vintage stays fixed text"
    assert "description" not in found and "winery" not in found, "free text and categories are not framed"


def test_a_frame_is_chosen_by_which_sources_the_row_fills():
    framed = find_frames(_wines(), _profile(_wines()), set())["title"]
    douro = {"winery": "Ponzi", "designation": "", "variety": "Portuguese Red", "province": "Douro", "region_1": ""}
    assert re.fullmatch(r"Ponzi 20\d\d Portuguese Red \(Douro\)", fill_frame(framed, douro, seed=1))
    bordeaux = {**douro, "designation": "Reserve", "province": "Bordeaux", "region_1": "Pauillac"}
    titles = {fill_frame(framed, {**bordeaux, "points": str(p)}, seed=1) for p in range(40)}
    assert all(re.fullmatch(r"Ponzi 20\d\d Reserve Portuguese Red \(Pauillac\)", t) for t in titles), titles
    assert len(titles) > 3, "rows differing elsewhere take other real vintages"


def test_a_slot_two_sources_share_is_not_taken_for_the_wrong_one():
    """Alsace's region is its province: had the frame kept "(province)", a Bordeaux row would read (Bordeaux)."""
    framed = find_frames(_wines(), _profile(_wines()), set())["title"]
    for f in framed.frames:
        if "region_1" in f.present:
            assert "province" not in f.slots


def test_columns_of_free_text_or_few_values_are_not_framed():
    frame = _wines()
    frame["label"] = frame["winery"] + " wines"  # few distinct values: a category
    frame["title"] = frame["winery"] + ": " + frame["description"].str[::-1]  # mostly not its row's values
    assert find_frames(frame, _profile(frame), set()) == {}


def test_a_run_fills_each_rows_title_from_its_own_values(monkeypatch):
    monkeypatch.setitem(registry._BUILT_IN, "scripted", "tests.fakes:SchemaFillingBackend")
    frame = _wines()
    profile = _profile(frame)
    assert "title" in profile.frames
    assert any("'title' is mostly its row's" in note for note in profile.notes)
    result = syngen.generate(frame, num_samples=8, model="scripted", progress=False, seed=4)
    rows = result.rows
    assert list(rows.columns) == list(frame.columns)
    for row in rows.fillna("").to_dict("records"):
        place = row["region_1"] or row["province"]
        designation = row["designation"] + " " if row["designation"] else ""
        assert re.fullmatch(rf"{re.escape(row['winery'])} 20\d\d {re.escape(designation + row['variety'])} "
                            rf"\({re.escape(place)}\)", row["title"]), row
    assert result.sidecar["derived_columns"]["title"].startswith("a real row's frame")
    again = syngen.generate(frame, num_samples=8, model="scripted", progress=False, seed=4).rows
    assert again["title"].tolist() == rows["title"].tolist()


def test_a_users_template_for_a_framed_column_wins(monkeypatch):
    monkeypatch.setitem(registry._BUILT_IN, "scripted", "tests.fakes:SchemaFillingBackend")
    result = syngen.generate(_wines(), num_samples=3, model="scripted", progress=False,
                             derive={"title": "{{ winery }} {{ variety }}"})
    assert (result.rows["title"] == result.rows["winery"] + " " + result.rows["variety"]).all()
