"""Surface checks learned from a real text column: prompt fragments and sentence endings."""

import pandas as pd

from syngen.data.loader import Table
from syngen.generation.checks import ContentChecks, learn_content_checks
from syngen.profiling import profile_table
from syngen.profiling.model import ColumnKind
from syngen.profiling.textshape import (
    ends_sentence,
    learn_text_shape,
    repeated_clauses,
    repeated_phrase,
    sentence_ends,
    unclosed_bracket,
    word_forms,
)


def _own_words(row: int) -> str:
    """Four made-up words no other review uses: real reviews hold thousands of distinct words, and an everyday
    instruction word is foreign only to such a column."""
    return " ".join(f"w{chr(97 + i % 26)}{chr(97 + i // 26 % 26)}{chr(97 + i // 676)}x"
                    for i in range(4 * row, 4 * row + 4))


REVIEWS = pd.Series([f"Review number {i} says the {_own_words(i)} capsules work well. I would buy them again!"
                     for i in range(300)] + ["Short and sweet"] * 10)
COLUMNS = ["rating", "title", "review"]
INSTRUCTIONS = {"entry", "examples", "write", "json", "capsules"}


def test_markup_other_fields_and_instruction_words_are_fragments():
    shape = learn_text_shape(REVIEWS, "review", COLUMNS)
    assert shape.fragments("{{#1}} Works well.", INSTRUCTIONS) == ["#", "{", "}"]
    assert shape.fragments("Great stuff. Rating: 5", INSTRUCTIONS) != []
    assert "entry" in shape.fragments("This entry is a new one and so are all the", INSTRUCTIONS)
    # A word the real column itself uses is never a fragment, even if the prompt uses it too.
    assert shape.fragments("The capsules are fine, I would buy them again.", INSTRUCTIONS) == []


def test_an_instruction_word_in_another_form_is_a_fragment():
    """The prompt says "examples"; "This is a real example that I love" echoes it just as well."""
    frame = pd.DataFrame({"review": REVIEWS, "stars": ["5", "4"] * 155})
    profile = profile_table(Table(frame, "real.csv", "utf-8", ","), overrides={"review": ColumnKind.TEXT})
    checks = learn_content_checks(frame, profile, [], ["Like the real examples."])
    shape = checks.shapes["review"]
    assert shape.fragments("This is a real example that I love.", checks.instruction_words) == ["example"]
    assert word_forms("entries") >= {"entry"} and word_forms("entry") >= {"entries"}


def test_markup_tags_the_real_column_never_holds_are_fragments():
    texts = pd.Series([f"Pros:<br />Tastes good, day {i}.<br />Cons: none." for i in range(40)]
                      + [f"Works well, day {i}." for i in range(40)])
    shape = learn_text_shape(texts, "review", COLUMNS)
    assert shape.fragments("Tastes good.<br />Would buy again.") == []
    assert shape.fragments("Lets you live a healthy life...</strong> Eat well!") == ["</strong>"]
    assert shape.fragments("I <3 these, and 2 < 3 > 1.") == []  # not tags
    assert shape.fragments("Tastes good.</br />Would buy.<br>Again.") == ["</br/>", "<br>"]  # not the real form
    assert learn_text_shape(REVIEWS, "review", COLUMNS).fragments("Great.<br />Again.")[-1] == "<br/>"


def test_a_tag_the_real_texts_write_in_one_form_is_written_in_that_form():
    texts = pd.Series([f"Pros:<br />Tastes good, day {i}.<br />Cons: <b>none</b>." for i in range(40)]
                      + [f"Works well, day {i}." for i in range(40)])
    shape = learn_text_shape(texts, "review", COLUMNS)
    tidied = shape.tidy("Tastes good.</br>Would buy.<br>Again.<BR/>And <br />again.")
    assert tidied == "Tastes good.<br />Would buy.<br />Again.<br />And <br />again."
    assert shape.fragments(tidied) == []
    assert shape.tidy("It is </b>bold<b>.") == "It is </b>bold<b>."  # a paired tag has no one form
    assert shape.fragments(shape.tidy("Lets you live...</strong> Eat well!")) == ["</strong>"]  # a foreign tag stays
    assert learn_text_shape(REVIEWS, "review", COLUMNS).tidy("Great.<br>Again.") == "Great.<br>Again."


