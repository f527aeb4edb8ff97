"""A text that rewrites one shown example a word apart is caught even when it is too short to be a copy."""

import pytest

from syngen.generation.lifting import (
    BORROWING_CHANCE,
    OPENING_SHARE,
    borrowing_chance,
    borrowing_rule,
    carried_from,
    common_first_sentences,
    lifted_from,
    opened_from,
    opened_with,
    reworded_from,
    shared_opening_chance,
    shared_sentences,
    without_shared,
)

EXAMPLES = ["Works fine for me, no side effects at all.",
            "nauseous every single day on this, stopped. want my money back"]


def test_a_short_text_lifted_from_an_example_is_found_and_named():
    assert lifted_from("Nauseous every single day on this, stop.", EXAMPLES) == 1


def test_a_text_taking_a_third_of_its_wording_from_an_example_is_a_lift():
    example = "Everybody in the house takes them, even my picky teenager. Good value for 60."
    text = "Everybody in the house takes them. Even my picky teenager has a favorite gummy, and it's super good."
    assert lifted_from(text, [EXAMPLES[0], example]) == 1


def test_eight_words_in_a_row_of_an_example_are_a_lift_however_much_the_text_adds():
    example = "Everybody in the house takes them, even my picky teenager. Good value for 60."
    text = "Everybody in the house takes them, even my picky cat who is not of this world. Good value for 120."
    assert lifted_from(text, [EXAMPLES[0], example]) == 1
    assert lifted_from("Everybody in the house takes them, only those who are not of this world can eat them.",
                       [example]) is None  # six words in a row


def test_a_text_that_shares_a_stock_phrase_is_not_a_lift():
    assert lifted_from("I felt nauseous every single day, so I gave them to my sister.", EXAMPLES) is None
    assert lifted_from("Works fine for me.", EXAMPLES) is None  # too short to say


def test_real_reviews_of_one_rating_do_not_lift_from_each_other(reviews_path):
    import pandas as pd

    reviews = pd.read_csv(reviews_path)
    for _, group in reviews.groupby("rating"):
        texts = group["text"].astype(str).tolist()
        lifted = [i for i, text in enumerate(texts[:150]) if lifted_from(text, texts[i + 1: i + 4]) is not None]
        assert len(lifted) <= 1, [texts[i] for i in lifted]


def test_a_text_that_pads_most_of_a_short_example_carries_it():
    """The quick start's fourth row at a fresh seed: a 1-star demo review of its item nearly word for word, then
    padding. Its 4-grams are 4 of the text's own ~30 (no lift by the text's share), but 4 of the example's 8."""
    text = ("Nauseous every single day on this, stopped taking it. Want my money back, I'll be patient until I get "
            "your money back and I will tell everyone I know about it before the end of the month.")
    assert lifted_from(text, EXAMPLES) is None
    assert carried_from(text, EXAMPLES) == 1
    padded = "Great flavor. My son loves the taste. I would definitely buy again. I also like it with ice cream."
    assert carried_from(padded, ["Tastes fine.", "Great flavor. My son loves the taste."]) == 1


def test_a_text_sharing_a_stock_phrase_with_a_long_example_carries_none_of_it():
    long_example = ("I have been taking this for a month and my joints feel better than they have in years. "
                    "The capsules are small and easy to swallow, and the price is fair for what you get.")
    assert carried_from("I have been taking this for a month and I sleep so much better now.", [long_example]) is None
    assert carried_from("Works fine for me.", EXAMPLES) is None  # too short to say


@pytest.mark.parametrize(("finds", "rule"), [(carried_from, "carried"), (reworded_from, "reworded")])
def test_real_reviews_rarely_borrow_from_each_other_and_templated_texts_often_do(reviews_path, finds, rule):
    import pandas as pd

    reviews = pd.read_csv(reviews_path)["text"]
    assert borrowing_chance(reviews, finds) < BORROWING_CHANCE / 2
    assert getattr(borrowing_rule(reviews), rule)
    templated = [f"The {food} was {taste} and had a strange smell, it made my stomach hurt for hours."
                 for food in ("coffee", "almond butter", "granola", "tea", "jam") for taste in ("stale", "nasty")]
    assert borrowing_chance(templated, finds) > BORROWING_CHANCE
    assert not getattr(borrowing_rule(templated), rule)


