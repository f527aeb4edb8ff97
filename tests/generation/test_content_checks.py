"""The content checks inside the row maker, with a scripted backend: label mismatches, prompt fragments and
cut texts are rejected and asked again; best of K keeps the candidate that supports the row's label most."""

import json

import numpy as np
import pandas as pd
import pytest

from syngen.data.loader import load_table
from syngen.generation.checks import learn_content_checks
from syngen.generation.config import GenerationConfig
from syngen.generation.session import prepare_session
from syngen.profiling import profile_table
from tests.fakes import ScriptedBackend

GOOD = ["love it", "works great", "excellent value", "really happy", "best purchase", "great taste"]
BAD = ["broke quickly", "awful taste", "waste of money", "very disappointed", "made me sick", "terrible quality"]
FILLER = ["the bottle came on time", "i take it in the morning", "my sister uses it too", "bought it last month"]
WORDS = ["capsule", "morning", "kitchen", "doctor", "garden", "winter", "coffee", "travel", "office", "weekend",
         "evening", "yoga", "breakfast", "energy", "sleep", "joints", "powder", "smoothie", "label", "pharmacy"]
SUPPORTS = {"positive": "I take it daily and it is excellent value, love it, works great.",
            "negative": "I take it daily and it is awful taste, a waste of money, very disappointed."}


def _reviews(folder, seed: int, closing, own_words: int = 0):
    """120 labelled reviews: an opening (with `own_words` words of its own), the label's phrase, then
    `closing(rng)` as a second sentence."""
    rng = np.random.default_rng(seed)
    labels = rng.choice(["positive", "negative"], size=120)
    texts = [f"{', '.join([*rng.choice(WORDS, own_words, replace=False), rng.choice(FILLER)]).capitalize()} and it "
             f"is {rng.choice(GOOD if label == 'positive' else BAD)}. {closing(rng)}." for label in labels]
    path = folder / "labelled.csv"
    pd.DataFrame({"label": labels, "review": texts}).to_csv(path, index=False)
    return path


@pytest.fixture(scope="module")
def labelled_csv(tmp_path_factory):
    return _reviews(tmp_path_factory.mktemp("tables"), 1, lambda rng: rng.choice(FILLER).capitalize())


@pytest.fixture(scope="module")
def distinct_csv(tmp_path_factory):
    """labelled_csv's texts, each opening and closing on words of its own: no two are copies, nor share a
    sentence, as real reviews do not (labelled_csv's are canned: most of its texts copy another, so only exact
    copies count there)."""
    return _reviews(tmp_path_factory.mktemp("tables"), 2,
                    lambda rng: " ".join(rng.choice(WORDS, 4, replace=False)).capitalize(), own_words=1)


def _maker(path, answers, **extra):
    config = GenerationConfig(data=str(path), num_samples=4, seed=5, **extra)
    backend = ScriptedBackend(answers)
    session = prepare_session(config, backend=backend)
    return session.maker, backend


def _label_of(request) -> str:
    return "positive" if "label: positive" in request.messages[1]["content"].split("This entry:")[-1] else "negative"


def _opposite(label: str) -> str:
    return "negative" if label == "positive" else "positive"


def test_a_text_that_contradicts_its_label_is_rejected_and_asked_again(labelled_csv):
    def contradict_first(request, index):
        wrong = "rejected" not in request.messages[-1]["content"]  # first attempt: no feedback yet
        label = _label_of(request)
        return json.dumps({"review": SUPPORTS[_opposite(label) if wrong else label]})

    maker, backend = _maker(labelled_csv, contradict_first)
    outcomes = maker.make_many(range(4))
    assert all(o.row is not None for o in outcomes)
    assert all(o.reasons == ["label_mismatch:label"] for o in outcomes)
    for outcome in outcomes:
        assert outcome.row["review"] == SUPPORTS[outcome.row["label"]]
    feedback = backend.requests[-1].messages[-1]["content"]
    assert "label = " in feedback and "rejected" in feedback


def test_prompt_fragments_are_rejected(labelled_csv):
    def fragment_first(request, index):
        text = SUPPORTS[_label_of(request)]
        first = "rejected" not in request.messages[-1]["content"]
        return json.dumps({"review": ("{{#1}} " + text) if first else text})

    maker, _ = _maker(labelled_csv, fragment_first)
    outcomes = maker.make_many(range(3))
    assert [o.reasons for o in outcomes] == [["prompt_fragment"]] * 3
    assert all("{" not in o.row["review"] for o in outcomes)


