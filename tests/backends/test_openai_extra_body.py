"""`--backend-option extra_body='{...}'` for the openai backend: server-specific fields (llama.cpp's grammar,
vLLM's top_k) sent with each request, as the command line gives them."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from syngen.backends.base import GenerationRequest
from syngen.cli.generate import parse_backend_options
from syngen.errors import ConfigError
from syngen.generation.session import build_backend
from tests.backends.conftest import FAST_RETRIES, demo_config
from tests.backends.fakes import Script, openai_models, openai_rows
from tests.backends.test_openai_faults import REQUEST

GRAMMAR = 'root ::= "yes" | "no"'


def backend_with(tmp_path, url: str, *pairs: str, **options):
    backend_options = {**FAST_RETRIES, **options, **parse_backend_options(pairs)}
    return build_backend(demo_config(tmp_path, "openai", base_url=url, backend_options=backend_options))


def test_extra_body_arrives_with_each_request_beside_syngens_own_fields(server, tmp_path):
    script = Script([openai_rows])
    server.expect_request("/v1/models").respond_with_response(openai_models("served-model"))
    server.expect_request("/v1/chat/completions", method="POST").respond_with_handler(script)
    backend = backend_with(tmp_path, server.url_for("/v1"), 'extra_body={"grammar": "root ::= x", "top_k": 20}')
    for _ in range(2):
        backend.generate(REQUEST)
    assert len(script.bodies) == 2
    for body in script.bodies:
        assert (body["grammar"], body["top_k"]) == ("root ::= x", 20)
        assert (body["model"], body["seed"], body["temperature"]) == ("served-model", 3, 0.7)
        assert body["response_format"]["type"] == "json_schema"  # SynGen's structure is still asked for


@pytest.mark.parametrize(("pair", "says"), [
    ("extra_body={not json", "--backend-option extra_body: Input should be a valid dictionary. Give it as JSON"),
    ('extra_body={"temperature": 0.1}', "extra_body sets 'temperature', which SynGen sends itself; set it with "
                                        "--temperature instead"),
    ("timeout=soon", "--backend-option timeout: Input should be a valid number"),
])
def test_a_bad_backend_option_is_one_line(tmp_path, pair, says):
    with pytest.raises(ConfigError) as caught:
        backend_with(tmp_path, "http://127.0.0.1:9/v1", pair)
    assert says in str(caught.value) and "\n" not in str(caught.value)


@pytest.mark.model
@pytest.mark.slow
def test_llama_cpp_server_follows_a_grammar_sent_in_extra_body(llama_server, tmp_path):
    """The real server: without the grammar the model writes prose; with it, only what the grammar allows."""
    backend = backend_with(tmp_path, llama_server.url, "extra_body=" + json.dumps({"grammar": GRAMMAR}),
                           response_format="text")
    question = GenerationRequest(messages=[{"role": "user", "content": "Write a long poem about the sea."}],
                                 max_tokens=20, temperature=0.9, seed=1)
    answers = {backend.generate(replace(question, seed=seed)).text.strip() for seed in range(3)}
    assert answers <= {"yes", "no"}