def test_a_text_that_rewords_an_example_word_by_word_is_found():
    """The quick start's first row until 6 December (night), and a fresh seed's 1-star row: too few of their
    4-grams are the example's for a lift, and no sentence of eight words is copied."""
    example = ("Awful pounding headaches from the first day. I'm sensitive to methylfolate apparently. Stopped and "
               "they went away.")
    text = ("Awful pounding headaches from the first days. I'm sensitive to methylfolate and am not sure how to stop "
            "them again.")
    assert lifted_from(text, [example]) is None
    assert reworded_from(text, [EXAMPLES[0], example]) == 1
    nauseous = "Instantly nauseous every time I took it, even after breakfast. Tried a week, couldn't do it anymore."
    assert reworded_from("Instantly nauseous whenever I took it. Tried a week ago and couldn't do it anymore.",
                         [nauseous]) == 0


def test_a_text_on_the_same_subject_in_its_own_words_is_no_rewording():
    example = "Awful pounding headaches from the first day. I'm sensitive to methylfolate apparently."
    assert reworded_from("Gave me headaches for a week, so I stopped; maybe methylfolate does not suit me.",
                         [example]) is None
    assert reworded_from("Awful headaches, stopped.", [example]) is None  # too short to say


def test_a_text_that_is_mostly_an_examples_opening_is_a_lift():
    examples = EXAMPLES + ["Made me feel wired and anxious, couldn't sleep even taking it in the morning."]
    assert opened_from("nauseous every single day on which I am.", examples) == 1  # 5 of 8 words
    assert opened_from("Made me feel wired and anxious and I didn't want to eat any more.", examples) is None  # 6 of 13
    assert opened_from("Nauseous every single time I take it.", examples) is None  # three words
    assert opened_from("Works fine.", examples) is None  # too short to say


def test_real_reviews_rarely_open_alike_and_formulaic_texts_do(reviews_path):
    import pandas as pd

    assert shared_opening_chance(pd.read_csv(reviews_path)["text"]) < OPENING_SHARE / 5
    formulaic = [f"The food was great, {dish}." for dish in ("soup", "fish", "pasta", "salad")] * 5
    formulaic += [f"Service was slow and {word}." for word in ("rude", "cold", "late", "sloppy")] * 5
    assert shared_opening_chance(formulaic) > 0.5


def test_a_text_opening_with_an_examples_first_sentence_is_a_lift_unless_real_texts_share_it():
    """Rows shown one example opened alike: "We swear by this product." began 3 of 80 texts (and 8 of 63 shared a
    first sentence of four words or more with another, against 1.9% of real texts)."""
    examples = ["We swear by this product.", "I use this product everyday. It is one of the best I have used."]
    common = common_first_sentences(["This is a great product. Works.", "This is a great product!", "Meh."])
    assert common == frozenset({"this is a great product"})
    assert opened_with("We swear by this product. My kids love it too.", examples, common) == 0
    assert opened_with("I use this product everyday, and it works.", examples, common) is None  # another sentence
    assert opened_with("This is a great product. Loved it.", [*examples, "This is a great product."], common) is None
    assert opened_with("Works well. We swear by this product.", examples, common) is None  # not its opening


def test_sentences_two_real_texts_hold_are_shared_and_left_out_of_an_example():
    stock = "You can not make this stuff up, watch the whole video."
    texts = [f"Story {i} of the day. {stock}" for i in range(3)] + ["A story all of its own, told in eight words."]
    assert shared_sentences(texts) == frozenset({"you can not make this stuff up watch the whole video"})
    assert without_shared(texts[0], shared_sentences(texts)) == "Story 0 of the day."
    assert without_shared(texts[3], shared_sentences(texts)) == texts[3]
