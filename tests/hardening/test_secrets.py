"""An API key, or a password in a server URL, never appears in any artifact of a run: output, sidecar, run
directory, report, printed lines, error messages or exceptions. A sentinel key is used against a local server
replaying Cohere's (or OpenAI's) API, then every file and every printed line is searched for it."""

import json
import subprocess
import sys
import traceback
from pathlib import Path

import pytest

from syngen.errors import SynGenError
from syngen.generation.config import GenerationConfig
from syngen.generation.engine import run_generation
from tests.backends.fakes import cohere_error, cohere_rows

pytest.importorskip("cohere")
SENTINEL = "sk-SENTINEL-7f3a9c1e-do-not-leak"
REPO = Path(__file__).resolve().parents[2]


def syngen(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "COHERE_API_KEY": SENTINEL, "HF_HUB_OFFLINE": "1"}
    return subprocess.run([sys.executable, "-m", "syngen.cli.main", *args], capture_output=True, text=True,
                          cwd=tmp_path, env={**env, "PYTHONPATH": str(REPO)}, timeout=600)


def leaks(folder: Path) -> list[str]:
    return [str(p) for p in folder.rglob("*") if p.is_file() and SENTINEL.encode() in p.read_bytes()]


def test_a_successful_run_and_its_report_never_contain_the_key(server, tmp_path, demo_paths):
    server.expect_request("/v2/chat", method="POST").respond_with_handler(cohere_rows)
    reviews, products = demo_paths
    out = tmp_path / "out.csv"
    made = syngen(tmp_path, "generate", "--data", str(reviews), "--products", str(products), "--model", "cohere",
                  "--base-url", server.url_for("/").rstrip("/"), "--num-samples", "3", "--out", str(out))
    assert made.returncode == 0, made.stderr
    report = syngen(tmp_path, "evaluate", "--real", str(reviews), "--synthetic", str(out),
                    "--report", str(tmp_path / "r.html"), "--json", str(tmp_path / "r.json"))
    assert report.returncode == 0, report.stderr
    assert (tmp_path / "r.html").exists() and (tmp_path / "out.csv.syngen.json").exists()
    assert (tmp_path / "out.csv.run").exists()
    assert leaks(tmp_path) == []
    for printed in (made.stdout, made.stderr, report.stdout, report.stderr):
        assert SENTINEL not in printed
    # The key did go where it belongs: the Authorization header of the requests to the API.
    assert all(SENTINEL in request.headers.get("Authorization", "") for request, _ in server.log)


def test_a_refused_key_is_named_but_never_shown(server, tmp_path, demo_paths, monkeypatch):
    server.expect_request("/v2/chat", method="POST").respond_with_response(cohere_error(401, "invalid api token"))
    reviews, products = demo_paths
    failed = syngen(tmp_path, "generate", "--data", str(reviews), "--model", "cohere", "--base-url",
                    server.url_for("/").rstrip("/"), "--num-samples", "2", "--out", str(tmp_path / "o.csv"))
    assert failed.returncode != 0 and "COHERE_API_KEY" in failed.stderr
    assert SENTINEL not in failed.stderr + failed.stdout and "Traceback" not in failed.stderr
    monkeypatch.setenv("COHERE_API_KEY", SENTINEL)
    config = GenerationConfig(data=str(reviews), model="cohere", base_url=server.url_for("/").rstrip("/"),
                              num_samples=2, out=str(tmp_path / "p.csv"), backend_options={"api_key": SENTINEL})
    with pytest.raises(SynGenError) as caught:
        run_generation(config)
    text = "".join(traceback.format_exception(caught.value)) + repr(caught.value.args)
    assert SENTINEL not in text
    assert leaks(tmp_path) == []


def test_a_password_in_the_server_url_is_never_shown_or_saved(server, tmp_path, demo_paths):
    server.expect_request("/v2/chat", method="POST").respond_with_handler(cohere_rows)
    reviews, products = demo_paths
    url = server.url_for("/").rstrip("/").replace("http://", f"http://alice:{SENTINEL}@")
    made = syngen(tmp_path, "generate", "--data", str(reviews), "--model", "cohere", "--base-url", url,
                  "--num-samples", "3", "--out", str(tmp_path / "out.csv"))
    assert made.returncode == 0, made.stderr
    assert all(request.authorization is not None for request, _ in server.log)  # it did reach the server
    report = syngen(tmp_path, "evaluate", "--real", str(reviews), "--synthetic", str(tmp_path / "out.csv"),
                    "--report", str(tmp_path / "r.html"), "--json", str(tmp_path / "r.json"))
    assert report.returncode == 0, report.stderr
    sidecar = json.loads((tmp_path / "out.csv.syngen.json").read_text())
    assert sidecar["config"]["base_url"].startswith("http://***:***@127.0.0.1")
    resumed = syngen(tmp_path, "generate", "--resume", str(tmp_path / "out.csv.run"), "--force")
    assert "--base-url with a user and password" in resumed.stderr and resumed.returncode == 2
    unreachable = syngen(tmp_path, "generate", "--data", str(reviews), "--model", "openai", "--base-url",
                         f"http://alice:{SENTINEL}@127.0.0.1:9/v1", "--out", str(tmp_path / "o2.csv"))
    assert unreachable.returncode == 2 and "http://***:***@127.0.0.1:9/v1" in unreachable.stderr
    assert leaks(tmp_path) == []
    for printed in (made, report, resumed, unreachable):
        assert SENTINEL not in printed.stdout + printed.stderr
