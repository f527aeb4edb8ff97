"""What the model must answer for one row: a JSON object with the text fields, each with length bounds.

Bounds come from the row's sampled target length, so the length distribution of the output follows the
real one by construction, and every string has a maxLength (without it, small models run to the token limit).
"""

from __future__ import annotations

import re
from typing import Any

from syngen.profiling.model import DatasetProfile
from syngen.sampling.planner import Skeleton

# llama.cpp expands a string's length bounds into nested optional rules, and fails to parse (then crashes) a
# grammar with much more than a thousand of them; measured: a span of 900 characters parses, 1075 does not.
MAX_LENGTH_SPAN = 800


def field_limits(profile: DatasetProfile, skeleton: Skeleton, tolerance: float,
                 trimmed: frozenset[str] = frozenset()) -> dict[str, tuple[int, int]]:
    """Text column -> (min chars, max chars) for this row: only the columns the row's plan asks the model to
    write (a text column planned empty is not asked for at all)."""
    limits = {}
    for name in skeleton.text_targets:
        column = profile.column(name)
        chars = target_chars(profile, skeleton, name)
        low = max(1, int(chars * (1 - 1.3 * tolerance)))  # ending early reads better than padding
        # A column trimmed to whole sentences afterwards (`trimmed`) gets a generous bound: the prompt asks for the
        # target length, and the text ends where its writer ends it, not where the bound cuts it.
        if name in trimmed:
            high = max(low + 12, int(chars * (1 + 3 * tolerance)) + 24)
        else:  # a phrase (titles): a backend writing token by token favours closing it most at `high - slack`
            high = max(low + 8, int(chars * (1 + tolerance)) + 4) + phrase_slack(chars)
        limits[column.name] = (max(low, high - MAX_LENGTH_SPAN), high)
    return limits


def phrase_slack(chars: float) -> int:
    """Room past where a phrase column should end, for the phrase to reach a word it can end on. Cut there and
    trimmed back, 30 of 52 demo titles lost words and some became fragments ("Wish there were a F" -> "Wish
    there")."""
    return max(8, int(chars) // 2)


def phrase_peak(bound: int, close: int) -> int:
    """Where the bonus for closing a phrase column peaks: its schema bound less the slack `field_limits` added."""
    return bound - phrase_slack(close)


def close_points(profile: DatasetProfile, skeleton: Skeleton) -> dict[str, int]:
    """Per text column the row's plan asks for: its target length in characters. Past it, a column trimmed to
    sentences ends at its first sentence end (the writer's own end, near the target, not at the bound), and a
    backend that writes token by token favours ending any column more and more."""
    return {name: int(target_chars(profile, skeleton, name)) for name in skeleton.text_targets}


def target_chars(profile: DatasetProfile, skeleton: Skeleton, name: str) -> float:
    """The length in characters the row's plan asks of column `name` (its target words at the column's own
    characters per word; one word for a column the plan does not size)."""
    return skeleton.text_targets.get(name, 1) * profile.column(name).stats.char_per_word


SENTENCE_END = "[.!?]"  # a text that must end whole ends on one (not "…": SmolLM2 trails off with it)
ANY_CHAR = r"[\s\S]"


def answer_schema(limits: dict[str, tuple[int, int]], patterns: dict[str, str] | None = None,
                  whole: frozenset[str] = frozenset(), closes: dict[str, int] | None = None,
                  stated: dict[str, str] | None = None,
                  wrappers: dict[str, tuple[str, str]] | None = None,
                  openings: dict[str, str] | None = None) -> dict[str, Any]:
    """`patterns`: per field, a regular-expression class `[^...]` of the characters it may hold; `whole`: the
    fields that must end on a sentence end (so the model cannot close the string mid-sentence); `closes`: per
    whole field, the length past which its first sentence end ends it; all for backends that constrain strings
    by a pattern. `stated`: the row's stated values, which the answer opens with as its examples do (a fixed
    value each: the model writes them as given). `wrappers`: per field (not a whole one), the symbols it opens
    and closes with, as every real value does (a signature's brackets). `openings`: per whole field, the words
    its value starts with (a real text's first word and a space), counted in its bounds."""
    properties: dict[str, Any] = {name: {"const": value} for name, value in (stated or {}).items()}
    properties.update({name: {"type": "string", "minLength": low, "maxLength": high}
                       for name, (low, high) in limits.items()})
    for name, (low, high) in limits.items():
        allowed = (patterns or {}).get(name)
        opener, closer = (wrappers or {}).get(name, ("", ""))
        if allowed is None and name not in whole and not (opener or closer):
            continue
        # One counted class (and one last character), not a pattern beside min/maxLength: llguidance intersects
        # those into more lexer states than it allows ("too many expressions") on a few hundred characters.
        body = allowed or ANY_CHAR
        opening = (openings or {}).get(name, "") if name in whole else ""
        if name in whole:
            close, shift = (closes or {}).get(name), len(opening)
            counted = re.escape(opening) + _whole_pattern(body, max(1, low - shift), max(2, high - shift),
                                                          None if close is None else max(1, close - shift))
        elif opener or closer:  # no lower bound: held to one, the writer cannot close after a short value's closer
            inner = len(opener) + len(closer)
            counted = f"{re.escape(opener)}{body}{{0,{max(0, high - inner)}}}{re.escape(closer)}"
        else:
            counted = f"{body}{{{low},{high}}}"
        properties[name] = {"type": "string", "pattern": f"^{counted}$"}
    return {"type": "object", "properties": properties, "required": list(properties), "additionalProperties": False}


def _whole_pattern(body: str, low: int, high: int, close: int | None) -> str:
    """Up to `close` characters of anything (sentence ends included), then none but the final one. Without this
    a small model runs on past its target to the bound, where the forced full stop cuts a sentence. Written as
    two alternatives split at exactly `close` characters: one counted part ahead of another would leave the
    split point open, and llguidance then builds an expression for every possible split ("too many
    expressions", measured on an 883-character answer)."""
    first = max(0, low - 1)
    if close is None or close >= high - 1:
        return f"{body}{{{first},{high - 1}}}{SENTENCE_END}"
    close = max(close, first + 1)
    no_end = body[:-1] + ".!?]" if body.startswith("[^") else "[^.!?]"  # the body class without sentence ends
    ended_early = f"{body}{{{first},{close - 1}}}{SENTENCE_END}"
    ended_after = f"{body}{{{close}}}{no_end}{{0,{high - 1 - close}}}{SENTENCE_END}"
    return f"(?:{ended_early}|{ended_after})"


def token_budget(limits: dict[str, tuple[int, int]]) -> int:
    """Enough tokens for the longest allowed answer plus JSON punctuation (about 3 chars a token). Stated values
    an answer opens with are not drawn (the embedded backend feeds what the schema forces with the prompt)."""
    return int(sum(high for _, high in limits.values()) / 3) + 16 * len(limits) + 16


def json_instruction(limits: dict[str, tuple[int, int]]) -> str:
    """The answer's form in words, for a backend that cannot be held to a JSON schema."""
    keys = ", ".join(f'"{name}"' for name in limits)
    return f"Answer with only a JSON object with the keys {keys} and string values, nothing else."
