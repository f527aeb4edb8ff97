"""Make one row: skeleton -> prompt -> model -> parse -> coerce -> validate -> copy check.

A rejected answer is fed back to the model with the reason and asked again, a bounded number of times
(instructor's pattern); after that the row's plan position is given up and the engine tops up.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from syngen.backends.base import Backend, GenerationRequest
from syngen.errors import ParseError
from syngen.generation.dedupe import DuplicateIndex
from syngen.generation.language import VocabularyCheck
from syngen.generation.schema import answer_schema, field_limits, token_budget
from syngen.parsing.answers import parse_json_object
from syngen.profiling.model import DatasetProfile
from syngen.prompts.fewshot import FewShotPicker
from syngen.prompts.strategies import PromptStrategy
from syngen.sampling.planner import RowPlanner, Skeleton

ATTEMPTS_PER_ROW = 2
_SENTENCE_END = re.compile(r"[.!?](?=\s|$)")


@dataclass
class RowOutcome:
    position: int
    row: dict[str, str] | None = None
    reasons: list[str] = field(default_factory=list)  # one per rejected attempt
    last_output: str = ""
    tokens_in: int = 0
    tokens_out: int = 0
    accepted_tokens: int = 0  # completion tokens of the answer that was kept
    examples: list[int] = field(default_factory=list)


class Rejected(Exception):
    def __init__(self, reason: str, detail: str = "", text: str = "") -> None:
        super().__init__(detail or reason)
        self.reason = reason
        self.text = text  # the rejected text, when the reason is about it


@dataclass
class RowMaker:
    profile: DatasetProfile
    planner: RowPlanner
    picker: FewShotPicker
    strategy: PromptStrategy
    backend: Backend
    copies: DuplicateIndex  # real texts; a generated text must not copy any of them
    vocabulary: VocabularyCheck  # the real data's common words; a text must share some of them
    topic: str
    seed: int
    temperature: float

    def __post_init__(self) -> None:
        self.context_columns = [c.name for c in self.profile.small_categories()]
        self.main_text = self.picker.main_text

    def make(self, position: int) -> RowOutcome:
        skeleton = self.planner.skeleton(position)
        outcome = RowOutcome(position)
        block = position // self.strategy.rotate_every
        outcome.examples = self.picker.pick(block, position, skeleton.values)
        limits = field_limits(self.profile, skeleton, self.strategy.length_tolerance)
        shown = list(outcome.examples)
        messages = self._messages(skeleton, shown, limits)
        for attempt in range(ATTEMPTS_PER_ROW):
            request = GenerationRequest(
                messages=messages, json_schema=answer_schema(limits) if self.backend.supports_schema else None,
                max_tokens=token_budget(limits), temperature=self.temperature,
                seed=(self.seed * 1_000_003 + position * 31 + attempt) % (2**31),
            )
            answer = self.backend.generate(request)
            outcome.tokens_in += answer.tokens_in
            outcome.tokens_out += answer.tokens_out
            outcome.last_output = answer.text
            try:
                outcome.row = self._row(skeleton, answer.text, limits)
                outcome.accepted_tokens = answer.tokens_out
                return outcome
            except Rejected as rejection:
                outcome.reasons.append(rejection.reason)
                shown, messages = self._retry(skeleton, limits, shown, messages, answer.text, rejection)
        return outcome

    def _messages(self, skeleton: Skeleton, examples: list[int], limits: dict[str, tuple[int, int]]) -> list[dict]:
        messages = self.strategy.build(self.topic, skeleton, [self.picker.example(i) for i in examples],
                                       self.context_columns, limits)
        if not self.backend.supports_schema:
            messages[-1]["content"] += "\n" + _json_instruction(limits)
        return messages

    def _retry(self, skeleton: Skeleton, limits: dict[str, tuple[int, int]], shown: list[int],
               messages: list[dict], answer: str, rejection: Rejected) -> tuple[list[int], list[dict]]:
        """The next attempt's examples and prompt. Told that it copied, a small model often copies again, so an
        answer that copies one of its examples is asked again without that example; any other rejection is fed
        back with the answer (instructor's pattern)."""
        copied = self._copied_examples(rejection, shown)
        if copied:
            shown = [i for i in shown if i not in copied]
            return shown, self._messages(skeleton, shown, limits)
        feedback = f"That answer was rejected: {rejection}. Write a new, different one."
        return shown, messages + [{"role": "assistant", "content": answer}, {"role": "user", "content": feedback}]

    def _copied_examples(self, rejection: Rejected, shown: list[int]) -> set[int]:
        """The shown examples that a copy-rejected text copies (empty if it copied another real row)."""
        if rejection.reason not in ("exact_copy", "near_copy"):
            return set()
        copied = set()
        for index in shown:
            example = DuplicateIndex()
            example.add(self.picker.example(index)[self.main_text])
            if example.check(rejection.text):
                copied.add(index)
        return copied

    def _row(self, skeleton: Skeleton, text: str, limits: dict[str, tuple[int, int]]) -> dict[str, str]:
        try:
            answer = parse_json_object(text)
        except ParseError as exc:
            raise Rejected("unparseable", "it was not a JSON object with the fields asked for") from exc
        row = dict(skeleton.values)
        for name, (low, high) in limits.items():
            row[name] = _clean(answer.get(name), name, low, high, self.backend.supports_schema)
        problem = self.copies.check(row[self.main_text])
        if problem:
            raise Rejected(problem, f"its {self.main_text} copies a real row", row[self.main_text])
        if self.vocabulary.is_foreign(row[self.main_text]):
            raise Rejected("wrong_language", f"its {self.main_text} is not in the language of the real examples")
        return row


def _clean(value, name: str, low: int, high: int, constrained: bool) -> str:
    if value is None or not str(value).strip():
        raise Rejected("empty_field", f'"{name}" was empty')
    text = " ".join(str(value).split())
    if len(text) >= high - 1:
        text = _trim_cut(text, low)
    if not constrained and not (low * 0.5 <= len(text) <= high * 1.5):
        raise Rejected("wrong_length", f'"{name}" should have {low}-{high} characters, not {len(text)}')
    if _degenerate(text):
        raise Rejected("repetitive", f'"{name}" repeats itself')
    return text


def _trim_cut(text: str, low: int) -> str:
    """An answer cut at its maxLength ends mid-word; end it at the last sentence or word instead."""
    ends = [m.end() for m in _SENTENCE_END.finditer(text) if m.end() >= low * 0.8]
    if ends:
        return text[: ends[-1]]
    return text.rsplit(" ", 1)[0] if " " in text else text


def _degenerate(text: str) -> bool:
    words = text.lower().split()
    return len(words) >= 12 and len(set(words)) / len(words) < 0.35


def _json_instruction(limits: dict[str, tuple[int, int]]) -> str:
    keys = ", ".join(f'"{name}"' for name in limits)
    return f"Answer with only a JSON object with the keys {keys} and string values, nothing else."
