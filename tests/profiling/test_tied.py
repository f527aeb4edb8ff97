"""Short free text its row's text tells (a clue's answer) is written by the model with that text; short free text
apart from it (a reviewer's handle) stays with the sampler."""

import numpy as np
import pandas as pd

from syngen.data.loader import Table
from syngen.profiling import profile_table
from syngen.profiling.model import ColumnKind
from syngen.profiling.tied import TIED_AUC, tied_share

ANSWERS = {
    "Paris": "This capital on the Seine is home to the Louvre and the Eiffel Tower",
    "Mount Everest": "Climbed by Hillary and Norgay in 1953, it is the highest peak on Earth",
    "the Nile": "Flowing north through Egypt, it is often called the longest river in Africa",
    "Mozart": "This Austrian composer wrote The Magic Flute and died at 35 in Vienna",
    "penguins": "These flightless birds of Antarctica huddle together through the winter dark",
    "the Titanic": "This liner sank in 1912 after striking an iceberg on its maiden voyage",
    "Shakespeare": "The Bard of Avon wrote Hamlet, Macbeth and a famous sonnet about a summer's day",
    "photosynthesis": "Green plants use sunlight to turn water and carbon dioxide into sugar by this process",
    "the Moon": "Neil Armstrong first walked on it in July 1969",
    "Tokyo": "Formerly called Edo, this city became the capital of Japan in 1868",
}
SYLLABLES = ["ka", "lo", "mi", "ren", "tos", "va", "shi", "dor", "ple", "quin", "zu", "bel"]
WAYS = ["", "old ", "famous ", "great ", "the real ", "dear "]  # an answer written six ways


def _table(tied: bool, tags: bool = False) -> pd.DataFrame:
    clues = list(ANSWERS.values())
    answers = list(ANSWERS)
    rng = np.random.default_rng(0)
    rows = []
    for i in range(60):
        which = i % len(clues)
        handle = "".join(rng.choice(SYLLABLES, size=3)).capitalize()  # a name of the clue's writer
        answer = f"{WAYS[i // 10]}{answers[which]}" if tied else handle
        answer = f"<{answer.replace(' ', '-')}>" if tags else answer
        rows.append({"clue": f"'{clues[which]}' (show {1000 + i})", "answer": answer, "round": "first"})
    return pd.DataFrame(rows)


def test_an_answer_its_clue_tells_is_written_by_the_model():
    profile = profile_table(Table(_table(tied=True), "trivia.csv", "utf-8", ","))
    answer = profile.column("answer")
    assert answer.kind is ColumnKind.TEXT and "tells" in answer.reason


def test_a_name_apart_from_the_text_stays_short_text_and_the_user_decides_last():
    names = Table(_table(tied=False), "trivia.csv", "utf-8", ",")
    assert profile_table(names).column("answer").kind is ColumnKind.SHORT_TEXT
    answers = Table(_table(tied=True), "trivia.csv", "utf-8", ",")
    assert profile_table(answers, overrides={"answer": ColumnKind.SHORT_TEXT}).column("answer").kind \
        is ColumnKind.SHORT_TEXT


def test_tags_the_text_tells_are_still_drawn():
    """Asked to write a question's tags too, the embedded model broke its HTML body (0 of 8 rows)."""
    plain, tags = _table(tied=True), _table(tied=True, tags=True)
    assert tied_share(plain["answer"], plain["clue"]) >= TIED_AUC
    assert tied_share(tags["answer"], tags["clue"]) is None
