"""`syngen generate`: write N synthetic rows like a real table."""

from __future__ import annotations

import json
import signal
import threading
from pathlib import Path

import click

from syngen.cli.config_options import config_from_options, config_option
from syngen.cli.progress import TerminalProgress
from syngen.errors import ConfigError, DataError
from syngen.events import EventBus
from syngen.generation.config import GenerationConfig
from syngen.generation.quotas import shortfall_note
from syngen.profiling.model import checked_texts
from syngen.redact import was_masked


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
    from syngen.runs.rundir import RunDirectory

    directory = RunDirectory(Path(run))
    if not directory.exists():
        raise ConfigError(f"there is no SynGen run in {run}",
                          "Give --resume the run directory (OUT.run beside the output)")
    try:
        saved = directory.saved_config()
    except DataError as exc:
        if "new_run" not in given:
            raise
        raise ConfigError(f"cannot resume {run} with --new-run: {exc.message}, and --resume takes the "
                          "configuration from it", "Run the original syngen generate command (with --data) and "
                          "--new-run instead; the old run is set aside") from exc
    if "out" in given and "format" not in given:
        saved.pop("format", None)  # the new --out's extension decides
    if was_masked(saved.get("base_url")) and "base_url" not in given:  # credentials are never saved
        raise ConfigError(f"the run in {run} used a --base-url with a user and password, which are not saved",
                          "Give the same --base-url again")
    return {**saved, **{k: v for k, v in options.items() if k in given}}


def with_run_dir(config: GenerationConfig, enabled: bool) -> GenerationConfig:
    """Every CLI run is resumable: its run directory defaults to OUT.run beside the output."""
    from syngen.runs.rundir import default_run_dir

    if not enabled:
        return config.model_copy(update={"run_dir": None})
    if config.run_dir:
        return config
    return config.model_copy(update={"run_dir": str(default_run_dir(config.output_path()))})


def say_resuming(config: GenerationConfig, kept: int) -> None:
    """Say at once that a run resumes (before the model loads), and how many of its rows were made."""
    asked = config.num_samples
    if kept >= asked:
        click.echo(f"resuming {config.run_dir}: all {asked} rows asked were already made"
                   + (f" (the first {asked} of the {kept} kept there are written)" if kept > asked else ""))
    elif kept:
        click.echo(f"resuming {config.run_dir}: {kept} of {asked} rows were already made and are kept")


@click.command()
@config_option("data", help="The real table (CSV or TSV; delimiter and encoding are sniffed). Required, "
                            "except with --resume or a --config that names it.")
@config_option("products", help="An optional catalogue the data's ids refer to (e.g. product titles).")
@config_option("prompt_type")
@config_option("model", help="local | hf | ollama | cohere | openai")
@config_option("model_path", help="A GGUF file for --model local (default: the embedded SmolLM2-135M).")
@config_option("model_name", help="The model id for hf, ollama, cohere or openai.")
@config_option("base_url", help="Server address for ollama or an OpenAI-compatible endpoint.")
@config_option("topic", help="What the data is about (default: the catalogue's category, else the file name).")
@config_option("num_samples")
@config_option("seed")
@config_option("temperature")
@config_option("candidates", help="Answers drawn per row (1-8); the one that passes every check and fits the row's "
                                  "labels best is kept.")
@config_option("few_shot", help="Real rows shown to the model as examples for each row (0-10).")
@config_option("topic_check", "--topic-check/--no-topic-check",
               help="Reject a text further from every real text than almost all real texts are from each other "
                    "(sentence embeddings) [default: on].")
@config_option("real_openings", "--real-openings/--no-real-openings",
               help="Open each main text with the first word of a real text of the row's values, so the model "
                    "writes its own sentence instead of an example's (backends that take a pattern: local) "
                    "[default: on].")
@config_option("stock_check", "--stock-check/--no-stock-check",
               help="Reject a text that reads like the model's own writing about the topic, learned from texts it "
                    "writes unprompted before the first rows [default: on for local, off for the other backends].")
@config_option("complexity", help="Language complexity (default: set by the prompt type).")
@config_option("diversity", help="How far rows vary: examples, temperature and, at high, lengths "
                                 "(default: set by the prompt type).")
@config_option("length", help="Text length (default: match the real data).")
@config_option("out", help="Output file [default: output/{data}_{prompt type}_{model}_{N}_output.{format}]. "
                           "Its extension (.csv, .tsv, .jsonl, .parquet, .xlsx, .hf) sets the format.")
@config_option("format", "--format", "format_",
               help="Output format [default: from --out's extension, else csv]; must agree with the extension. "
                    "hf saves a Hugging Face datasets.Dataset folder (save_to_disk; extra hf-datasets).")
