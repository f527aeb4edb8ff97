"""Make rows: skeleton -> prompt -> model -> parse -> clean -> content checks -> copy check.

Rows are made a chunk at a time: the requests of every row in the chunk (K candidates each, for best of K)
go to the backend in one `generate_all` call, so a backend that decodes sequences together (the embedded
model) or sends requests in parallel (HTTP) serves them at once. Of a row's candidates the one that passes
every check and supports the row's labels most clearly is kept. A row none of whose candidates pass is fed
back to the model with the reason and asked again as a follow-up of that call, a bounded number of times
(instructor's pattern); after that its plan position is given up and the engine tops up.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Collection, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field, replace
from typing import ClassVar

from syngen.backends.base import Backend, Ending, FollowUp, Generation, GenerationRequest
from syngen.errors import ContextOverflow, ParseError
from syngen.generation.checks import ContentChecks, Rejected
from syngen.generation.dedupe import DuplicateIndex, copied_sentence
from syngen.generation.itemwords import said_of_others
from syngen.generation.language import VocabularyCheck
from syngen.generation.lifting import (
    BorrowingRule,
    carried_from,
    lifted_from,
    opened_from,
    opened_with,
    reworded_from,
    without_shared,
)
from syngen.generation.ownwords import OwnWords
from syngen.generation.reasons import RejectReason
from syngen.generation.schema import (
    answer_schema,
    close_points,
    field_limits,
    json_instruction,
    phrase_peak,
    target_chars,
    token_budget,
)
from syngen.generation.stock import StockVoice
from syngen.parsing.answers import closed_fields, open_field, parse_json_object
from syngen.profiling.model import DatasetProfile
from syngen.profiling.textshape import sentence_ends
from syngen.prompts.fewshot import FewShotPicker
from syngen.prompts.strategies import PromptStrategy
from syngen.sampling.planner import RowPlanner, Skeleton

ATTEMPTS_PER_ROW = 3  # a row whose label is hard to write (a 1-star review) is not given up early
OPENING_WORDS = 3  # a main text asked for fewer words is not given its first one

__all__ = ["ATTEMPTS_PER_ROW", "Attempt", "Rejected", "RowMaker", "RowOutcome"]


@dataclass(frozen=True)
class Attempt:
    """One answer the model gave for a row: the prompt it saw, what it said, and the verdict. `reason` is empty
    when the answer passed every check (kept, or passed but beaten by a better candidate)."""

    attempt: int  # 0 for the first prompt, 1.. for retries
    messages: list[dict]
    answer: str
    reason: str = ""
    detail: str = ""
    kept: bool = False


@dataclass
class RowOutcome:
    position: int
    row: dict[str, str] | None = None
    reasons: list[str] = field(default_factory=list)  # one per rejected answer
    last_output: str = ""
    tokens_in: int = 0
    tokens_out: int = 0
    accepted_tokens: int = 0  # completion tokens of the answer that was kept
    examples: list[int] = field(default_factory=list)
    attempts: list[Attempt] = field(default_factory=list)  # every answer, in the order judged


@dataclass
class _Draft:
    """One row on its way: its plan, what it was shown, the prompt of its next attempt, and its outcome."""

    skeleton: Skeleton
    limits: dict[str, tuple[int, int]]
    shown: list[int]
    messages: list[dict]
    outcome: RowOutcome
    attempt: int = 0
    hidden: set[str] = field(default_factory=set)  # facts echoed by an earlier answer: no longer in its prompt
    copied: set[int] = field(default_factory=set)  # examples an earlier answer copied: never shown to it again
    answers: dict[int, Generation] = field(default_factory=dict)  # the current attempt's candidates so far
    watches: dict[int, _FieldWatch] = field(default_factory=dict)  # request number -> its answer's watch

    @property
    def done(self) -> bool:
        return self.outcome.row is not None


@dataclass
class RowMaker:
    profile: DatasetProfile
    planner: RowPlanner
    picker: FewShotPicker
    strategy: PromptStrategy
    backend: Backend
    copies: dict[str, DuplicateIndex]  # column -> its real texts, for the sentence columns: none may be copied
    vocabulary: VocabularyCheck  # the real data's common words; a text must share some of them
    checks: ContentChecks
    topic: str
    seed: int
    temperature: float
    candidates: int = 1  # answers drawn per row and attempt; the best one that passes is kept
    record_attempts: bool = False  # keep every prompt and answer in the outcome (preview, audit)
    stock: StockVoice | None = None  # learns the stock-text check with this maker's backend, before its first rows
    # Sentence column -> how its answers are judged against their examples (lifting.py): a headline cut down from
    # an example's ("NHL Owners Lock Out Players") is a lift as a main text's opening is.
    borrowing: dict[str, BorrowingRule] = field(default_factory=dict)
    _examples_stated: dict[int, dict[str, str]] = field(default_factory=dict, init=False, repr=False)
    templated: frozenset[str] = frozenset()  # columns whose real texts copy one another: only exact copies count
    own_words: OwnWords | None = None  # words one real row alone holds: two of one row's in a text copy that row
    openings: bool = False  # a pattern backend's main text opens with a real text's first word (`_openings`)

    def __post_init__(self) -> None:
        self.main_text = self.picker.main_text

    def make(self, position: int) -> RowOutcome:
        return self.make_many([position])[0]

    def make_many(self, positions: Sequence[int]) -> list[RowOutcome]:
        """One outcome per position, in order. Each depends only on the seed and these positions (the chunk the
        engine hands over): an embedded model's answers shift a little with the batch they are decoded in.
        The chunk's first attempts go to the backend at once; each row is judged as soon as its candidates are
        in, and a rejected row's retry follows at once (the embedded model runs it while others still decode)."""
        self._learn_stock_check()
        drafts = [self._draft(position) for position in positions]
        owners: list[_Draft] = []  # request number -> its row

        def requests(draft: _Draft) -> list[GenerationRequest]:
            asked = [self._request(draft, draft.attempt, k) for k in range(self.candidates)]
            draft.watches.update({len(owners) + k: request.watch for k, request in enumerate(asked)})
            owners.extend([draft] * len(asked))
            return asked

        def follow_up(number: int, answer: Generation) -> list[GenerationRequest]:
            draft = owners[number]
            draft.answers[number] = answer
            if len(draft.answers) < self.candidates:
                return []
            self._judge(draft, [(draft.answers[n], draft.watches.pop(n)) for n in sorted(draft.answers)])
            draft.answers, draft.attempt = {}, draft.attempt + 1
            return [] if draft.done or draft.attempt == ATTEMPTS_PER_ROW else requests(draft)

        # Rows with equal prompt prefixes (same block, same values: same examples) next to each other, so a
        # backend answering one request at a time reuses its prompt cache.
        ordered = sorted((d for d in drafts if not d.done), key=lambda d: _prompt_key(d.messages))
        first = [request for draft in ordered for request in requests(draft)]
        self._answers(first, follow_up, drafts)
        return [d.outcome for d in drafts]

    def _learn_stock_check(self) -> None:
        if self.stock is None or self.stock.learned:
            return
        self.checks.stock = self.stock.learn(self.backend)
        self.profile.stock_check = self.stock.summary
        if self.stock.note:
            self.profile.notes.append(self.stock.note)

    def _answers(self, requests: list[GenerationRequest], follow_up: FollowUp, drafts: list[_Draft]) -> None:
        try:
            self.backend.generate_all(requests, follow_up)
        except ContextOverflow as exc:
            name, words = max(((n, w) for d in drafts for n, w in d.skeleton.text_targets.items()),
                              key=lambda item: item[1], default=("", 0))
            raise ContextOverflow(f"{exc.message}; the longest text asked for is a {words}-word '{name}'",
                                  "Use --length low, or a model with a longer context (--model-path)") from exc

    def _draft(self, position: int) -> _Draft:
        skeleton = self.planner.skeleton(position)
        outcome = RowOutcome(position)
        if not skeleton.text_targets:  # every text planned empty: nothing to ask ("Write  for this entry"), no examples
            outcome.row = dict(skeleton.values)
            return _Draft(skeleton, {}, [], [], outcome)
        picked = self.picker.pick(position // self.strategy.rotate_every, position, skeleton.values,
                                  skeleton.text_targets.get(self.main_text))
        outcome.examples = self._of_own_item(skeleton, picked)
        limits = field_limits(self.profile, skeleton, self.strategy.length_tolerance, self.checks.trimmed)
        shown = list(outcome.examples)
        return _Draft(skeleton, limits, shown, self._messages(skeleton, shown, limits), outcome)

    def _of_own_item(self, skeleton: Skeleton, picked: list[int]) -> list[int]:
        """`picked`, with the examples that say words of other items than the row's (itemwords.py) swapped for rows
        of the same pool that do not, where it has them: shown a flaxseed oil review, the model wrote of a biotin
        row "The best way to eat flax oil ..." (60 supplements rows, seed 11: other_item rejections 29 before, 6 after).
        """
        unfit = self._says_other_items(skeleton)
        kept = [index for index in picked if not unfit(index)]
        if len(kept) == len(picked):
            return picked
        swapped = self.picker.top_up(skeleton.values, skeleton.text_targets.get(self.main_text), kept, set(picked),
                                     seed=skeleton.position * 31, unfit=unfit)
        # A pool with too few such rows keeps its own examples: one shown fewer examples writes stock text.
        return swapped + [index for index in picked if index not in kept][:len(picked) - len(swapped)]

    def _says_other_items(self, skeleton: Skeleton) -> Callable[[int], bool]:
        """Does a real row, shown as an example, say words of other items than this row's?"""
        check = self.checks.item_words
        if check is None:
            return lambda index: False
        facts = self._facts(skeleton)
        texts = self.picker.text_columns
        return lambda index: said_of_others(check, self.picker.example(index), texts, facts) is not None

    def _request(self, draft: _Draft, attempt: int, candidate: int) -> GenerationRequest:
        position = draft.skeleton.position
        # Pattern backends: past its target length (its close point) a whole-sentence field ends at its first
        # sentence end, and the request says where each should end, before its bound.
        pattern = self.backend.supports_pattern
        closes = close_points(self.profile, draft.skeleton) if pattern else {}
        return GenerationRequest(
            messages=draft.messages,
            json_schema=self._schema(draft, closes, candidate) if self.backend.supports_schema else None,
            max_tokens=token_budget(draft.limits), temperature=self.temperature,
            seed=(self.seed * 1_000_003 + position * 31 + attempt + candidate * 7_919) % (2**31),
            watch=_FieldWatch(self, draft) if self.backend.supports_schema else None,
            endings={name: self._ending(name, close, draft.limits[name][1])
                     for name, close in closes.items() if name in draft.limits},
        )

    def _ending(self, name: str, close: int, bound: int) -> Ending:
        if name in self.checks.trimmed:
            return Ending(close, bound)
        closer = self.checks.wrappers().get(name, ("", ""))[1]
        return Ending(close, phrase_peak(bound, close), closes=True, after=self.checks.closing_words(name),
                      closer=closer)

    def _schema(self, draft: _Draft, closes: dict[str, int], candidate: int) -> dict:
        if not self.backend.supports_pattern:
            return answer_schema(draft.limits)
        whole, patterns = self.checks.trimmed, self.checks.patterns()
        sentence_closes = {name: close for name, close in closes.items() if name in whole}
        return answer_schema(draft.limits, patterns, whole, sentence_closes, self._stated(draft),
                             self.checks.wrappers(), self._openings(draft, candidate, patterns))

    def _openings(self, draft: _Draft, candidate: int, patterns: dict[str, str]) -> dict[str, str]:
        """The main text's first word, from a real text of the row's own values (`FewShotPicker.opening`), for a
        pattern backend to open with; one per attempt and candidate. Only a text of sentences long enough to go
        on after it, and a word its allowed characters hold."""
        name = self.main_text
        target = draft.skeleton.text_targets.get(name, 0)
        if not self.openings or name not in draft.limits or name not in self.checks.trimmed or target < OPENING_WORDS:
            return {}
        word = self.picker.opening(draft.skeleton.values, target, (draft.skeleton.position, draft.attempt, candidate))
        allowed = patterns.get(name)
        if not word or (allowed is not None and not re.fullmatch(f"(?:{allowed})+", word + " ")):
            return {}
        return {name: word + " "}

    def _stated(self, draft: _Draft) -> dict[str, str]:
        """The values an answer of a pattern backend (the embedded model) opens with, as its examples show them:
        written after `{"rating": "1", ` a small model's title follows its 1-star examples; written straight
        after `{` it often does not (demo, 20 rows, seeds 1 and 2: README)."""
        return {name: draft.skeleton.values.get(name, "") for name in self.picker.stated_columns
                if name not in draft.hidden}

    def _judge(self, draft: _Draft, answers: list[tuple[Generation, _FieldWatch | None]]) -> None:
        """Keep the best candidate that passes; otherwise prepare the next attempt from the first rejection."""
        outcome = draft.outcome
        passed: list[tuple[float, dict[str, str], Generation]] = []
        verdicts: list[tuple[Generation, Rejected | None, Rejected | None]] = []  # answer, rejection, cut back for
        for answer, watch in answers:
            outcome.tokens_in += answer.tokens_in
            outcome.tokens_out += answer.tokens_out
            outcome.last_output = answer.text
            try:
                row, cut_for = self._judged(draft, answer, watch)
                passed.append((self.checks.agreement(row, draft.limits), row, answer))
                verdicts.append((answer, None, cut_for))
            except Rejected as rejection:
                outcome.reasons.append(rejection.reason)
                verdicts.append((answer, rejection, None))
        kept = max(passed, key=lambda item: item[0]) if passed else None
        if self.record_attempts:
            outcome.attempts += [_attempt(draft, answer, rejection, kept is not None and answer is kept[2], cut_for)
                                 for answer, rejection, cut_for in verdicts]
        if kept is not None:
            _, outcome.row, answer = kept
            outcome.accepted_tokens, outcome.last_output = answer.tokens_out, answer.text
            return
        rejection = verdicts[0][1]
        draft.shown, draft.messages = self._retry(draft, rejection)

    def _judged(self, draft: _Draft, answer: Generation, watch: _FieldWatch | None
                ) -> tuple[dict[str, str], Rejected | None]:
        """The answer's row, and None; or its row cut back (`_cut_back`), and what it was cut back for. Raises
        Rejected."""
        try:
            if answer.finish_reason == "abandoned" and watch is not None and watch.rejection is not None:
                raise watch.rejection
            return self._row(draft, answer), None
        except Rejected as rejection:
            return self._cut_back(draft, answer, rejection), rejection

    def _cut_back(self, draft: _Draft, answer: Generation, rejection: Rejected) -> dict[str, str]:
        """An answer whose last text failed for what one of its sentences says (a prompt fragment, a copied
        sentence, a clause said twice, another item's word, stock wording) is cut back to an earlier sentence end
        the trim would keep, as a text past its target is trimmed, and judged whole like any answer: given up
        there by the watch or written to its end alike. Where no cut passes, the answer is rejected for what was
        found first, so the retry is told of the flaw the model wrote. In a 100-row audit of the supplements data, 18
        of 124 rejected answers had a whole sentence before the one they were rejected for."""
        last = list(draft.limits)[-1]
        values = dict(closed_fields(answer.text))
        opened = open_field(answer.text)
        if opened is not None and opened[0] == last:
            values[last] = opened[1]
        if rejection.reason not in _CUT_BACK or any(name not in values for name in draft.limits):
            raise rejection
        target = target_chars(self.profile, draft.skeleton, last)
        for kept in self.checks.shorter_wholes(last, values[last], rejection.text, target)[:CUT_BACK_TRIES]:
            cut = replace(answer, text=json.dumps({**{name: values[name] for name in draft.limits}, last: kept}),
                          finish_reason="stop")
            try:
                return self._row(draft, cut)
            except Rejected:
                continue
        raise rejection

    def _messages(self, skeleton: Skeleton, examples: list[int], limits: dict[str, tuple[int, int]],
                  hidden: AbstractSet[str] = frozenset()) -> list[dict]:
        if hidden:
            skeleton = replace(skeleton, context={k: v for k, v in skeleton.context.items() if k not in hidden},
                               values={k: "" if k in hidden else v for k, v in skeleton.values.items()})
        messages = self.strategy.build(self.topic, skeleton, [self.picker.example(i) for i in examples],
                                       self.picker.stated_columns, limits, self.picker.scales)
        if not self.backend.supports_schema:
            messages[-1]["content"] += "\n" + json_instruction(limits)
        return messages

    def _retry(self, draft: _Draft, rejection: Rejected) -> tuple[list[int], list[dict]]:
        """The next attempt's examples and prompt. Told that it copied, a small model often copies again, so an
        answer that copies one of its examples (whatever it was rejected for; told only a reason that is not the
        copy) is asked again with another real row of its pool in that example's place. Any other rejection asks
        again with the same prompt, the reason added at its end, and a new seed (instructor's pattern, without
        the rejected answer: shown it, SmolLM2 repeated it word for word in 24 of 26 retries on the supplements
        data; without it, 10 of 21 retries passed). Likewise an answer that repeats one of the row's facts (its
        item's name as a review's title) is asked again without that fact, unless the text is checked against
        it; the check still reads every fact."""
        copied = self._copied_examples(rejection, draft.shown)
        shown = [i for i in draft.shown if i not in copied]
        if copied:
            draft.copied |= copied
            shown = self._top_up(draft, shown, rejection)
        hiding = rejection.fact is not None and rejection.fact not in {check.column for check in self.checks.labels}
        if hiding:
            draft.hidden.add(rejection.fact)
        messages = self._messages(draft.skeleton, shown, draft.limits, draft.hidden)
        if not hiding and not (copied and rejection.reason in _COPIES):
            messages[-1]["content"] += f"\nAn earlier answer was rejected: {rejection}."
        return shown, messages

    def _top_up(self, draft: _Draft, kept: list[int], rejection: Rejected) -> list[int]:
        skeleton = draft.skeleton
        other = self._says_other_items(skeleton)
        shown = self.picker.top_up(skeleton.values, skeleton.text_targets.get(self.main_text), kept, draft.copied,
                                   seed=skeleton.position * 31 + draft.attempt,
                                   unfit=lambda index: self._copies(rejection.text, index) or other(index))
        draft.outcome.examples += [i for i in shown if i not in draft.outcome.examples]  # the privacy record
        return shown

    def _copied_examples(self, rejection: Rejected, shown: list[int]) -> set[int]:
        """The shown examples the rejected text copies, whatever it was rejected for (empty if it copied none):
        shown again, the model parrots them again. On a clothing-review table of our own 16 of 23 rejections as
        not matching the rating were an example's title ("beyond expectations") written again and again."""
        if not rejection.text:
            return set()
        return {index for index in shown if self._copies(rejection.text, index)}

    def _copies(self, text: str, index: int) -> bool:
        """`text` copies one of the example's texts (its title too, though titles are not copy-checked) or repeats
        one of its stated values word for word."""
        texts = [self.picker.example(index).get(name, "") for name in {**self.copies, **self.checks.shapes}]
        example = DuplicateIndex()
        example.add_all(texts)
        echo = self.checks.echo
        rule = self.borrowing.get(self.main_text, BorrowingRule())
        return bool(example.check(text) or _borrowed(text, texts, rule) or self._taken(text, [index]) is not None
                    or echo is not None and any(echo.repeats(name, text, self._example_facts(index))
                                                for name in self.checks.shapes))

    def _row(self, draft: _Draft, answer: Generation) -> dict[str, str]:
        try:
            parsed = parse_json_object(answer.text)
        except ParseError as exc:
            raise Rejected(RejectReason.UNPARSEABLE, "it was not a JSON object with the fields asked for") from exc
        row = dict(draft.skeleton.values)
        for name in draft.limits:
            row[name] = self._clean(name, parsed.get(name), draft, answer.finish_reason == "length")
        self._leaks(row, draft.limits, draft)
        for name in self.copies:
            self._check_copy(name, row.get(name, ""))
        for name in self.copies:
            self._check_borrowing(name, row.get(name, ""), draft)
        self.checks.on_topic(row, draft.limits)  # first: the retry is told the text is off the subject
        self.checks.stock_text(row, draft.limits)
        self.checks.written_apart(row, draft.limits)
        self.checks.mismatch(row, draft.limits)
        self.checks.names_another(row, draft.limits)
        return row

    def field_verdict(self, draft: _Draft, name: str, value: str) -> None:
        """The checks one field can pass or fail on its own (its ending, repetition, fragments, the row's labels),
        as soon as the model has closed it; raises Rejected as the whole answer's checks would."""
        row = dict(draft.skeleton.values)
        row[name] = self._clean(name, value, draft, stopped=False)
        self._leaks(row, [name], draft)
        self.checks.written_apart(row, [name])
        self.checks.mismatch(row, [name])

    def open_verdict(self, draft: _Draft, name: str, partial: str) -> None:
        """The checks a field still being written fails for good: what its finished text is sure to keep carries
        a prompt fragment, says a clause twice, or reads like stock text (in its whole sentences). Raises Rejected
        as the whole answer's checks would, so a runaway text ("... the morning. <b>Fitness</b></strong>...")
        stops at the tag."""
        settled = self.checks.settled(name, partial, target_chars(self.profile, draft.skeleton, name))
        if not settled:
            return
        row = dict(draft.skeleton.values)
        row[name] = settled
        self._leaks(row, [name], draft)
        ends = sentence_ends(settled)
        if ends:
            sentences = settled[: ends[-1]]
            self.checks.repeated_clause(name, sentences)
            self.checks.stock_opening(name, sentences)
            if name in self.copies:
                self._check_borrowing(name, sentences, draft, settled=True)

    def _leaks(self, row: dict[str, str], fields: list[str], draft: _Draft) -> None:
        """What the prompt gave away: its markup and words, the row's own facts or a shown example's word for word
        (an app review's text ending "We're glad it works, and we'll be back" from an example's reply "We're glad it
        works for you")."""
        self.checks.leaks(row, fields, self._facts(draft.skeleton))
        for index in draft.shown if self.checks.echo is not None else ():
            facts = self._example_facts(index)
            for name in fields:
                found = self.checks.echo.repeats(name, row[name], facts)
                if found:
                    raise Rejected(RejectReason.PROMPT_FRAGMENT, f'"{name}" repeats an example\'s {found[0]} word for '
                                   f'word ("{found[1]}"): say it in your own words', row[name])

    def _example_facts(self, index: int) -> dict[str, str]:
        """What the prompt states about a shown example: its values in the stated context columns (kept: asked at
        every sentence end of every answer that shows it)."""
        if index not in self._examples_stated:
            example = self.picker.example(index)
            self._examples_stated[index] = {column: example[column] for column in self.picker.stated_columns
                                            if example.get(column)}
        return self._examples_stated[index]

    def _facts(self, skeleton: Skeleton) -> dict[str, str]:
        """What the prompt states about the row: its item's catalogue facts and its values in context columns."""
        values = skeleton.values
        return {**skeleton.context, **{name: values[name] for name in self.picker.context_columns
                                             if values.get(name)}}

    def _clean(self, name: str, value, draft: _Draft, stopped: bool) -> str:
        """`stopped`: the answer ran out of tokens (in the middle of its last field)."""
        if value is None or not str(value).strip():
            raise Rejected(RejectReason.EMPTY_FIELD, f'"{name}" was empty')
        low, high = draft.limits[name]
        text = self.checks.unwrapped(name, self.checks.tidy(name, str(value)))
        self.checks.not_left_out(name, text)
        # As written, before any trimming: "Clearbrook Labs" cut back to "Clearbrook" still echoed its item.
        self.checks.echoes({name: text}, [name], self._facts(draft.skeleton))
        cut = len(text) >= high - 1 or stopped or self.checks.broken_at_bound(name, text, high)
        target = target_chars(self.profile, draft.skeleton, name)
        # Past the bound, the writer was not held to it (a backend without the schema): its full stop is its own.
        text = self.checks.whole(name, text, target, cut, forced_end=cut and len(text) <= high)
        text = self.checks.wrapped(name, self.checks.opened_plainly(name, text))
        self.checks.formatted(name, text)
        if not self.backend.supports_schema and not (low * 0.5 <= len(text) <= high * 1.5):
            raise Rejected(RejectReason.WRONG_LENGTH, f'"{name}" should have {low}-{high} characters, not {len(text)}')
        self.checks.repetition(name, text)
        return text

    def _check_borrowing(self, name: str, text: str, draft: _Draft, settled: bool = False) -> None:
        """The text takes from an example it was shown: its sentences or wording (`_borrowed`), or two words only
        that example's real row uses (ownwords.py). `settled`: the whole sentences of a text still being written,
        judged only on what the rest cannot undo (a copied sentence stays copied; a share of copied wording may
        fall). On the supplements data the answers that copied a sentence drew 3-5% of all answer text after it
        (`--audit` of 200 rows). Not in a templated column: its real texts share their sentences and words too."""
        if name in self.templated or not text:
            return
        how = _borrowed(text, [self.picker.example(i).get(name, "") for i in draft.shown],
                        self.borrowing.get(name, BorrowingRule()), unfinished=settled)
        if how:
            raise Rejected(RejectReason.NEAR_COPY, f"its {name} {how} a real example", text)
        taken = self._taken(text, draft.shown, draft)
        if taken is not None:
            raise Rejected(RejectReason.NEAR_COPY, f"its {name} takes words only one real row uses "
                           f"({', '.join(taken[1])}): write about this entry in words of your own", text)

    def _taken(self, text: str, shown: Collection[int], draft: _Draft | None = None
               ) -> tuple[object, list[str]] | None:
        """Of the rows `shown` only. Of the supplements' reviews split in halves, a text held two words only one
        row of the other half uses in 3.1% of texts ("pleasantly surprised"), but two of one of three rows of it
        drawn at random in none of 3,270 (five splits)."""
        if self.own_words is None or not text:
            return None
        facts = self._facts(draft.skeleton).values() if draft is not None else ()
        return self.own_words.taken(text, facts, among=shown)

    def _check_copy(self, name: str, text: str) -> None:
        if not text:
            return
        problem = self.copies[name].check(text)
        if problem:
            raise Rejected(problem, f"its {name} copies a real row", text)
        if name == self.main_text and self.vocabulary.is_foreign(text):
            letters = ", ".join(self.vocabulary.foreign_letters(text)[:5])
            raise Rejected(RejectReason.WRONG_LANGUAGE, f"its {self.main_text} is not in the language of the real "
                           "examples" + (f" (letters no real text uses: {letters})" if letters else ""))


