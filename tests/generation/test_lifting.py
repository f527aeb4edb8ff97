"""A text that rewrites one shown example a word apart is caught even when it is too short to be a copy."""

from syngen.generation.lifting import lifted_from

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
