"""Read the prompt template files shipped in syngen/prompts/templates/."""

from __future__ import annotations

import configparser
import re
from functools import cache, lru_cache
from importlib import resources
from string import Template


@cache
def read(name: str) -> str:
    return resources.files("syngen.prompts").joinpath("templates", name).read_text(encoding="utf-8").strip()


def render(name: str, **values: str) -> str:
    return Template(read(name)).safe_substitute(values)


@lru_cache(maxsize=1)
def knob_lines() -> dict[str, dict[str, str]]:
    parser = configparser.ConfigParser()
    parser.read_string(read("knobs.ini"))
    return {section: dict(parser[section]) for section in parser.sections()}


@lru_cache(maxsize=1)
def angles() -> list[str]:
    return [line for line in read("angles.txt").splitlines() if line.strip() and not line.startswith("#")]


FRAME_TEMPLATES = ("system.txt", "row.txt")  # how the model is asked; guidance (angles, knobs) is content
SCALE_WORDS = "on a scale of"  # after a rating: "rating: 5 (on a scale of 1 to 5)"; echoed as "One Star (on a scale"


def length_target(words: int) -> str:
    """A field's target length as the prompt states it: 'Write "text" (about 36 words)'; echoed as "Five Stars
    (15 words)" on a table of short texts."""
    return f"about {words} word{'s' if words != 1 else ''}"


def instruction_texts() -> list[str]:
    """The words of the prompt's frame (placeholders removed): a text echoing them, where real texts never use
    them, is a prompt fragment. Guidance lines are left out: a text may well follow "value for money"."""
    return [re.sub(r"\$\w+", " ", read(name)) for name in FRAME_TEMPLATES] + [SCALE_WORDS, length_target(2)]
