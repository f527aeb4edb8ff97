"""The short terminal summary of a report: one line per property, next to what real data scores."""

from __future__ import annotations

from pathlib import Path

from syngen.evaluation.report import Report
from syngen.evaluation.results import MetricResult, PropertyResult
from syngen.evaluation.utility import UtilityResult

BAR_WIDTH = 20


def scorecard(report: Report) -> str:
    lines = [_title(report), _counts(report), "", f"{'property':<12}{'score':>7}{'real':>7}"]
    for name, prop in report.properties.items():
        lines.append(_row(name, prop.score, prop.reference))
    lines.append(_row("overall", report.score, None))
    lines += ["", *_findings(report), *utility_lines(report.utility)]
    lines.append("'real' is what one half of the real data scores against the other: a perfect generator.")
    return "\n".join(lines)


def _title(report: Report) -> str:
    return f"SynGen evaluation of {Path(report.synthetic.source).name} against {Path(report.real_source).name}"


def _counts(report: Report) -> str:
    asked = report.synthetic.expected_rows
    asked_text = f" of {asked:,} asked" if asked else ""
    return (f"rows {report.rows:,}{asked_text} · valid {report.valid_rows:,} · unusable {report.synthetic.unusable:,}"
            f" · read as {report.synthetic.format} · {report.seconds:.1f} s")


def _row(name: str, score: float | None, reference: float | None) -> str:
    if score is None:
        return f"{name:<12}{'n/a':>7}{_number(reference):>7}  not measured"
    filled = round(score * BAR_WIDTH)
    bar = "█" * filled + "░" * (BAR_WIDTH - filled)
    return f"{name:<12}{score:>7.2f}{_number(reference):>7}  {bar}"


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"


def _findings(report: Report) -> list[str]:
    lines = []
    fidelity = report.properties.get("fidelity")
    lines += [f"fidelity: {note}" for note in (fidelity.notes if fidelity is not None else [])]
    privacy = report.properties.get("privacy")
    if privacy is not None:
        details = privacy.details
        few_shot = details.get("few_shot_exact_copies")
        few_shot_text = ("few-shot rows unknown (no sidecar)" if few_shot is None else
                         f"{few_shot} exact and {details.get('few_shot_near_copies', 0)} near of the few-shot rows")
        lines.append(f"privacy: {details.get('exact_copies', 0)} exact and {details.get('near_copies', 0)} near "
                     f"copies of real texts; {few_shot_text}; {details.get('own_words_texts', 0)} texts holding two "
                     f"words only one real text uses; {details.get('copied_ids', 0)} real ids reused")
    consistency = report.properties.get("consistency")
    if consistency is not None:
        lines += consistency_findings(consistency)
    drift = report.properties.get("drift")
    if drift is not None and drift.score is not None:
        parts = [line.removeprefix("drift: ") for line in detection_findings(drift)]
        if "texts_measured" in drift.details:
            measured = drift.details["texts_measured"].get("synthetic", report.rows)
            parts.insert(0, f"{drift.details.get('far_texts_count', 0)} of {measured:,} texts measured are far "
                            f"from the real data or off the topic '{drift.details.get('topic', '')}'")
        lines.append("drift: " + "; ".join(parts))
    return lines


def detection_findings(prop: PropertyResult) -> list[str]:
    """One line per text column a classifier was asked to tell from the real texts, with the words that tell."""
    lines = []
    for metric in prop.metrics:
        if metric.metric != "text_detection":
            continue
        line = (f"drift: a classifier tells synthetic '{metric.column}' texts from real ones at ROC AUC "
                f"{metric.raw:.2f} (0.5: it cannot)")
        for key, how in (("synthetic_uses_more", "more"), ("synthetic_uses_fewer", "fewer")):
            if words := metric.details.get(key):
                line += f"; they use {how} " + ", ".join(
                    f"'{w['word']}' ({w['synthetic']:.0%} of texts against {w['real']:.0%})" for w in words[:3])
        lines.append(line)
    return lines


def consistency_findings(prop: PropertyResult) -> list[str]:
    """One line on text-label agreement per checked label, one on fragments and cut texts."""
    lines = []
    for metric in prop.metrics:
        if metric.metric.startswith("label_agreement:"):
            lines.append(f"consistency: {metric.column} predicts {metric.metric.split(':', 1)[1]} with balanced "
                         f"accuracy {metric.raw:.2f} (real {metric.details.get('real', 0):.2f}, chance "
                         f"{metric.details.get('chance', 0):.2f}){_classes_missing(prop, metric)}")
        if metric.metric == "other_value_named":
            lines.append(f"consistency: {metric.details.get('count', 0)} rows' texts name another {metric.column} "
                         f"than their own (real share {metric.details.get('real', 0):.1%})")
    flaws = {m.metric: m for m in prop.metrics if m.metric in ("prompt_fragment_share", "cut_text_share")}
    if flaws:
        parts = [f"{m.details.get('count', 0)} texts {label} (real share {m.details.get('real', 0):.1%})"
                 for key, label in (("prompt_fragment_share", "carry prompt fragments"),
                                    ("cut_text_share", "stop mid-sentence")) if (m := flaws.get(key))]
        lines.append("consistency: " + "; ".join(parts))
    return lines + _unmeasured(prop)


def _classes_missing(prop: PropertyResult, metric: MetricResult) -> str:
    """', over 3 of the 5 values the real rows hold': balanced accuracy reads only the classes the rows have."""
    label = metric.metric.split(":", 1)[1]
    check = next((c for c in prop.details.get("label_checks", []) if c.get("label") == label
                  and c.get("text") == metric.column), None)
    real, present = len((check or {}).get("classes") or []), metric.details.get("classes_present")
    return f", over {present} of the {real} values the real rows hold" if present and present < real else ""


def _unmeasured(prop: PropertyResult) -> list[str]:
    """Labels no check could be learned for (too few rows of a value): their agreement is not in the score."""
    off = [f"{c['label']} from {c['text']} ({c['reason']})" for c in prop.details.get("label_checks", [])
           if not c.get("checked") and c.get("balanced_accuracy") is None and c.get("reason")]
    return [f"consistency: not measured: {'; '.join(off[:6])}"] if off else []


def utility_lines(result: UtilityResult | None) -> list[str]:
    """The ML-utility comparisons, each with its 95% bootstrap interval over the real test rows."""
    if result is None:
        return []
    lines = [f"utility: a classifier of {result.label} from {result.text}, tested on {result.test_rows} held-out "
             "real rows (95% intervals):"]
    for comparison in result.comparisons.values():
        scores = comparison.scores
        lines.append(f"  {comparison.what}: {scores.candidate} ({comparison.candidate_rows} rows) vs "
                     f"{scores.baseline} ({comparison.baseline_rows} rows), difference {scores.difference.signed()}")
    return lines + [f"  {note}" for note in result.notes]
