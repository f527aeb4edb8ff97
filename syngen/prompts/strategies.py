"""Prompt strategies. Each is a template plus knob defaults; the user's knobs override the defaults."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace

import numpy as np

from syngen.prompts import templates
from syngen.sampling.planner import Skeleton

LEVELS = ("low", "match", "high")
# A small model follows its sampling more than its instructions: `diversity` also scales the temperature. `high`
# at 1.25 moved distinct-2 by less than the noise between seeds (README, knob table); min-p sampling keeps the
# hotter draws readable.
DIVERSITY_TEMPERATURE = {"low": 0.75, "match": 1.0, "high": 1.5}


@dataclass(frozen=True)
class Knobs:
    complexity: str = "match"
    diversity: str = "match"
    length: str = "match"

    def override(self, complexity: str | None, diversity: str | None, length: str | None) -> Knobs:
        changes = {k: v for k, v in dict(complexity=complexity, diversity=diversity, length=length).items() if v}
        return replace(self, **changes)

    def temperature(self, asked: float) -> float:
        """The sampling temperature for the run: the asked one, scaled by the diversity knob."""
        return min(2.0, round(asked * DIVERSITY_TEMPERATURE.get(self.diversity, 1.0), 3))


@dataclass(frozen=True)
class PromptStrategy:
    name: str
    knobs: Knobs
    length_tolerance: float  # allowed relative deviation from the target length of each text field
    rotate_every: int  # rows that share one set of few-shot examples (1 = new examples every row)

    def build(self, topic: str, skeleton: Skeleton, examples: list[dict[str, str]],
              context_columns: list[str], field_limits: dict[str, tuple[int, int]],
              scales: dict[str, str] | None = None) -> list[dict[str, str]]:
        """The chat messages for one row. Fixed text and the examples first, so llama.cpp can reuse its
        prompt cache; the row's own values last. `scales` says what range a numeric value is on."""
        user = templates.render(
            "row.txt",
            topic=topic,
            examples=_examples_block(examples),
            guidance=self._guidance(skeleton),
            context=_context_block(skeleton, context_columns, scales or {}, field_limits),
            fields=_fields_block(skeleton, field_limits),
        )
        system = templates.render("system.txt", topic=topic)
        return [{"role": "system", "content": system}, {"role": "user", "content": _tidy(user)}]

    def _guidance(self, skeleton: Skeleton) -> str:
        lines = [templates.read(f"{self.name}.txt")]
        if self.name == "diversity":
            options = templates.angles()
            angle = options[int(np.random.default_rng([skeleton.position, 99]).integers(len(options)))]
            lines = [templates.render("diversity.txt", angle=angle)]
        knob_text = templates.knob_lines()
        for knob in ("complexity", "diversity", "length"):
            level = getattr(self.knobs, knob)
            if level != "match" and level in knob_text[knob]:
                lines.append(knob_text[knob][level])
        return "\n".join(lines)


def _examples_block(examples: list[dict[str, str]]) -> str:
    if not examples:
        return ""
    lines = ["Real examples (do not copy them):"]
    lines += [json.dumps(example, ensure_ascii=False) for example in examples]
    return "\n".join(lines)


def _context_block(skeleton: Skeleton, context_columns: list[str], scales: dict[str, str],
                   fields: dict[str, tuple[int, int]]) -> str:
    # A catalogue field named like a field to write (a product's "title" beside a review's) is the item's.
    lines = [f"{'item ' + key if key in fields else key}: {_shorten(value)}" for key, value in skeleton.context.items()]
    lines += [f"{name}: {skeleton.values[name]}{_scale(scales.get(name))}" for name in context_columns
              if skeleton.values.get(name)]
    return "This entry:\n" + "\n".join(lines) if lines else ""


def _scale(scale: str | None) -> str:
    return f" ({templates.SCALE_WORDS} {scale})" if scale else ""


def _fields_block(skeleton: Skeleton, field_limits: dict[str, tuple[int, int]]) -> str:
    parts = [f'"{name}" ({templates.length_target(words)})'
             for name, words in skeleton.text_targets.items() if name in field_limits]
    return " and ".join(parts)


def _shorten(value: str, words: int = 14) -> str:
    """Catalogue titles run to 50 words of keywords; the first few name the item, the rest cost prompt time."""
    parts = value.split()
    return value if len(parts) <= words else " ".join(parts[:words]) + " ..."


def _tidy(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if line.strip())


_STRATEGIES = {
    "base": PromptStrategy("base", Knobs(), length_tolerance=0.35, rotate_every=8),
    "diversity": PromptStrategy("diversity", Knobs(diversity="high"), length_tolerance=0.35, rotate_every=1),
    "lang_complexity": PromptStrategy("lang_complexity", Knobs(complexity="high"), length_tolerance=0.35,
                                      rotate_every=8),
    "text_length": PromptStrategy("text_length", Knobs(), length_tolerance=0.12, rotate_every=8),
}


def get_strategy(name: str, complexity: str | None = None, diversity: str | None = None,
                 length: str | None = None) -> PromptStrategy:
    base = _STRATEGIES[name]
    return replace(base, knobs=base.knobs.override(complexity, diversity, length))