@config_option("force", help="Overwrite an existing output file and its sidecar.")
@config_option("concurrency", help="Parallel requests [default: 4 for HTTP backends, 1 for in-process models].")
@click.option("--kind", "kind", multiple=True, metavar="COLUMN=KIND",
              help="Force a column's kind (e.g. --kind location=short_text); repeatable. See syngen profile.")
@click.option("--where", "where", multiple=True, metavar="COLUMN=V1[,V2...]",
              help="Make only rows whose COLUMN holds one of these values (e.g. --where rating=1,2); the columns "
                   "tied to it follow; repeatable.")
@click.option("--distribution", "distribution", multiple=True, metavar="COLUMN=V1:P1,V2:P2",
              help="Plan COLUMN's values with these shares (e.g. --distribution rating=1:0.5,5:0.5); repeatable.")
@click.option("--balance", "balance", multiple=True, metavar="COLUMN",
              help="Plan COLUMN's values uniformly over the values it holds in the data; repeatable.")
@click.option("--derive", "derive", multiple=True, metavar="NAME=TEMPLATE",
              help="A column computed from each row by a Jinja2 template (e.g. --derive "
                   "summary='{{ title }} ({{ rating }} stars)'); a real column's name replaces it; repeatable.")
@click.option("--config", "run_file", metavar="RUN.yaml",
              help="Read the options from a run file (YAML; options given here win). Every output gets one "
                   "beside it, OUT.config.yaml, which makes the same rows again.")
@click.option("--backend-option", "backend_option", multiple=True, metavar="KEY=VALUE",
              help="A backend option (e.g. timeout=60, threads=1, price_file=prices.json; for openai, "
                   "extra_body='{...}' is sent with each request); repeatable.")
@config_option("rpm", help="At most this many requests per minute (HTTP backends).")
@config_option("spreadsheet_safe", help="CSV only: prefix ' to cells starting with = + - @ so a spreadsheet shows "
                                        "them as text (they then differ from what was generated; .xlsx output is "
                                        "safe as it is).")
@config_option("raw_export", hidden=True, help="Kept for old scripts: rows are now always written as generated.")
@config_option("audit", help="Keep every row's prompts and raw answers, with the verdict on each, in the run "
                             "directory (RUN/audit/part-*.jsonl; RUN is --run-dir, by default OUT.run). Read "
                             "one with syngen.read_audit(RUN).position(N); the app shows them for a selected row.")
@click.option("--preview", is_flag=True,
              help="Make 3 rows (fewer if --num-samples is smaller) and print, for each, the prompt, every raw "
                   "answer with its verdict (kept, or rejected and why) and the row; writes nothing.")
@config_option("run_dir", help="Keep the run's rows here as they are made, to resume it [default: OUT.run].")
@click.option("--resume", metavar="RUN", help="Resume the run in RUN with the configuration it was started with.")
@config_option("new_run", help="Set an existing run directory aside and start over.")
@click.option("--no-run-dir", is_flag=True, help="Keep rows in memory only: a killed run cannot be resumed.")
@config_option("max_rows_per_file", help="Rows per shard file in the run directory.")
@config_option("executor", help="Where rows are made.")
@config_option("ray_actors", help="Ray actors [default: one per CPU; --concurrency for HTTP models].")
@config_option("ray_cpus_per_actor", help="CPUs per Ray actor [default: 1; 0.25 for HTTP models].")
@click.option("--quiet", is_flag=True, help="No progress bar.")
@click.pass_context
def generate(ctx: click.Context, quiet: bool, format_: str | None, resume: str | None, no_run_dir: bool,
             preview: bool, **options) -> None:
    """Generate --num-samples new rows like the real --data and write them with a .json sidecar.

    The rows are kept in a run directory as they are made: if the run is killed, the same command (or
    --resume RUN) carries on where it stopped, without making any accepted row again."""
    from syngen.generation.derived import parse_derive
    from syngen.profiling.overrides import parse_distribution, parse_kinds, parse_where

    run_file = options.pop("run_file", None)
    options["format"] = format_
    options["backend_options"] = parse_backend_options(options.pop("backend_option", ())) or None
    options["kinds"] = {c: k.value for c, k in parse_kinds(options.pop("kind", ())).items()} or None
    options["where"] = parse_where(options.pop("where", ())) or None
    options["distribution"] = parse_distribution(options.pop("distribution", ())) or None
    options["balance"] = list(options.pop("balance", ())) or None
    options["derive"] = parse_derive(options.pop("derive", ())) or None
    if resume and no_run_dir:
        raise ConfigError("--resume and --no-run-dir cannot be used together", "Drop --no-run-dir")
    if resume and run_file:
        raise ConfigError("--resume and --config cannot be used together", "--resume reads the run's own "
                          "configuration: drop --config")
    given = {k for k in options if ctx.get_parameter_source(_parameter(k)) is click.core.ParameterSource.COMMANDLINE}
    if run_file:
        from syngen.generation.config_file import merge_run_file, read_run_file

        options = merge_run_file(read_run_file(run_file), options, given)
    if resume:
        options = resume_options(resume, options, given)
    if preview:
        from syngen.cli.preview import show_preview

        show_preview(with_run_dir(config_from_options(options), enabled=False))
        return
    config = with_run_dir(config_from_options(options), enabled=not no_run_dir)
    if config.audit and no_run_dir:
        raise ConfigError("--audit keeps the prompts and answers in the run directory, which --no-run-dir turns off",
                          "Drop --no-run-dir (the run directory defaults to OUT.run), or drop --audit")
    result = run(config, quiet)
    say_result(result)
    if result.cancelled:  # scripts must not take a stopped run for a finished one
        ctx.exit(130)


