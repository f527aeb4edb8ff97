"""A row is not shown real texts that name another item than its own: shown a flaxseed oil review, the model wrote
of a biotin row "The best way to eat flax oil ...". Its examples are swapped for rows of its pool that say no item
word of another item (itemwords.py), where the pool has them."""

import json
import random
import re

import pandas as pd

from syngen.generation.config import GenerationConfig
from syngen.generation.engine import run_generation
from syngen.generation.itemwords import stems
from syngen.generation.session import prepare_session
from tests.fakes import ScriptedBackend
from tests.generation.test_itemwords import GENERAL, ITEMS

KINDS = {kind: next(iter(stems(kind))) for kind in ITEMS}


def _tables(tmp_path, rows: int = 420):
    """Reviews of six items by code, half of them naming their own item's kind; a catalogue of the items' titles."""
    rng = random.Random(5)
    codes = {kind: f"B0{i:07d}X" for i, kind in enumerate(ITEMS)}
    reviews = []
    for _ in range(rows):
        kind = rng.choice(list(ITEMS))
        words = rng.sample(GENERAL, 7) + ([kind] if rng.random() < 0.5 else [])
        reviews.append({"asin": codes[kind], "rating": rng.choice(["1", "5"]),
                        "text": " ".join(rng.sample(words, len(words))).capitalize() + "."})
    data, products = tmp_path / "reviews.csv", tmp_path / "products.csv"
    pd.DataFrame(reviews).to_csv(data, index=False)
    pd.DataFrame({"asin": list(codes.values()), "title": list(ITEMS.values())}).to_csv(products, index=False)
    return data, products, [review["text"] for review in reviews]


def _kinds(text: str) -> set[str]:
    return {kind for kind, stem in KINDS.items() if stem in stems(text)}


def test_no_row_is_shown_an_example_naming_another_item(tmp_path):
    data, products, texts = _tables(tmp_path)
    rng = random.Random(2)
    seen: list[tuple[str, list[str]]] = []  # (the row's item kind, the example texts its prompt shows)

    def answers(request, index):
        prompt = request.messages[-1]["content"]
        title = re.search(r"^title: (.*)$", prompt, re.M).group(1)
        own = next(kind for kind, name in ITEMS.items() if name == title)
        shown = " ".join(message["content"] for message in request.messages)
        seen.append((own, [text for text in set(texts) if text in shown]))
        return json.dumps({"text": " ".join(rng.sample(GENERAL, 8)).capitalize() + "."})

    config = GenerationConfig(data=str(data), products=str(products), num_samples=24, seed=3,
                              out=str(tmp_path / "out.csv"), topic_check=False, stock_check=False)
    session = prepare_session(config, backend=ScriptedBackend(answers))
    assert session.maker.checks.item_words is not None, "the table teaches its item words"
    result = run_generation(config, session=session)

    assert len(result.rows) == 24
    assert all(len(examples) == session.maker.picker.k for _, examples in seen)
    named = [kinds for own, examples in seen for kinds in map(_kinds, examples) if kinds]
    assert named, "rows are still shown real texts naming their own item"
    assert all(_kinds(text) <= {own} for own, examples in seen for text in examples)
