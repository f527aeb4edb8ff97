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
def profile(data: str, products: str | None, kinds: tuple[str, ...], as_json: bool) -> None:
    """Profile DATA: each column's kind, format, empty share and the reason for its kind."""
    from syngen.data import load_table
    from syngen.profiling import load_catalogue, profile_table
    from syngen.profiling.describe import profile_rows
    from syngen.profiling.overrides import parse_kinds

    overrides = parse_kinds(kinds)
    table = load_table(data)
    catalogue = load_catalogue(products, table) if products else None
    progress = _progress if len(table.columns) >= WIDE and sys.stderr.isatty() else _dots
    result = profile_table(table, catalogue, overrides, progress=progress if len(table.columns) >= WIDE else None,
                           require_text=False)
    rows = profile_rows(result)
    if as_json:
        click.echo(json.dumps({"source": result.source, "rows": result.n_rows, "columns": rows,
                               "notes": result.notes}, ensure_ascii=False, indent=2))
        return
    click.echo(f"{result.source}: {result.n_rows:,} rows, {len(rows)} columns")
    for row in rows:
        follows = f", follows {row['follows']}" if row["follows"] and row["empty_share"] else ""
        click.echo(f"- {row['column']}: {row['kind']}, empty {row['empty_share']:.1%}{follows}")
        if row["format"]:
            click.echo(f"    format: {row['format']}")
        click.echo(f"    why: {row['reason']}")
    if not any(r["kind"] == "text" for r in rows):
        click.echo("note: no column is text, so there is nothing for a model to write: mark one with --kind "
                   "COLUMN=text before generating", err=True)
    for note in result.notes:
        click.echo(f"note: {note}", err=True)


def _progress(done: int, total: int, name: str) -> None:
    click.echo(f"\rprofiling column {done}/{total}", nl=done == total, err=True)


def _dots(done: int, total: int, name: str) -> None:
    """Progress without a terminal (piped): one line every 50 columns."""
    if done % WIDE == 0 or done == total:
        click.echo(f"profiled {done}/{total} columns", err=True)
