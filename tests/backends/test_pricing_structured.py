"""The price table (cost estimates the user can override) and the structured-output modes."""

from __future__ import annotations

import json

import pytest

from syngen.backends.pricing import PRICES_ENV, PriceTable
from syngen.backends.structured import (
    AUTO_ORDER,
    FORMATS,
    next_mode,
    portable_schema,
    schema_instruction,
    with_instruction,
)
from syngen.errors import ConfigError

SCHEMA = {"type": "object", "additionalProperties": False, "required": ["title", "text"],
          "properties": {"title": {"type": "string", "minLength": 9, "maxLength": 26},
                         "text": {"type": "string", "minLength": 87, "maxLength": 221}}}


@pytest.mark.parametrize(("backend", "model", "prices"), [
    ("openai", "gpt-4o-mini-2024-07-18", (0.15, 0.60)),  # the longest family name wins over "gpt-4o"
    ("openai", "gpt-4o-2024-08-06", (2.50, 10.00)),
    ("cohere", "command-r-plus-08-2024", (2.50, 10.00)),
    ("cohere", "command-r-08-2024", (0.15, 0.60)),
    ("cohere", "command-r7b-12-2024", (0.0375, 0.15)),
])
def test_dated_models_take_their_family_price(backend, model, prices):
    price = PriceTable(backend).find(model)
    assert (price.input, price.output) == prices


def test_estimate_is_tokens_times_price_per_million():
    cost = PriceTable("openai").estimate("gpt-4o", tokens_in=1_000_000, tokens_out=500_000)
    assert cost["usd"] == 2.5 + 5.0
    assert cost["input_usd_per_million"] == 2.5 and "built-in" in cost["prices"]


def test_an_unpriced_model_says_how_to_price_it():
    cost = PriceTable("openai").estimate("my-vllm-model", 10, 10)
    assert cost["usd"] is None and "my-vllm-model" in cost["reason"] and PRICES_ENV in cost["fix"]


def test_a_price_file_overrides_and_adds(tmp_path, monkeypatch):
    env_file = tmp_path / "env-prices.json"
    env_file.write_text(json.dumps({"openai": {"gpt-4o": {"input": 1, "output": 2}}}))
    option_file = tmp_path / "option-prices.json"
    option_file.write_text(json.dumps({"openai": {"local-model": {"input": 0.5, "output": 0.25}}}))
    monkeypatch.setenv(PRICES_ENV, str(env_file))
    from_env = PriceTable("openai")
    assert from_env.estimate("gpt-4o", 1_000_000, 1_000_000)["usd"] == 3.0
    assert from_env.find("gpt-4o").source == str(env_file)
    assert from_env.find("gpt-4o-mini").input == 0.15  # untouched entries keep the built-in price
    from_option = PriceTable("openai", str(option_file))  # the option wins over the variable
    assert from_option.find("local-model").output == 0.25 and from_option.find("gpt-4o").input == 2.5
    assert PriceTable("cohere", str(option_file)).find("local-model") is None


@pytest.mark.parametrize(("content", "fragment"), [
    ("{not json", "not valid JSON"),
    ("[1, 2]", "must hold a JSON object"),
    ('{"openai": ["gpt-4o"]}', "must map model names"),
    ('{"openai": {"gpt-4o": {"input": 1}}}', "needs numeric 'input' and 'output'"),
    ('{"openai": {"gpt-4o": {"input": "cheap", "output": 1}}}', "needs numeric"),
    ('{"openai": {"gpt-4o": {"input": -1, "output": 1}}}', "negative price"),
    ('{"openai": {"gpt-4o": {"input": 1, "output": 1, "cached_input": -0.5}}}', "negative price"),
    ('{"openai": {"gpt-4o": {"input": 1, "output": 1, "cached_input": "half"}}}', "needs numeric"),
])
def test_a_bad_price_file_is_one_clear_error(tmp_path, content, fragment):
    path = tmp_path / "prices.json"
    path.write_text(content)
    with pytest.raises(ConfigError) as caught:
        PriceTable("openai", str(path))
    assert fragment in caught.value.message and str(path) in caught.value.message


def test_a_missing_price_file_is_an_error(tmp_path):
    with pytest.raises(ConfigError, match="cannot read the price file"):
        PriceTable("cohere", str(tmp_path / "absent.json"))


def test_portable_schema_drops_only_string_bounds():
    portable = portable_schema(SCHEMA)
    assert portable["properties"] == {"title": {"type": "string"}, "text": {"type": "string"}}
    assert portable["required"] == ["title", "text"] and portable["additionalProperties"] is False
    assert SCHEMA["properties"]["title"]["maxLength"] == 26  # the original is not changed


def test_formats_table():
    assert FORMATS["json_schema"](SCHEMA) == {"type": "json_schema",
                                              "json_schema": {"name": "row", "strict": True, "schema": SCHEMA}}
    assert "minLength" not in json.dumps(FORMATS["json_schema_portable"](SCHEMA))
    assert FORMATS["json_object_schema"](SCHEMA) == {"type": "json_object", "schema": SCHEMA}
    assert FORMATS["text"](SCHEMA) is None
    order = [AUTO_ORDER[0]]
    while next_mode(order[-1]):
        order.append(next_mode(order[-1]))
    assert order == list(AUTO_ORDER) and order[-1] == "text"


def test_the_instruction_names_keys_and_lengths_in_the_last_user_message():
    assert schema_instruction(SCHEMA) == ('Answer with only a JSON object with the keys "title" (a string of '
                                          '9-26 characters), "text" (a string of 87-221 characters), and '
                                          'nothing else.')
    messages = [{"role": "system", "content": "S"}, {"role": "user", "content": "U1"},
                {"role": "assistant", "content": "A"}, {"role": "user", "content": "U2"}]
    changed = with_instruction(messages, SCHEMA)
    assert changed[3]["content"].startswith("U2\nAnswer with only a JSON object")
    assert changed[1]["content"] == "U1" and messages[3]["content"] == "U2"


def test_cached_prompt_tokens_are_priced_at_the_cached_rate_and_the_saving_shown():
    # gpt-4o-mini: 0.15 input, 0.075 cached input, 0.60 output, per million tokens.
    cost = PriceTable("openai").estimate("gpt-4o-mini", tokens_in=1_000_000, tokens_out=100_000, cached_in=600_000)
    assert cost["usd"] == pytest.approx(0.4 * 0.15 + 0.6 * 0.075 + 0.1 * 0.60)
    assert cost["saved_by_cache_usd"] == pytest.approx(0.6 * (0.15 - 0.075))
    assert (cost["cached_input_tokens"], cost["cached_input_usd_per_million"]) == (600_000, 0.075)


def test_without_a_cached_rate_cached_tokens_cost_the_input_price():
    cost = PriceTable("cohere").estimate("command-r", tokens_in=1_000_000, tokens_out=0, cached_in=500_000)
    assert cost["usd"] == pytest.approx(0.15) and cost["saved_by_cache_usd"] == 0


def test_a_price_file_may_give_a_cached_rate(tmp_path):
    path = tmp_path / "prices.json"
    path.write_text(json.dumps({"cohere": {"command-r": {"input": 0.2, "output": 1, "cached_input": 0.05}}}))
    cost = PriceTable("cohere", str(path)).estimate("command-r", 1_000_000, 0, cached_in=1_000_000)
    assert cost["usd"] == pytest.approx(0.05) and cost["saved_by_cache_usd"] == pytest.approx(0.15)
