"""Why an answer or a row was not kept. The values are what sidecars ("rejections"), events and the page show,
so they stay the strings they always were."""

from __future__ import annotations

from syngen.enums import TextEnum


class RejectReason(TextEnum):
    # An answer (one attempt at a row), judged by generation/rows.py and checks.py:
    UNPARSEABLE = "unparseable"  # not a JSON object with the fields asked for
    EMPTY_FIELD = "empty_field"
    WRONG_LENGTH = "wrong_length"
    REPETITIVE = "repetitive"
    WRONG_LANGUAGE = "wrong_language"
    WRONG_COLUMN = "wrong_column"  # reads like another text column's texts (a message in its translation's language)
    CUT_TEXT = "cut_text"  # stops mid-sentence or mid-phrase
    WRONG_FORMAT = "wrong_format"  # does not open and close as every real text of its column does ("(a, b)")
    PROMPT_FRAGMENT = "prompt_fragment"  # holds what real texts never do (markup, the prompt's words)
    LABEL_MISMATCH = "label_mismatch"  # written with the label column: label_mismatch:rating
    OTHER_ITEM = "other_item"  # says what real texts say only of other items ("flax oil" of a biotin row)
    OFF_TOPIC = "off_topic"  # about something else than every real text
    STOCK_TEXT = "stock_text"  # reads like the model's own writing about the topic, not like a real text
    EXACT_COPY = "exact_copy"  # of a real row
    NEAR_COPY = "near_copy"
    # A made row, judged by the engine against the rows already accepted:
    DUPLICATE_ID = "duplicate_id"
    DUPLICATE_EXACT_COPY = "duplicate_exact_copy"
    DUPLICATE_NEAR_COPY = "duplicate_near_copy"
    # A chunk the backend could not make:
    BACKEND_ERROR = "backend_error"
    UNKNOWN = "unknown"

    def about(self, column: str) -> str:
        """The reason for one column, as counted: label_mismatch:rating."""
        return f"{self.value}:{column}"

    def duplicate(self) -> RejectReason:
        """A copy of an accepted row rather than of a real one: exact_copy -> duplicate_exact_copy."""
        return RejectReason(f"duplicate_{self.value}")
