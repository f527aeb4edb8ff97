"""A stand-in model that answers each row's first prompt wrongly (not JSON) and its retry rightly, and a small
table of our own for it, so a test can see a rejected answer, its reason, and the kept one."""

from __future__ import annotations

import random
from pathlib import Path

from syngen.backends.base import Generation, GenerationRequest
from tests.fakes import WORDS, SchemaFillingBackend
from tests.hardening.tables import sentence
from tests.scale.helpers import position_of

WRONG = "Sure! Here is a review you will like."
BACKEND = "tests.runs.audit_helpers:WrongThenRight"


class WrongThenRight(SchemaFillingBackend):
    """Wrong on a row's first attempt, right on its retry; never right for the positions in `hopeless`."""

    hopeless: frozenset[int] = frozenset()

    def generate(self, request: GenerationRequest) -> Generation:
        first = "rejected" not in request.messages[-1]["content"]  # a retry ends with the reason
        if first or position_of(request) in self.hopeless:
            return Generation(text=WRONG, tokens_in=50, tokens_out=10, model="scripted")
        return super().generate(request)


def hopeless_at(*positions: int) -> WrongThenRight:
    backend = WrongThenRight({})
    backend.hopeless = frozenset(positions)
    return backend


def title(i: int) -> str:
    return " ".join(_block_words(i, random.Random(100 + i // 5).sample(WORDS, 4))).capitalize()


def review(i: int) -> str:
    return " ".join(_block_words(i, sentence(i // 5).lower().split())).capitalize()


def _block_words(i: int, words: list[str]) -> list[str]:
    """The words of row i's block of five (one row of each rating) in an order of the row's own: the rows of a
    block say the same words, so no text predicts its rating and no label check judges the stand-in's answers."""
    return random.Random(i).sample(words, len(words))


def write_table(path: Path, rows: int = 30) -> Path:
    """stars, a short title and a review: a rating column and two texts the stand-in writes."""
    path.write_text("stars,title,review\n" + "".join(f"{1 + i % 5},{title(i)},{review(i)}\n" for i in range(rows)))
    return path
