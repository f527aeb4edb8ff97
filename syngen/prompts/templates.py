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


def instruction_texts() -> list[str]:
    """Every template's fixed words (placeholders removed): words a generated text should not echo."""
    folder = resources.files("syngen.prompts").joinpath("templates")
    texts = [entry.read_text(encoding="utf-8") for entry in folder.iterdir() if entry.name.endswith((".txt", ".ini"))]
    return [re.sub(r"\$\w+|\[\w+\]", " ", text) for text in texts]
