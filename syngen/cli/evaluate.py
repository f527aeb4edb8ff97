"""`syngen evaluate`: score synthetic rows against the real table and print a scorecard."""

from __future__ import annotations

from pathlib import Path

import click

from syngen.errors import DataError, OutputError


def check_report_paths(targets: dict[str, str | None], real: str, synthetic: str, products: str | None,
                       force: bool) -> None:
    """Before any work: the reports never replace an input (the synthetic file's sidecar included), a
    file that is not a regular file, each other, or an existing file without --force."""
    from syngen.evaluation.inputs import sidecar_of
    from syngen.output.paths import check_folder, check_not_input, check_target

    inputs = {"--real": real, "--synthetic": synthetic, "--products": products,
              "the synthetic file's sidecar": sidecar_of(Path(synthetic))}
    given = {option: Path(path) for option, path in targets.items() if path}
    if len(given) == 2 and len({p.absolute() for p in given.values()}) == 1:
        raise OutputError("--report and --json name the same file", "Give each its own file name")
    for option, path in given.items():
        check_not_input(path, inputs, option)
        check_target(path, force, option)
        check_folder(path, option)


@click.command()
@click.option("--real", "real", required=True, help="The real table the synthetic rows imitate (CSV or TSV).")
@click.option("--synthetic", required=True,
              help="The synthetic rows: SynGen's CSV/JSONL/Parquet output or a raw model answer saved as text.")
@click.option("--products", help="The catalogue the real data's ids refer to (gives the topic for drift).")
@click.option("--report", "html_path", help="Write the HTML report (plots included, one file) here.")
@click.option("--json", "json_path", help="Write the full report as JSON here.")
@click.option("--seed", default=0, show_default=True, type=click.IntRange(min=0),
              help="Seed of the samples and the real halves.")
@click.option("--utility", metavar="COLUMN",
              help="Also score ML utility: a text classifier of this category column trained on the synthetic "
                   "rows (and on real plus synthetic) against one trained on real rows, tested on held-out real rows.")
@click.option("--utility-text", metavar="COLUMN",
              help="The text column the --utility classifier reads [default: the longest text column].")
@click.option("--force", is_flag=True, help="Overwrite existing --report / --json files.")
def evaluate(real: str, synthetic: str, products: str | None, html_path: str | None, json_path: str | None,
             seed: int, utility: str | None, utility_text: str | None, force: bool) -> None:
    """Measure how valid, faithful, diverse and private synthetic rows are, each property scored in
    [0, 1] next to what the real data scores against itself."""
    from syngen.evaluation import evaluate_files
    from syngen.evaluation.scorecard import scorecard

    for option, path in (("--real", real), ("--products", products)):
        if path and not Path(path).is_file():  # the loader's own hint names generate's --data
            raise DataError(f"{path} does not exist or is not a file", f"Check the path given to {option}")
    check_report_paths({"--report": html_path, "--json": json_path}, real, synthetic, products, force)
    report = evaluate_files(real, synthetic, products, seed=seed, utility=utility, utility_text=utility_text)
    click.echo(scorecard(report))
    if json_path:
        click.echo(f"JSON report: {report.write_json(json_path)}")
    if html_path:
        from syngen.evaluation.html_report import write_html

        click.echo(f"HTML report: {write_html(report, html_path)}")
