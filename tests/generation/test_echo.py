"""A text must not repeat its row's facts from the prompt word for word (a review titled with its item's
catalogue name), unless the real texts of its column do so too."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import numpy as np
import pandas as pd

from syngen.generation.config import GenerationConfig
from syngen.generation.echo import learn_context_echo
from syngen.generation.session import prepare_session
from tests.fakes import ScriptedBackend, answer, review_answer
from tests.generation.test_example_openings import _text

ITEMS = ["Sunrise Labs Vitamin D3 5000 IU Softgels", "Harbor Naturals Magnesium Glycinate 120 Capsules",
         "Peak Greens Organic Spirulina Powder 8 oz", "Blue Ridge Fish Oil Omega 3 Lemon Flavor"]
SAYINGS = ["works well for me", "my wife likes it", "easy to swallow", "arrived fast and sealed", "good value"]


def _real(quoting: float, seed: int = 0) -> tuple[list[str], list[dict[str, str]]]:
    """Reviews of the items; a share `quoting` of them name their item in full."""
    rng = np.random.default_rng(seed)
    items = rng.choice(ITEMS, size=200)
    texts = [f"{item}, {rng.choice(SAYINGS)}." if rng.random() < quoting else f"This one {rng.choice(SAYINGS)}."
             for item in items]
    return texts, [{"title": str(item), "category": "Vitamins"} for item in items]


def test_texts_that_never_quote_their_item_learn_the_shortest_run_to_reject():
    texts, facts = _real(quoting=0.0)
    echo = learn_context_echo({"review": texts}, facts)
    assert echo.runs == {"review": 3}
    item = {"title": ITEMS[0], "category": "Vitamins"}
    assert echo.find("review", "Sunrise Labs Vitamin works well.", item) == ("title", "Sunrise Labs Vitamin")
    assert echo.find("review", "The vitamin from Sunrise works well.", item) is None  # two words in a row only


def test_an_inflected_echo_is_an_echo():
    texts, facts = _real(quoting=0.0)
    echo = learn_context_echo({"review": texts}, facts)
    item = {"title": "Bluefin Wellness Methylated B-Complex with Folate and B12"}
    found = echo.find("review", "More energy by Bluefin Wellness Methylated B - Complexes with Folate.", item)
    assert found == ("title", "Bluefin Wellness Methylated")


def test_an_echo_made_singular_is_an_echo():
    texts, facts = _real(quoting=0.0)
    echo = learn_context_echo({"review": texts}, facts)
    item = {"title": "Tallgrass Elderberry Gummies with Zinc, 60 Gummies"}
    assert echo.find("review", "Tallgrass Elderberry Gummy", item) == ("title", "Tallgrass Elderberry Gummy")
    assert echo.find("review", "Tallgrass Elderberry Gummy tastes great", item) == \
        ("title", "Tallgrass Elderberry Gummy")
    assert echo.find("review", "Glass of elderberry is great", item) is None


def test_a_short_text_made_only_of_its_items_words_is_an_echo_where_real_ones_never_are():
    texts, facts = _real(quoting=0.0)
    echo = learn_context_echo({"review": texts}, facts)
    item = {"title": "Bluefin Wellness Methylated B-Complex 60 Capsules"}
    assert echo.summary.whole == ["review"] and echo.summary.whole_facts == {}  # every fact: none named
    assert "made only of words of one of them" in echo.summary.describe()[0]
    assert echo.find("review", "Bluefin Wellness", item) == ("title", "Bluefin Wellness")
    assert echo.find("review", "Bluefin", item) is None  # one word: naming the brand is what reviews do
    assert echo.find("review", "Wellness works", item) is None
    assert echo.find("review", "Wellness Wellness", item) == ("title", "Wellness Wellness")  # repeated, any order
    assert echo.find("review", "Methylated Bluefin", item) == ("title", "Methylated Bluefin")
    # Function words aside: the quick start titled a review "The Northfield Naturals", its item's brand.
    assert echo.find("review", "The Bluefin Wellness", item) == ("title", "The Bluefin Wellness")
    assert echo.find("review", "The Bluefin", item) is None


def test_a_column_whose_real_titles_name_their_item_may_do_so():
    rng = np.random.default_rng(1)
    items = rng.choice(ITEMS, size=200)
    titles = [" ".join(str(item).split()[:2]) if rng.random() < 0.1 else "Works well" for item in items]
    echo = learn_context_echo({"title": titles}, [{"title": str(item)} for item in items])
    assert echo.whole == {} and echo.runs == {"title": 3}


def test_a_title_made_of_a_fact_no_real_title_is_made_of_is_an_echo():
    """Real supplements titles are their item's name 1.8% of the time ("Flaxseed oil"), their category never; the
    model titled reviews "Vitamins & Supplements", the category the prompt states."""
    rng = np.random.default_rng(1)
    items = rng.choice(ITEMS, size=200)
    titles = [" ".join(str(item).split()[1:3]) if rng.random() < 0.1 else "Works well" for item in items]
    facts = [{"title": str(item), "category": "Vitamins & Supplements"} for item in items]
    echo = learn_context_echo({"title": titles}, facts)
    assert echo.whole == {"title": frozenset({"category"})}
    assert "made only of words of category" in echo.summary.describe()[0]
    item = {"title": ITEMS[1], "category": "Vitamins & Supplements"}
    assert echo.find("title", "Vitamins & Supplements", item) == ("category", "Vitamins Supplements")
    assert echo.find("title", "Naturals Magnesium", item) is None  # as real titles are


def test_a_column_whose_real_texts_quote_their_item_gets_no_check():
    texts, facts = _real(quoting=0.3)
    assert learn_context_echo({"review": texts}, facts).runs == {}


def test_too_few_rows_learn_nothing():
    texts, facts = _real(quoting=0.0)
    assert learn_context_echo({"review": texts[:20]}, facts[:20]).runs == {}


def _item_title_first(request, index: int) -> str:
    """The first answer titles its review with the first words of its item's catalogue name."""
    true = json.loads(review_answer(request, index))
    if index > 0:
        return json.dumps(true)
    item = re.search(r"^item title: (.*)$", request.messages[-1]["content"], re.M).group(1)
    return answer(title=" ".join(item.split()[:5]), text=true["text"])


