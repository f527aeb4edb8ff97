"""Small tables of our own making for the hardening tests: a number and a free-text review that the
profiler takes for text (varied sentences, not one template), in the words the schema-filling stand-in
model writes, so its answers pass the content checks and the tests are about the handling of input."""

import random

from tests.fakes import WORDS


def sentence(i: int) -> str:
    rng = random.Random(i)
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 20))).capitalize()


def reviews_csv(rows: int = 30) -> str:
    return "stars,review\n" + "".join(f"{1 + i % 5},{sentence(i)}\n" for i in range(rows))
