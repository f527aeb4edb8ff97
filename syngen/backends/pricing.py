"""Estimated cost of a run: tokens in and out times a price table in US dollars per million tokens.

The built-in table holds list prices for the paid APIs' common models; a JSON file named by the backend
option `price_file` or the SYNGEN_PRICES variable adds models or overrides prices:

    {"openai": {"gpt-4o-mini": {"input": 0.15, "output": 0.60, "cached_input": 0.075}}, "cohere": {...}}

Prompt tokens an API served from its prompt cache (SynGen's prompts share long prefixes) are priced at the
model's cached-input rate where it has one (`cached_input`), else at the input rate.

A model is priced by its exact name, else by the longest table name it starts with, so a dated snapshot
("gpt-4o-2024-08-06", "command-r-plus-08-2024") takes its family's price.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from syngen.errors import ConfigError

PRICES_ENV = "SYNGEN_PRICES"
BUILT_IN_SOURCE = "built-in list prices (2025-06)"
# USD per million tokens (input, output, cached input or None where the prompt cache is not discounted), from
# the providers' public price pages in June 2025. Cohere lists no cached-input price.
BUILT_IN: dict[str, dict[str, tuple[float, float, float | None]]] = {
    "cohere": {
        "command-a": (2.50, 10.00, None),
        "command-r-plus": (2.50, 10.00, None),
        "command-r": (0.15, 0.60, None),
        "command-r7b": (0.0375, 0.15, None),
        "command-light": (0.30, 0.60, None),
        "command": (1.00, 2.00, None),
    },
    "openai": {
        "gpt-4o": (2.50, 10.00, 1.25),
        "gpt-4o-mini": (0.15, 0.60, 0.075),
        "gpt-4.1": (2.00, 8.00, 0.50),
        "gpt-4.1-mini": (0.40, 1.60, 0.10),
        "gpt-4.1-nano": (0.10, 0.40, 0.025),
        "gpt-4-turbo": (10.00, 30.00, None),
        "gpt-3.5-turbo": (0.50, 1.50, None),
        "o3-mini": (1.10, 4.40, 0.55),
        "o4-mini": (1.10, 4.40, 0.275),
    },
}


@dataclass(frozen=True)
class Price:
    input: float  # USD per million prompt tokens
    output: float  # USD per million completion tokens
    source: str
    cached_input: float | None = None  # USD per million prompt tokens served from the prompt cache

    @property
    def cached_rate(self) -> float:
        return self.input if self.cached_input is None else self.cached_input


class PriceTable:
    """The prices one backend uses: the built-in ones, overridden by a price file if one is named."""

    def __init__(self, backend: str, price_file: str | None = None) -> None:
        self.backend = backend
        self.prices = {m: Price(i, o, BUILT_IN_SOURCE, c) for m, (i, o, c) in BUILT_IN.get(backend, {}).items()}
        path = price_file or os.environ.get(PRICES_ENV)
        if path:
            self.prices.update(read_price_file(Path(path)).get(backend, {}))

    def find(self, model: str) -> Price | None:
        if model in self.prices:
            return self.prices[model]
        families = [name for name in self.prices if model.startswith(name)]
        return self.prices[max(families, key=len)] if families else None

    def estimate(self, model: str, tokens_in: int, tokens_out: int, cached_in: int = 0) -> dict[str, Any]:
        """What the sidecar records under `estimated_cost`; `cached_in` of the `tokens_in` came from the API's
        prompt cache, and `saved_by_cache_usd` is what they cost less than uncached ones."""
        price = self.find(model)
        if price is None:
            return {"usd": None, "reason": f"no price for {self.backend} model '{model}'",
                    "fix": f"add it to a price file named by {PRICES_ENV} or the price_file option"}
        cached_in = max(0, min(cached_in, tokens_in))
        uncached = (tokens_in * price.input + tokens_out * price.output) / 1_000_000
        usd = uncached - cached_in * (price.input - price.cached_rate) / 1_000_000
        return {"usd": round(usd, 6), "input_usd_per_million": price.input,
                "output_usd_per_million": price.output, "cached_input_usd_per_million": price.cached_rate,
                "cached_input_tokens": cached_in, "saved_by_cache_usd": round(uncached - usd, 6),
                "prices": price.source}


def read_price_file(path: Path) -> dict[str, dict[str, Price]]:
    """Backend -> model -> Price from a JSON price file; any mistake is a ConfigError naming the file."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"cannot read the price file {path}", f"Fix {PRICES_ENV} or price_file") from exc
    except json.JSONDecodeError as exc:
        raise ConfigError(f"the price file {path} is not valid JSON ({exc.msg}, line {exc.lineno})",
                          'Write it as {"openai": {"model": {"input": 0.15, "output": 0.6}}}') from exc
    if not isinstance(data, dict):
        raise ConfigError(f"the price file {path} must hold a JSON object", "Key it by backend name")
    return {backend: _models(path, backend, models) for backend, models in data.items()}


def _models(path: Path, backend: str, models: Any) -> dict[str, Price]:
    if not isinstance(models, dict):
        raise ConfigError(f"the price file {path}: '{backend}' must map model names to prices",
                          'Write {"model": {"input": 0.15, "output": 0.6}}')
    table = {}
    for model, entry in models.items():
        try:
            cached = entry.get("cached_input")
            table[model] = Price(float(entry["input"]), float(entry["output"]), str(path),
                                 None if cached is None else float(cached))
        except (TypeError, KeyError, ValueError, AttributeError) as exc:
            raise ConfigError(f"the price file {path}: {backend} model '{model}' needs numeric 'input' and "
                              "'output' prices (and optionally 'cached_input')",
                              "Give US dollars per million tokens") from exc
        if min(table[model].input, table[model].output, table[model].cached_rate) < 0:
            raise ConfigError(f"the price file {path}: {backend} model '{model}' has a negative price",
                              "Give US dollars per million tokens")
    return table
