"""The vocabulary check: a text in a language the real texts do not use, or of words none of them uses, is off."""

from importlib import resources
from pathlib import Path

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


NEWS = pd.read_csv(Path(__file__).parents[1] / "tables" / "news.csv", header=None, dtype=str)[2].tolist()


def test_new_names_in_the_tables_language_are_not_foreign():
    """120 descriptions in AG News's shape: every one brings its own names and places, so an English text about
    new ones holds few of the table's words. The bound is what the real texts reach without their own words."""
    check = VocabularyCheck(NEWS)
    assert not check.is_foreign("Reuters - South Korean scientists say they have cloned human embryos and "
                                "extracted stem cells. This could lead to new treatments.")
    assert not check.is_foreign("BAGHDAD (Reuters) - The Iraqi army attacked a suicide bomber who killed himself "
                                "in Baghdad on Monday.")
    assert check.is_foreign("BAGHDAD (Reuters) - Los insurgentes atacaron un centro de reclutamiento de la "
                            "policía al norte de la capital el martes.")
    assert check.is_foreign("Sehr gutes Produkt, ich nehme es jeden Morgen und fühle mich viel besser.")
    assert sum(map(check.is_foreign, NEWS)) <= 0.02 * len(NEWS)


def test_a_table_whose_texts_share_their_words_keeps_the_full_bounds():
    check = VocabularyCheck(DEMO)
    assert (check.whole_bound, check.passage_bound) == (0.3, 0.3)


def test_a_letter_no_real_text_uses_is_foreign_at_any_length():
    """A table of texting shorthand holds few common words, and made-up Turkish-looking words passed."""
    shorthand = ["Ok lar... Joking wif u oni", "U dun say so early hor... U c already then say...",
                 "Nah I don't think he goes to usf, he lives around here though",
                 "Even my brother is not like to speak"]
    check = VocabularyCheck(shorthand * 30 + DEMO + ["Met him at the café, he's so naïve lol"])
    assert check.foreign_letters("oklahamatızların kabulmak önerileri") == ["ö", "ı"]
    assert check.is_foreign("oklahamatızların") and check.is_foreign("好的 lar")
    assert not check.is_foreign("ok lar, c u at the café"), "one real text uses é"
    assert not check.is_foreign("ok lar, c u there")


def test_too_few_real_texts_say_nothing_of_letters():
    check = VocabularyCheck(["Ok lar... Joking wif u oni"] * 20)
    assert check.foreign_letters("Ça va, à demain") == [] and not check.is_foreign("Ça va")


def test_english_function_words_the_table_happens_not_to_use_are_not_foreign():
    """Talk-page comments built from a few hundred words never said "so", "just" or "our" twice: a plain English
    answer using them was refused as another language. Another language is still foreign."""
    import random

    rng = random.Random(1)
    topics = [f"{a}{b}" for a in ("wiki", "page", "edit", "source", "ref", "talk", "admin", "bot", "user", "cite",
                                  "vandal", "revert", "draft", "policy", "image", "link", "header", "notice",
                                  "archive", "section", "template", "category", "article", "portal", "stub")
              for b in ("ing", "er", "ed", "s", "ly", "ment", "ness", "ist", "ion", "al", "ive", "able", "ure",
                        "ism", "ize", "ful")]
    frame = [" ".join(["the", rng.choice(topics), "is", rng.choice(topics), "and", "i", "think", "it",
                       rng.choice(topics), "please", rng.choice(topics), "this", rng.choice(topics)]) + "."
             for _ in range(1500)]
    check = VocabularyCheck(frame)
    assert len(check.vocabulary) > 300
    assert not check.is_foreign("You are wrong here and everyone knows it, so just stop wasting our time with "
                                "your edits.")
    assert check.is_foreign("Ceci est un texte entierement en francais avec des mots qui ne sont pas anglais.")
