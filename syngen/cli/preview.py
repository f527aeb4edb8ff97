"""`syngen generate --preview`: a few rows with their prompts, raw answers and verdicts, printed; nothing written."""

from __future__ import annotations

import click

from syngen.generation.config import GenerationConfig


def show_preview(config: GenerationConfig) -> None:
    from syngen.runs.preview import PREVIEW_ROWS, make_preview

    count = min(PREVIEW_ROWS, config.num_samples)
    click.echo(f"making {count} row{'s' if count != 1 else ''} to preview (nothing is written)...", err=True)
    click.echo(make_preview(config).text())
