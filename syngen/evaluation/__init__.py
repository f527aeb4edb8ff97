"""Evaluation: how faithful, diverse and private synthetic rows are, property by property, each score in
[0, 1] next to what real data scores against itself. Heavy libraries load only when a metric needs them."""

from syngen.evaluation.runner import evaluate_files, evaluate_input

__all__ = ["evaluate_files", "evaluate_input"]
