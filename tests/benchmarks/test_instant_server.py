"""The pipeline benchmark's instant server: an answer valid for the request's JSON schema, whatever the schema,
at once, through the real OpenAI-compatible backend."""

import http.client
import importlib.util
import json
import statistics
import time
from pathlib import Path

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from syngen.backends.base import GenerationRequest
from syngen.backends.openai_compat import OpenAICompatBackend

PATH = Path(__file__).resolve().parents[2] / "benchmarks" / "instant_server.py"
spec = importlib.util.spec_from_file_location("instant_server", PATH)
instant_server = importlib.util.module_from_spec(spec)
spec.loader.exec_module(instant_server)

SHOWN = [{"title": "Tastes fine", "note": "Bought twice"},
         {"title": "Bottle arrived broken", "note": "Refund was quick"}]
EXAMPLES = [{"role": "system", "content": "You write rows."},
            {"role": "user", "content": "Real examples:\n" + "\n".join(map(json.dumps, SHOWN)) + "\nWrite one."}]

SCHEMAS = [
    {"type": "object", "properties": {"title": {"type": "string", "minLength": 5, "maxLength": 20},
                                      "note": {"type": "string", "minLength": 200, "maxLength": 400}},
     "required": ["title", "note"], "additionalProperties": False},
    {"type": "object", "properties": {"body": {"type": "string", "pattern": "^[^<>{}]{30,60}$"}}, "required": ["body"]},
    {"type": "object", "properties": {
        "stars": {"type": "integer", "minimum": 1, "maximum": 5},
        "score": {"type": "number", "minimum": -1, "maximum": 1},
        "ok": {"type": "boolean"}, "tag": {"enum": ["a", "b"]}, "fixed": {"const": 7},
        "maybe": {"anyOf": [{"type": "null"}, {"type": "string", "maxLength": 3}]},
        "items": {"type": "array", "items": {"type": "string", "minLength": 1, "maxLength": 9}, "minItems": 2,
                  "maxItems": 4},
        "nested": {"type": "object", "properties": {"x": {"type": "integer", "minimum": 0, "maximum": 0}},
                   "required": ["x"]}},
     "required": ["stars", "score", "ok", "tag", "fixed", "maybe", "items", "nested"]},
]


@pytest.fixture(scope="module")
def backend():
    server = instant_server.serve()
    yield OpenAICompatBackend({"base_url": instant_server.base_url(server), "concurrency": 8})
    server.shutdown()


@pytest.mark.parametrize("schema", SCHEMAS)
def test_answers_are_valid_for_the_schema(backend, schema):
    answers = backend.generate_batch([GenerationRequest(messages=EXAMPLES, json_schema=schema, max_tokens=400,
                                                        seed=seed) for seed in range(20)])
    values = [json.loads(a.text) for a in answers]
    for value in values:
        jsonschema.validate(value, schema)
    assert len({json.dumps(v) for v in values}) > 10, "answers differ from one seed to the next"


def test_texts_are_words_of_the_fields_own_examples():
    words = {name: " ".join(shown[name] for shown in SHOWN).lower().split() for name in ("title", "note")}
    value = instant_server.answer({"messages": EXAMPLES, "seed": 3, "response_format": {
        "type": "json_schema", "json_schema": {"name": "row", "schema": SCHEMAS[0]}}})
    row = json.loads(value["choices"][0]["message"]["content"])
    assert set(row["title"].lower().rstrip(".a").split()) <= set(words["title"])
    # The note asks for more characters than its examples' words make: they come first, other words after.
    assert set(row["note"].lower().split()[:5]) == set(words["note"]) and len(row["note"]) >= 200
    assert row["title"].endswith(".") and row["note"].endswith(".")


lengths = st.integers(0, 300).flatmap(lambda low: st.tuples(st.just(low), st.integers(max(low, 1), low + 300)))


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(st.from_regex(r"[a-z_]{1,12}", fullmatch=True), lengths, min_size=1, max_size=6),
       st.integers(0, 2**31 - 1))
def test_any_string_bounds_are_kept(fields, seed):
    schema = {"type": "object", "properties": {name: {"type": "string", "minLength": low, "maxLength": high}
                                               for name, (low, high) in fields.items()}, "required": list(fields)}
    body = {"messages": EXAMPLES, "seed": seed, "response_format": {"type": "json_schema",
                                                                     "json_schema": {"name": "x", "schema": schema}}}
    jsonschema.validate(json.loads(instant_server.answer(body)["choices"][0]["message"]["content"]), schema)


def test_without_shared_words_an_answer_depends_on_its_request_alone():
    """What the multi-node Ray test needs: the same rows whichever node asks first."""
    long_text = {"type": "json_schema", "json_schema": {"schema": {
        "type": "object", "properties": {"note": {"type": "string", "minLength": 300, "maxLength": 400}}}}}
    body = {"messages": EXAMPLES, "seed": 5, "response_format": long_text}
    alone = instant_server.answer(body, share=False)
    other = {"messages": [{"role": "user", "content": json.dumps({"note": "zebra quokka narwhal axolotl"})}]}
    instant_server.answer({**other, "seed": 1, "response_format": long_text})  # words the next answer could borrow
    assert instant_server.answer(body, share=False) == alone
    assert "zebra" not in alone["choices"][0]["message"]["content"]


def test_an_answer_comes_without_the_delayed_ack_stall():
    """Headers and body once went out in two unbuffered writes with Nagle on: the client's delayed ACK held
    each answer ~40 ms, so the benchmark measured that stall instead of the driver."""
    server = instant_server.serve()
    try:
        connection = http.client.HTTPConnection("127.0.0.1", server.server_address[1])
        body = json.dumps({"messages": EXAMPLES, "seed": 1, "response_format": {
            "type": "json_schema", "json_schema": {"name": "row", "schema": SCHEMAS[0]}}})
        times = []
        for _ in range(15):
            started = time.perf_counter()
            connection.request("POST", "/v1/chat/completions", body, {"Content-Type": "application/json"})
            assert connection.getresponse().read()
            times.append(time.perf_counter() - started)
        assert statistics.median(times) < 0.02, f"median {statistics.median(times) * 1000:.0f} ms an answer"
    finally:
        server.shutdown()
