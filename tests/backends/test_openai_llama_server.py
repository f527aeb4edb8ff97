"""The OpenAI-compatible backend against a real llama.cpp server (llama-cpp-python's, serving the embedded
SmolLM2 on 127.0.0.1), started and stopped here: rows delivered and valid, a server killed mid-run, and a
server that comes back within the retry window."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.request

import pytest

from syngen import events
from syngen.backends.local import embedded_model_path
from syngen.backends.omp import set_thread_wait
from syngen.errors import GenerationIncomplete
from syngen.events import EventBus
from syngen.generation.engine import run_generation
from tests.backends.conftest import demo_config, free_port

pytestmark = [pytest.mark.model, pytest.mark.slow]
ALIAS = "smollm2"


class LlamaServer:
    """`python -m llama_cpp.server` on a free port; start() waits until it answers /v1/models."""

    def __init__(self) -> None:
        self.model = embedded_model_path()
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/v1"
        self.process: subprocess.Popen | None = None

    def start(self, wait: bool = True) -> None:
        command = [sys.executable, "-m", "llama_cpp.server", "--model", str(self.model), "--model_alias", ALIAS,
                   "--host", "127.0.0.1", "--port", str(self.port), "--n_ctx", "2048"]
        env = set_thread_wait(dict(os.environ))
        self.process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if wait:
            self.wait_ready()

    def wait_ready(self, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"llama_cpp.server exited with {self.process.returncode}")
            try:
                with urllib.request.urlopen(f"{self.url}/models", timeout=1):
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("llama_cpp.server did not start in time")

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)  # as a crash would: no graceful shutdown
            self.process.wait()




def kill_at(server: LlamaServer, moment: str, restart_after: float | None = None) -> EventBus:
    """A bus that kills the server at the first event named `moment`, and optionally starts it again."""
    bus, done = EventBus(), threading.Event()

    def on_event(event) -> None:
        if event.name != moment or done.is_set():
            return
        done.set()
        server.kill()
        if restart_after is not None:
            threading.Timer(restart_after, server.start, kwargs={"wait": False}).start()

    bus.subscribe(on_event)
    return bus


def test_rows_are_delivered_valid_with_tokens_and_cost(llama_server, tmp_path):
    prices = tmp_path / "prices.json"
    prices.write_text(json.dumps({"openai": {ALIAS: {"input": 1.0, "output": 4.0}}}))
    config = demo_config(tmp_path, "openai", n=3, base_url=llama_server.url,
                         backend_options={"price_file": str(prices)})
    result = run_generation(config)
    assert result.complete and len(result.rows) == 3
    assert list(result.rows.columns) == ["rating", "title", "text", "asin", "parent_asin", "user_id", "timestamp",
                                         "helpful_vote", "verified_purchase", "date", "time"]
    for _, row in result.rows.iterrows():
        assert row["title"].strip() and len(row["text"].split()) >= 3
    sidecar = result.sidecar
    model = sidecar["model"]
    assert (model["backend"], model["model"], model["base_url"]) == ("openai", ALIAS, llama_server.url)
    # llama-cpp-python's server rejects "json_schema" and takes "json_object" with a schema.
    assert model["response_format"] == "json_object_schema"
    assert sidecar["tokens_in"] > 0 and sidecar["tokens_out"] > 0
    expected = (sidecar["tokens_in"] * 1.0 + sidecar["tokens_out"] * 4.0) / 1e6
    assert sidecar["estimated_cost"]["usd"] == pytest.approx(expected, abs=1e-6)


def test_a_server_killed_mid_run_gives_a_clean_error_and_the_partial_rows(llama_server, tmp_path):
    options = {"max_attempts": 3, "backoff_base": 0.2, "backoff_max": 0.5}
    # More rows than the engine asks for at once, so some are asked of a server already killed.
    asked = 10
    config = demo_config(tmp_path, "openai", n=asked, base_url=llama_server.url, concurrency=1,
                         backend_options=options)
    with pytest.raises(GenerationIncomplete) as caught:
        run_generation(config, kill_at(llama_server, events.ROW_ACCEPTED))
    line, delivered = caught.value.one_line(), caught.value.delivered
    assert 1 <= delivered < asked
    assert line.startswith(f"lost the connection to the server at {llama_server.url}; gave up after 3 attempts; "
                           f"{delivered} of {asked} rows passed and were saved in ")
    assert line.endswith("Check that the server is running.") and "\n" not in line
    partial = caught.value.partial_path
    assert partial.name == "out.partial.csv" and len(partial.read_text().strip().splitlines()) == 1 + delivered
    assert not (tmp_path / "out.csv").exists()


def test_a_server_back_within_the_retry_window_lets_the_run_finish(llama_server, tmp_path):
    options = {"max_attempts": 12, "backoff_base": 0.5, "backoff_max": 3.0}  # a window of about 25 s
    config = demo_config(tmp_path, "openai", n=2, base_url=llama_server.url, concurrency=1, backend_options=options)
    result = run_generation(config, kill_at(llama_server, events.RUN_STARTED, restart_after=1.0))
    assert result.complete and len(result.rows) == 2
    assert result.sidecar["model"]["requests"]["retried"] >= 1
