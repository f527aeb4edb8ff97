"""A Hugging Face transformers model, in-process, on CPU or GPU: a hub id from the local cache, a model
folder, or a GGUF file (transformers dequantizes it; needs the `gguf` package).

Prompts go through the tokenizer's chat template. Answers are constrained to the row's JSON schema with
lm-format-enforcer (see hf_constrain.py); without it the prompt asks for the JSON in words and the
engine's parser reads and validates the answer, asking again when it fails.
Models are never downloaded here: one missing from the cache gives one line with the command to get it.
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import os
import threading
from pathlib import Path
from typing import Any, ClassVar, Literal

from syngen.backends.base import (
    Backend,
    BackendOptions,
    BackendStatus,
    Generation,
    GenerationRequest,
    ReadyState,
    RetryHandler,
)
from syngen.backends.hf_constrain import allowed_tokens_fn, tokenizer_data
from syngen.backends.structured import with_instruction
from syngen.errors import BackendError, BackendUnavailable
from syngen.torch_loading import loading_model

DEFAULT_MODEL = "Qwen/Qwen2.5-1.5B-Instruct"
NEEDS = ("torch", "transformers")


class HFOptions(BackendOptions):
    model_name: str | None = DEFAULT_MODEL  # hub id, model folder, or path to a .gguf file
    gguf_file: str | None = None  # a GGUF file inside model_name's repository or folder
    device: Literal["auto", "cpu", "cuda", "mps"] = "auto"
    dtype: Literal["auto", "float32", "float16", "bfloat16"] = "auto"
    constrained: bool = True  # schema-constrained decoding with lm-format-enforcer, where installed
    threads: int | None = None  # torch CPU threads (default: torch's choice)


def model_source(options: BackendOptions) -> tuple[str, str | None, bool]:
    """(what from_pretrained loads, the GGUF file in it or None, whether it is a local path)."""
    name = options.model_name or DEFAULT_MODEL
    gguf = getattr(options, "gguf_file", None)
    path = Path(name).expanduser()
    if path.suffix == ".gguf" and path.is_file():
        return str(path.parent), path.name, True
    return (str(path), gguf, True) if path.is_dir() else (name, gguf, False)


def cache_problem(options: BackendOptions) -> str | None:
    """Why the model cannot be loaded from local files, or None when it can."""
    source, gguf, local = model_source(options)
    if local:
        if gguf and not (Path(source) / gguf).is_file():
            return f"{gguf} is not in {source}"
        return None
    from huggingface_hub import try_to_load_from_cache

    try:
        if isinstance(try_to_load_from_cache(source, gguf or "config.json"), str):
            return None
    except ValueError:  # not a valid repository id either: a path that does not exist
        return f"{source} is neither a model folder, a .gguf file nor a Hugging Face model id"
    fetch = f"hf download {source}" + (f" {gguf}" if gguf else "")
    return f"the model {source} is not in the local Hugging Face cache; get it with: {fetch}"


class HFBackend(Backend):
    name = "hf"
    description = "Hugging Face transformers in-process (--model-name: hub id, folder or .gguf)"
    extra = "hf"
    supports_schema = True
    max_concurrency = 1  # one model in memory; parallel calls would only contend for the same cores
    Options: ClassVar[type[BackendOptions]] = HFOptions

    def __init__(self, options: HFOptions | dict[str, Any] | None = None,
                 on_retry: RetryHandler | None = None) -> None:
        super().__init__(options, on_retry)
        # Decided before load(): the engine asks for JSON in words when a backend cannot enforce a schema.
        self.supports_schema = self.options.constrained and importlib.util.find_spec("lmformatenforcer") is not None
        self._model: Any = None
        self._tokenizer: Any = None
        self._vocabulary: Any = None
        self._lock = threading.Lock()

    @classmethod
    def status(cls, options: BackendOptions | None = None) -> BackendStatus:
        options = options or cls.Options()
        missing = [module for module in NEEDS if importlib.util.find_spec(module) is None]
        if missing:
            return BackendStatus(ReadyState.EXTRA_MISSING, f"{', '.join(missing)}: {cls.install_hint()}")
        problem = cache_problem(options)
        if problem:
            return BackendStatus(ReadyState.MODEL_MISSING, problem)
        return BackendStatus(ReadyState.READY, options.model_name or DEFAULT_MODEL)

    def _check(self) -> None:
        missing = [module for module in NEEDS if importlib.util.find_spec(module) is None]
        if missing:
            raise self.missing_extra(missing[0])
        problem = cache_problem(self.options)
        if problem:
            raise BackendUnavailable(problem)

    def load(self) -> None:
        with self._lock:
            if self._model is None:
                self.preflight()
                self._load()

    def _load(self) -> None:
        try:
            import torch
            import transformers
        except ImportError as exc:
            raise self.missing_extra(getattr(exc, "name", None) or "transformers") from exc
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")  # else it warns once threads exist
        if self.options.threads:
            torch.set_num_threads(self.options.threads)
        source, gguf, _ = model_source(self.options)
        device = self._device(torch)
        kwargs: dict[str, Any] = {"local_files_only": True, **({"gguf_file": gguf} if gguf else {})}
        try:
            # transformers' GGUF conversion draws tqdm bars on stderr that no setting turns off; they would
            # tear through the CLI's own progress line.
            with loading_model(), contextlib.redirect_stderr(io.StringIO()):
                tokenizer = transformers.AutoTokenizer.from_pretrained(source, **kwargs)
                model = transformers.AutoModelForCausalLM.from_pretrained(
                    source, **kwargs, **{_dtype_keyword(transformers): self._dtype(torch, device)})
        except (OSError, ValueError) as exc:
            raise BackendError(f"transformers could not load {source}: {str(exc).splitlines()[0]}",
                               "Pass --model-name with a causal language model (hub id, folder or .gguf)") from exc
        self._tokenizer, self._model = tokenizer, model.to(device).eval()
        self._device_name = device

    def _device(self, torch: Any) -> str:
        if self.options.device != "auto":
            return self.options.device
        if torch.cuda.is_available():
            return "cuda"
        mps = getattr(torch.backends, "mps", None)
        return "mps" if mps is not None and mps.is_available() else "cpu"

    def _dtype(self, torch: Any, device: str) -> Any:
        if self.options.dtype != "auto":
            return getattr(torch, self.options.dtype)
        if device == "cuda":
            return torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16
        return torch.float32  # CPU kernels for half precision are slow or missing

    def generate(self, request: GenerationRequest) -> Generation:
        self.load()
        with self._lock:  # one generate at a time: torch's seed and the model are shared
            return self._generate(request)

    def _generate(self, request: GenerationRequest) -> Generation:
        import torch

        messages, constraint = request.messages, None
        if request.json_schema is not None:
            if self.supports_schema:
                constraint = allowed_tokens_fn(self._token_table(), request.json_schema)
            else:
                messages = with_instruction(messages, request.json_schema)
        inputs = self._prompt(messages)
        if request.seed is not None:
            torch.manual_seed(request.seed)
        with torch.no_grad():
            output = self._model.generate(**inputs, **self._sampling(request), prefix_allowed_tokens_fn=constraint)
        return self._generation(inputs["input_ids"].shape[1], output[0], request.max_tokens)

    def _token_table(self) -> Any:
        if self._vocabulary is None:  # a pass over the vocabulary (a second or two); done once
            self._vocabulary = tokenizer_data(self._tokenizer)
        return self._vocabulary

    def _prompt(self, messages: list[dict[str, str]]) -> dict[str, Any]:
        tokenizer = self._tokenizer
        if tokenizer.chat_template:
            inputs = tokenizer.apply_chat_template(messages, add_generation_prompt=True, return_tensors="pt",
                                                   return_dict=True)
        else:  # a base model: plain "role: text" turns, then the assistant's
            text = "\n".join(f"{m['role']}: {m['content']}" for m in messages) + "\nassistant:"
            inputs = tokenizer(text, return_tensors="pt")
        return {key: value.to(self._device_name) for key, value in inputs.items()}

    def _sampling(self, request: GenerationRequest) -> dict[str, Any]:
        sample = request.temperature > 0
        kwargs: dict[str, Any] = {"max_new_tokens": request.max_tokens, "do_sample": sample,
                                  "pad_token_id": self._tokenizer.pad_token_id or self._tokenizer.eos_token_id}
        if sample:  # other sampling settings stay as the model's generation_config recommends
            kwargs["temperature"] = request.temperature
        if request.stop:
            kwargs.update(stop_strings=request.stop, tokenizer=self._tokenizer)
        return kwargs

    def _generation(self, prompt_length: int, sequence: Any, max_tokens: int) -> Generation:
        new = sequence[prompt_length:].tolist()
        eos = self._tokenizer.eos_token_id
        ended = bool(new) and new[-1] == eos
        return Generation(
            text=self._tokenizer.decode(new, skip_special_tokens=True),
            tokens_in=prompt_length, tokens_out=len(new),
            finish_reason="length" if len(new) >= max_tokens and not ended else "stop",
            model=self.model_label(),
        )

    def model_label(self) -> str:
        source, gguf, _ = model_source(self.options)
        return f"{source}/{gguf}" if gguf else source

    def describe(self) -> dict[str, Any]:
        facts = {"backend": self.name, "model": self.model_label(), "constrained": self.supports_schema}
        if self._model is not None:
            facts.update(device=self._device_name, dtype=str(self._model.dtype).removeprefix("torch."))
        return facts

    def close(self) -> None:
        with self._lock:
            self._model = self._tokenizer = self._vocabulary = None


def _dtype_keyword(transformers: Any) -> str:
    """transformers 4.56 renamed `torch_dtype` to `dtype`; 5 warns on the old name."""
    major, minor = (int(part) for part in transformers.__version__.split(".")[:2])
    return "dtype" if (major, minor) >= (4, 56) else "torch_dtype"

