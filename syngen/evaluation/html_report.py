"""The HTML report: one self-contained file (plots embedded as base64 PNG, no scripts, no links out)."""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any

from syngen.evaluation import plots
from syngen.evaluation.report import Report, write_text
from syngen.evaluation.results import PropertyResult
from syngen.evaluation.scorecard import scorecard

STYLE = """
body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}
h1{font-size:1.5em} h2{border-bottom:1px solid #ddd;padding-bottom:.2em;margin-top:1.6em}
table{border-collapse:collapse;margin:.5em 0} td,th{border:1px solid #ddd;padding:.25em .6em;font-size:.9em}
th{background:#f4f4f4;text-align:left} td.n{text-align:right;font-variant-numeric:tabular-nums}
.bar{background:#eee;width:160px;height:12px} .bar div{background:#4c72b0;height:12px}
.grid{display:flex;flex-wrap:wrap;gap:8px} .grid img{border:1px solid #eee}
pre{background:#f8f8f8;padding:.8em;overflow-x:auto;line-height:1.25} .muted{color:#777}
"""


def write_html(report: Report, path: str | Path) -> Path:
    return write_text(Path(path), render(report))


def render(report: Report) -> str:
    body = [
        f"<h1>{escape(_title(report))}</h1>",
        f"<pre>{escape(scorecard(report))}</pre>",
        _scores_table(report),
        _utility(report),
        _section("Scores against a perfect generator", [_score_plot(report)]),
        _section("Categories, numbers and dates", _structured_plots(report)),
        _section("Text length", _length_plots(report)),
        _section("Readability and vocabulary", _complexity_plots(report)),
        _section("Diversity", _diversity_plots(report)),
        _section("Nearest real neighbour and topic", _drift_plots(report)),
        _lists(report),
        _metric_tables(report),
        _notes(report),
    ]
    return ("<!doctype html><html><head><meta charset='utf-8'>"
            f"<title>{escape(_title(report))}</title><style>{STYLE}</style></head><body>"
            + "\n".join(body) + "</body></html>")


def _title(report: Report) -> str:
    return f"SynGen report: {Path(report.synthetic.source).name}"


def _img(data: str, alt: str) -> str:
    return f"<img alt='{escape(alt)}' src='data:image/png;base64,{data}'>"


def _section(title: str, images: list[str]) -> str:
    if not images:
        return ""
    return f"<h2>{escape(title)}</h2><div class='grid'>{''.join(images)}</div>"


def _fmt(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.3f}"
    return escape(str(value))


def _scores_table(report: Report) -> str:
    rows = []
    for name, prop in report.properties.items():
        width = 0 if prop.score is None else round(prop.score * 100)
        rows.append(f"<tr><td>{name}</td><td class='n'>{_fmt(prop.score)}</td><td class='n'>{_fmt(prop.reference)}"
                    f"</td><td><div class='bar'><div style='width:{width}%'></div></div></td></tr>")
    return ("<h2>Properties</h2><table><tr><th>property</th><th>score</th><th>real vs real</th><th></th></tr>"
            + "".join(rows) + "</table>")


def _utility(report: Report) -> str:
    result = report.utility
    if result is None:
        return ""
    rows = [[c.what, c.measure, f"{c.scores.candidate} ({c.candidate_rows} rows)",
             f"{c.scores.baseline} ({c.baseline_rows} rows)", str(c.scores.difference)]
            for c in result.comparisons.values()]
    table = _table(f"ML utility: a classifier of {result.label} from {result.text}",
                   ["comparison", "measure", "with synthetic rows", "real rows only", "difference"], rows)
    notes = "".join(f"<li>{escape(n)}</li>" for n in result.notes)
    return (table + f"<p class='muted'>TF-IDF and logistic regression, tested on {result.test_rows} held-out real "
            "rows; brackets hold 95% bootstrap intervals over those rows. A difference whose interval spans 0 is "
            f"not shown by this test.</p>" + (f"<ul>{notes}</ul>" if notes else ""))


def _score_plot(report: Report) -> str:
    names = list(report.properties)
    return _img(plots.paired_bars(names, [report.properties[n].reference for n in names],
                                  [report.properties[n].score for n in names], "property scores",
                                  first="real vs real", second="synthetic"), "property scores")


def _structured_plots(report: Report) -> list[str]:
    return [_img(data, name) for name, data in plots.structured_column_plots(report)]


def _length_plots(report: Report) -> list[str]:
    return [_img(plots.histogram(sides["real"], sides["synthetic"], f"{column}: {unit} per text", unit), column)
            for column, measures in report.properties["length"].series.items()
            for unit, sides in measures.items()]


def _complexity_plots(report: Report) -> list[str]:
    labels = {"reading_ease": "Flesch reading ease", "grade": "Flesch-Kincaid grade",
              "rarity": "share of unfamiliar words"}
    return [_img(plots.histogram(sides["real"], sides["synthetic"], f"{column}: {labels[field]}", labels[field]),
                 field)
            for column, fields in report.properties["complexity"].series.items() for field, sides in fields.items()]