def test_two_instruction_words_in_a_row_are_a_fragment_where_real_texts_never_pair_them():
    from syngen.data.loader import Table
    from syngen.generation.checks import learn_content_checks
    from syngen.profiling import profile_table
    from syngen.prompts import templates

    # Package summaries: "real" and "example" are words of the table (each in 1 of 30), "a real example" is not.
    things = ["parser", "client", "tool", "queue"]
    summaries = [f"{'An example' if i % 30 == 0 else 'A'} {'real' if i % 30 == 15 else 'small'} {things[i % 4]} {i}"
                 for i in range(360)]
    table = Table(frame=pd.DataFrame({"summary": summaries}), source="packages.csv", encoding="utf-8", delimiter=",")
    checks = learn_content_checks(table.frame, profile_table(table), [], templates.instruction_texts())
    found = checks.shapes["summary"].fragments("A real example of a parser", checks.instruction_words,
                                               checks.instruction_pairs)
    assert found == ["real example"]
    assert checks.shapes["summary"].fragments("One example of a real client", checks.instruction_words,
                                              checks.instruction_pairs) == []
    assert ("like", "the") not in checks.instruction_pairs  # short words pair in any text


def test_three_instruction_words_in_a_row_are_a_fragment_though_two_of_them_are_everyday_words():
    from syngen.data.loader import Table
    from syngen.generation.checks import learn_content_checks
    from syngen.profiling import profile_table
    from syngen.prompts import templates

    # Hotel complaints: "on a" and "a scale" are no fragment alone; "on a scale" (the prompt's rating scale) is.
    rooms = ["room", "bed", "shower", "lift"]
    complaints = [f"The {rooms[i % 4]} was {'on a' if i % 3 else 'a'} bit small {i}" if i % 40 else
                  f"A scale of the {rooms[i % 4]} was wrong" for i in range(200)]
    table = Table(frame=pd.DataFrame({"complaint": complaints}), source="stays.csv", encoding="utf-8", delimiter=",")
    checks = learn_content_checks(table.frame, profile_table(table), [], templates.instruction_texts())
    shape = checks.shapes["complaint"]
    assert shape.fragments("N A 2 (on a scale", checks.instruction_words, checks.instruction_pairs) == ["on a scale"]
    assert shape.fragments("The lift was on a bit slow", checks.instruction_words, checks.instruction_pairs) == []


def test_the_prompts_length_target_echoed_in_a_short_text_is_a_fragment():
    from syngen.data.loader import Table
    from syngen.generation.checks import learn_content_checks
    from syngen.profiling import profile_table
    from syngen.prompts import templates

    # Short posts never say "words"; the model echoed the prompt's 'Write "post" (about 15 words)' after one.
    openings = ["Great taste", "Five Stars", "Not for me", "Love these gummies", "Too sweet", "Works well"]
    posts = [f"{openings[i % 6]} {_own_words(i, 4)} #{['health', 'keto', 'sleep'][i % 3]} {i}" for i in range(300)]
    table = Table(frame=pd.DataFrame({"post": posts}), source="posts.csv", encoding="utf-8", delimiter=",")
    checks = learn_content_checks(table.frame, profile_table(table), [], templates.instruction_texts())
    shape = checks.shapes["post"]
    assert templates.length_target(15) == "about 15 words"  # what the prompt says, and what the check learns
    assert shape.fragments("Five Stars (15 words)", checks.instruction_words, checks.instruction_pairs) == ["words"]
    assert shape.fragments("Five Stars #keto", checks.instruction_words, checks.instruction_pairs) == []


def test_a_cut_text_is_trimmed_to_its_last_sentence_or_rejected(labelled_csv):
    def cut(request, index):
        text = SUPPORTS[_label_of(request)]
        return json.dumps({"review": text + " Then I also tried the" if index % 2 == 0 else "Then I also tried it and"})

    maker, _ = _maker(labelled_csv, cut)
    first = maker.make(0)
    assert first.row["review"].endswith(".") and not first.row["review"].endswith("the")
    second = maker.make(1)  # index 1: nothing whole is left, rejected; index 2: trimmed
    assert second.reasons == ["cut_text"] and second.row["review"].endswith(".")


def test_best_of_k_keeps_the_candidate_that_supports_the_label_most(labelled_csv):
    def three_kinds(request, index):
        label = _label_of(request)
        texts = [SUPPORTS[_opposite(label)], f"{FILLER[0].capitalize()} and it is fine.", SUPPORTS[label]]
        return json.dumps({"review": texts[index % 3]})

    maker, backend = _maker(labelled_csv, three_kinds, candidates=3)
    outcome = maker.make(0)
    assert outcome.row["review"] == SUPPORTS[outcome.row["label"]]
    assert len(backend.requests) == 3 and len({r.seed for r in backend.requests}) == 3
    assert outcome.tokens_out == sum(max(1, len(json.dumps({"review": t})) // 4) for t in [
        SUPPORTS[_opposite(outcome.row["label"])], f"{FILLER[0].capitalize()} and it is fine.",
        SUPPORTS[outcome.row["label"]]])