def test_a_code_is_a_fragment_unless_real_texts_hold_codes():
    shape = learn_text_shape(REVIEWS, "review", COLUMNS)
    assert shape.fragments("Five Stars (B07XK7N5D4Y6913) for me.") == ["B07XK7N5D4Y6913"]
    assert shape.fragments("I take B12, 500mg of CoQ10 and 5000IU of D3 a day.") == []  # units and names
    assert shape.fragments("Great product (B37251689)") == ["B37251689"]  # a letter and a long number
    assert shape.fragments("Bought 25000 in 2019, 10000IU a day.") == []  # numbers and units are not codes
    tickets = pd.Series([f"Order {i}A7K3Q9 arrived late, refund please." for i in range(100, 160)])
    assert learn_text_shape(tickets, "note", ["note"]).fragments("Order 77B2X9Z4 is missing.") == []


def test_a_date_is_a_fragment_unless_real_texts_hold_dates():
    """The README quick start titled a 1-star review "One Star, 2017-05-18": its row's date column's format."""
    shape = learn_text_shape(REVIEWS, "review", COLUMNS)
    assert shape.fragments("One Star, 2017-05-18") == ["2017-05-18"]
    assert shape.fragments("Bought it 18.05.2017, took it for 2 weeks.") == ["18.05.2017"]
    assert shape.fragments("Took 2-3 a day for 10.5 weeks, since 18.5. and 2017.") == []  # no dated stamp
    diaries = pd.Series([f"Started on 2021-03-{i % 28 + 1:02d}, day {i} going well." for i in range(80)])
    assert learn_text_shape(diaries, "note", ["note"]).fragments("Since 2022-01-05 it works.") == []


def test_words_are_judged_only_on_a_large_column():
    small = learn_text_shape(REVIEWS.iloc[:100], "review", COLUMNS)
    assert small.fragments("This entry is new.", INSTRUCTIONS) == []
    assert small.fragments("{entry}", INSTRUCTIONS) == ["{", "}"]


def test_a_column_that_uses_braces_and_hashtags_keeps_them():
    tweets = pd.Series([f"@airline flight {i} was late #fail {{again}}" for i in range(50)])
    shape = learn_text_shape(tweets, "tweet", ["tweet", "airline"])
    assert shape.fragments("@airline lost my bag #fail {again}", set()) == []
    assert shape.fragments("airline: United", set()) != []  # another column's name with a colon still is


def test_a_few_real_texts_judge_only_template_markup_none_of_them_holds():
    few = pd.Series(["Works well for me.", "Tastes awful, 2/10.", "Best #1 buy for $20!"] * 4)
    shape = learn_text_shape(few, "review", ["rating", "review"])
    assert shape.fragments("Ten Stars, 5.9/10 (on a scale of 1-5)'} So good.") == ["}"]
    assert shape.fragments("rating: 1. Bad.") != []  # another column's name with a colon
    # Everyday marks none of them holds are not foreign on so few texts: a new review may say "50% off" or "@home".
    assert shape.fragments('My "go-to" at 50% off @home, #2 for me, a 5/5 *must*.') == []
    braced = learn_text_shape(pd.Series(["{x} works"] * 5), "t", ["t"])
    assert braced.fragments("{y} works") == []  # markup the column holds stays its own
    assert learn_text_shape(pd.Series(["", " "]), "t", ["t"]).fragments("{{#1}}") == []  # no texts: nothing judged


def test_instruction_pairs_of_words_a_small_table_never_uses_are_fragments():
    reviews = [f"{start} {i} days in, {end}." for i in range(7)
               for start, end in (("Great taste", "it works well"), ("Awful", "it made me ill"))]
    frame = pd.DataFrame({"rating": ["5", "1"] * 7, "review": reviews})
    profile = profile_table(Table(frame, "few.csv", "utf-8", ","), overrides={"review": ColumnKind.TEXT})
    checks = learn_content_checks(frame, profile, [], ["Write new entries like the real examples."])
    shape = checks.shapes["review"]
    assert shape.fragments("The real example is amazing!", checks.instruction_words, checks.instruction_pairs)
    assert not shape.fragments("Great taste, works for me.", checks.instruction_words, checks.instruction_pairs)