@dataclass
class _FieldWatch:
    """Judges each field of an answer as the model closes it: a title that contradicts the row's rating fails
    the answer before its text is written (the engine keeps the rejection; the backend stops the answer). A
    field still being written is judged at its sentence ends and tags on what it is sure to keep."""

    maker: RowMaker
    draft: _Draft
    judged: int = 0  # fields already judged
    rejection: Rejected | None = None
    triggers: ClassVar[bytes] = b'".!?>'  # a closing quote; a sentence or a tag that may have ended

    def gives_up(self, partial: str) -> bool:
        try:
            self._judge_closed(partial)
            self._judge_open(partial)
        except Rejected as rejection:
            self.rejection = rejection
            return True
        return False

    def _judge_closed(self, partial: str) -> None:
        # A closed last field is judged with the whole answer: stopping there saves no tokens, and the whole
        # answer's check order (off topic before label) gives the retry its reason.
        last = list(self.draft.limits)[-1]
        closed = [(name, value) for name, value in closed_fields(partial) if name in self.draft.limits]
        for name, value in closed[self.judged:]:
            if name == last:
                return
            self.judged += 1
            self.maker.field_verdict(self.draft, name, value)

    def _judge_open(self, partial: str) -> None:
        opened = open_field(partial)
        if opened is not None and opened[0] in self.draft.limits:
            self.maker.open_verdict(self.draft, *opened)