def test_examples_share_the_rows_label(labelled_csv):
    maker, backend = _maker(labelled_csv, lambda request, index: json.dumps({"review": SUPPORTS[_label_of(request)]}))
    maker.make_many(range(8))
    for request in backend.requests:
        label = _label_of(request)
        shown = [json.loads(line) for line in request.messages[1]["content"].splitlines() if line.startswith("{")]
        assert len(shown) == 3 and all(example["label"] == label for example in shown)


def test_a_long_whole_text_is_trimmed_to_the_sentence_end_nearest_its_target(labelled_csv):
    def long_answer(request, index):
        sentences = [SUPPORTS[_label_of(request)]] + [f"Sentence {i} adds more about the bottle." for i in range(12)]
        return json.dumps({"review": " ".join(sentences)})

    maker, backend = _maker(labelled_csv, long_answer)
    outcome = maker.make(0)
    target = maker.planner.skeleton(0).text_targets["review"]
    assert outcome.row["review"].endswith(".") and abs(len(outcome.row["review"].split()) - target) <= 8


def test_the_engine_counts_mismatches_in_the_sidecar_and_still_delivers_n_rows(labelled_csv, tmp_path):
    from syngen.generation.engine import run_generation

    def contradict_first(request, index):
        label = _label_of(request)
        text = SUPPORTS[_opposite(label) if "rejected" not in request.messages[-1]["content"] else label]
        # One sentence (nothing trimmed off), different enough from every other (no near duplicates).
        letters = np.random.default_rng(index).choice(list("bcdfghjklmnpqrstvwxz"), size=40)
        extra = " ".join("".join(letters[i:i + 5]) for i in range(0, 40, 5))  # words the classifier never saw
        return json.dumps({"review": f"{text[:-1]} and {extra}."})

    config = GenerationConfig(data=str(labelled_csv), num_samples=5, seed=5, out=str(tmp_path / "o.csv"))
    session = prepare_session(config, backend=ScriptedBackend(contradict_first))
    result = run_generation(config, session=session)
    assert len(result.rows) == 5 and result.sidecar["rejections"] == {"label_mismatch:label": 5}
    assert [c["label"] for c in result.sidecar["label_checks"] if c["checked"]] == ["label"]


def test_a_title_cut_by_its_bound_ends_on_a_word_real_titles_end_on():
    from syngen.generation.checks import ContentChecks
    from syngen.profiling.textshape import learn_text_shape

    titles = pd.Series([f"One of the best, number {i}" for i in range(30)] + ["Good stuff"] * 30 + ["A good one"] * 20)
    checks = ContentChecks({"title": learn_text_shape(titles, "title", ["title"])})
    assert checks.whole("title", "One of the bes", 10, cut=True) == "One"
    assert checks.whole("title", "Works for me", 10, cut=False) == "Works for me"
    assert checks.whole("title", "Awesome! That's a 1", 10, cut=True) == "Awesome!"


def test_a_title_its_writer_closed_loses_only_a_common_word_no_title_ends_on():
    """The demo's "quality" is in 15 of its texts and ends none: "Great product, good quality" was cut back to
    "Great product, good". A common word real titles never end on still goes ("The best vitamin for the")."""
    from syngen.generation.checks import ContentChecks
    from syngen.profiling.textshape import learn_text_shape

    titles = pd.Series([f"The best pill for the day {i}" for i in range(400)]
                    + [f"Good quality tea {i}" for i in range(12)])
    shape = learn_text_shape(titles, "title", ["title"])
    assert {"quality", "the"} <= shape.dangling and "quality" not in shape.common_dangling()
    checks = ContentChecks({"title": shape})
    assert checks.whole("title", "Great product, good quality", 20, cut=False) == "Great product, good quality"
    assert checks.whole("title", "The best vitamin for the", 20, cut=False) == "The best vitamin"


def test_a_title_its_writer_ended_on_a_lone_small_letter_is_trimmed_as_a_cut_one():
    """SmolLM2 closed the title "The best way to get your o" itself; "Vitamin D" ends real titles."""
    from syngen.generation.checks import ContentChecks
    from syngen.profiling.textshape import learn_text_shape

    titles = pd.Series([f"The best way to start day {i}, for me" for i in range(300)] + ["Great Vitamin D"] * 20
                       + ["Works for me", "Good stuff"] * 9)
    checks = ContentChecks({"title": learn_text_shape(titles, "title", ["title"])})
    assert checks.whole("title", "Good stuff for me, your o", 20, cut=False) == "Good stuff for me"
    for whole in ("My Vitamin D", "Best vitamin d", "Plan B"):
        assert checks.whole("title", whole, 20, cut=False) == whole