def _diversity_plots(report: Report) -> list[str]:
    images = []
    prop = report.properties["diversity"]
    for column in report.context.text_columns:
        shown = [m for m in prop.metrics if m.column == column and m.metric not in ("vendi_score",)]
        if shown:
            data = plots.paired_bars([m.metric for m in shown], [m.details.get("real") for m in shown],
                                     [m.details.get("synthetic") for m in shown], f"{column}: diversity")
            images.append(_img(data, f"{column} diversity"))
    return images


def _drift_plots(report: Report) -> list[str]:
    titles = {"nearest": "similarity to the nearest real text", "topic": "similarity to the topic"}
    return [_img(plots.histogram(sides["real"], sides["synthetic"], f"{column}: {titles[kind]}", "cosine",
                                 clip_quantile=1.0), kind)
            for column, kinds in report.properties["drift"].series.items() for kind, sides in kinds.items()]


def _lists(report: Report) -> str:
    parts = []
    validity = report.properties["validity"].details.get("invalid_examples", {})
    if validity:
        parts.append(_table("Values that break their column's format", ["column", "examples"],
                            [[c, " | ".join(v)] for c, v in validity.items()]))
    far = report.properties["drift"].details.get("far_texts", [])
    if far:
        parts.append(_table("Texts far from the real data or off topic",
                            ["row", "text", "nearest real", "topic"],
                            [[f["row"], f["text"], f["nearest_real_similarity"], f["topic_similarity"]] for f in far]))
    tells = [[m.column, way, w["word"], f"{w['synthetic']:.0%}", f"{w['real']:.0%}"]
             for m in report.properties["drift"].metrics if m.metric == "text_detection"
             for key, way in (("synthetic_uses_more", "more"), ("synthetic_uses_fewer", "fewer"))
             for w in m.details.get(key, [])]
    if tells:
        parts.append(_table("Words that tell synthetic texts from real ones",
                            ["column", "synthetic texts use it", "word", "synthetic texts", "real texts"], tells))
    copies = report.properties["privacy"].details.get("copy_examples", [])
    if copies:
        parts.append(_table("Copies of real texts", ["row", "kind", "synthetic", "real"],
                            [[c["index"], c["kind"], c["text"], c["real"]] for c in copies]))
    consistency = report.properties.get("consistency")
    if consistency is not None:
        parts.append(_consistency_lists(consistency.details))
    repeated = report.properties["diversity"].details.get("repeated_values", {})
    rows = [[c, r["value"], r["synthetic_share"], r["real_share"]] for c, items in repeated.items() for r in items]
    if rows:
        parts.append(_table("Most repeated synthetic values", ["column", "value", "synthetic share", "real share"],
                            rows))
    return "".join(parts)


def _consistency_lists(details: dict[str, Any]) -> str:
    checks = [[c["label"], c["text"], "yes" if c["checked"] else "no", c.get("balanced_accuracy"), c.get("chance"),
               c.get("reason", "")] for c in details.get("label_checks", [])]
    parts = [_table("Labels the real text predicts", ["label", "text", "checked", "balanced accuracy (real)",
                                                       "chance", "why not"], checks)] if checks else []
    for key, title in (("named_examples", "Texts naming another value of a column than their row's"),
                       ("fragment_examples", "Texts carrying prompt fragments"),
                       ("cut_examples", "Texts that stop mid-sentence (their ends)")):
        if details.get(key):
            parts.append(_table(title, ["text"], [[t] for t in details[key]]))
    return "".join(parts)


def _table(title: str, header: list[str], rows: list[list[Any]]) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{_fmt(v)}</td>" for v in row) + "</tr>" for row in rows)
    return f"<h2>{escape(title)}</h2><table><tr>{head}</tr>{body}</table>"


def _metric_tables(report: Report) -> str:
    return "<h2>All metrics</h2>" + "".join(_metric_table(name, prop) for name, prop in report.properties.items())


def _metric_table(name: str, prop: PropertyResult) -> str:
    rows = [[m.metric, m.column, m.raw, m.score, m.details.get("real", m.details.get("real_median")),
             m.details.get("synthetic", m.details.get("synthetic_median"))] for m in prop.metrics]
    if not rows:
        return f"<h3>{escape(name)}</h3><p class='muted'>{escape('; '.join(prop.notes) or 'no metrics')}</p>"
    table = _table(name, ["metric", "column", "raw", "score", "real", "synthetic"], rows)
    return table.replace("<h2>", "<h3>").replace("</h2>", "</h3>")


def _notes(report: Report) -> str:
    notes = report.notes + report.synthetic.notes
    if not notes:
        return ""
    items = "".join(f"<li>{escape(n)}</li>" for n in notes[:50])
    return f"<h2>Notes</h2><ul>{items}</ul>"
