"""What the model must answer for one row: a JSON object with the text fields, each with length bounds.

Bounds come from the row's sampled target length, so the length distribution of the output follows the
real one by construction, and every string has a maxLength (without it, small models run to the token limit).
"""

from __future__ import annotations

from typing import Any

from syngen.profiling.model import DatasetProfile
from syngen.sampling.planner import Skeleton

# llama.cpp expands a string's length bounds into nested optional rules, and fails to parse (then crashes) a
# grammar with much more than a thousand of them; measured: a span of 900 characters parses, 1075 does not.
MAX_LENGTH_SPAN = 800


def field_limits(profile: DatasetProfile, skeleton: Skeleton, tolerance: float) -> dict[str, tuple[int, int]]:
    """Text column -> (min chars, max chars) for this row: only the columns the row's plan asks the model to
    write (a text column planned empty is not asked for at all)."""
    limits = {}
    for name, words in skeleton.text_targets.items():
        column = profile.column(name)
        chars = words * column.stats.get("char_per_word", 5.5)
        low = max(1, int(chars * (1 - 1.3 * tolerance)))  # ending early reads better than padding
        high = max(low + 8, int(chars * (1 + tolerance)) + 4)
        limits[column.name] = (max(low, high - MAX_LENGTH_SPAN), high)
    return limits


def answer_schema(limits: dict[str, tuple[int, int]]) -> dict[str, Any]:
    properties = {name: {"type": "string", "minLength": low, "maxLength": high} for name, (low, high) in limits.items()}
    return {"type": "object", "properties": properties, "required": list(limits), "additionalProperties": False}


def token_budget(limits: dict[str, tuple[int, int]]) -> int:
    """Enough tokens for the longest allowed answer plus JSON punctuation (about 3 chars a token)."""
    return int(sum(high for _, high in limits.values()) / 3) + 16 * len(limits) + 16
