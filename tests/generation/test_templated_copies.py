"""A column of canned texts (support messages made from a few templates) holds nothing a near copy could leak:
its real texts copy one another. There a generated text is refused only as an exact copy of a real text that
occurs once, or of a row already made; elsewhere every near copy is refused as before."""

import json
import random

import pandas as pd

from syngen.generation.config import GenerationConfig
from syngen.generation.dedupe import TEMPLATED_SHARE, DuplicateIndex, copy_index
from syngen.generation.engine import run_generation
from syngen.generation.reasons import RejectReason
from syngen.generation.session import prepare_session
from tests.fakes import ScriptedBackend

TEMPLATES = ["The router keeps rebooting every few hours since {when}.",
             "Internet has been completely down since {when} and I work from home.",
             "The technician visit scheduled for {when} needs to be moved to next week.",
             "Please update my billing address, I moved {when}."]
WHEN = ["Monday", "yesterday", "last night", "Friday", "last month"]
UNIQUE = "My neighbour Dana Okafor says the fibre box at 14 Elm Street sparks when it rains."


def _messages(count: int, seed: int = 0, dated: bool = False) -> list[str]:
    """`dated`: "since 14 May" in place of "since Monday", so most messages are distinct, as a text column's are."""
    rng = random.Random(seed)
    return [rng.choice(TEMPLATES).format(when=f"{rng.randint(1, 28)} {rng.choice(['May', 'June'])}" if dated
                                         else rng.choice(WHEN)) for _ in range(count)]


def test_canned_texts_copy_one_another_and_reviews_do_not():
    assert copy_index(_messages(200))[1] >= TEMPLATED_SHARE
    reviews = pd.read_csv("syngen/demo/reviews.csv")["text"]
    assert copy_index(reviews)[1] < 0.01


def test_in_a_templated_column_only_an_exact_copy_of_a_text_occurring_once_is_refused():
    index, _ = copy_index([*_messages(200), UNIQUE])
    index.canned()
    assert index.check(UNIQUE) == RejectReason.EXACT_COPY
    assert index.check("The router keeps rebooting every few hours since Monday.") is None  # many real ones
    assert index.check("The router keeps rebooting every few hours since Tuesday.") is None  # near: canned
    strict, _ = copy_index([*_messages(200), UNIQUE])
    assert strict.check("The router keeps rebooting every few hours since Tuesday.") == RejectReason.NEAR_COPY


def test_rows_made_are_never_repeated_even_in_a_templated_column():
    made = DuplicateIndex(near=False)
    made.add("The router keeps rebooting every few hours since Tuesday.")
    assert made.check("The router keeps rebooting every few hours since Tuesday.") == RejectReason.EXACT_COPY
    assert made.check("The router keeps rebooting every few hours since Sunday.") is None


def test_a_table_of_canned_messages_gets_its_rows_and_says_why_near_copies_pass(tmp_path):
    data = tmp_path / "tickets.csv"
    rng = random.Random(2)
    messages = _messages(120, dated=True) + [UNIQUE]
    pd.DataFrame({"priority": [rng.choice(["low", "high"]) for _ in messages], "message": messages}).to_csv(
        data, index=False)
    script = iter(["The router keeps rebooting every few hours since Sunday.",  # near copy: canned, kept
                         UNIQUE,  # an exact copy of a text only one real row holds: refused
                         "Internet has been completely down since Sunday and I work from home.",
                         "The router keeps rebooting every few hours since Sunday.",  # a repeat of a row made
                         "The technician visit scheduled for Sunday needs to be moved to next week."])

    fresh = iter(f"Please update my billing address, I moved on day {n} of the month." for n in range(100))

    def answers(request, index):
        return json.dumps({"message": next(script, None) or next(fresh)})

    config = GenerationConfig(data=str(data), num_samples=3, seed=3, out=str(tmp_path / "out.csv"),
                              topic_check=False, stock_check=False)
    session = prepare_session(config, backend=ScriptedBackend(answers))
    result = run_generation(config, session=session)

    assert len(result.rows) == 3 and UNIQUE not in set(result.rows["message"])
    assert result.rows["message"].nunique() == 3
    assert any("copy another real one" in note for note in session.profile.notes)
    rejections = result.sidecar["rejections"]
    assert rejections.get("exact_copy", 0) >= 1 and rejections.get("duplicate_exact_copy", 0) >= 1
