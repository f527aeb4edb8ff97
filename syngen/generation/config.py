"""The configuration of one generation run. It is written into the output's sidecar and can be read back
from it, so any run can be reproduced from the file beside its output."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from syngen.redact import redact

PromptType = Literal["base", "diversity", "lang_complexity", "text_length"]
Knob = Literal["low", "match", "high"]
OutputFormat = Literal["csv", "tsv", "jsonl", "parquet", "xlsx", "hf"]  # hf: a Hugging Face dataset folder
PROMPT_TYPES: tuple[str, ...] = get_args(PromptType)
MAX_SAMPLES = 10_000_000
QUOTA_FACTOR = 3.0  # plan positions per row asked, at most, spent chasing label quotas once N rows are made


class GenerationConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", protected_namespaces=())

    data: str
    products: str | None = None
    prompt_type: PromptType = "base"
    model: str = "local"
    model_path: str | None = None  # a GGUF file for the local backend
    model_name: str | None = None  # a model id for the hf/ollama/cohere/openai backends
    base_url: str | None = None
    topic: str | None = None
    kinds: dict[str, str] = Field(default_factory=dict)  # column -> kind, overriding the inferred one (--kind)
    where: dict[str, list[str]] = Field(default_factory=dict)  # column -> the only values its rows may hold
    distribution: dict[str, dict[str, float]] = Field(default_factory=dict)  # column -> value -> target share
    balance: list[str] = Field(default_factory=list)  # columns planned uniform over their real values
    ranges: dict[str, tuple[float, float]] = Field(default_factory=dict)  # column -> [low, high] of its numbers
    derive: dict[str, str] = Field(default_factory=dict)  # column -> Jinja2 template over the row (derived.py)
    num_samples: int = Field(5, ge=1, le=MAX_SAMPLES)
    seed: int = Field(0, ge=0)
    temperature: float = Field(0.8, ge=0.0, le=2.0)
    complexity: Knob | None = None  # None: the prompt type decides
    diversity: Knob | None = None
    length: Knob | None = None
    out: str | None = None
    format: OutputFormat = "csv"
    force: bool = False
    concurrency: int | None = Field(None, ge=1, le=64)  # None: the backend's default_concurrency
    rpm: float | None = Field(None, gt=0)
    # At most factor * N + 10 plan positions to make N rows: a table the model writes one row in six of still gets
    # its N (120 news rows in AG News's shape made 4 of 8 in 24 positions); a hopeless run stops early anyway.
    max_attempts_factor: float = Field(10.0, ge=1.0)
    few_shot: int = Field(3, ge=0, le=10)
    candidates: int = Field(1, ge=1, le=8)  # answers drawn per row; the best one that passes every check is kept
    topic_check: bool = True  # reject a main text far from every real text (generation/topic.py)
    # A pattern backend's main text opens with the first word of a real text of the row's values (rows.py).
    real_openings: bool = True
    # Reject a main text that reads like the model's stock writing about the topic (generation/stock.py).
    # None: the backend's default (on for in-process models, off for paid APIs: the check asks 40 texts first).
    stock_check: bool | None = None
    audit: bool = False  # keep every row's prompts and answers (RUN/audit/, or in memory without a run directory)
    raw_export: bool = False  # deprecated: the rows are always written as made unless spreadsheet_safe
    spreadsheet_safe: bool = False  # CSV only: prefix ' to cells a spreadsheet would run as formulas
    run_dir: str | None = None  # durable run directory (resume); None keeps rows in memory only
    new_run: bool = False  # set an existing run directory aside instead of resuming it
    max_rows_per_file: int = Field(10_000, ge=1)  # rows per shard file in the run directory
    executor: Literal["local", "ray"] = "local"
    ray_actors: int | None = Field(None, ge=1)  # default: as many as the Ray cluster's CPUs allow
    ray_cpus_per_actor: float | None = Field(None, gt=0)  # default: 1 for in-process models, 0.25 for HTTP
    backend_options: dict[str, Any] = Field(default_factory=dict)

    @field_validator("data")
    @classmethod
    def _data_given(cls, value: str) -> str:
        if not value:
            raise ValueError("--data is required")
        return value

    @model_validator(mode="after")
    def _output_format(self) -> GenerationConfig:
        """--out's extension decides the format unless --format is given; a conflict is a ConfigError."""
        from syngen.output.formats import check_format_options, output_format

        if self.out:
            self.format = output_format(self.out, self.format if "format" in self.model_fields_set else None)
        check_format_options(self.format, self.num_samples, self.spreadsheet_safe, self.raw_export)
        return self

    @model_validator(mode="after")
    def _conditions(self) -> GenerationConfig:
        """Conditions checked as far as they can be without the data (syngen.sampling.conditions does the rest)."""
        from syngen.generation.derived import check_derive
        from syngen.profiling.overrides import check_conditions

        check_conditions(self.where, self.distribution, self.balance, self.ranges)
        check_derive(self.derive, {"--kind": self.kinds, "--where": self.where, "--distribution": self.distribution,
                                   "--balance": self.balance, "a range": self.ranges})
        return self

    def workers(self, default: int, most: int) -> int:
        """Parallel requests: --concurrency, else the backend's default, never above what it can take."""
        return max(1, min(self.concurrency or default, most))

    def output_path(self) -> Path:
        if self.out:
            return Path(self.out)
        stem = Path(self.data).stem
        return Path("output") / f"{stem}_{self.prompt_type}_{self.model}_{self.num_samples}_output.{self.format}"

    def attempt_budget(self) -> int:
        """How many plan positions a run may try before it gives up: factor * N + 10."""
        return int(self.max_attempts_factor * self.num_samples) + 10

    def quota_budget(self) -> int:
        """How many plan positions a run that has N rows may try to meet its label quotas: QUOTA_FACTOR * N + 10
        (a quota the model cannot write is not chased to the whole attempt budget)."""
        return min(self.attempt_budget(), int(QUOTA_FACTOR * self.num_samples) + 10)

    def public_dict(self) -> dict[str, Any]:
        """The configuration as recorded in sidecars: secrets (keys) never included."""
        data = self.model_dump()
        data["backend_options"] = {k: v for k, v in self.backend_options.items() if "key" not in k.lower()}
        return redact(data)  # a URL's user and password too (--base-url http://user:pass@host)
