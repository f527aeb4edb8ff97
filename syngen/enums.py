"""A str-valued Enum that prints as its value (enum.StrEnum needs Python 3.11; SynGen supports 3.10)."""

from __future__ import annotations

from enum import Enum


class TextEnum(str, Enum):
    def __str__(self) -> str:  # the value, as JSON and f-strings show it (a str Enum's own str() is "Name.X")
        return self.value
