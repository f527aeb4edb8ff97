"""Continuous batching for the local backend: many requests decoded as sequences of one llama.cpp context.

Each slot is one sequence id with its own cache stream, large enough for any request of the batch (the backend
grows it before the batch). Requests take free slots in request order; a new request's prompt takes the longest
equal prefix already in the cache (of any slot: the same few-shot text, or the K candidates of one row), so
only the rest is decoded. Every step decodes one token of each generating sequence plus prompt tokens
of newly admitted ones, up to n_batch; a sequence that finishes frees its slot at once for the next request.
The order of everything is fixed by the request order, and the cache is emptied at each `reset` (the start of a
chunk of rows; llama.cpp's logits depend a little on how a prefix was decoded), so the same chunk of requests,
seeds and number of slots gives the same answers, whatever ran before; a retry within the chunk takes the cells
of its first attempt's prompt.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from syngen.backends.base import Generation, GenerationRequest
from syngen.backends.endings import NO_BIAS, EndingPressure
from syngen.backends.local_llama import Entry, LlamaRuntime
from syngen.backends.local_sampling import SequenceSampler

Finished = Callable[["Job", Generation], list["Job"]]  # a finished job and its answer -> jobs to run next
MIN_SHARED_GAIN = 16  # a request waits one step for a prompt being decoded when it would share this many more tokens


@dataclass
class Placement:
    """Which sequence a request ran in, the decode steps it was admitted and finished at, and the prompt tokens
    it took from the cache."""

    index: int
    seq: int
    admitted_at: int
    shared_tokens: int
    finished_at: int = -1


@dataclass
class DecodeTally:
    """Where the decoding time goes: steps that decode prompt tokens (beside any tokens drawn in the same step)
    against steps that only draw. Kept for the backend's life; benchmarks print it."""

    prompt_steps: int = 0
    prompt_tokens: int = 0
    prompt_seconds: float = 0.0
    draw_steps: int = 0
    drawn_tokens: int = 0
    draw_seconds: float = 0.0

    def add(self, prompt_tokens: int, drawn: int, seconds: float) -> None:
        if prompt_tokens:
            self.prompt_steps += 1
            self.prompt_tokens += prompt_tokens
            self.prompt_seconds += seconds
        else:
            self.draw_steps += 1
            self.draw_seconds += seconds
        self.drawn_tokens += drawn


@dataclass
class Job:
    index: int
    request: GenerationRequest
    prompt: list[int]
    sampler: SequenceSampler
    pieces: list[bytes] = field(default_factory=list)
    opening: int = 0  # the first pieces: what the schema forced at the start, fed with the prompt, not drawn
    fed: int = 0  # prompt tokens already in the cache
    next_token: int = -1  # drawn, not yet decoded
    finish: str | None = None
    placement: Placement | None = None
    endings: EndingPressure | None = field(default=None, init=False)  # from the request's endings

    def __post_init__(self) -> None:
        self.endings = EndingPressure(self.request.endings) if self.request.endings else None

    @property
    def generating(self) -> bool:
        return self.fed == len(self.prompt)

    def text(self) -> str:
        return b"".join(self.pieces).decode("utf-8", "ignore")


@dataclass
class Slot:
    seq: int
    tokens: list[int] = field(default_factory=list)  # the tokens whose cells the cache holds for this sequence
    job: Job | None = None