def test_a_title_cut_by_its_bound_goes_back_to_where_the_tables_phrases_stop():
    from syngen.generation.checks import ContentChecks, Rejected
    from syngen.profiling.textshape import learn_text_shape

    titles = pd.Series(["Good collagen, bit pricey", "Good collagen", "Vitamin D3 works", "Fine. Love it",
                        "Worth it", "Worth it for sure", "Northfield Naturals has a fine mix"] * 20)
    checks = ContentChecks({"title": learn_text_shape(titles, "title", ["title"])})
    assert checks.whole("title", "Good collagen, bit pri", 20, cut=True) == "Good collagen"
    assert checks.whole("title", "Worth it, good collagen, very", 20, cut=True) == "Worth it, good collagen"
    assert checks.whole("title", "Love the D3, has a", 20, cut=True) == "Love the D3"  # a code may end it
    # The clause the bound broke goes whole, back to the clauses its writer ended ("Sooo good, I just squirt").
    assert checks.whole("title", "Worth it, Turmerix has", 20, cut=True) == "Worth it"
    assert checks.whole("title", "Good collagen, I just squirt a", 20, cut=True) == "Good collagen"
    assert checks.whole("title", "Good collagen - I just squirt a", 20, cut=True) == "Good collagen"
    assert checks.whole("title", "Good collagen, it", 20, cut=True) == "Good collagen"  # a clause just begun
    assert checks.whole("title", "Worth it, it", 20, cut=False) == "Worth it, it"  # closed by its writer
    assert checks.whole("title", "Good collagen, very", 20, cut=False) == "Good collagen, very"  # closed by its writer
    with pytest.raises(Rejected, match="mid-phrase"):
        checks.whole("title", "Northfield Naturals very", 20, cut=True)


def test_a_phrase_loses_the_full_stop_real_ones_never_end_on_even_where_the_bound_cut_it_back_to_one():
    from syngen.generation.checks import ContentChecks
    from syngen.profiling.textshape import learn_text_shape

    summaries = pd.Series([f"Library {i} for parsing data files" for i in range(100)]
                          + ["Network tools", "Network tools for shells"] * 25)
    checks = ContentChecks({"summary": learn_text_shape(summaries, "summary", ["summary"])})
    assert checks.whole("summary", "Network tools for files.", 20, cut=False) == "Network tools for files"
    assert checks.whole("summary", "Network tools. A shell that runs on top of a", 20, cut=True) == "Network tools"
    assert checks.whole("summary", "Tools for data!", 20, cut=False) == "Tools for data!"


def test_a_title_ending_near_its_bound_on_a_word_no_real_text_uses_was_cut_there():
    from syngen.generation.checks import ContentChecks
    from syngen.profiling.textshape import learn_text_shape

    titles = pd.Series(["Great for energy", "Good for energy", "No jitters", "Works without the jitters",
                        "My pick"] * 60)
    checks = ContentChecks({"title": learn_text_shape(titles, "title", ["title"])})
    assert checks.broken_at_bound("title", "Great for energy without the jit", 34)
    assert not checks.broken_at_bound("title", "Great for energy without the jitters", 38)  # a word of the table
    assert not checks.broken_at_bound("title", "Great for energy without the jit", 60)  # far from its bound
    assert checks.whole("title", "Great for energy without the jit", 20, cut=True) == "Great for energy"
    assert checks.whole("title", "Works without jitters", 20, cut=True) == "Works without jitters"  # finished
    assert checks.whole("title", "My pick for 4", 20, cut=True) == "My pick"  # a number at the bound is broken
    assert checks.whole("title", "My pick, no jitters-", 20, cut=True) == "My pick"  # so is a hyphenated word


def test_a_text_trailing_off_where_real_ones_never_do_counts_as_cut():
    from syngen.generation.checks import ContentChecks, Rejected
    from syngen.profiling.textshape import learn_text_shape

    titles = pd.Series(["Great price", "Good stuff", "Works for me", "A good one for kids"] * 20)
    reviews = pd.Series([f"It works well for me. I sleep better, number {i}." for i in range(80)])
    checks = ContentChecks({"title": learn_text_shape(titles, "title", ["title"]),
                            "review": learn_text_shape(reviews, "review", ["review"])})
    assert checks.whole("title", "Great price for a...", 20, cut=False) == "Great price"
    assert checks.whole("title", "Good turmeric, no…", 20, cut=False) == "Good turmeric"
    trailing_text = "Excellent iron pill. Ferritin from 12 to ..."
    assert checks.whole("review", trailing_text, 30, cut=False) == "Excellent iron pill."
    with pytest.raises(Rejected, match="mid-sentence"):
        checks.whole("review", "Ferritin went from 12 to ...", 30, cut=False)
    trailing = pd.Series(["Great price", "Great price for it", "Good stuff", "Works for me", "Not sure yet..."] * 20)
    kept = ContentChecks({"title": learn_text_shape(trailing, "title", ["title"])})
    assert kept.whole("title", "Great price for a...", 20, cut=False) == "Great price for a..."  # real ones do


