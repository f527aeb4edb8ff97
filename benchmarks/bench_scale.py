"""Benchmark scale and resume on this machine: rows per minute with the embedded model, local executor vs
Ray on a local Ray instance, end to end (start-up included, as a user sees it) and steady (first row to
last row); peak memory of the whole process tree (Ray's raylet, GCS and actors included); what resuming
costs; what the run directory costs per row; and a paper estimate for a cluster of K workers.

    python benchmarks/bench_scale.py                       # N=50, local and ray, resume at N=10
    python benchmarks/bench_scale.py --sizes 50,500 --executors local,ray
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from syngen.backends.omp import set_thread_wait  # noqa: E402 - light: no llama_cpp yet

set_thread_wait()  # before anything imports llama_cpp

import numpy as np  # noqa: E402
import psutil  # noqa: E402  (installed with Ray)

from syngen.demo import demo_paths  # noqa: E402
from syngen.generation.config import GenerationConfig  # noqa: E402
from syngen.generation.dedupe import DuplicateIndex  # noqa: E402
from syngen.runs.sinks import open_durable_sink  # noqa: E402

SAMPLE_SECONDS = 0.2


@dataclass
class Measured:
    wall: float = 0.0
    peak_mb: float = 0.0
    row_times: list[float] = field(default_factory=list)  # seconds from start when each row hit the shards
    returncode: int | None = None

    @property
    def end_to_end_rpm(self) -> float:
        return len(self.row_times) / self.wall * 60

    @property
    def steady_rpm(self) -> float:
        """Rows after the first, per minute between the first and the last: start-up left out."""
        if len(self.row_times) < 2:
            return float("nan")
        return (len(self.row_times) - 1) / (self.row_times[-1] - self.row_times[0]) * 60


def generate_command(n: int, out: Path, seed: int, extra: list[str]) -> list[str]:
    reviews, products = demo_paths()
    return [sys.executable, "-m", "syngen.cli.main", "generate", "--data", str(reviews), "--products", str(products),
            "--num-samples", str(n), "--seed", str(seed), "--out", str(out), "--quiet", *extra]


def shard_rows(run_dir: Path) -> int:
    return sum(p.read_bytes().count(b"\n") for p in (run_dir / "shards").glob("part-*.jsonl"))


def tree_rss_mb(process: psutil.Process) -> float:
    total = 0
    for member in [process, *process.children(recursive=True)]:
        with contextlib.suppress(psutil.Error):  # a process may end between listing and reading it
            total += member.memory_info().rss
    return total / 2**20


def measure(command: list[str], run_dir: Path, kill_at: int | None = None) -> Measured:
    """Run `command`, sampling its process tree's memory and its shards' row count; SIGKILL it once the
    shards hold `kill_at` rows if asked."""
    result, started = Measured(), time.monotonic()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    watched, seen = psutil.Process(process.pid), shard_rows(run_dir)
    while process.poll() is None:
        result.peak_mb = max(result.peak_mb, tree_rss_mb(watched))
        now_rows = shard_rows(run_dir)
        result.row_times += [time.monotonic() - started] * (now_rows - seen)
        seen = now_rows
        if kill_at is not None and now_rows >= kill_at:
            os.killpg(process.pid, signal.SIGKILL)  # the whole group: a local Ray dies with its driver
            process.wait()
            break
        time.sleep(SAMPLE_SECONDS)
    result.row_times += [time.monotonic() - started] * (shard_rows(run_dir) - seen)
    result.wall, result.returncode = time.monotonic() - started, process.returncode
    if kill_at is None and process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed: {process.stderr.read().decode()[-2000:]}")
    return result


def throughput(n: int, executor: str, folder: Path, seed: int) -> Measured:
    out = folder / f"{executor}_{n}.csv"
    return measure(generate_command(n, out, seed, ["--executor", executor]), Path(f"{out}.run"))


def resume_overhead(n: int, folder: Path, seed: int) -> dict[str, float]:
    """Uninterrupted N rows vs the same N killed half-way and resumed, and re-opening a finished run."""
    whole = measure(generate_command(n, folder / "whole.csv", seed, []), folder / "whole.csv.run")
    command = generate_command(n, folder / "killed.csv", seed, [])
    first = measure(command, folder / "killed.csv.run", kill_at=n // 2)
    second = measure(command, folder / "killed.csv.run")
    reopen = measure([*command, "--force"], folder / "killed.csv.run")
    return {"uninterrupted_s": whole.wall, "killed_leg_s": first.wall, "resumed_leg_s": second.wall,
            "rows_kept_at_kill": len(first.row_times), "overhead_s": first.wall + second.wall - whole.wall,
            "reopen_finished_run_s": reopen.wall}


def sink_cost(rows: int, folder: Path) -> dict[str, float]:
    """The run directory alone: fsync'd appends per row, and re-opening (reading every shard) at `rows`."""
    reviews, _ = demo_paths()
    config = GenerationConfig(data=str(reviews), num_samples=rows).public_dict()
    model = {"backend": "bench", "model": "none"}
    row = {"text": "x" * 300, "rating": "5", "user_id": "A" * 28, "asin": "B00T4FGY8M", "date": "2020-01-01"}
    sink = open_durable_sink(folder / "sink.run", config, model, max_rows_per_file=10_000)
    started = time.perf_counter()
    for position in range(rows):
        sink.add_chunk([(position, row)], position + 1)
    append = time.perf_counter() - started
    sink.close()
    started = time.perf_counter()
    open_durable_sink(folder / "sink.run", config, model).close()
    return {"rows": rows, "append_ms_per_row": append / rows * 1000, "reopen_s": time.perf_counter() - started}


