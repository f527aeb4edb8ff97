"""Read a language model's free-text answer as table rows: JSON in any wrapping, CSV, markdown tables,
numbered or labelled lines. Serves the engine (one schema-constrained answer), the baseline and the
evaluation of outputs written elsewhere; see `answers.py`."""

from syngen.parsing.answers import ParsedAnswer, parse_answer, parse_json_object

__all__ = ["ParsedAnswer", "parse_answer", "parse_json_object"]
