"""Benchmark the model backends: rows per minute for each backend that can run here, and what concurrency
buys an HTTP backend whose model is remote.

Part 1 runs the real models on the demo data: the embedded llama.cpp model (local), the same SmolLM2
through transformers (hf, from its GGUF) and through a real llama.cpp server (openai). Models are loaded
before the clock starts; the load time is printed apart. Ollama and Cohere cannot run here.
Part 2 serves each HTTP backend's documented format from a local server that answers after a fixed delay
(300 ms, standing in for a remote model) and runs the same rows at --concurrency 1 and 8: the rows per
minute of each, the speed-up, and whether both runs delivered the same rows.

Part 0 (--compare-rows N) runs the same job in-process and through `--model openai` against llama_cpp.server on
the same GGUF at concurrency 1, in one run, with the cores each used.

    python benchmarks/bench_backends.py --rows 3 --http-rows 40 --delay 0.3
    python benchmarks/bench_backends.py --compare-rows 30 --only-compare
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from syngen.backends.omp import set_thread_wait  # noqa: E402 - light: no llama_cpp yet

set_thread_wait()  # before anything imports llama_cpp
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from syngen.backends.local import LocalBackend, embedded_model_path  # noqa: E402
from syngen.backends.registry import get_backend_class  # noqa: E402
from syngen.demo import demo_paths  # noqa: E402
from syngen.generation.config import GenerationConfig  # noqa: E402
from syngen.generation.engine import run_generation  # noqa: E402
from syngen.generation.session import build_backend, prepare_session  # noqa: E402

FAKE_KEY = "benchmark-key-not-a-real-secret"
OPENERS = ["I have taken", "For three months I used", "My doctor suggested", "After reading reviews I tried",
           "My wife and I both take", "I switched to", "On a friend's advice I bought", "Every morning I take"]
PRODUCTS = ["this magnesium", "the vitamin D drops", "these fish oil capsules", "the zinc tablets",
            "this B complex", "the turmeric capsules", "these probiotic pills", "the iron gummies"]
EFFECTS = ["and I sleep through the night now", "but my stomach did not like it", "and my energy is steadier",
           "yet I noticed no change at all", "and my joints ache less after walks", "but the taste is awful",
           "and my blood test numbers improved", "though the capsules are huge"]
CLOSERS = ["Would buy again.", "Shipping was quick.", "The price keeps going up.", "The bottle lasts ages.",
           "I take it with breakfast.", "Not for sensitive people.", "Good value overall.", "Will try another."]


def row_text(seed: int) -> str:
    """A distinct review for each seed (8^4 combinations), so no answer is refused as a copy."""
    parts = [OPENERS, PRODUCTS, EFFECTS, CLOSERS]
    words = [part[(seed // 8 ** i) % 8] for i, part in enumerate(parts)]
    text = f"{words[0]} {words[1]} {words[2]}. {words[3]}"
    return json.dumps({"title": f"{words[1].split()[-1].title()} review", "text": text})


def answer_for(path: str, body: dict) -> dict:
    """The documented response body of each API, with the row chosen by the request's seed."""
    if path == "/api/chat":
        content = row_text(body["options"].get("seed", 0))
        return {"model": body["model"], "created_at": "2024-12-06T14:13:43Z", "done": True, "done_reason": "stop",
                "message": {"role": "assistant", "content": content}, "prompt_eval_count": 120, "eval_count": 40}
    if path == "/v2/chat":
        content = row_text(body.get("seed", 0))
        return {"id": "bench", "finish_reason": "COMPLETE",
                "message": {"role": "assistant", "content": [{"type": "text", "text": content}]},
                "usage": {"billed_units": {"input_tokens": 100, "output_tokens": 50}}}
    content = row_text(body.get("seed", 0))
    return {"id": "chatcmpl-bench", "object": "chat.completion", "created": 0, "model": body["model"],
            "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 90, "completion_tokens": 30, "total_tokens": 120}}


def delayed_server(delay: float) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            if self.path == "/api/tags":
                self._send({"models": [{"name": "llama3.2:latest", "model": "llama3.2:latest"}]})
            else:
                self._send({"object": "list", "data": [{"id": "remote-model", "object": "model"}]})

        def do_POST(self) -> None:  # noqa: N802
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            time.sleep(delay)  # the remote model's latency
            self._send(answer_for(self.path, body))

        def _send(self, payload: dict) -> None:
            data = json.dumps(payload).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def config(model: str, rows: int, out: Path, **fields) -> GenerationConfig:
    reviews, products = demo_paths()
    return GenerationConfig(data=str(reviews), products=str(products), model=model, num_samples=rows,
                            out=str(out), force=True, **fields)


def timed_run(cfg: GenerationConfig) -> dict:
    """Load the model, then time the run alone (RunStats starts once the session is ready)."""
    started = time.monotonic()
    backend = build_backend(cfg)
    backend.load()
    loaded = time.monotonic() - started
    result = run_generation(cfg, session=prepare_session(cfg, backend=backend))
    backend.close()
    side = result.sidecar
    return {"load_s": round(loaded, 1), "rows": side["rows_delivered"], "rows_per_min": side["rows_per_minute"],
            "wall_s": side["wall_seconds"], "calls": side["plan_positions_tried"], "csv": result.output_path}


# llama_cpp.server loads the model with AMX weight repacking where the CPU has AMX, and ggml's AMX matmul crashes
# on some of those machines (llama.cpp issue 20824; the local backend turns it off the same way).
SERVER = ("import runpy, llama_cpp.llama_cpp as c\n"
          "default = c.llama_model_default_params\n"
          "def params():\n    p = default()\n    p.use_extra_bufts = False\n    return p\n"
          "c.llama_model_default_params = params\n"
          "runpy.run_module('llama_cpp.server', run_name='__main__')")


def llama_server(port: int, threads: int | None = None) -> subprocess.Popen:
    weights = LocalBackend().weights_file()  # the weights the local backend decodes with: the same model both ways
    command = [sys.executable, "-c", SERVER, "--model", str(weights), "--model_alias",
               "smollm2", "--host", "127.0.0.1", "--port", str(port), "--n_ctx", "2048"]
    command += ["--n_threads", str(threads)] if threads else []
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(450):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/v1/models", timeout=1).close()
            return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("llama_cpp.server did not start")


def real_models(rows: int, work: Path) -> None:
    print(f"\n== Part 1: real models here, {rows} rows each (demo data, seed 0) ==")
    print(f"{'backend':8} {'model':34} {'load s':>7} {'rows':>5} {'calls':>6} {'rows/min':>9}")
    gguf = str(embedded_model_path())
    cases = [("local", {}), ("hf", {"model_name": gguf})]
    for name, fields in cases:
        report(name, Path(gguf).name, timed_run(config(name, rows, work / f"{name}.csv", **fields)))
    port = free_port()
    server = llama_server(port)
    try:
        url = f"http://127.0.0.1:{port}/v1"
        report("openai", "llama.cpp server, SmolLM2", timed_run(config("openai", rows, work / "openai.csv",
                                                                         base_url=url)))
    finally:
        server.kill()
        server.wait()
    for name in ("ollama", "cohere"):
        status = get_backend_class(name).status()
        print(f"{name:8} {'(cannot run here)':34} {status.state.value}: {status.detail}")


def local_vs_http(rows: int, work: Path) -> bool:
    """The same job in-process and through SynGen's HTTP path to llama_cpp.server on the same GGUF at concurrency
    1, in one run; `cores` is the CPU time of SynGen and the server over the wall time."""
    print(f"\n== Part 0: local against llama_cpp.server at concurrency 1, {rows} rows each (demo data, seed 0) ==")
    print(f"{'run':46} {'rows':>5} {'wall s':>7} {'rows/min':>9} {'cores':>6}")
    cases = [("local, default batch size", {}), ("local, batch_size=1", {"batch_size": 1}),
             ("local, batch_size=1, threads=1", {"batch_size": 1, "threads": 1})]
    runs = {}
    for label, options in cases:
        runs[label] = cpu_timed(lambda o=options, n=label: timed_run(config(
            "local", rows, work / f"{n}.csv", backend_options=o)), None)
        compared(label, runs[label])
    for threads in (None, 2):
        port = free_port()
        server = llama_server(port, threads)
        label = f"openai -> llama_cpp.server, n_threads={threads or 'default (cores/2)'}"
        try:
            url = f"http://127.0.0.1:{port}/v1"
            runs[label] = cpu_timed(lambda u=url, t=threads: timed_run(config(
                "openai", rows, work / f"openai{t}.csv", base_url=u, concurrency=1)), server.pid)
        finally:
            server.kill()
            server.wait()
        compared(label, runs[label])
    local = runs["local, default batch size"]["rows_per_min"]
    http = max(run["rows_per_min"] for label, run in runs.items() if label.startswith("openai"))
    print(f"local {local:.1f} rows/min against the best HTTP {http:.1f}: {local / http:.2f}x")
    return local >= http


def compared(label: str, run: dict) -> None:
    print(f"{label:46} {run['rows']:5d} {run['wall_s']:7.1f} {run['rows_per_min']:9.1f} {run['cores']:6.2f}",
          flush=True)


def cpu_timed(run, server_pid: int | None) -> dict:
    """Run, adding the CPU seconds this process and the server spent per wall second."""
    import psutil

    processes = [psutil.Process()] + ([psutil.Process(server_pid)] if server_pid else [])
    before = [sum(p.cpu_times()[:2]) for p in processes]
    result = run()
    spent = sum(sum(p.cpu_times()[:2]) - b for p, b in zip(processes, before, strict=True))
    return {**result, "cores": round(spent / max(result["wall_s"], 1e-9), 2)}


def report(name: str, model: str, run: dict) -> None:
    print(f"{name:8} {model[:34]:34} {run['load_s']:7.1f} {run['rows']:5d} {run['calls']:6d} "
          f"{run['rows_per_min']:9.1f}")


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def concurrency(rows: int, delay: float, work: Path) -> bool:
    server = delayed_server(delay)
    url = f"http://127.0.0.1:{server.server_address[1]}"
    print(f"\n== Part 2: {rows} rows through a local server answering after {delay * 1000:.0f} ms ==")
    print(f"{'backend':8} {'c=1 rows/min':>13} {'c=8 rows/min':>13} {'speed-up':>9}  same rows")
    bases = {"openai": f"{url}/v1", "ollama": url, "cohere": url}
    ok = True
    for name, base in bases.items():
        options = {"api_key": FAKE_KEY} if name == "cohere" else {}
        runs = [timed_run(config(name, rows, work / f"{name}-c{c}.csv", base_url=base, concurrency=c,
                                 backend_options=options)) for c in (1, 8)]
        speedup = runs[1]["rows_per_min"] / runs[0]["rows_per_min"]
        same = runs[0]["csv"].read_text() == runs[1]["csv"].read_text() and runs[0]["rows"] == rows
        ok = ok and same and speedup >= 5
        print(f"{name:8} {runs[0]['rows_per_min']:13.1f} {runs[1]['rows_per_min']:13.1f} {speedup:8.1f}x  "
              f"{'yes' if same else 'NO'}")
    server.shutdown()
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=3, help="rows per real model (part 1)")
    parser.add_argument("--http-rows", type=int, default=40, help="rows per run against the delayed server")
    parser.add_argument("--delay", type=float, default=0.3, help="the delayed server's latency in seconds")
    parser.add_argument("--skip-models", action="store_true", help="only part 2")
    parser.add_argument("--compare-rows", type=int, default=0, help="rows per run of part 0 (local against HTTP)")
    parser.add_argument("--only-compare", action="store_true", help="only part 0")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        faster = local_vs_http(args.compare_rows, work) if args.compare_rows else None
        if args.only_compare:
            return 0 if faster else 1
        if not args.skip_models:
            real_models(args.rows, work)
        ok = concurrency(args.http_rows, args.delay, work)
    if faster is not None:
        print("\nlocal target (at least as fast as HTTP at concurrency 1):", "met" if faster else "NOT met")
    print("\nconcurrency target (>= 5x at 8 vs 1, same rows):", "met" if ok else "NOT met")
    return 0 if ok and faster is not False else 1


if __name__ == "__main__":
    sys.exit(main())
