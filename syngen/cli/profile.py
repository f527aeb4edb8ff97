"""`syngen profile DATA`: what SynGen learns about each column (kind, format, empty share, and why)."""

from __future__ import annotations

import json
import sys

import click

WIDE = 50  # columns from which profiling shows its progress


@click.command()
@click.argument("data")
@click.option("--products", help="An optional catalogue the data's ids refer to (e.g. product titles).")
@click.option("--kind", "kinds", multiple=True, metavar="COLUMN=KIND",
              help="Force a column's kind (e.g. --kind location=short_text); repeatable.")
@click.option("--json", "as_json", is_flag=True, help="Print the profile as JSON.")
@click.option("--checks", is_flag=True,
              help="Also learn the text checks a run holds its texts to (which labels the text predicts, and how "
                   "well): seconds on a table of a few text and label columns, minutes on a wide one.")
@click.option("--seed", type=int, default=0, show_default=True, help="The seed the checks' cross-validation uses.")
def profile(data: str, products: str | None, kinds: tuple[str, ...], as_json: bool, checks: bool,
            seed: int) -> None:
    """Profile DATA: each column's kind, format, empty share and the reason for its kind, and the text checks a
    run would hold its texts to."""
    from syngen.data import load_table
    from syngen.profiling import load_catalogue, profile_table
    from syngen.profiling.describe import profile_rows
    from syngen.profiling.model import checked_texts
    from syngen.profiling.overrides import parse_kinds

    overrides = parse_kinds(kinds)
    table = load_table(data)
    catalogue = load_catalogue(products, table) if products else None
    progress = _progress if len(table.columns) >= WIDE and sys.stderr.isatty() else _dots
    result = profile_table(table, catalogue, overrides, progress=progress if len(table.columns) >= WIDE else None,
                           require_text=False)
    rows = profile_rows(result)
    ground = _learn_checks(data, products, overrides, seed, table, result) if checks else None
    learned = ground.profile if ground is not None else None
    notes = [*result.notes, *(note for note in (learned.notes if learned else []) if note not in result.notes)]
    if as_json:
        record = {"source": result.source, "rows": result.n_rows, "columns": rows, "notes": notes}
        click.echo(json.dumps({**record, **({"text_checks": learned.checks_record()} if learned else {})},
                              ensure_ascii=False, indent=2))
        return
    click.echo(f"{result.source}: {result.n_rows:,} rows, {len(rows)} columns")
    for row in rows:
        follows = f", follows {row['follows']}" if row["follows"] and row["empty_share"] else ""
        click.echo(f"- {row['column']}: {row['kind']}, empty {row['empty_share']:.1%}{follows}")
        if row["format"]:
            click.echo(f"    format: {row['format']}")
        click.echo(f"    why: {row['reason']}")
    if learned is not None:
        for line in checked_texts(learned.checks_record(), unchecked_labels=True):
            click.echo(f"text check: {line}")
        click.echo(f"text check: {ground.picker.main_text} unlike the model's stock text: learned when a run starts, "
                   "from texts its model writes unprompted (on for the embedded model, --stock-check for others)")
    elif result.text_columns:
        click.echo("text checks: add --checks to learn which labels the text predicts and the other checks a run "
                   "holds its texts to", err=True)
    if not any(r["kind"] == "text" for r in rows):
        click.echo("note: no column is text, so there is nothing for a model to write: mark one with --kind "
                   "COLUMN=text before generating", err=True)
    for note in notes:
        click.echo(f"note: {note}", err=True)


def _learn_checks(data: str, products: str | None, kinds: dict, seed: int, table, result):
    """What a run would learn before its model writes, its text checks in its profile (None without a text
    column)."""
    from syngen.generation.config import GenerationConfig
    from syngen.generation.session import lay_groundwork, read_inputs

    if not result.text_columns:
        return None
    config = GenerationConfig(data=data, products=products, seed=seed,
                              kinds={name: kind.value for name, kind in kinds.items()})
    return lay_groundwork(config, *read_inputs(config, table, result.model_copy(deep=True)))


def _progress(done: int, total: int, name: str) -> None:
    click.echo(f"\rprofiling column {done}/{total}", nl=done == total, err=True)


def _dots(done: int, total: int, name: str) -> None:
    """Progress without a terminal (piped): one line every 50 columns."""
    if done % WIDE == 0 or done == total:
        click.echo(f"profiled {done}/{total} columns", err=True)
