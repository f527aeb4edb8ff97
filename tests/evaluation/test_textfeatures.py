import pytest

from syngen.evaluation.textfeatures import clean_text, readability, word_count


def test_clean_text_removes_markup():
    assert clean_text("Works.<br /><br />Tastes &#34;ok&#34;  ") == 'Works. Tastes "ok"'
    assert word_count(clean_text(" ")) == 0


def test_readability_of_easy_and_hard_text():
    easy = readability("The cat sat on the mat. It was fun.")
    hard = readability("Pharmacological bioavailability considerations necessitate comprehensive evaluation.")
    assert easy.reading_ease > 80 > hard.reading_ease
    assert easy.grade < hard.grade
    assert easy.rarity == 0.0
    assert hard.rarity == pytest.approx(1.0)
    assert readability("") is None