def test_a_full_stop_after_a_word_no_real_sentence_ends_on_ends_no_sentence():
    """SmolLM2 wrote "Good, but taking it with food can be.": its thought broke off and it put a full stop there."""
    from syngen.generation.checks import ContentChecks, Rejected
    from syngen.profiling.textshape import learn_text_shape

    reviews = pd.Series([f"It works well for me and the taste is fine, number {i}. I will buy it again."
                         for i in range(60)] + ["It can be taken with food. I take it as I used to."] * 20)
    checks = ContentChecks({"review": learn_text_shape(reviews, "review", ["review"])})
    assert checks.whole("review", "It works for me. Good, but taking it with food can be.", 20, cut=False) == (
        "It works for me.")
    with pytest.raises(Rejected, match="mid-sentence"):
        checks.whole("review", "Good, but taking it with food can be.", 30, cut=False)
    # Real sentences end on "to" ("as I used to."), and "well-being" ends on a whole word, not on "be"/"being".
    for whole in ("Good, and I take it as my doctor told me to.", "Good for my energy and my well-being."):
        assert checks.whole("review", whole, 30, cut=False) == whole


def test_a_bracket_left_open_where_real_texts_close_theirs_is_no_end():
    from syngen.generation.checks import ContentChecks, Rejected
    from syngen.profiling.textshape import learn_text_shape

    reviews = pd.Series([f"It works (for me). I sleep better, number {i}." for i in range(60)] + ["Meh :( sorry."] * 20)
    titles = pd.Series(["Great price", "Good stuff (for kids)", "Works for me", "A good one"] * 20)
    checks = ContentChecks({"review": learn_text_shape(reviews, "review", ["review"]),
                            "title": learn_text_shape(titles, "title", ["title"])})
    with pytest.raises(Rejected, match="mid-sentence"):
        checks.whole("review", "Iron from 8 to 40g, 9.75g a day on average (1.", 40, cut=False)
    with pytest.raises(Rejected, match="mid-sentence"):
        checks.whole("review", "Iron from 8 to 40g a day (on average 1", 40, cut=False)  # no openly ended text
    assert checks.whole("review", "Good iron. Ferritin went up (from 8 to 40 (1.", 20, cut=False) == "Good iron."
    for closed in ("Good iron (and cheap). It works.", "Not for me :( It made me sick."):
        assert checks.whole("review", closed, 32, cut=False) == closed
    assert checks.whole("title", "Great price (for a", 20, cut=False) == "Great price"
    assert checks.whole("title", "Good stuff (for kids)", 20, cut=False) == "Good stuff (for kids)"
    opened = pd.Series([f"It works (for me, number {i}." for i in range(60)])
    kept = ContentChecks({"review": learn_text_shape(opened, "review", ["review"])})
    assert kept.whole("review", "It works (1.", 5, cut=False) == "It works (1."  # real ones leave them open


def test_a_text_opening_with_a_symbol_where_real_ones_never_do_loses_it():
    from syngen.generation.checks import ContentChecks, Rejected
    from syngen.profiling.textshape import learn_text_shape

    reviews = pd.Series([f"It works well for me, {i} > 3 pills." for i in range(60)] + ['"Best" ones I had.'] * 20)
    checks = ContentChecks({"review": learn_text_shape(reviews, "review", ["review"])})
    assert checks.opened_plainly("review", ">My favorite so far.") == "My favorite so far."
    assert checks.opened_plainly("review", "- Works. 2 > 1.") == "Works. 2 > 1."
    assert checks.opened_plainly("review", '"Best" pills.') == '"Best" pills.'  # real texts open with quotes
    with pytest.raises(Rejected):
        checks.opened_plainly("review", ">>> ...")
    listed = pd.Series(["- one item", "- two items"] * 30 + ["Plain text"] * 30)
    lists = ContentChecks({"notes": learn_text_shape(listed, "notes", ["notes"])})
    assert lists.opened_plainly("notes", "- three items") == "- three items"  # real ones open so


def test_a_text_opening_small_where_real_ones_never_do_gets_its_capital():
    """News summaries all open with a capital; the model wrote "the central bank launches ...". Reviews open small
    often enough (7% of the supplements') to be left as written."""
    from syngen.generation.checks import ContentChecks
    from syngen.profiling.textshape import learn_text_shape

    news = pd.Series([f"The council approved plan {i}, officials said." for i in range(80)])
    checks = ContentChecks({"summary": learn_text_shape(news, "summary", ["summary"])})
    assert checks.opened_plainly("summary", "the central bank acts.") == "The central bank acts."
    assert checks.opened_plainly("summary", "3 banks act.") == "3 banks act."
    casual = pd.Series([f"great stuff, number {i}." for i in range(10)] + [f"Works, number {i}." for i in range(70)])
    kept = ContentChecks({"review": learn_text_shape(casual, "review", ["review"])})
    assert kept.opened_plainly("review", "good for sleep.") == "good for sleep."