def test_sentence_endings():
    assert ends_sentence("It works.") and ends_sentence("Love it!!") and ends_sentence('He said "yes."')
    assert ends_sentence("Great product 👍")  # an emoji ends a post as a full stop does
    assert not ends_sentence("Demonstrate how a well-balanced diet can make")
    assert sentence_ends("Works well. Then it stopped and") == [len("Works well.")]
    assert sentence_ends("Works well. Then it stopped!") == [11, 28]
    assert sentence_ends("Great 👍") == [7] and sentence_ends("no end at all") == []


def test_whole_share_tells_titles_from_texts():
    assert learn_text_shape(REVIEWS, "review", COLUMNS).must_end_whole
    titles = pd.Series(["Five Stars", "Great", "Works well", "Not for me"] * 10)
    assert not learn_text_shape(titles, "title", COLUMNS).must_end_whole


def test_a_phrase_may_stop_on_a_word_several_real_titles_end_on():
    titles = pd.Series(["Five Stars", "Great product", "Works for me", "Love it", "Love it!", "Not for me", "Meh",
                        "Good and cheap"] * 10 + ["Great for the", "It has a strange taste and"])
    shape = learn_text_shape(titles, "title", COLUMNS)
    assert {"stars", "product", "me", "it", "meh", "cheap"} <= shape.final_words
    assert not {"the", "and", "for", "good"} & shape.final_words  # ending one title, or none
    assert {"and", "good", "great"} <= shape.open_words and not {"cheap", "the"} & shape.open_words  # "the": 1 title


def test_a_phrase_is_pushed_to_close_only_after_a_word_that_often_ends_real_phrases():
    titles = pd.Series(["Love it", "Works for me", "It just didn't feel right", "Made me feel sick."] * 10
                       + ["Nothing to feel", "Hard to feel"]
                       + [f"I feel better, feel stronger and feel calm, day {i}" for i in range(20)])
    shape = learn_text_shape(titles, "title", COLUMNS)
    assert "feel" in shape.final_words  # ends two titles: not a cut one
    assert "feel" not in shape.closing_words and {"it", "me", "sick"} <= shape.closing_words


def test_a_text_may_end_without_a_full_stop_but_not_on_a_word_real_texts_never_end_on():
    texts = pd.Series([f"The capsules arrived on day {i} and they work for me" for i in range(40)]
                      + [f"Good value for the price, day {i}." for i in range(40)])
    shape = learn_text_shape(texts, "review", COLUMNS)
    assert "the" in shape.dangling and "and" in shape.dangling and "me" not in shape.dangling
    assert shape.ends_openly("They work well for me")
    assert not shape.ends_openly("They work well for the") and not shape.ends_openly("They work well,")


def test_a_word_that_ends_a_few_real_texts_still_marks_a_cut_one():
    """Real columns hold a few cut texts: "the" ending 1 of 150 texts that use it is still a dangling word."""
    texts = pd.Series([f"The capsules from day {i} work for me" for i in range(149)] + ["It arrived and the"])
    shape = learn_text_shape(texts, "title", COLUMNS)
    assert "the" in shape.dangling and "me" not in shape.dangling


def test_english_function_words_end_no_phrase_even_where_the_table_seldom_uses_them():
    """Package summaries: noun phrases with few function words. "... and can be" is still cut; "to go with" is
    whole where a real summary ends on "with"; a table in another language knows no English words."""
    summaries = pd.Series([f"Library {i} for the parsing of data files" for i in range(60)]
                          + [f"Bindings {i} to the compression library" for i in range(60)] + ["Cheese to go with"])
    shape = learn_text_shape(summaries, "summary", COLUMNS)
    assert not shape.ends_openly("A game of mystery and can be") and not shape.ends_openly("Helps users who have")
    assert shape.ends_openly("Salad to go with") and shape.ends_openly("Bindings for the parser")
    german = pd.Series([f"Bibliothek {i} zum Lesen der Daten" for i in range(120)])
    assert learn_text_shape(german, "summary", COLUMNS).ends_openly("Ein Spiel mit can be")


def test_a_final_full_stop_is_dropped_where_real_texts_never_end_on_one():
    titles = pd.Series([f"Great product number {i}" for i in range(150)] + ["Works well!", "Meh..."] * 5)
    shape = learn_text_shape(titles, "title", COLUMNS)
    assert shape.without_full_stop("Great product.") == "Great product"
    assert shape.without_full_stop("Great product...") == "Great product..."  # an ellipsis is judged as trailing off
    summaries = pd.Series([f"Library number {i} for parsing." for i in range(150)])
    assert learn_text_shape(summaries, "summary", COLUMNS).without_full_stop("Works well.") == "Works well."


