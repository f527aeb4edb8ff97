"""`syngen experiment`: the study's comparison (models x prompt types) as one command."""

from __future__ import annotations

from pathlib import Path

import click

from syngen.errors import ConfigError


def _prompt_types(text: str) -> list[str]:
    from syngen.generation.config import PROMPT_TYPES

    if text.strip() == "all":
        return list(PROMPT_TYPES)
    chosen = [p.strip() for p in text.split(",") if p.strip()]
    unknown = [p for p in chosen if p not in PROMPT_TYPES]
    if unknown or not chosen:
        raise ConfigError(f"unknown prompt type '{(unknown or [text])[0]}'",
                          f"Choose from {', '.join(PROMPT_TYPES)}, or all")
    return chosen


def _models(text: str) -> list:
    from syngen.backends.registry import available_backends
    from syngen.evaluation.experiment import ModelSpec

    known = list(available_backends())
    if text.strip() == "all":
        return [ModelSpec(name) for name in known]
    specs = [ModelSpec.parse(m) for m in text.split(",") if m.strip()]
    if not specs:
        raise ConfigError("--models names no backend", "Give e.g. --models local,ollama:llama3.2")
    unknown = [s.backend for s in specs if s.backend not in known]
    if unknown:  # a typo is an error, not a backend to skip
        raise ConfigError(f"unknown model backend '{unknown[0]}'", f"Choose from: {', '.join(known)}")
    return specs


@click.command()
@click.option("--data", required=True, help="The real table to imitate.")
@click.option("--products", help="The catalogue the data's ids refer to.")
@click.option("--models", "models", default="local", show_default=True,
              help="Comma-separated backends, each optionally NAME:MODEL (ollama:llama3.2, local:/path.gguf), or all.")
@click.option("--prompt-types", default="all", show_default=True, help="Comma-separated prompt types, or all.")
@click.option("--num-samples", type=click.IntRange(1), default=50, show_default=True, help="Rows per cell.")
@click.option("--out", required=True, help="Folder for every cell's output and the comparison table.")
@click.option("--seed", type=click.IntRange(min=0), default=0, show_default=True)
@click.option("--temperature", type=float, help="Sampling temperature for every cell.")
@click.option("--base-url", help="Server address for ollama or an OpenAI-compatible endpoint.")
@click.option("--utility", metavar="COLUMN", help="Also score each cell's ML utility on this category column "
                                                  "(see syngen evaluate --utility).")
@click.option("--force", is_flag=True, help="Overwrite outputs left by an earlier grid in --out.")
def experiment(data: str, products: str | None, models: str, prompt_types: str, num_samples: int, out: str,
               seed: int, temperature: float | None, base_url: str | None, utility: str | None, force: bool) -> None:
    """Generate and evaluate every (model x prompt type) cell and write one comparison table (markdown,
    CSV, HTML) with property scores, rows delivered vs asked, rows per minute and tokens per row.
    Backends that cannot run on this machine are skipped with the reason."""
    from syngen.evaluation.comparison import comparison_frame, to_markdown, write_comparison
    from syngen.evaluation.experiment import GridSpec, run_grid

    options = {k: v for k, v in {"temperature": temperature, "base_url": base_url}.items() if v is not None}
    spec = GridSpec(data=data, products=products, models=_models(models), prompt_types=_prompt_types(prompt_types),
                    num_samples=num_samples, out=Path(out), seed=seed, force=force, generation_options=options,
                    utility=utility)
    grid = run_grid(spec, say=lambda line: click.echo(line, err=True))
    for cell in grid.cells:
        if cell.report is not None:
            stem = Path(cell.output).with_suffix("")
            cell.report.write_json(stem.with_name(stem.name + ".report.json"))
    paths = write_comparison(grid, Path(out))
    click.echo(to_markdown(comparison_frame(grid)))
    click.echo(f"comparison: {paths['markdown']}, {paths['csv']}, {paths['html']}")