def test_the_engine_rejects_a_title_copying_its_item_and_asks_again(demo_paths):
    reviews, products = demo_paths
    config = GenerationConfig(data=str(reviews), products=str(products), num_samples=1, seed=3, stock_check=False,
                              where={"rating": ["5"]})
    session = prepare_session(config, backend=ScriptedBackend(_item_title_first))
    assert session.profile.echo_check.runs.get("title")  # the demo's real titles never name their item at length
    outcome = session.maker.make(0)
    assert outcome.reasons == ["prompt_fragment"] and outcome.row is not None
    retry = session.backend.requests[-1].messages[-1]["content"]
    assert "item title:" not in retry and "word for word" not in retry, "the echoed fact is left out, not named"


def _item_words_cut_back(request, index: int) -> str:
    """The first answer titles its review with its item's brand and an aside it never closes, which trimming cuts
    back to the brand's first word alone."""
    true = json.loads(review_answer(request, index))
    if index > 0:
        return json.dumps(true)
    first, second = re.search(r"^item title: (.*)$", request.messages[-1]["content"], re.M).group(1).split()[:2]
    return answer(title=f"{first} ({second}", text=true["text"])


def test_a_title_is_judged_as_written_not_as_trimmed(demo_paths):
    reviews, products = demo_paths
    config = GenerationConfig(data=str(reviews), products=str(products), num_samples=1, seed=3, stock_check=False,
                              where={"rating": ["5"]})
    session = prepare_session(config, backend=ScriptedBackend(_item_words_cut_back))
    outcome = session.maker.make(0)
    assert outcome.reasons == ["prompt_fragment"] and outcome.row is not None
    assert "item title:" not in session.backend.requests[-1].messages[-1]["content"], "asked again without it"


