"""The grid's comparison table (markdown, CSV, HTML): property scores, rows delivered vs asked, speed and
tokens per cell, plus the raw measures that show what each prompt type changed (text length, reading
ease, vocabulary, diversity) next to the same measures on the real data."""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any

import pandas as pd

from syngen.evaluation.experiment import Cell, Grid
from syngen.evaluation.properties import PROPERTIES
from syngen.evaluation.report import Report, write_text

# (column in the table, property, metric, key in the metric's details)
MEASURES = [
    ("median_words", "length", "median_words_ratio", "synthetic"),
    ("reading_ease", "complexity", "reading_ease_ks_complement", "synthetic_median"),
    ("grade", "complexity", "grade_ks_complement", "synthetic_median"),
    ("unfamiliar_words", "complexity", "rarity_ks_complement", "synthetic_median"),
    ("distinct_2", "diversity", "distinct_2", "synthetic"),
    ("vendi", "diversity", "vendi_score", "synthetic"),
]
REAL_KEYS = {"synthetic": "real", "synthetic_median": "real_median"}


def cell_row(cell: Cell) -> dict[str, Any]:
    sidecar = cell.sidecar or {}
    report = cell.report
    delivered = sidecar.get("rows_delivered", report.rows if report else None)
    tokens = (sidecar.get("tokens_in") or 0) + (sidecar.get("tokens_out") or 0)
    row: dict[str, Any] = {
        "model": cell.model, "prompt_type": cell.prompt_type, "status": cell.status,
        "rows": delivered, "asked": sidecar.get("rows_asked"), "valid": report.valid_rows if report else None,
        "rows_per_min": sidecar.get("rows_per_minute"),
        "tokens_per_row": round(tokens / delivered, 1) if delivered and tokens else None,
    }
    for name in PROPERTIES:
        score = report.properties[name].score if report else None
        row[name] = None if score is None else round(score, 3)
    row["overall"] = None if not report or report.score is None else round(report.score, 3)
    row.update(measures(report, side="synthetic"))
    row.update(utility_columns(report))
    row["note"] = cell.reason
    return row


def measures(report: Report | None, side: str) -> dict[str, float | None]:
    """The raw measures of the main text column, on the synthetic side or (side="real") the real one."""
    values: dict[str, float | None] = {name: None for name, *_ in MEASURES}
    if report is None or not report.context.long_text_columns:
        return values
    column = report.context.long_text_columns[0]
    for name, prop, metric, key in MEASURES:
        for result in report.properties[prop].metrics:
            if result.metric == metric and result.column == column:
                value = result.details.get(key if side == "synthetic" else REAL_KEYS[key])
                values[name] = None if value is None else round(float(value), 3)
    return values


def utility_columns(report: Report | None) -> dict[str, Any]:
    """TSTR and TRTR macro-F1, their difference and the augmentation gain, intervals in brackets (95%)."""
    result = report.utility if report else None
    found = result.comparisons if result else {}
    tstr, augmentation = found.get("tstr"), found.get("augmentation")
    return {"tstr_f1": round(tstr.scores.candidate.value, 3) if tstr else None,
            "trtr_f1": round(tstr.scores.baseline.value, 3) if tstr else None,
            "tstr_minus_trtr": tstr.scores.difference.signed() if tstr else None,
            "augment_gain": f"{augmentation.scores.difference.signed()} {augmentation.measure}" if augmentation
            else None}


def comparison_frame(grid: Grid) -> pd.DataFrame:
    rows = [cell_row(cell) for cell in grid.cells]
    columns = list(rows[0]) if rows else ["model", "prompt_type", "status"]
    first = next((c.report for c in grid.cells if c.report is not None), None)
    if first is not None:
        reference = {name: None if grid.reference.get(name) is None else round(grid.reference[name], 3)
                     for name in PROPERTIES}
        rows.insert(0, {"model": "real data", "prompt_type": "(half vs half)", "status": "reference",
                        **reference, **measures(first, side="real"),
                        "note": f"what a perfect generator scores; measures of the {grid.real_rows} real rows"})
    unmeasured = [c for c in utility_columns(None) if all(row.get(c) is None for row in rows)]
    columns = [c for c in columns if c not in unmeasured]  # no utility asked: no empty utility columns
    # object dtype keeps counts as counts (no 3.0 where a column also holds blanks)
    return pd.DataFrame(rows, columns=columns, dtype=object)


def write_comparison(grid: Grid, out: Path) -> dict[str, Path]:
    frame = comparison_frame(grid)
    out.mkdir(parents=True, exist_ok=True)
    paths = {"csv": out / "comparison.csv", "markdown": out / "comparison.md", "html": out / "comparison.html"}
    write_text(paths["csv"], frame.to_csv(index=False))
    write_text(paths["markdown"], to_markdown(frame))
    write_text(paths["html"], to_html(frame))
    return paths


def _cell_text(value: Any) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return str(value).replace("|", "\\|").replace("\n", " ")


def to_markdown(frame: pd.DataFrame) -> str:
    header = "| " + " | ".join(frame.columns) + " |"
    rule = "|" + "|".join("---" for _ in frame.columns) + "|"
    body = ["| " + " | ".join(_cell_text(v) for v in row) + " |" for row in frame.itertuples(index=False)]
    return "\n".join([header, rule, *body]) + "\n"


def to_html(frame: pd.DataFrame) -> str:
    head = "".join(f"<th>{escape(str(c))}</th>" for c in frame.columns)
    body = "".join("<tr>" + "".join(f"<td>{escape(_cell_text(v))}</td>" for v in row) + "</tr>"
                   for row in frame.itertuples(index=False))
    style = ("body{font-family:system-ui,sans-serif;margin:2em} table{border-collapse:collapse}"
             "td,th{border:1px solid #ddd;padding:.25em .5em;font-size:.85em} th{background:#f4f4f4}")
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>SynGen grid</title><style>{style}</style>"
            f"</head><body><h1>SynGen grid</h1><table><tr>{head}</tr>{body}</table></body></html>")