_COPIES = (RejectReason.EXACT_COPY, RejectReason.NEAR_COPY)
# What one sentence of a text can be rejected for: cut away, the sentences before it may pass.
_CUT_BACK = frozenset({RejectReason.PROMPT_FRAGMENT, RejectReason.NEAR_COPY, RejectReason.REPETITIVE,
                       RejectReason.OTHER_ITEM, RejectReason.STOCK_TEXT})
CUT_BACK_TRIES = 2  # each runs a whole answer's checks, on the thread that feeds the model


def _borrowed(text: str, examples: list[str], rule: BorrowingRule, unfinished: bool = False) -> str | None:
    """How `text` takes from one of the shown `examples` (a whole sentence, much of its wording, eight words in a
    row or, where `rule` checks them, its first sentence unless a common one, its first words making half of it,
    most of an example's wording, or all of it reworded), the sentences several real texts share left out of the
    examples; None: not. An `unfinished` text (its whole sentences) is judged on what follows cannot undo: a
    copied sentence, its first, what it carries of an example."""
    examples = [without_shared(example, rule.shared) for example in examples]
    if copied_sentence(text, examples):
        return "copies a sentence of"
    if rule.checked and opened_with(text, examples, rule.common) is not None:
        return "opens with the first sentence of"
    if rule.carried and carried_from(text, examples) is not None:
        return "carries most of the wording of"
    if unfinished:
        return None
    if lifted_from(text, examples) is not None:
        return "takes its wording from"
    if rule.reworded and reworded_from(text, examples) is not None:
        return "rewords"
    if rule.checked and opened_from(text, examples) is not None:
        return "is mostly the opening of"
    return None


def _attempt(draft: _Draft, answer: Generation, rejection: Rejected | None, kept: bool,
             cut_for: Rejected | None = None) -> Attempt:
    """The audit's record of one answer: as the model wrote it, and, when it passed cut back, what was cut."""
    detail = str(rejection) if rejection else f"cut back to its sentences before this: {cut_for}" if cut_for else ""
    return Attempt(draft.attempt, draft.messages, answer.text, rejection.reason if rejection else "", detail, kept)


def _prompt_key(messages: list[dict]) -> str:
    return "\x1e".join(m["content"] for m in messages)

