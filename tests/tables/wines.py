"""A hand-made wine table: 150 rows of a country (3 values), a variety (25) and a description that a test's writer
makes, naming the variety or not."""

from __future__ import annotations

import numpy as np
import pandas as pd

VARIETIES = ["Pinot Noir", "Pinot Grigio", "Merlot", "Syrah", "Malbec", "Riesling", "Chardonnay", "Grenache", "Gamay",
             "Nebbiolo", "Barbera", "Viognier", "Albariño", "Tempranillo", "Sangiovese", "Zinfandel", "Muscat",
             "Cabernet Franc", "Cabernet Sauvignon", "Sauvignon Blanc", "Chenin Blanc", "Carmenère", "Furmint",
             "Verdejo", "Fiano"]
NOTES = ["cherry", "plum", "lemon", "pear", "oak", "leather", "apple", "violet", "cedar", "peach", "spice", "honey"]
STYLES = ["bright", "dusty", "lean", "ripe", "soft", "firm", "juicy", "crisp", "rich", "smoky", "fresh", "round",
          "dense", "supple", "tart", "mellow", "bold", "gentle", "earthy", "zesty"]


def wines(folder, text_of) -> object:
    """150 rows: a country (3 values), a variety (25) and a description written by `text_of(rng, variety)`."""
    rng = np.random.default_rng(3)
    varieties = rng.choice(VARIETIES, size=150)
    frame = pd.DataFrame({"country": rng.choice(["France", "Italy", "Spain"], size=150), "variety": varieties,
                          "description": [text_of(rng, v) for v in varieties]})
    path = folder / "wine.csv"
    frame.to_csv(path, index=False)
    return path


def names_half(rng, variety: str) -> str:
    a, b = rng.choice(NOTES, 2, replace=False)
    opening = f"This {variety} shows" if rng.random() < 0.6 else "Aromas of"
    return f"{opening} {a} and {b}, with {rng.choice(NOTES)} on the finish."


def never_names(rng, variety: str) -> str:
    a, b = rng.choice(NOTES, 2, replace=False)
    c, d = rng.choice(STYLES, 2, replace=False)
    return f"Aromas of {a} and {b}, {c} and {d}, with {rng.choice(NOTES)} on the finish."