def _parameter(option: str) -> str:
    """The click parameter an option came from (its name differs where a flag is plural or a keyword)."""
    return {"format": "format_", "backend_options": "backend_option", "kinds": "kind"}.get(option, option)


def run(config: GenerationConfig, quiet: bool):
    """Open the run (every output checked, a run directory resumed) and make its rows with a progress bar
    counting only the rows still to make; Ctrl-C stops the run cleanly (the rows so far are written as
    partial)."""
    from syngen.runs import open_run

    bus = EventBus()  # made first: the backend reports its retries on it
    with open_run(config, bus=bus) as prepared:
        say_resuming(config, prepared.rows_kept)
        bus.subscribe(TerminalProgress(max(0, config.num_samples - prepared.rows_kept),
                                       enabled=False if quiet else None))
        cancel = threading.Event()
        previous = signal.signal(signal.SIGINT, lambda *_: cancel.set())
        try:
            return prepared.execute(cancel)
        finally:
            signal.signal(signal.SIGINT, previous)


def say_result(result) -> None:
    sidecar = result.sidecar
    for note in [*sidecar.get("data_notes", []), formula_note(sidecar), shortfall_note(sidecar.get("label_quota"))]:
        if note:
            click.echo(f"note: {note}", err=True)
    for line in checked_texts(sidecar):
        click.echo(f"text check: {line}", err=True)
    rows = f"{sidecar['rows_delivered']}/{sidecar['rows_asked']} rows"
    if result.cancelled:
        click.echo(f"interrupted: kept {rows} in {result.output_path} (sidecar {result.sidecar_path}); run the "
                   "same command again to resume", err=True)
        return
    made_now = (sidecar.get("run") or {}).get("rows_made")
    speed = "no new rows were needed" if made_now == 0 else f"{sidecar['rows_per_minute']} rows/min"
    click.echo(f"wrote {rows} to {result.output_path} ({speed}, sidecar {result.sidecar_path})")
    for line in preview_lines(result.rows, sidecar):
        click.echo(line, err=True)


PREVIEW_ROWS = 5
PREVIEW_CHARS = 200


def preview_lines(rows, sidecar: dict) -> list[str]:
    """The first rows' checked labels and texts, one line each: what a user reads before trusting the file."""
    labels = [c.get("column") or c["label"] for c in sidecar.get("label_checks", []) if c.get("checked")]
    texts = [name for name, kind in sidecar.get("columns", {}).items() if kind == "text"]
    shown = [name for name in dict.fromkeys(labels + texts) if name in rows.columns]
    if not shown or rows.empty:
        return []
    lines = [f"first rows ({' | '.join(shown)}):"]
    for _, row in rows.head(PREVIEW_ROWS).iterrows():
        line = " | ".join(str(row[name]).replace("\n", "\\n") for name in shown)  # a row stays one line
        lines.append("  " + (line if len(line) <= PREVIEW_CHARS else line[: PREVIEW_CHARS - 3] + "..."))
    return lines


def formula_note(sidecar: dict) -> str | None:
    """How many cells would run as formulas if the rows were opened in a spreadsheet, and what to do."""
    count = sidecar.get("formula_like_cells") or 0
    config = sidecar.get("config") or {}
    if not count:
        return None
    cells = f"{count} cell{'s' if count > 1 else ''} begin{'' if count > 1 else 's'} with = + - or @"
    if config.get("format") == "xlsx":
        return f"{cells}; the .xlsx holds them as text, so a spreadsheet does not run them"
    if config.get("spreadsheet_safe"):
        return f"{cells}; they were written with a ' prefix (--spreadsheet-safe)"
    return (f"{cells} and are written as generated; a spreadsheet opening this file would run them as "
            "formulas: write .xlsx or pass --spreadsheet-safe to open the rows in one")
