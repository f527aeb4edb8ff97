"""Prompt strategies (base, diversity, lang_complexity, text_length), their knobs and few-shot selection.

Prompt text lives in templates/; this package only assembles it. It knows nothing about backends.
"""

from syngen.prompts.fewshot import FewShotPicker
from syngen.prompts.strategies import Knobs, PromptStrategy, get_strategy

__all__ = ["FewShotPicker", "Knobs", "PromptStrategy", "get_strategy"]