def test_the_summary_says_what_each_column_may_not_do():
    from syngen.profiling.model import EchoCheckSummary

    title, text = EchoCheckSummary(runs={"title": 3, "text": 5}, whole=["title"], real_share=0.01).describe()
    assert "3 words in a row" in title and "made only of words of one of them" in title
    assert "5 words in a row" in text and "made only" not in text


def test_a_short_text_made_of_its_facts_words_together_is_an_echo():
    texts, facts = _real(quoting=0.0)
    echo = learn_context_echo({"review": texts}, facts)
    item = {"title": "Northfield Naturals Vitamin D3 5000 IU", "category": "Health & Household"}
    assert echo.find("review", "Naturals Health", item) == ("title", "Naturals Health")  # brand and category
    assert echo.find("review", "Health Naturals Household", item) == ("category", "Health Naturals Household")
    assert echo.find("review", "Lovely Naturals", item) is None  # a word of its own


REPLIES = ["We're glad it works for you, thanks for the review!", "Sorry to hear that, please email our support team.",
           "Thanks for the kind words, see you next time!", "Could you send us a photo of the label please?",
           "Our quality team will look into this batch today.", "Happy to hear it arrived safely and on time!"]


def test_a_text_repeating_a_shown_examples_reply_is_rejected_and_that_example_replaced(tmp_path):
    """An app review ended "We're glad it works, and we'll be back": an example's reply, a column the real texts
    never quote, written into the review."""
    rng = random.Random(1)  # stars, the smallest category, choose the examples: their replies are others' replies
    rows = [{"stars": str(1 + i % 5), "review": _text(rng), "reply": REPLIES[i % 6]} for i in range(90)]
    data = tmp_path / "apps.csv"
    pd.DataFrame(rows).to_csv(data, index=False)
    prompts: list[str] = []
    echoed: list[str] = []

    def answers(request, index):
        prompts.append(" ".join(message["content"] for message in request.messages))
        if index == 0:
            own = re.search(r"^reply: (.*)$", prompts[0], re.M).group(1)
            echoed.append(next(reply for reply in REPLIES if reply != own and reply in prompts[0]))
            return json.dumps({"review": "Lovely stuff, " + echoed[0].split(",")[0].lower() + "."})
        return json.dumps({"review": _text(rng)})

    config = GenerationConfig(data=str(data), num_samples=1, seed=3, topic_check=False, stock_check=False)
    session = prepare_session(config, backend=ScriptedBackend(answers))
    assert session.profile.echo_check.runs.get("review") == 3
    outcome = session.maker.make(0)
    assert outcome.reasons == ["prompt_fragment"] and outcome.row is not None
    assert "repeats an example's reply word for word" in prompts[-1]
    examples = [row["review"] for row in rows if row["review"] in prompts[0] and row["reply"] == echoed[0]]
    assert examples and not any(review in prompts[-1] for review in examples), "that example is not shown again"


QUESTIONS = ["How do I sort a list of dicts by a key?", "Why does my loop print the last value only?",
             "What is the difference between a tuple and a list?", "How can I read a file line by line?",
             "Why is my regex not matching the dot?", "How do I merge two sorted arrays in place?"]


def _questions(mentioning: float = 0.0, seed: int = 0) -> tuple[list[str], list[dict[str, str]]]:
    """Question bodies stating a quality code; a share `mentioning` of them name their brand ("Acme")."""
    rng = np.random.default_rng(seed)
    facts = [{"quality": str(rng.choice(["LQ_CLOSE", "HQ", "LQ_EDIT"])), "brand": "Acme"} for _ in range(200)]
    texts = [f"{rng.choice(QUESTIONS)} {'I use Acme. ' if rng.random() < mentioning else ''}Thanks for any help."
             for _ in facts]
    return texts, facts


def test_a_stated_code_no_real_text_says_is_a_leak_said_in_any_case_or_punctuation():
    texts, facts = _questions()
    echo = learn_context_echo({"body": texts}, facts)
    assert echo.unsaid["body"] >= {"quality"}
    row = {"quality": "LQ_CLOSE", "brand": "Acme"}
    assert echo.find("body", "How do I sort it? #R-LQ_CLOSE", row) == ("quality", "LQ_CLOSE")
    assert echo.find("body", "How do I sort it? lq close", row) == ("quality", "LQ_CLOSE")
    assert echo.find("body", "How do I sort it? The issue was closed.", row) is None, "a word holding it is not it"
    assert echo.find("body", "How do I sort it? HQ", row) is None, "another row's value is no leak of this row's"