def test_a_text_that_reached_its_bound_does_not_count_the_full_stop_forced_there():
    from syngen.generation.checks import ContentChecks, Rejected
    from syngen.profiling.textshape import learn_text_shape

    reviews = pd.Series([f"It works well for me. I sleep better, number {i}." for i in range(40)])
    checks = ContentChecks({"review": learn_text_shape(reviews, "review", ["review"])})
    assert checks.whole("review", "Good for sleep. It gives me the ability to ex.", 30, cut=True) == "Good for sleep."
    with pytest.raises(Rejected, match="mid-sentence"):
        checks.whole("review", "It gives me the ability to ex.", 30, cut=True)
    whole = "It gives me the ability to rest."
    assert checks.whole("review", whole, 30, cut=False) == whole
    # Past its bound (a backend that does not hold the model to the schema) the full stop is the writer's own.
    assert checks.whole("review", whole, 30, cut=True, forced_end=False) == whole


def test_a_text_lifting_a_sentence_of_a_shown_example_is_rejected_and_that_example_replaced(distinct_csv):
    lifted = {}

    def lift_first(request, index):
        prompt = request.messages[1]["content"]
        examples = [json.loads(line) for line in prompt.splitlines() if line.startswith("{")]
        if index < 2:  # the first attempts of both rows
            lifted[index] = examples[0]["review"].split(". ")[0]
            return json.dumps({"review": lifted[index] + ". And that is all for today, really."})
        return json.dumps({"review": SUPPORTS[_label_of(request)]})

    maker, backend = _maker(distinct_csv, lift_first, topic_check=False)
    outcomes = maker.make_many(range(2))
    assert [o.reasons for o in outcomes] == [["near_copy"]] * 2
    retries = backend.requests[2:]
    assert len(retries) == 2 and all(r.messages[1]["content"].count('{"label"') == 3 for r in retries)
    assert all(not any(text in r.messages[1]["content"] for text in lifted.values()) for r in retries)


def test_a_short_rewrite_of_a_shown_example_is_rejected_as_a_near_copy(distinct_csv):
    def rewrite_first(request, index):
        if index == 0:  # seven words of the example's first sentence: too short for a copy (8+ words) or a copied
            # sentence ("on time and it is excellent value.")
            review = json.loads(next(line for line in request.messages[1]["content"].splitlines()
                                     if line.startswith("{")))["review"]
            return json.dumps({"review": " ".join(review.split(". ")[0].split()[-7:]).capitalize() + ". Works for me."})
        return json.dumps({"review": SUPPORTS[_label_of(request)]})

    maker, _ = _maker(distinct_csv, rewrite_first, topic_check=False)  # its closing words are on no topic
    assert maker.make(0).reasons == ["near_copy"]


@pytest.mark.parametrize(("partial", "target", "kept"), [
    ("Love it. Works great and I take it daily. More", 8, "Love it."),  # a later end would be farther
    ("Love it. Works great and I take it daily. More", 40, "Love it. Works great and I take it daily."),
    ("Love it. It costs 3.", 8, "Love it."),
    ("It costs 3.", 8, "It costs 3."),  # "3." may go on to "3.5": all of it stays in any finished text
    ("Hi. Love it and", 100, "Hi. Love it and"),  # no end long enough yet: the finished text keeps it all
])
def test_what_a_text_being_written_is_sure_to_keep(labelled_csv, partial, target, kept):
    maker, _ = _maker(labelled_csv, [json.dumps({"review": SUPPORTS["positive"]})])
    assert maker.checks.settled("review", partial, target) == kept
    finished = maker.checks.whole("review", partial + " And more words to end the text here.", target, cut=False)
    assert finished.startswith(kept)


@pytest.fixture(scope="module")
def signatures_csv(tmp_path_factory):
    """Functions: every signature is in brackets, and a summary of free text."""
    rng = np.random.default_rng(2)
    args = ["path", "mode", "size", "flags", "key", "default", "timeout", "encoding"]
    rows = [{"signature": "(" + ", ".join(rng.choice(args, size=rng.integers(3, 7), replace=False)) + ")",
             "summary": f"{rng.choice(FILLER).capitalize()} and it reads the {rng.choice(args)} number {i}."}
            for i in range(120)]
    path = tmp_path_factory.mktemp("tables") / "functions.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    return path


