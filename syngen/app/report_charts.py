"""Pick the evaluation's measured series and draw them with its plotting functions, for the page.

Nothing is measured here: every number comes from the report's properties (their `series` and
`details`); this module only chooses which of them to show and how to label them.
"""

from __future__ import annotations

import base64
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd

PROPERTY_HELP = {
    "validity": "values in the real columns' formats, rows delivered vs asked, duplicate ids",
    "fidelity": "category shares, number and date distributions, associations between columns",
    "length": "words and characters per text",
    "complexity": "readability and rarity of the vocabulary",
    "diversity": "distinct word sequences, compression, self-similarity, embedding diversity",
    "consistency": "text agreeing with its row's labels as real text does; no prompt fragments or cut sentences",
    "drift": "texts a classifier tells from the real ones, far from every real text or off the topic",
    "privacy": "copies of real texts (also of the few-shot rows) and reused real ids",
}
COMPLEXITY_LABELS = {"reading_ease": "Flesch reading ease", "grade": "Flesch-Kincaid grade",
                     "rarity": "share of unfamiliar words"}
DRIFT_LABELS = {"nearest": "similarity to the nearest real text", "topic": "similarity to the topic"}
PYPLOT_LOCK = threading.Lock()  # pyplot keeps global state: one thread draws at a time


@dataclass(frozen=True)
class Chart:
    title: str
    png: bytes


def chart_groups(report: Any) -> dict[str, list[Chart]]:
    """Tab title -> charts, in the order of the issue: length, readability, categories, dates, diversity,
    nearest-real similarity; groups with nothing measured are left out."""
    with PYPLOT_LOCK:
        groups = {
            "Scores": _scores(report),
            "Length": _series_charts(report, "length", lambda column, unit: f"{column}: {unit} per text",
                                     lambda unit: unit),
            "Readability": _series_charts(report, "complexity",
                                          lambda column, field: f"{column}: {COMPLEXITY_LABELS.get(field, field)}",
                                          lambda field: COMPLEXITY_LABELS.get(field, field)),
            "Categories, numbers, dates": _structured(report),
            "Diversity": _diversity(report),
            "Nearest real and topic": _series_charts(report, "drift",
                                                     lambda column, kind: f"{column}: {DRIFT_LABELS.get(kind, kind)}",
                                                     lambda kind: "cosine", clip=1.0),
        }
    return {title: charts for title, charts in groups.items() if charts}


def _png(data: str) -> bytes:
    return base64.b64decode(data)


def _scores(report: Any) -> list[Chart]:
    from syngen.evaluation import plots

    names = [n for n, p in report.properties.items() if p.score is not None]
    if not names:
        return []
    data = plots.paired_bars(names, [report.properties[n].reference for n in names],
                             [report.properties[n].score for n in names], "property scores",
                             first="real vs real", second="synthetic")
    return [Chart("property scores", _png(data))]


def _series_charts(report: Any, prop: str, title: Callable[[str, str], str], xlabel: Callable[[str], str],
                   clip: float = 0.99) -> list[Chart]:
    from syngen.evaluation import plots

    charts = []
    result = report.properties.get(prop)
    for column, measures in (result.series if result else {}).items():
        for measure, sides in measures.items():
            name = title(column, measure)
            charts.append(Chart(name, _png(plots.histogram(sides["real"], sides["synthetic"], name,
                                                           xlabel(measure), clip_quantile=clip))))
    return charts


def _structured(report: Any) -> list[Chart]:
    from syngen.evaluation import plots

    return [Chart(name, _png(data)) for name, data in plots.structured_column_plots(report)]


def _diversity(report: Any) -> list[Chart]:
    from syngen.evaluation import plots

    result = report.properties.get("diversity")
    charts = []
    for column in report.context.text_columns:
        shown = [m for m in (result.metrics if result else []) if m.column == column
                 and m.details.get("real") is not None]
        if shown:
            data = plots.paired_bars([m.metric for m in shown], [m.details.get("real") for m in shown],
                                     [m.details.get("synthetic") for m in shown], f"{column}: diversity")
            charts.append(Chart(f"{column}: diversity", _png(data)))
    return charts


def flagged(report: Any) -> dict[str, pd.DataFrame]:
    """The rows the report singles out for a reader: copies, far or off-topic texts, broken formats."""
    props = report.properties
    tables = {
        "Copies of real texts": pd.DataFrame(
            [{"row": c.get("index"), "kind": c.get("kind"), "synthetic text": c.get("text"), "real text": c.get("real")}
             for c in _details(props, "privacy").get("copy_examples", [])]),
        "Far from the real data or off topic": pd.DataFrame(
            [{"row": f.get("row"), "column": f.get("column"), "text": f.get("text"),
              "nearest real similarity": f.get("nearest_real_similarity"),
              "topic similarity": f.get("topic_similarity")} for f in _details(props, "drift").get("far_texts", [])]),
        "Values that break their column's format": pd.DataFrame(
            [{"column": column, "examples": " | ".join(map(str, values))}
             for column, values in _details(props, "validity").get("invalid_examples", {}).items()]),
        "Texts naming another value than their row's": pd.DataFrame(
            [{"value and text": t} for t in _details(props, "consistency").get("named_examples", [])]),
        "Texts carrying prompt fragments": pd.DataFrame(
            [{"text": t} for t in _details(props, "consistency").get("fragment_examples", [])]),
        "Texts that stop mid-sentence": pd.DataFrame(
            [{"text ending": t} for t in _details(props, "consistency").get("cut_examples", [])]),
        "Labels the real text predicts": pd.DataFrame(
            [{"label": c["label"], "text": c["text"], "checked": c["checked"],
              "balanced accuracy (real)": c.get("balanced_accuracy"), "chance": c.get("chance")}
             for c in _details(props, "consistency").get("label_checks", [])]),
        "Most repeated values": pd.DataFrame(
            [{"column": column, "value": r.get("value"), "synthetic share": r.get("synthetic_share"),
              "real share": r.get("real_share")}
             for column, items in _details(props, "diversity").get("repeated_values", {}).items() for r in items]),
    }
    return tables


def _details(props: dict, name: str) -> dict:
    prop = props.get(name)
    return prop.details if prop is not None else {}
