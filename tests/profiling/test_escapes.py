"""A column's HTML entities learned from its real texts: characters it always escapes are escaped, entities it
never uses are written as characters, and an "&" that starts none of its entities is found."""

from syngen.profiling.escapes import learn_escapes

REVIEWS = ["I couldn&#039;t sleep at all.", "It&#039;s fine &amp; cheap.", "Works well for me."] * 40


def test_a_character_the_real_texts_always_escape_is_escaped_and_an_unknown_entity_unescaped():
    escapes = learn_escapes(REVIEWS)
    assert escapes.escaped == {"'": "&#039;", "&": "&amp;"}
    assert escapes.apply("I can't say &quot;no&quot; & it&#039;s ok") == 'I can&#039;t say "no" &amp; it&#039;s ok'


def test_an_ampersand_starting_no_entity_of_the_column_is_stray():
    escapes = learn_escapes(REVIEWS)
    assert escapes.stray("I couldn&#039%;t") == "&#039%;t"
    assert escapes.stray("It&#039;s &amp; more") is None


def test_a_column_without_entities_or_with_bare_ampersands_is_left_as_it_is():
    assert learn_escapes(["It's plain & simple."] * 100) is None
    mixed = learn_escapes(["Tom & Jerry, isn&#039;t it"] * 50)
    assert mixed.escaped == {"'": "&#039;"} and mixed.stray("Rock & roll") is None
    rare = learn_escapes(["It's fine."] * 199 + ["It&#039;s odd."])  # one text in 200: not the column's way
    assert rare is None