def test_a_text_not_wrapped_as_every_real_one_is_rejected_and_asked_again(signatures_csv):
    def unwrapped_first(request, index):
        first = "rejected" not in request.messages[-1]["content"]
        return json.dumps({"signature": "path, mode" if first else "(path, mode)",
                           "summary": f"It opens the file at the path given, call {index}."})

    maker, backend = _maker(signatures_csv, unwrapped_first, stock_check=False, topic_check=False)
    outcomes = maker.make_many(range(2))
    assert [o.reasons for o in outcomes] == [["wrong_format"]] * 2
    assert all(o.row["signature"] == "(path, mode)" for o in outcomes)
    assert 'open with "(" and close with ")"' in backend.requests[-1].messages[-1]["content"]


def test_a_wrapped_value_that_closes_its_bracket_early_ends_there(signatures_csv):
    def runs_on(request, index):
        return json.dumps({"signature": "(path, mode) opens the file)",
                           "summary": f"It opens the file at the path given, call {index}."})

    maker, _ = _maker(signatures_csv, runs_on, stock_check=False, topic_check=False)
    outcomes = maker.make_many(range(2))
    assert [o.reasons for o in outcomes] == [[]] * 2
    assert all(o.row["signature"] == "(path, mode)" for o in outcomes)


def test_words_of_a_column_name_that_reads_as_a_phrase_are_fragments_but_a_short_names_are_not(tmp_path):
    versions = "versions served today (older versions are served in part)"
    rng = np.random.default_rng(6)
    rows = [{"rating": str(rng.integers(1, 6)), versions: f"{rng.integers(1, 9)}.{i}.0 {rng.integers(1, 9)}.{i}.1",
             "summary": f"{rng.choice(FILLER).capitalize()} and it is {rng.choice(GOOD + BAD)}, {_own_words(i, 3)}."}
            for i in range(400)]
    path = tmp_path / "packages.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    table = load_table(str(path))
    checks = learn_content_checks(table.frame, profile_table(table), [], [])
    shape = checks.shapes["summary"]
    found = shape.fragments("It is served in part, older versions too.", checks.instruction_words,
                            checks.instruction_pairs)
    assert "older versions" in found and "served" in found
    assert shape.fragments("A rating I would give again.", checks.instruction_words, checks.instruction_pairs) == []


def test_a_quote_left_unpaired_where_real_texts_pair_theirs_is_rejected():
    """Support messages quoting a plan's name ('Your "premium" plan ...'), all paired; the model wrote
    'Your "premium" plan is "good"" I guess.' in 3 of 8 rows."""
    from syngen.generation.checks import ContentChecks, Rejected
    from syngen.profiling.textshape import learn_text_shape

    quoting = pd.Series([f'Your "premium" plan crashed {i} times. Thanks!' for i in range(60)]
                        + [f"The app works, number {i}." for i in range(60)])
    checks = ContentChecks({"message": learn_text_shape(quoting, "message", ["message"])})
    with pytest.raises(Rejected, match="unpaired"):
        checks.formatted("message", 'Your "premium" plan is "good"" I guess.')
    checks.formatted("message", 'Your "premium" plan is "good", I guess.')
    inches = pd.Series([f'A {i}" screen, bright.' for i in range(30)] + [f"Works, number {i}." for i in range(60)])
    # (every one of these texts holds one comma, so a checked text does too)
    ContentChecks({"message": learn_text_shape(inches, "message", ["message"])}).formatted("message", 'A 5" one, ok.')


@pytest.fixture(scope="module")
def tagged_csv(tmp_path_factory):
    from tests.tables.tagged import tickets

    path = tmp_path_factory.mktemp("tables") / "tickets.csv"
    tickets(rows=240).to_csv(path, index=False)
    return path


def test_a_text_missing_one_of_its_rows_labels_is_rejected_for_that_label(tagged_csv):
    """A multi-label row states its labels and is checked label by label: a billing-and-shipping ticket that
    speaks of shipping only fails the billing check, by name, and is asked again."""
    from tests.tables.tagged import PHRASES

    def half_first(request, index):
        stated = request.messages[1]["content"].split("This entry:")[-1]
        tags = next(line.split(": ", 1)[1] for line in stated.splitlines() if line.startswith("tags: ")).split("|")
        first = "rejected" not in request.messages[-1]["content"]
        said = [PHRASES[tag][0] for tag in (tags[1:] if first else tags)]
        return json.dumps({"message": f"Good evening from Lisbon, the form would not send yesterday, so by mail: "
                                      f"{' and '.join(said)}. Could someone look at it, reference {index}?"})

    maker, backend = _maker(tagged_csv, half_first, stock_check=False, topic_check=False)
    pairs = {maker.planner.skeleton(p).values["tags"]: p for p in range(80)}  # one row of each two-label set:
    positions = sorted(p for tags, p in pairs.items() if tags.count("|") == 1)[:3]  # the same text would be a copy
    outcomes = maker.make_many(positions)
    dropped = [maker.planner.skeleton(p).values["tags"].split("|")[0] for p in positions]
    assert all(len(o.reasons) == 1 and o.reasons[0].startswith("label_mismatch:tags=") for o in outcomes)
    assert "label_mismatch:tags=" + dropped[0] in {o.reasons[0] for o in outcomes}
    assert all(PHRASES[tag][0] in o.row["message"] for o, tag in zip(outcomes, dropped, strict=True))
    assert any(f"tags with {tag}" in r.messages[-1]["content"] for r in backend.requests for tag in dropped)


