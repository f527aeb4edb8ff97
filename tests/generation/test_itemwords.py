"""Texts say what their own item is: words real texts say (almost) only of items whose title holds them ("flax",
"biotin") are refused in a text of another item, learned from the real rows, on small hand-made tables."""

import random

import pytest

from syngen.generation.checks import ContentChecks, Rejected
from syngen.generation.itemwords import RARE_SHARE, learn_item_words
from syngen.generation.reasons import RejectReason

ITEMS = {"biotin": "Acme Biotin 5000 mcg Tablets", "flaxseed": "Acme Flaxseed Oil Softgels",
         "melatonin": "Zen Melatonin 3 mg Gummies", "magnesium": "Zen Magnesium Glycinate Capsules",
         "collagen": "Pure Collagen Peptides Powder", "turmeric": "Pure Turmeric Curcumin Capsules"}
GENERAL = ["great", "works", "bottle", "price", "taste", "morning", "daily", "recommend", "arrived", "quickly",
           "happy", "again", "order", "noticed", "results", "weeks"]


def _rows(seed: int = 0, own: bool = True, rows: int = 400):
    """Reviews naming their own item's kind in half the rows (`own`), or any item's kind (not `own`)."""
    rng = random.Random(seed)
    texts, facts = [], []
    for _ in range(rows):
        kind = rng.choice(list(ITEMS))
        named = kind if own else rng.choice(list(ITEMS))
        words = rng.sample(GENERAL, 6) + ([named] if rng.random() < 0.5 else [])
        texts.append(" ".join(rng.sample(words, len(words))).capitalize() + ".")
        facts.append({"title": ITEMS[kind], "cat1": "Vitamins & Supplements"})
    return texts, facts


def test_words_said_only_of_their_own_items_are_learned_and_general_ones_are_not():
    texts, facts = _rows()
    check = learn_item_words({"text": texts}, facts)
    words = check.bound[("text", "title")]
    assert {"biotin", "flaxse", "melato", "collag"} <= words
    assert not words & {"great", "bottle", "acme", "zen", "pure", "capsul"}  # general, or of several items' titles
    assert check.real_shares[("text", "title")] <= RARE_SHARE


def test_a_text_saying_another_items_kind_is_found_and_its_own_passes():
    texts, facts = _rows()
    check = learn_item_words({"text": texts}, facts)
    biotin = {"title": ITEMS["biotin"]}
    assert check.foreign("text", "The best way to eat flax oil, works great.", biotin) is None  # a word no real
    # text says: nothing to judge it by
    assert check.foreign("text", "Better than the Flaxseed I had before.", biotin) == ("title", "Flaxseed")
    assert check.foreign("text", "My biotin arrived quickly and works.", biotin) is None
    assert check.foreign("title", "Flaxseed is great", biotin) is None  # the titles taught nothing


def test_texts_that_name_any_item_get_no_check():
    texts, facts = _rows(own=False)
    assert learn_item_words({"text": texts}, facts) is None


def test_the_content_checks_reject_it_as_another_item_and_say_why():
    texts, facts = _rows()
    checks = ContentChecks(shapes={}, item_words=learn_item_words({"text": texts}, facts))
    with pytest.raises(Rejected) as raised:
        checks.leaks({"text": "Melatonin gummies helped me sleep."}, ["text"], {"title": ITEMS["collagen"]})
    assert raised.value.reason == RejectReason.OTHER_ITEM
    assert '"Melatonin"' in str(raised.value) and "this entry's title does not" in str(raised.value)
    checks.leaks({"text": "Collagen powder mixes well."}, ["text"], {"title": ITEMS["collagen"]})


def test_a_catalogue_field_named_as_a_text_column_is_called_the_items():
    texts, facts = _rows()
    check = learn_item_words({"text": texts, "title": texts}, facts)
    assert check.foreign("title", "Flaxseed is great", {"title": ITEMS["biotin"]}) == ("item title", "Flaxseed")
    assert check.summary.checks[0].fact == "item title"
