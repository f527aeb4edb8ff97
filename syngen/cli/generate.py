"""`syngen generate`: write N synthetic rows like a real table."""

from __future__ import annotations

import json
import signal
import threading
from pathlib import Path

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


def parse_backend_options(pairs: tuple[str, ...]) -> dict:
    """KEY=VALUE pairs; a VALUE that reads as JSON (numbers, true, lists) is taken as such, else as text."""
    parsed = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise ConfigError(f"--backend-option {pair!r} is not KEY=VALUE",
                              "Write it as e.g. --backend-option timeout=60")
        try:
            parsed[key.strip()] = json.loads(value)
        except json.JSONDecodeError:
            parsed[key.strip()] = value
    return parsed


def resume_options(run: str, options: dict, given: set[str]) -> dict:
    """--resume RUN: the run's saved configuration, with the options given on this command line on top
    (a change that would alter the rows is then refused by the run directory, like any other)."""
    from syngen.generation.rundir import RunDirectory

    directory = RunDirectory(Path(run))
    if not directory.exists():
        raise ConfigError(f"there is no SynGen run in {run}",
                          "Give --resume the run directory (OUT.run beside the output)")
    saved = directory.saved_config()
    return {**saved, **{k: v for k, v in options.items() if k in given}}


def with_run_dir(config: GenerationConfig, enabled: bool) -> GenerationConfig:
    """Every CLI run is resumable: its run directory defaults to OUT.run beside the output."""
    from syngen.generation.rundir import default_run_dir

    if not enabled:
        return config.model_copy(update={"run_dir": None})
    if config.run_dir:
        return config
    return config.model_copy(update={"run_dir": str(default_run_dir(config.output_path()))})


def open_run(config: GenerationConfig):
    """Prepare the session and open the run directory here rather than inside run_generation, so the user
    hears at once that a run resumes, and the progress bar counts only the rows still to make."""
    from syngen.generation.session import prepare_session
    from syngen.generation.sinks import open_sink
    from syngen.output.writer import check_writable

    check_writable(config.output_path(), config.force)  # before any work, as run_generation does
    session = prepare_session(config)
    sink = open_sink(session)
    if sink.rows:
        click.echo(f"resuming {config.run_dir}: {len(sink.rows)} of {config.num_samples} rows were already made "
                   f"and are kept")
    return session, sink


@click.command()
@click.option("--data", help="The real table (CSV or TSV; delimiter and encoding are sniffed). Required, "
                             "except with --resume.")
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
@click.option("--concurrency", type=int,
              help="Parallel requests [default: 4 for HTTP backends, 1 for in-process models].")
@click.option("--backend-option", "backend_option", multiple=True, metavar="KEY=VALUE",
              help="A backend option (e.g. timeout=60, threads=1, price_file=prices.json); repeatable.")
@click.option("--rpm", type=float, help="At most this many requests per minute (HTTP backends).")
@click.option("--raw-export", is_flag=True,
              help="Keep cells starting with = + - @ as they are (unsafe in a spreadsheet).")
@click.option("--run-dir", help="Keep the run's rows here as they are made, to resume it [default: OUT.run].")
@click.option("--resume", metavar="RUN", help="Resume the run in RUN with the configuration it was started with.")
@click.option("--new-run", is_flag=True, default=None, help="Set an existing run directory aside and start over.")
@click.option("--no-run-dir", is_flag=True, help="Keep rows in memory only: a killed run cannot be resumed.")
@click.option("--max-rows-per-file", type=int, help="Rows per shard file in the run directory [default: 10000].")
@click.option("--executor", type=click.Choice(["local", "ray"]), help="Where rows are made [default: local].")
@click.option("--ray-actors", type=int, help="Ray actors [default: one per CPU; --concurrency for HTTP models].")
@click.option("--ray-cpus-per-actor", type=float, help="CPUs per Ray actor [default: 1; 0.25 for HTTP models].")
@click.option("--quiet", is_flag=True, help="No progress bar.")
@click.pass_context
def generate(ctx: click.Context, quiet: bool, format_: str, resume: str | None, no_run_dir: bool, **options) -> None:
    """Generate --num-samples new rows like the real --data and write them with a .json sidecar.

    The rows are kept in a run directory as they are made: if the run is killed, the same command (or
    --resume RUN) carries on where it stopped, without making any accepted row again."""
    from syngen.generation.engine import run_generation

    options["format"] = format_
    options["backend_options"] = parse_backend_options(options.pop("backend_option", ())) or None
    if resume and no_run_dir:
        raise ConfigError("--resume and --no-run-dir cannot be used together", "Drop --no-run-dir")
    if resume:
        given = {k for k in options if ctx.get_parameter_source("format_" if k == "format" else k)
                 is click.core.ParameterSource.COMMANDLINE}
        options = resume_options(resume, options, given)
    config = with_run_dir(config_from_options(options), enabled=not no_run_dir)
    session, sink = open_run(config)
    bus = EventBus()
    bus.subscribe(TerminalProgress(max(0, config.num_samples - len(sink.rows)), enabled=False if quiet else None))
    cancel = threading.Event()
    previous = signal.signal(signal.SIGINT, lambda *_: cancel.set())
    try:
        result = run_generation(config, bus, cancel, session=session, sink=sink)
    finally:
        signal.signal(signal.SIGINT, previous)
    sidecar = result.sidecar
    state = "cancelled; kept" if result.cancelled else "wrote"
    made_now = (sidecar.get("run") or {}).get("rows_made")
    speed = "no new rows were needed" if made_now == 0 else f"{sidecar['rows_per_minute']} rows/min"
    for note in sidecar.get("data_notes", []):
        click.echo(f"note: {note}", err=True)
    click.echo(f"{state} {sidecar['rows_delivered']}/{sidecar['rows_asked']} rows to {result.output_path} "
               f"({speed}, sidecar {result.sidecar_path})")
