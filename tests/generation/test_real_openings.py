"""A pattern backend's main text opens with the first word of a real text of the row's own values (its rating), so
the model writes a sentence of its own instead of going on with an example's first one; a word per attempt and
candidate, held in the schema's pattern and counted in the text's bounds."""

import random
import re

import pandas as pd

from syngen.data.loader import Table
from syngen.generation.config import GenerationConfig
from syngen.generation.engine import run_generation
from syngen.generation.schema import answer_schema
from syngen.generation.session import prepare_session
from syngen.profiling import profile_table
from syngen.profiling.textshape import first_word
from syngen.prompts.fewshot import FewShotPicker
from tests.fakes import ScriptedBackend, review_answer

WORDS = ["soft", "warm", "fit", "colour", "seams", "size", "fabric", "delivery", "winter", "washing", "photo",
         "sleeves", "zip", "pockets", "lining", "hood", "stitching", "buttons", "length", "waist"]


class PatternBackend(ScriptedBackend):
    supports_pattern = True


def _run(demo_paths, tmp_path, backend, **extra):
    reviews, products = demo_paths
    config = GenerationConfig(data=str(reviews), products=str(products), num_samples=6, seed=3,
                              out=str(tmp_path / "out.csv"), force=True, stock_check=False, **extra)
    run_generation(config, session=prepare_session(config, backend=backend))


def _opening(pattern: str) -> str | None:
    found = re.match(r"\^((?:[^\W\d_]|['’])+)\\? ", pattern)
    return found.group(1) if found else None


def test_the_main_text_opens_with_a_real_first_word_of_the_rows_rating(demo_paths, tmp_path):
    reviews = pd.read_csv(demo_paths[0], dtype=str)
    firsts = {rating: {first_word(text) for text in group.text} for rating, group in reviews.groupby("rating")}
    backend = PatternBackend(review_answer)
    _run(demo_paths, tmp_path, backend)
    openings = []
    for asked in backend.requests:
        rating = asked.json_schema["properties"]["rating"]["const"]
        word = _opening(asked.json_schema["properties"]["text"]["pattern"])
        assert word in firsts[rating], f"{word!r} opens no real {rating}-star text"
        openings.append(word)
    assert len(set(openings)) >= 3, "rows open in many ways, as real texts do"

    off = PatternBackend(review_answer)
    _run(demo_paths, tmp_path, off, real_openings=False)
    assert all(_opening(asked.json_schema["properties"]["text"]["pattern"]) is None for asked in off.requests)
    plain = ScriptedBackend(review_answer)  # no pattern: the model is not held to a first word
    _run(demo_paths, tmp_path, plain)
    assert all("pattern" not in asked.json_schema["properties"]["text"] for asked in plain.requests)


def test_the_opening_is_counted_in_the_texts_bounds_and_its_close_point():
    schema = answer_schema({"text": (40, 120)}, whole=frozenset({"text"}), closes={"text": 80},
                           openings={"text": "Honestly "})
    pattern = re.compile(schema["properties"]["text"]["pattern"])
    assert pattern.fullmatch("Honestly " + "x" * 60 + ".")
    assert not pattern.fullmatch("Frankly " + "x" * 60 + "."), "another first word is not allowed"
    assert not pattern.fullmatch("Honestly " + "x" * 120 + "."), "the opening counts in the bound"
    assert pattern.fullmatch("Honestly " + "x" * 110 + ".")
    assert not pattern.fullmatch("Honestly " + "x" * 75 + "." + "y" * 20 + "."), "past the close point, one end"


def _picker(texts: list[str], ratings: list[str]) -> FewShotPicker:
    frame = pd.DataFrame({"review": texts, "rating": ratings})
    table = Table(frame=frame, source="reviews.csv", encoding="utf-8", delimiter=",")
    return FewShotPicker(frame, profile_table(table), k=3, seed=5, strata=["rating"])


def _texts(openings: list[str], count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return [f"{openings[i % len(openings)]} {' '.join(rng.sample(WORDS, 9))}." for i in range(count)]


def test_an_opening_is_a_first_word_of_the_rows_own_pool_drawn_as_the_pool_opens():
    good, bad = _texts(["Lovely", "Perfect", "Great", "Soft"], 40, 1), _texts(["Awful", "Terrible"], 40, 2)
    picker = _picker(good + bad, ["5"] * len(good) + ["1"] * len(bad))
    drawn = [picker.opening({"rating": "5"}, 8, (position, 0, 0)) for position in range(60)]
    assert set(drawn) == {"Lovely", "Perfect", "Great", "Soft"}, "every opening of the row's rating, none of another's"
    assert max(drawn.count(word) for word in set(drawn)) <= 25, "each about as often as real texts open with it"
    assert picker.opening({"rating": "5"}, 8, (4, 0, 0)) == picker.opening({"rating": "5"}, 8, (4, 0, 0))
    assert first_word("Great! It works") == "Great" and first_word("I've tried") == "I've"


def test_a_pool_of_codes_and_numbers_gives_no_opening():
    texts = [f"{code} {' '.join(random.Random(i).sample(WORDS, 9))}." for i, code in
             enumerate(["X1-200", "42", "B12-9", "#7"] * 12)]
    picker = _picker(texts, ["ok"] * len(texts))
    assert picker.opening({"rating": "ok"}, 6, (0, 0, 0)) == ""
