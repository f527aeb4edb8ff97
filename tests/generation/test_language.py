"""The vocabulary check: a text in a language the real texts do not use, or of words none of them uses, is off."""

from importlib import resources

import pandas as pd

from syngen.generation.language import VocabularyCheck

DEMO = pd.read_csv(resources.files("syngen.demo") / "reviews.csv", dtype=str)["text"].dropna().tolist()
SPANISH = ["Muy buen producto, lo recomiendo a todos mis amigos de la casa.",
           "No me gusta nada, es muy caro y no funciona para mi dolor de cabeza.",
           "Lo tomo todas las mañanas con el desayuno y me siento mucho mejor."]


def test_a_language_one_real_review_uses_is_not_the_tables():
    """The demo has one Spanish review among 420 English ones; the model went on from its opening into
    Portuguese. A word counts only when two real texts use it."""
    check = VocabularyCheck(DEMO)
    assert any(text.startswith("Muy buen producto") for text in DEMO)
    assert check.is_foreign("Muy buen producto, uma sua proposta de ser um produto muito bom para dormir.")
    assert check.is_foreign("Muy buen producto, duermo mucho mejor desde que lo tomo. Lo recomiendo.")
    assert not check.is_foreign("Took two a day for a month and my energy is better, no upset stomach at all.")
    assert not check.is_foreign("Muy buen producto!")  # too short to judge


def test_a_language_many_real_texts_use_is_the_tables_too():
    check = VocabularyCheck(DEMO + SPANISH * 10)
    assert not check.is_foreign("Muy buen producto, lo tomo con el desayuno y me siento mucho mejor.")
    assert check.is_foreign("Sehr gutes Produkt, ich nehme es jeden Morgen und fühle mich viel besser.")


def test_every_real_review_reads_as_the_tables_language():
    check = VocabularyCheck(DEMO)
    foreign = [text for text in DEMO if check.is_foreign(text)]
    assert foreign == [next(text for text in DEMO if text.startswith("Muy buen producto"))]


def test_a_passage_in_another_language_is_foreign_within_an_english_text():
    """The supplements' one Spanish review opens "Sirve para lo q me recetó homeopata"; a generated text went on
    from it in English, which kept its whole share of the table's words above the bound."""
    check = VocabularyCheck(DEMO)
    mixed = ("Sirve para lo q me recetó luclas homeopata de leyseresiamente, and I take two a day with breakfast "
             "and my energy is better, no upset stomach at all and my sleep is better too.")
    assert check.share_known(mixed) >= 0.3 and check.is_foreign(mixed)
    assert not check.is_foreign("Took two a day for a month (Bluefin, Clearbrook, Verdant) and my energy is better.")