class Scheduler:
    """Runs one batch of jobs to the end over the runtime's sequences."""

    def __init__(self, runtime: LlamaRuntime, n_slots: int) -> None:
        self.runtime = runtime
        self.slots = [Slot(seq) for seq in range(n_slots)]
        self.steps = 0
        self.placements: list[Placement] = []  # of the last run
        self.tally = DecodeTally()

    def reset(self) -> None:
        """Empty the cache: what runs next depends on nothing that ran before."""
        self.runtime.clear()
        for slot in self.slots:
            slot.tokens, slot.job = [], None

    def run(self, jobs: Sequence[Job], finished: Finished | None = None) -> list[Job]:
        """Run the jobs to the end; the cache keeps what earlier runs since `reset` left, for their prefixes.
        Each finished job goes to `finished`, and the jobs it returns (a retry) are run next, ahead of those
        waiting, in the slot that holds their prompt. Returns the jobs that need more context than a sequence
        has: the caller grows it and runs them."""
        waiting, deferred, started = deque(jobs), [], list(jobs)
        self.steps, self.placements = 0, []
        try:
            while waiting or self._busy():
                self._admit(waiting, deferred)
                for job in self._step():
                    job.sampler.close()
                    more = finished(job, self._generation(job)) if finished else []
                    started += more
                    waiting.extendleft(reversed(more))
        finally:
            for slot in self.slots:
                if slot.job is not None:  # stopped by an error: half-made sequences leave nothing behind
                    self.runtime.forget(slot.seq)
                    slot.tokens, slot.job = [], None
            kept = {id(job) for job in deferred}
            for job in started:
                if id(job) not in kept:
                    job.sampler.close()
        return deferred

    def _busy(self) -> bool:
        return any(slot.job is not None for slot in self.slots)

    def _admit(self, waiting: deque[Job], deferred: list[Job]) -> None:
        """Free slots take waiting jobs in order; each job the free slot whose cache holds most of its prompt
        (a retry, the slot of its first attempt), so that cells other jobs may still need stay where they are."""
        while waiting:
            free = [slot for slot in self.slots if slot.job is None]
            if not free:
                return
            job = waiting[0]
            if len(job.prompt) + job.request.max_tokens > self.runtime.n_ctx:
                deferred.append(waiting.popleft())
                continue
            slot = max(free, key=lambda s: (_common(s.tokens, job.prompt), -s.seq))
            if self._worth_waiting(job, slot):
                return  # a prompt being decoded now shares more with it: take those cells next step
            self._place(waiting.popleft(), slot)

    def _worth_waiting(self, job: Job, slot: Slot) -> bool:
        cached = self._longest_prefix(job.prompt, slot)[1]
        coming = [_common(other.job.prompt, job.prompt) for other in self.slots
                  if other.job is not None and not other.job.generating]
        return max(coming, default=0) > cached + MIN_SHARED_GAIN

    def _place(self, job: Job, slot: Slot) -> None:
        source, length = self._longest_prefix(job.prompt, slot)
        length = min(length, len(job.prompt) - 1)  # the last prompt token is decoded again for its logits
        if source is slot:
            self.runtime.forget(slot.seq, length)
        else:
            self.runtime.forget(slot.seq)
            if length:
                self.runtime.share(source.seq, slot.seq, length)
        slot.tokens, slot.job, job.fed = job.prompt[:length], job, length
        job.placement = Placement(job.index, slot.seq, self.steps, length)
        self.placements.append(job.placement)

    def _longest_prefix(self, prompt: list[int], slot: Slot) -> tuple[Slot, int]:
        best, best_length = slot, _common(slot.tokens, prompt)
        for other in self.slots:
            length = _common(other.tokens, prompt)
            if length > best_length:
                best, best_length = other, length
        return best, best_length

    def _step(self) -> list[Job]:
        drawing = sum(1 for slot in self.slots if slot.job is not None and slot.job.generating)
        entries, owners = self._entries()
        started = time.perf_counter()
        self.runtime.decode(entries)
        self.steps += 1
        finished = []
        for index, slot in owners:
            self._advance(slot, self.runtime.logits(index))
            if slot.job.finish is not None:
                slot.job.placement.finished_at = self.steps
                finished.append(slot.job)
                slot.job = None
        self.tally.add(len(entries) - drawing, drawing, time.perf_counter() - started)
        return finished

    def _entries(self) -> tuple[list[Entry], list[tuple[int, Slot]]]:
        """Generating sequences first (one token each), then prompt tokens of new ones, up to n_batch."""
        entries: list[Entry] = []
        owners: list[tuple[int, Slot]] = []
        active = [slot for slot in self.slots if slot.job is not None]
        for slot in active:
            if slot.job.generating:
                owners.append((len(entries), slot))
                entries.append(Entry(slot.job.next_token, len(slot.tokens), slot.seq, True))
                slot.tokens.append(slot.job.next_token)
        for slot in active:
            job, room = slot.job, self.runtime.n_batch - len(entries)
            if job.generating or room <= 0:
                continue
            chunk = job.prompt[job.fed: job.fed + room]
            entries += [Entry(token, job.fed + i, slot.seq, False) for i, token in enumerate(chunk)]
            job.fed += len(chunk)
            slot.tokens = job.prompt[: job.fed]
            if job.generating:
                entries[-1] = Entry(chunk[-1], job.fed - 1, slot.seq, True)
                owners.append((len(entries) - 1, slot))
        return entries, owners

    def _advance(self, slot: Slot, logits) -> None:
        """Draw the next token of the slot's sequence and decide whether the answer is complete."""
        job = slot.job
        token = job.sampler.sample(logits, job.endings.bias(job.text()) if job.endings else NO_BIAS)
        if self.runtime.is_end(token) and job.sampler.allows_end():
            job.finish = "stop"
            return
        job.next_token = token
        piece = self.runtime.piece(token)
        job.pieces.append(piece)
        if _gives_up(job):
            job.finish = "abandoned"
        elif job.sampler.finished or _hits_stop(job):
            job.finish = "stop"
        elif len(job.pieces) - job.opening >= job.request.max_tokens:  # drawn tokens: the forced are the prompt's
            job.finish = "length"

    @staticmethod
    def _generation(job: Job) -> Generation:
        text = job.text()
        for stop in job.request.stop:
            text = text.split(stop, 1)[0] if stop else text
        return Generation(text=text, tokens_in=len(job.prompt), tokens_out=len(job.pieces) - job.opening,
                          finish_reason=job.finish or "stop", model="")


def _common(a: list[int], b: list[int]) -> int:
    limit = min(len(a), len(b))
    for i in range(limit):
        if a[i] != b[i]:
            return i
    return limit


def _gives_up(job: Job) -> bool:
    """Asked only at the watch's triggers (where a field or a sentence may have ended) and the token after one
    (where that ending shows): a check per token would cost as much as the token."""
    watch = job.request.watch
    recent = b"".join(job.pieces[-2:])
    return watch is not None and any(byte in recent for byte in watch.triggers) and watch.gives_up(job.text())


def _hits_stop(job: Job) -> bool:
    return bool(job.request.stop) and any(stop and stop in job.text() for stop in job.request.stop)
