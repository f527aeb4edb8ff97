"""`syngen generate`: write N synthetic rows like a real table."""

from __future__ import annotations

import signal
import threading

import click
from pydantic import ValidationError

from syngen.cli.progress import TerminalProgress
from syngen.errors import ConfigError
from syngen.events import EventBus
from syngen.generation.config import PROMPT_TYPES, GenerationConfig

KNOB = click.Choice(["low", "match", "high"])


def config_from_options(options: dict) -> GenerationConfig:
    """Build the configuration, turning pydantic's report into one line that names the option."""
    try:
        return GenerationConfig(**{k: v for k, v in options.items() if v is not None})
    except ValidationError as exc:
        first = exc.errors()[0]
        name = "--" + str(first["loc"][0]).replace("_", "-") if first["loc"] else "an option"
        raise ConfigError(f"{name}: {first['msg']}", "See syngen generate --help") from exc


@click.command()
@click.option("--data", required=True, help="The real table (CSV or TSV; delimiter and encoding are sniffed).")
@click.option("--products", help="An optional catalogue the data's ids refer to (e.g. product titles).")
@click.option("--prompt-type", type=click.Choice(PROMPT_TYPES), default="base", show_default=True)
@click.option("--model", default="local", show_default=True, help="local | hf | ollama | cohere | openai")
@click.option("--model-path", help="A GGUF file for --model local (default: the embedded SmolLM2-135M).")
@click.option("--model-name", help="The model id for hf, ollama, cohere or openai.")
@click.option("--base-url", help="Server address for ollama or an OpenAI-compatible endpoint.")
@click.option("--topic", help="What the data is about (default: the catalogue's category, else the file name).")
@click.option("--num-samples", type=int, default=5, show_default=True)
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--temperature", type=float, default=0.8, show_default=True)
@click.option("--complexity", type=KNOB, help="Language complexity (default: set by the prompt type).")
@click.option("--diversity", type=KNOB, help="How far rows vary (default: set by the prompt type).")
@click.option("--length", type=KNOB, help="Text length (default: match the real data).")
@click.option("--out", help="Output file [default: output/{data}_{prompt type}_{model}_{N}_output.{format}].")
@click.option("--format", "format_", type=click.Choice(["csv", "jsonl", "parquet"]), default="csv", show_default=True)
@click.option("--force", is_flag=True, help="Overwrite an existing output file.")
@click.option("--concurrency", type=int, default=1, show_default=True, help="Parallel requests (HTTP backends).")
@click.option("--rpm", type=float, help="At most this many requests per minute (HTTP backends).")
@click.option("--raw-export", is_flag=True,
              help="Keep cells starting with = + - @ as they are (unsafe in a spreadsheet).")
@click.option("--quiet", is_flag=True, help="No progress bar.")
def generate(quiet: bool, format_: str, **options) -> None:
    """Generate --num-samples new rows like the real --data and write them with a .json sidecar."""
    from syngen.generation.engine import run_generation

    config = config_from_options({**options, "format": format_})
    bus = EventBus()
    bus.subscribe(TerminalProgress(config.num_samples, enabled=False if quiet else None))
    cancel = threading.Event()
    previous = signal.signal(signal.SIGINT, lambda *_: cancel.set())
    try:
        result = run_generation(config, bus, cancel)
    finally:
        signal.signal(signal.SIGINT, previous)
    sidecar = result.sidecar
    state = "cancelled; kept" if result.cancelled else "wrote"
    click.echo(f"{state} {sidecar['rows_delivered']}/{sidecar['rows_asked']} rows to {result.output_path} "
               f"({sidecar['rows_per_minute']} rows/min, sidecar {result.sidecar_path})")
