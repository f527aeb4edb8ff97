"""The content checks a generated row must pass beyond its structure, all learned from the real table:
the text reads as a whole (no sentence cut off where real texts end theirs), it carries no prompt fragments,
and it does not contradict the row's own labels."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import pandas as pd

from syngen.profiling.labels import LabelCheck
from syngen.profiling.model import DatasetProfile
from syngen.profiling.textshape import TextShape, ends_sentence, last_sentence_end, learn_text_shape, words

MIN_WHOLE_SHARE = 0.4  # a text trimmed to its last sentence end keeps at least this share of its target


class Rejected(Exception):
    def __init__(self, reason: str, detail: str = "", text: str = "") -> None:
        super().__init__(detail or reason)
        self.reason = reason
        self.text = text  # the rejected text, when the reason is about it


@dataclass
class ContentChecks:
    shapes: dict[str, TextShape]
    labels: list[LabelCheck] = field(default_factory=list)
    instruction_words: frozenset[str] = frozenset()

    def whole(self, name: str, text: str, target_chars: float, cut: bool) -> str:
        """The text ended where a real one would end: trimmed to its last sentence end when the real
        column ends its sentences (or when the schema's bound cut it), rejected when too little is left."""
        shape = self.shapes.get(name)
        if shape is not None and shape.must_end_whole and not ends_sentence(text):
            end = last_sentence_end(text)
            if end is None or end < MIN_WHOLE_SHARE * target_chars:
                raise Rejected("cut_text", f'"{name}" stops mid-sentence', text)
            return text[:end]
        if cut and " " in text:
            return text.rsplit(" ", 1)[0].rstrip(" ,;:-")
        return text

    def fragments(self, row: dict[str, str], fields: Iterable[str]) -> None:
        for name in fields:
            shape = self.shapes.get(name)
            found = shape.fragments(row[name], self.instruction_words) if shape else []
            if found:
                shown = ", ".join(repr(f) for f in found[:4])
                raise Rejected("prompt_fragment", f'"{name}" contains what real texts never do: {shown}', row[name])

    def mismatch(self, row: dict[str, str], fields: Iterable[str]) -> None:
        fields = set(fields)
        for check in self.labels:
            if check.text not in fields:
                continue
            margin = check.margin(row[check.text], row.get(check.label, ""))
            if margin is not None and margin < 0:
                raise Rejected(f"label_mismatch:{check.label}",
                               f'"{check.text}" does not read like a row with {check.label} = '
                               f'{row.get(check.label)}: write it so that it does', row[check.text])

    def agreement(self, row: dict[str, str], fields: Iterable[str]) -> float:
        """How clearly the texts support the row's labels (the weakest check's margin): best of K picks by it."""
        fields = set(fields)
        margins = [check.margin(row[check.text], row.get(check.label, "")) for check in self.labels
                   if check.text in fields]
        present = [m for m in margins if m is not None]
        return min(present) if present else 0.0


def learn_content_checks(frame: pd.DataFrame, profile: DatasetProfile, labels: list[LabelCheck],
                         instructions: Iterable[str]) -> ContentChecks:
    """`instructions`: the prompt's fixed texts; their words are suspicious only where real texts lack them."""
    shapes = {c.name: learn_text_shape(frame[c.name], c.name, profile.names) for c in profile.text_columns}
    instruction_words = frozenset(w for text in instructions for w in words(text))
    return ContentChecks(shapes, labels, instruction_words)