def test_a_title_going_on_from_a_value_real_titles_only_ever_are_whole_ends_with_that_value():
    from syngen.generation.checks import ContentChecks
    from syngen.profiling.textshape import learn_text_shape

    titles = pd.Series(["Five Stars"] * 30 + ["Great product", "Great product, fast shipping"] * 15
                       + ["Four Stars"] * 19 + [f"Works for me, week {i}" for i in range(40)])
    checks = ContentChecks({"title": learn_text_shape(titles, "title", ["title"])})
    assert checks.whole("title", "Five Stars, Organic, 2018", 10, cut=False) == "Five Stars"
    assert checks.whole("title", "five stars (Yaya Pramprayala)", 10, cut=False) == "five stars"
    assert checks.whole("title", "Five Stars. Love it", 10, cut=False) == "Five Stars"  # no real title ends on "."
    assert checks.whole("title", "Five Stars!", 10, cut=False) == "Five Stars!"  # the value itself
    assert checks.whole("title", "Five Starships", 10, cut=False) == "Five Starships"  # another word
    assert checks.whole("title", "Great product, love it", 10, cut=False) == "Great product, love it"  # real go on
    assert checks.whole("title", "Four Stars, 12.9%", 10, cut=False) == "Four Stars, 12.9%"  # too few to say


def test_a_name_with_more_commas_than_every_real_name_holds_is_rejected(tmp_path):
    """Titanic's names hold one comma each ("Surname, Title. Given names"); the model wrote "Staneff, Mr., Stanko
    Gustaf". Free texts of sentences, whose commas vary, get no such rule."""
    rng = np.random.default_rng(3)
    surnames, given = ["Braund", "Allen", "Moran", "Palsson", "Nasser", "Rice", "Hewlett", "Vestrom"], WORDS
    names = [f"{rng.choice(surnames)}, {rng.choice(['Mr.', 'Mrs.', 'Miss.'])} {rng.choice(given).capitalize()} "
             f"{rng.choice(given).capitalize()}" for _ in range(120)]
    path = tmp_path / "passengers.csv"
    pd.DataFrame({"Pclass": rng.choice(["1", "2", "3"], 120), "Name": names}).to_csv(path, index=False)
    answers = iter(["Staneff, Mr., Stanko Gustaf", "Staneff, Mr. Stanko Gustaf"])
    maker, _ = _maker(path, lambda request, index: json.dumps({"Name": next(answers, "Rice, Mrs. Joan Garden")}),
                      kinds={"Name": "text"}, topic_check=False, stock_check=False)
    outcome = maker.make(0)
    assert outcome.reasons == ["wrong_format"] and outcome.row["Name"] == "Staneff, Mr. Stanko Gustaf"
    assert maker.checks.shapes["Name"].fixed_marks == {",": 1}


def _own_words(row: int, count: int) -> str:
    """`count` made-up words no other row uses: a table of many distinct words, as real texts are (an everyday
    instruction word is foreign only to such a table)."""
    return " ".join(_made_up(row * count + i) for i in range(count))


def _made_up(i: int) -> str:
    return f"w{chr(97 + i % 26)}{chr(97 + i // 26 % 26)}{chr(97 + i // 676)}x"


def _word_table(vocabulary: int):
    """360 texts of `vocabulary` distinct made-up words (and "the"): none says "entry", "about" or "would"."""
    from syngen.data.loader import Table

    rng = np.random.default_rng(3)
    lexicon = [_made_up(i) for i in range(vocabulary)]
    texts = [" ".join(["the", *rng.choice(lexicon, 12)]) + "." for _ in range(360)]
    return Table(frame=pd.DataFrame({"note": texts}), source="notes.csv", encoding="utf-8", delimiter=",")


def test_an_everyday_instruction_word_is_foreign_only_to_a_table_of_many_words():
    """450 templated questions of 297 distinct words never said "would", "about" or "different", and answers
    using them were refused as prompt fragments; a table of thousands of words that never says "entry" or "about"
    shows them foreign."""
    from syngen.prompts import templates

    for vocabulary, foreign in ((300, []), (3000, ["about", "entry"])):
        table = _word_table(vocabulary)
        checks = learn_content_checks(table.frame, profile_table(table), [], templates.instruction_texts())
        shape = checks.shapes["note"]
        assert shape.judges_words and shape.rich_vocabulary == (vocabulary >= 1000)
        found = shape.fragments("waax about this entry.", checks.instruction_words, frozenset())
        assert found == foreign, vocabulary