def test_a_value_real_texts_say_of_their_row_or_at_all_stays_free():
    texts, facts = _questions(mentioning=0.2)
    echo = learn_context_echo({"body": texts}, facts)
    assert "brand" not in echo.unsaid.get("body", set())
    assert echo.find("body", "How do I sort it with Acme?", {"quality": "HQ", "brand": "Acme"}) is None
    rated = [{"rating": str(n % 5 + 1)} for n in range(200)]  # numbers alone are said for other reasons
    assert learn_context_echo({"body": texts}, rated).unsaid == {}


def test_the_summary_names_the_values_a_column_may_not_say():
    from syngen.profiling.model import EchoCheckSummary

    (line,) = EchoCheckSummary(runs={}, real_share=0.01, unsaid={"body": ["quality"]}).describe()
    assert line.startswith("body not naming its row's quality: checked")


def _category_in_text(request, index: int) -> str:
    """The first answer opens its review praising the row's stated category by name, which no real review does
    (at its end, the sentence would be cut away and the rest kept: test_field_watch.py)."""
    true = json.loads(review_answer(request, index))
    if index > 0:
        return json.dumps(true)
    category = re.search(r"^cat1: (.+)$", request.messages[-1]["content"], re.M).group(1)
    return answer(title=true["title"], text=f"Best {category} ever. {true['text']}")


def _varied_categories(demo_paths, tmp_path) -> tuple[Path, Path]:
    """The demo with items of two categories: a field of one value for every item is not stated (the topic says it)."""
    reviews, products = demo_paths
    catalogue = pd.read_csv(products, dtype=str)
    catalogue.loc[catalogue.index % 2 == 1, "cat1"] = "Herbal Remedies & Teas"
    catalogue.to_csv(tmp_path / "products.csv", index=False)
    return reviews, tmp_path / "products.csv"


def _first_answer_judged(paths, unsaid: bool) -> list[str]:
    reviews, products = paths
    config = GenerationConfig(data=str(reviews), products=str(products), num_samples=1, seed=3, stock_check=False,
                              where={"rating": ["5"]})
    session = prepare_session(config, backend=ScriptedBackend(_category_in_text))
    assert "cat1" in session.profile.echo_check.unsaid["text"]
    if not unsaid:
        object.__setattr__(session.maker.checks.echo, "unsaid", {})
    outcome = session.maker.make(0)
    assert outcome.row is not None and "Best" not in outcome.row["text"] or not unsaid
    return outcome.reasons


def test_the_engine_rejects_a_text_naming_a_stated_value_and_asks_again(demo_paths, tmp_path):
    paths = _varied_categories(demo_paths, tmp_path)
    assert _first_answer_judged(paths, unsaid=True) == ["prompt_fragment"]
    assert _first_answer_judged(paths, unsaid=False) == [], "the same answer passes every other check"


def _topic_in_text(request, index: int) -> str:
    true = json.loads(review_answer(request, index))
    return json.dumps(true if index > 0 else {**true, "text": f"Best Vitamins & Supplements ever. {true['text']}"})


def test_a_field_every_item_shares_is_not_stated_and_a_text_naming_the_topic_is_a_fragment(demo_paths):
    reviews, products = demo_paths
    config = GenerationConfig(data=str(reviews), products=str(products), num_samples=1, seed=3, stock_check=False,
                              where={"rating": ["5"]})
    session = prepare_session(config, backend=ScriptedBackend(_topic_in_text))
    assert session.profile.topic == "Vitamins & Supplements"
    outcome = session.maker.make(0)
    entry = session.backend.requests[0].messages[-1]["content"].split("This entry:")[1]
    assert "item title:" in entry and "cat1" not in entry and "Health & Household" not in entry
    assert outcome.reasons == ["prompt_fragment"] and "Supplements" not in outcome.row["text"]
