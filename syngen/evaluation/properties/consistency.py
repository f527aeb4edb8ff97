"""Consistency: can a row's text be trusted with the row? For every label column the real text predicts
(learned as at generation, profiling/labels.py), a classifier trained on the real rows reads each synthetic
text and predicts its row's label: agreement is compared with the real rows' own. For every category column whose values
the real texts name (profiling/named.py), the share of rows whose texts name another of its values instead of their
own. Then the share of texts carrying prompt fragments and the share cut mid-sentence, against the real column's
shares."""

from __future__ import annotations

import numpy as np

from syngen.evaluation.context import EvalContext
from syngen.evaluation.metrics.consistency import ExcessShare, LabelAgreement
from syngen.evaluation.results import MetricResult, PropertyResult, run_metric
from syngen.generation.checks import ContentChecks, learn_content_checks
from syngen.profiling.labels import LabelCheck, learn_label_checks
from syngen.profiling.named import find_named_values
from syngen.profiling.textshape import ends_sentence
from syngen.prompts.templates import instruction_texts

NAME = "consistency"
MIN_ROWS = 5  # fewer labelled synthetic rows say nothing about agreement
EXAMPLES = 5


def measure(ctx: EvalContext) -> PropertyResult:
    checks = ctx.cached(("real", "content checks"), lambda: _learn(ctx))
    results: list[MetricResult] = []
    details: dict = {"label_checks": [s.model_dump() for s in ctx.profile.label_checks or checks[1]]}
    for check in checks[0].labels:
        result = _agreement(ctx, check)
        if result is not None:
            results.append(result)
    details["named_examples"] = _named(ctx, results)
    flagged = _flaws(ctx, checks[0], results)
    details.update(flagged)
    return PropertyResult(NAME, results, details=details)


def _learn(ctx: EvalContext) -> tuple[ContentChecks, list]:
    labels, summaries = learn_label_checks(ctx.real, ctx.profile, ctx.seed)
    return learn_content_checks(ctx.real, ctx.profile, labels, instruction_texts()), summaries


def _agreement(ctx: EvalContext, check: LabelCheck) -> MetricResult | None:
    texts = ctx.column("synthetic", check.text).tolist()
    classes = [check.labeler.class_of(v) for v in ctx.column("synthetic", check.column)]
    keep = [i for i, (t, c) in enumerate(zip(texts, classes, strict=True)) if t.strip() and c in check.thresholds]
    if len(keep) < MIN_ROWS:
        return None
    probabilities = check.model.predict_proba([texts[i] for i in keep])
    predicted = np.asarray(check.model.classes_)[probabilities.argmax(axis=1)]
    truth = [classes[i] for i in keep]
    summary = check.summary
    metric = LabelAgreement(summary.chance or 0.0, summary.balanced_accuracy or 1.0)
    return run_metric(metric, None, (truth, list(predicted)), check.text, label=f"label_agreement:{check.label}")


def _named(ctx: EvalContext, results: list[MetricResult]) -> list[str]:
    """Rows whose texts name another value of a column than their own ("This Cabernet Franc" on a Muscat row)."""
    named, summaries = ctx.cached(("real", "named values"), lambda: find_named_values(ctx.real, ctx.profile, ctx.seed))
    examples = []
    texts = [" ".join(cells) for cells in zip(*(ctx.column("synthetic", c) for c in ctx.text_columns), strict=True)]
    written = [i for i, text in enumerate(texts) if text.strip()]  # rows with some text: the others name nothing
    texts = [texts[i] for i in written]
    for column, summary in zip(named, summaries, strict=True):
        values = ctx.column("synthetic", column.column).iloc[written].tolist()
        flags = [column.named_instead(t, v) is not None for t, v in zip(texts, values, strict=True)]
        if texts:
            results.append(run_metric(ExcessShare("other_value_named", summary.other_share), None, flags,
                                      column.column))
        examples += [f'{column.column} "{v}": {t[:160]}' for t, v, f in zip(texts, values, flags, strict=True)
                     if f][:EXAMPLES]
    return examples


def _flaws(ctx: EvalContext, checks: ContentChecks, results: list[MetricResult]) -> dict:
    found: dict = {"fragment_examples": [], "cut_examples": []}
    for column in ctx.text_columns:
        shape = checks.shapes.get(column)
        if shape is None or not shape.judged:
            continue
        synthetic = [t for t in ctx.column("synthetic", column) if t.strip()]
        real = [t for t in ctx.column("real", column) if t.strip()]
        if not synthetic:  # no text written: nothing to be sound (fidelity's text_empty_share tells it)
            continue
        fragments = [bool(shape.fragments(t, checks.instruction_words)) for t in synthetic]
        real_fragments = [bool(shape.fragments(t, checks.instruction_words)) for t in real]
        results.append(run_metric(ExcessShare("prompt_fragment_share", _share(real_fragments)), None, fragments,
                                  column))
        found["fragment_examples"] += [t[:200] for t, f in zip(synthetic, fragments, strict=True) if f][:EXAMPLES]
        if shape.must_end_whole:
            cut = [not ends_sentence(t) for t in synthetic]
            results.append(run_metric(ExcessShare("cut_text_share", 1 - shape.whole_share), None, cut, column))
            found["cut_examples"] += [t[-120:] for t, c in zip(synthetic, cut, strict=True) if c][:EXAMPLES]
    return found


def _share(flags: list[bool]) -> float:
    return sum(flags) / len(flags) if flags else 0.0