def test_a_clause_said_twice_is_foreign_where_real_texts_never_repeat_one():
    shape = learn_text_shape(REVIEWS, "review", COLUMNS)
    assert shape.repeats("Good product! Great product! Good product!") == ["good product"]
    assert shape.repeats("Good, good. Works well, I would buy it again.") == []  # one word twice is emphasis
    assert repeated_clauses("Works well.<br />works WELL") == ["works well"]


def test_a_phrase_said_again_a_few_words_on_is_foreign_where_real_texts_never_do_so():
    shape = learn_text_shape(REVIEWS, "review", COLUMNS)
    text = "Good price, good product at a great price. Great product at a great price. Recommended."
    assert repeated_phrase(text) == "product at a great" and "product at a great" in shape.repeats(text)
    assert shape.repeats("I have been taking it daily and I have been sleeping well.") == []  # "i have been": 3 words
    chorus = pd.Series([f"Day {i}: we sing all night long, we sing all night long with you" for i in range(200)])
    assert learn_text_shape(chorus, "lyrics", COLUMNS).repeats(text) == []


def test_a_column_whose_real_texts_repeat_a_line_may_repeat_one():
    chorus = pd.Series([f"Verse {i} goes here. Oh my love, oh my love!" for i in range(60)])
    assert learn_text_shape(chorus, "lyrics", ["lyrics"]).repeats("Hold me close, oh my love, oh my love.") == []


def test_where_a_bracket_is_left_open():
    assert unclosed_bracket("Good (really) and [cheap]") is None
    assert unclosed_bracket("On average (1.") == 11
    assert unclosed_bracket("Great (not (sure)") == 6  # the first one left open
    assert unclosed_bracket("Meh :( it broke") is None  # a frown opens nothing
    assert unclosed_bracket("Fine :) thanks") is None


def test_the_symbols_every_real_text_opens_and_closes_with_are_its_format():
    signatures = pd.Series([f"(path, mode={i}, *, follow=True)" for i in range(200)] + ["(x) -> int"])
    shape = learn_text_shape(signatures, "signature", ["signature"])
    assert (shape.opener, shape.closer) == ("(", ")")
    assert shape.formatted("(a, b=None)") and not shape.formatted("a, b=None") and not shape.formatted("(a, b")
    lists = pd.Series([f"['salt', 'pepper {i}', 'oil']" for i in range(100)])
    assert (learn_text_shape(lists, "ingredients", ["ingredients"]).opener,
            learn_text_shape(lists, "ingredients", ["ingredients"]).closer) == ("['", "']")
    shape = learn_text_shape(REVIEWS, "review", COLUMNS)
    assert (shape.opener, shape.closer) == ("", "") and shape.formatted("Works well.")


def test_a_column_of_sentences_keeps_no_wrapper_even_where_all_real_ones_share_one():
    """Bulleted sentences all open with "- "; the model may write them without: their ends are the sentence's."""
    from syngen.generation.checks import ContentChecks

    bullets = pd.Series([f"- The capsules number {i} arrived on time and work well." for i in range(300)])
    shape = learn_text_shape(bullets, "note", ["note"])
    assert shape.opener == "-" and shape.must_end_whole
    checks = ContentChecks({"note": shape})
    assert checks.wrappers() == {}
    checks.formatted("note", "The capsules work well.")  # no wrong_format


def test_titles_that_all_end_on_an_aside_keep_no_wrapper_and_a_cut_one_loses_the_aside_whole():
    """Wine titles all close with ")", the end of "(region)", not of a wrapper: held as one, a title cut at its
    bound lost its aside and got the ")" back ("Ponzi 2008)"), which the stray-bracket check then rejected."""
    titles = pd.Series([f"Winery {i} 20{i % 10:02d} Pinot Noir (Willamette Valley)" for i in range(60)])
    shape = learn_text_shape(titles, "title", ["title", "winery"])
    assert (shape.opener, shape.closer) == ("", "")
    checks = ContentChecks({"title": shape}, [], frozenset(), frozenset())
    assert checks.wrappers() == {}
    kept = checks.whole("title", "Ponzi 2008 Estate Pinot Noir (Willamette Valley)", 40, cut=False)
    assert kept == "Ponzi 2008 Estate Pinot Noir (Willamette Valley)" and not shape.fragments(kept)
    cut = checks.whole("title", "Ponzi 2008 Estate Pinot Noir (Willamette", 40, cut=True)
    assert ")" not in cut and not shape.fragments(cut)


