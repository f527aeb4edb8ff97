"""A column named with an emoji: the answer schema's key is the real name, and the embedded model can write it.

llama-cpp-python's GBNF converter wrote the key as json.dumps(name), so `😀 comment` became the surrogate pair
`\\ud83d\\ude00`, which llama.cpp's grammar reads as two lone surrogates no text can match: every answer was
rejected (0 rows in 22 s). Constrained by llguidance, the key is the character itself."""

import json

import pytest

from syngen.data import read_table_bytes
from syngen.generation.schema import answer_schema, field_limits
from syngen.profiling import profile_table
from syngen.sampling import RowPlanner

NAME = "😀 comment"


def test_schema_keys_are_the_real_column_names():
    raw = (f"rating,{NAME}\n" + "".join(f"{1 + i % 5},this is comment number {i} about the thing\n"
                                          for i in range(40))).encode()
    profile = profile_table(read_table_bytes(raw))
    skeleton = RowPlanner(profile, None, 0).skeleton(0)
    schema = answer_schema(field_limits(profile, skeleton, 0.3))
    assert list(schema["properties"]) == [NAME] and schema["required"] == [NAME]
    assert NAME in json.dumps(schema, ensure_ascii=False)


@pytest.mark.model
def test_the_embedded_model_answers_an_emoji_key():
    from syngen.backends.base import GenerationRequest
    from syngen.backends.local import LocalBackend

    if not LocalBackend.status().ready:
        pytest.skip("the embedded model is not installed")
    backend = LocalBackend({})
    request = GenerationRequest(
        messages=[{"role": "user", "content": f'Write a short comment about a product as JSON with the key "{NAME}".'}],
        json_schema=answer_schema({NAME: (5, 60)}), max_tokens=40, temperature=0.8, seed=1)
    answer = json.loads(backend.generate(request).text)
    assert list(answer) == [NAME] and answer[NAME].strip()