def driver_check_ms(sizes: list[int]) -> dict[int, float]:
    """The driver's acceptance cost per row (near-duplicate check against every accepted text) at a given
    number of accepted rows: it bounds how fast one driver can accept, whatever the number of workers."""
    rng = np.random.default_rng(0)
    words = [f"w{i}" for i in range(3000)]
    costs = {}
    for size in sizes:
        index = DuplicateIndex()
        index.add_all(" ".join(rng.choice(words, 40)) for _ in range(size))
        probes = [" ".join(rng.choice(words, 40)) for _ in range(20)]
        started = time.perf_counter()
        for probe in probes:
            index.check(probe)
        costs[size] = (time.perf_counter() - started) / len(probes) * 1000
    return costs


def cluster_estimate(worker_rpm: float, check_ms: dict[int, float], workers: list[int],
                     sizes: tuple[int, ...] = (50_000, 1_000_000)) -> list[str]:
    """Time for N rows on K one-CPU actors, on paper: the actors make K * (measured per-actor rate) rows a
    minute, while the one driver accepts rows one by one, each checked against every accepted text, so its
    time grows with N squared (slope fitted from the measured check costs). The slower of the two binds."""
    slope = np.polyfit(list(check_ms), list(check_ms.values()), 1)[0]  # ms per row per accepted text
    lines = [f"  per actor (1 CPU, measured on Ray-local): {worker_rpm:.1f} rows/min; driver duplicate check "
             f"{slope * 1000:.2f} us per accepted text"]
    for n in sizes:
        driver_min = slope * n * n / 2 / 60_000
        for k in workers:
            actor_min = n / (k * worker_rpm)
            bound = "driver" if driver_min > actor_min else "actors"
            lines.append(f"  N={n:>9,} K={k:>4}: {max(actor_min, driver_min) / 60:>8.1f} h "
                         f"(actors {actor_min / 60:.1f} h, driver {driver_min / 60:.1f} h: {bound}-bound)")
    return lines


THROUGHPUT_HEADER = (f"{'executor':<8} {'N':>5} {'wall s':>8} {'end-to-end rows/min':>20} {'steady rows/min':>16} "
                     f"{'first row s':>12} {'peak MB':>8}")


def throughput_line(executor: str, n: int, m: Measured) -> str:
    first = m.row_times[0] if m.row_times else float("nan")
    return (f"{executor:<8} {n:>5} {m.wall:>8.1f} {m.end_to_end_rpm:>20.2f} {m.steady_rpm:>16.2f} "
            f"{first:>12.1f} {m.peak_mb:>8.0f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="50", help="comma-separated N (500 takes 20-30 min per executor here)")
    parser.add_argument("--executors", default="local,ray")
    parser.add_argument("--resume-n", type=int, default=10, help="N for the kill-and-resume measurement (0: skip)")
    parser.add_argument("--sink-rows", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores, {psutil.virtual_memory().total / 2**30:.0f} GiB; "
          f"load average {os.getloadavg()[0]:.1f} at start")
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as tmp:
        folder = Path(tmp)
        print("\n" + THROUGHPUT_HEADER)
        results = {}
        for n in map(int, args.sizes.split(",")):
            for executor in args.executors.split(","):
                results[executor, n] = throughput(n, executor, folder, args.seed)
                print(throughput_line(executor, n, results[executor, n]), flush=True)
        if args.resume_n:
            print(f"\nresume (local, N={args.resume_n}, SIGKILL at N/2):")
            overhead = resume_overhead(args.resume_n, folder, args.seed)
            print("  " + json.dumps({k: round(v, 2) for k, v in overhead.items()}))
        print("\nrun directory alone:")
        print("  " + json.dumps({k: round(v, 4) for k, v in sink_cost(args.sink_rows, folder).items()}))
        checks = driver_check_ms([1_000, 10_000, 50_000])
        print("driver duplicate check, ms per row at N accepted: "
              + ", ".join(f"{n:,}: {ms:.2f}" for n, ms in checks.items()))
        ray_runs = [m for (e, _), m in results.items() if e == "ray"]
        if ray_runs:
            print("\npaper estimate for a cluster of K one-CPU actors:")
            print("\n".join(cluster_estimate(max(m.steady_rpm for m in ray_runs), checks, [1, 8, 32, 128, 512])))
    print(f"\nload average {os.getloadavg()[0]:.1f} at the end (other work on this machine slows every figure)")


if __name__ == "__main__":
    main()