NOTES = pd.Series([f"* Fix bug {i} in the parser.\n* Update the docs." for i in range(40)]
                  + [f"Rewrite module {i}.\n\nIts old tests were dropped." for i in range(10)])


def test_line_breaks_and_blank_lines_stay_only_where_real_texts_have_them():
    notes = learn_text_shape(NOTES, "notes", ["notes"])
    assert (notes.line_breaks, notes.blank_lines) == (True, True)
    assert notes.tidy("  * Fix  it.\n\n\n\n* Test   it.\n") == "* Fix it.\n\n* Test it."
    bullets = learn_text_shape(NOTES[:40], "notes", ["notes"])
    assert bullets.tidy("* Fix it.\n\n* Test it.") == "* Fix it.\n* Test it."
    reviews = learn_text_shape(REVIEWS, "review", COLUMNS)
    assert reviews.tidy("Works well.\nWould buy again.") == "Works well. Would buy again."


def test_marks_alternating_full_stops_with_exclamations_are_cut_to_their_first_where_real_texts_never_hold_them():
    """SmolLM2 wrote the title "My son loves it!!!!!!!.!.!.!.!"; emphasis and an ellipsis stay."""
    reviews = learn_text_shape(REVIEWS, "review", COLUMNS)
    assert reviews.tidy("My son loves it!!!!!!!.!.!.!.!") == "My son loves it!!!!!!!"
    assert reviews.tidy("Wow!!! Works... Really?!") == "Wow!!! Works... Really?!"
    playful = learn_text_shape(pd.Series(["Great!.!.!", "Fine?.?"] * 20 + ["Ok"] * 20), "title", ["title"])
    assert playful.tidy("Love it!.!.!") == "Love it!.!.!"  # a column whose writers do so keeps them


def test_a_phrase_cut_back_by_words_keeps_its_line_breaks():
    items = pd.Series([f"* Fix bug {i} in the parser\n* Update the docs" for i in range(40)])
    checks = ContentChecks({"items": learn_text_shape(items, "items", ["items"])}, [], frozenset(), frozenset())
    cut = checks.whole("items", "* Fix the parser\n* Update the docs for the", 40, cut=True)
    assert cut == "* Fix the parser\n* Update the docs"


def test_template_markers_are_fragments_where_the_column_uses_braces_but_never_markers():
    texts = pd.Series([f"Add ${{misc:Depends}} to package {i}." for i in range(30)] + ["Fix the build."] * 30)
    shape = learn_text_shape(texts, "changes", ["changes"])
    assert "{" not in shape.rare_chars
    assert shape.fragments("Release {{ version }} now.") == ["{{", "}}"]
    assert shape.fragments("Release {% if x %} now.") == ["%}", "{%"]
    assert shape.fragments("Add ${shlibs:Depends} too.") == []


def test_a_bracket_closed_without_being_opened_is_a_fragment_where_real_texts_never_do_so():
    texts = pd.Series([f"Add ${{misc:Depends}} (closes: #{i}) to it :)" for i in range(30)]
                      + ["1) Fix it. 2) Test it."] * 30)
    shape = learn_text_shape(texts, "changes", ["changes"])
    assert shape.fragments("Upload to unstable} now.") == ["}"]
    assert shape.fragments("Works (mostly) :) and 1) fine a) done") == []
    signatures = learn_text_shape(pd.Series(["a, b)"] * 30), "signature", ["signature"])
    assert signatures.fragments("x, y)") == []  # a column whose real texts do so keeps them


def test_a_wrapped_text_closing_its_bracket_early_is_cut_there():
    signatures = pd.Series([f"(a, b{i}, c=())" for i in range(15)] + [f"(a, b{i})" for i in range(15)])
    shape = learn_text_shape(signatures, "signature", ["signature"])
    assert shape.closed_early("(path) raises a type)") == "(path)"
    assert shape.closed_early("(other=(), **kw)") == "(other=(), **kw)"
    lists = learn_text_shape(pd.Series([f"['step {i}', 'done']" for i in range(30)]), "steps", ["steps"])
    assert lists.closed_early("['mix', 'bake'] and ['serve']") == "['mix', 'bake']"
