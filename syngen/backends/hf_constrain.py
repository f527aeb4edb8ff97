"""Schema-constrained decoding for transformers with lm-format-enforcer's core (TokenEnforcer and
JsonSchemaParser).

lm-format-enforcer's own transformers integration imports `transformers.tokenization_utils`, which
transformers 5 removed; its core needs only the tokenizer's vocabulary, which this module reads through
the tokenizer's public `decode`, so the same code runs on transformers 4 and 5.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

# Two spaces or a newline between JSON tokens is plenty; the default (12) lets a small model spend its
# token budget on indentation and cut the answer short.
MAX_WHITESPACE = 2


def tokenizer_data(tokenizer: Any) -> Any:
    """The vocabulary as lm-format-enforcer reads it: (id, text, starts a word) for every regular token."""
    from lmformatenforcer import TokenEnforcerTokenizerData

    size = len(tokenizer)
    special = set(tokenizer.all_special_ids)
    zero = tokenizer.encode("0", add_special_tokens=False)[-1]
    regular = []
    for token in range(size):
        if token in special:
            continue
        # Decoding after a "0" keeps a leading space that decoding the token alone would strip.
        after_zero = tokenizer.decode([zero, token])[1:]
        alone = tokenizer.decode([token])
        regular.append((token, after_zero, len(after_zero) > len(alone)))

    def decode(tokens: list[int]) -> str:
        return tokenizer.decode(tokens).rstrip("\ufffd")  # a half-decoded multi-byte character

    return TokenEnforcerTokenizerData(regular, decode, tokenizer.eos_token_id, False, size)


def allowed_tokens_fn(data: Any, schema: dict[str, Any]) -> Callable[[int, Any], list[int]]:
    """A `prefix_allowed_tokens_fn` for one `model.generate` call: only tokens that keep the answer a valid
    prefix of a JSON object matching `schema` get through. The enforcer takes the first sequence it is
    shown as the prompt, so a new one is made for every request."""
    from lmformatenforcer import CharacterLevelParserConfig, JsonSchemaParser, TokenEnforcer

    config = CharacterLevelParserConfig(max_consecutive_whitespaces=MAX_WHITESPACE, force_json_field_order=True)
    enforcer = TokenEnforcer(data, JsonSchemaParser(schema, config=config))

    def allowed(batch_id: int, sequence: Any) -> list[int]:
        return enforcer.get_allowed_tokens(sequence.tolist()).allowed_tokens

    return allowed
