"""The backends as a user drives them: `syngen generate --model X` with the documented options against
servers answering in each API's format, and `syngen models` reporting each backend's state here."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from syngen.backends.local import embedded_model_path
from syngen.cli.main import main
from syngen.output import sidecar_path
from tests.backends.conftest import closed_url, demo_config
from tests.backends.fakes import (
    FAKE_KEY,
    Script,
    cohere_rows,
    ollama_rows,
    ollama_tags,
    openai_models,
    openai_rows,
)


def serve_all(server) -> dict[str, Script]:
    scripts = {"ollama": Script([ollama_rows]), "cohere": Script([cohere_rows]), "openai": Script([openai_rows])}
    server.expect_request("/api/tags").respond_with_response(ollama_tags("llama3.2:latest", "qwen2.5:1.5b"))
    server.expect_request("/api/chat", method="POST").respond_with_handler(scripts["ollama"])
    server.expect_request("/v2/chat", method="POST").respond_with_handler(scripts["cohere"])
    server.expect_request("/v1/models").respond_with_response(openai_models("served-model"))
    server.expect_request("/v1/chat/completions", method="POST").respond_with_handler(scripts["openai"])
    return scripts


def generate(tmp_path, model: str, base_url: str, *extra: str, out: str = "out.csv") -> int:
    config = demo_config(tmp_path, model)
    return main(["generate", "--data", config.data, "--products", config.products, "--model", model,
                 "--base-url", base_url, "--num-samples", "3", "--out", str(tmp_path / out), "--force",
                 "--quiet", *extra])


@pytest.mark.parametrize(("model", "path", "model_name"), [("ollama", "", "qwen2.5:1.5b"),
                                                          ("cohere", "", "command-r7b-12-2024"),
                                                          ("openai", "/v1", "served-model")])
def test_generate_with_each_http_backend(server, tmp_path, monkeypatch, capsys, model, path, model_name):
    monkeypatch.setenv("COHERE_API_KEY", FAKE_KEY)
    scripts = serve_all(server)
    base_url = server.url_for(path).rstrip("/")
    assert generate(tmp_path, model, base_url, "--model-name", model_name, "--concurrency", "3",
                    "--rpm", "6000") == 0
    said = capsys.readouterr()
    assert "wrote 3/3 rows to" in said.out
    sidecar = json.loads(sidecar_path(tmp_path / "out.csv").read_text())
    rows = pd.read_csv(tmp_path / "out.csv", dtype=str)
    preview = said.err.split("first rows (rating | asin | title | text):\n")[1].splitlines()
    assert [line.split(" | ")[0].strip() for line in preview[:3]] == rows["rating"].tolist()  # the file's rows
    assert all(text[:40] in said.err for text in rows["text"])
    assert sidecar["rows_delivered"] == 3 and sidecar["model"]["model"] == model_name
    assert all(body["model"] == model_name for body in scripts[model].bodies)
    assert (sidecar["estimated_cost"] is None) == (model == "ollama")


def test_concurrency_changes_speed_not_rows(server, tmp_path):
    serve_all(server)
    url = server.url_for("/v1")
    assert generate(tmp_path, "openai", url, "--concurrency", "1", out="one.csv") == 0
    assert generate(tmp_path, "openai", url, "--concurrency", "4", out="four.csv") == 0
    assert (tmp_path / "one.csv").read_text() == (tmp_path / "four.csv").read_text()


def models_table(capsys, *args: str) -> dict[str, dict]:
    assert main(["models", "--json", *args]) == 0
    return {row["backend"]: row for row in json.loads(capsys.readouterr().out)}


def test_models_lists_every_backend_with_its_state(capsys, monkeypatch):
    monkeypatch.setenv("OLLAMA_HOST", closed_url())
    rows = models_table(capsys)
    assert list(rows)[:5] == ["local", "hf", "ollama", "cohere", "openai"]  # plugins may follow
    assert rows["local"]["state"] == ("ready" if embedded_model_path() else "model missing")
    assert rows["ollama"]["state"] == "server unreachable" and "ollama serve" in rows["ollama"]["detail"]
    assert rows["cohere"]["state"] == "key missing" and "COHERE_API_KEY" in rows["cohere"]["detail"]
    assert rows["openai"]["state"] == "key missing" and "OPENAI_API_KEY" in rows["openai"]["detail"]
    assert rows["hf"]["state"] in ("model missing", "extra missing")
    assert rows["ollama"]["schema"] is True and rows["openai"]["max_concurrency"] > 1


def test_models_sees_keys_servers_and_models(server, capsys, monkeypatch, tmp_path):
    serve_all(server)
    (tmp_path / ".env").write_text(f"COHERE_API_KEY={FAKE_KEY}\n")
    monkeypatch.setenv("OLLAMA_HOST", server.url_for("/").rstrip("/"))
    rows = models_table(capsys)
    assert rows["cohere"]["state"] == "ready" and rows["ollama"]["state"] == "ready"
    assert models_table(capsys, "ollama", "--model-name", "mistral")["ollama"]["state"] == "model missing"
    assert "ollama pull mistral" in models_table(capsys, "ollama", "--model-name", "mistral")["ollama"]["detail"]
    assert models_table(capsys, "openai", "--base-url", server.url_for("/v1"))["openai"]["state"] == "ready"
    assert models_table(capsys, "openai", "--base-url", closed_url("/v1"))["openai"]["state"] == \
        "server unreachable"


def test_models_prints_a_table_and_refuses_unknown_names(capsys):
    assert main(["models", "local", "cohere"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["BACKEND", "STATE", "MODEL", "DETAIL"]
    assert lines[2].startswith("cohere   key missing") and lines[-1].endswith("syngen generate --model NAME ...")
    assert main(["models", "gpt"]) == 2
    assert capsys.readouterr().err.strip() == ("error: unknown model backend 'gpt'. Choose from: local, hf, ollama, "
                                               "cohere, openai.")
