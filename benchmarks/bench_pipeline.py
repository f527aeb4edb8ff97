"""Benchmark the driver: the whole `syngen generate` code path (openai backend, validation and text checks,
near-duplicate index, run directory with fsync, sidecar) against an instant local OpenAI-compatible server
(benchmarks/instant_server.py, another process), so no model time is counted and what is left is SynGen's.

    python benchmarks/bench_pipeline.py --sizes 1000,10000          # a few minutes
    python benchmarks/bench_pipeline.py --sizes 1000,10000,100000   # the 100,000 run takes ~10 min here
    python benchmarks/bench_pipeline.py --sizes 10000 --profile prof.svg   # py-spy flame graph of the driver

For each N it prints: rows/min end to end (start-up included) and in the run (the sidecar's figure, from the
first plan position to the last row), the driver's CPU seconds per row from its first rows in the shards to
its end (start-up's profiling and learning left out; the output and sidecar written at the end counted), and
the driver's peak RSS. Targets (issue 11): >= 10,000 rows/min at N=100,000; CPU per row at
100,000 <= 1.3 x that at 1,000; peak RSS at 100,000 < 1.5 GB.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import psutil

from syngen.backends.omp import set_thread_wait  # noqa: E402 - light: no llama_cpp yet

set_thread_wait()  # before anything imports llama_cpp
HERE = Path(__file__).resolve().parent
REAL = HERE.parent.parent / "shared" / "data" / "reviews_supplements.csv"


@dataclass
class Measured:
    rows: int
    wall_s: float
    cpu_s: float
    run_cpu_s: float  # from the first rows in the shards to the end (the output and sidecar written)
    peak_rss_mb: float
    run_rpm: float  # the sidecar's rows per minute: the run itself, after profiling and set-up
    rejections: dict[str, int]


def start_server() -> tuple[subprocess.Popen, str]:
    server = subprocess.Popen([sys.executable, str(HERE / "instant_server.py")], stdout=subprocess.PIPE, text=True)
    return server, server.stdout.readline().strip()


def generate(data: str, url: str, n: int, folder: Path, args: argparse.Namespace) -> Measured:
    """One `syngen generate` process; its CPU time and peak RSS from the kernel's accounting (wait4)."""
    out = folder / f"rows_{n}.csv"
    command = [sys.executable, "-m", "syngen.cli.main", "generate", "--data", data, "--model", "openai",
               "--base-url", url, "--num-samples", str(n), "--seed", str(args.seed), "--out", str(out),
               "--run-dir", str(folder / f"run_{n}"), "--concurrency", str(args.concurrency), "--quiet"]
    if args.profile and n == max(args.size_list):
        spy = str(Path(sys.executable).with_name("py-spy"))  # its figures then include py-spy's own work
        command = [spy, "record", "--subprocesses", "-o", args.profile, "--", *command]
    started = time.monotonic()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               env={**os.environ, "HF_HUB_OFFLINE": "1"})
    before_rows = cpu_at_first_row(process, folder / f"run_{n}" / "shards")
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.monotonic() - started
    if status != 0:
        raise SystemExit(f"N={n} failed: {process.stderr.read().decode()[-2000:]}")
    sidecar = json.loads(Path(f"{out}.syngen.json").read_text())
    cpu = usage.ru_utime + usage.ru_stime
    return Measured(sidecar["rows_delivered"], wall, cpu, cpu - before_rows, usage.ru_maxrss / 1024,
                    sidecar["rows_per_minute"], sidecar["rejections"])


def cpu_at_first_row(process: subprocess.Popen, shards: Path) -> float:
    """The process's CPU seconds when its first rows reach the shards: what start-up (profiling, learning the
    checks) cost, taken off so the CPU per row is the run's alone."""
    watched, cpu = psutil.Process(process.pid), 0.0
    while process.poll() is None:
        try:
            times = watched.cpu_times()
        except psutil.Error:  # ended between poll and reading
            break
        if any(p.stat().st_size for p in shards.glob("part-*.jsonl")):
            return times.user + times.system
        cpu = times.user + times.system
        time.sleep(0.05)
    return cpu


HEADER = (f"{'N':>8} {'wall s':>8} {'rows/min end-to-end':>20} {'rows/min in run':>16} {'CPU ms/row':>11} "
          f"{'peak RSS MB':>12}  rejected answers")


def line(n: int, m: Measured) -> str:
    per_row = m.run_cpu_s / n * 1000
    return (f"{n:>8,} {m.wall_s:>8.1f} {m.rows / m.wall_s * 60:>20,.0f} {m.run_rpm:>16,.0f} {per_row:>11.2f} "
            f"{m.peak_rss_mb:>12.0f}  {sum(m.rejections.values())}: {m.rejections}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--data", default=str(REAL if REAL.exists() else HERE.parent / "syngen/demo/reviews.csv"))
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--profile", help="py-spy flame graph (SVG) of the largest size's driver")
    args = parser.parse_args()
    args.size_list = [int(s) for s in args.sizes.split(",")]
    print(f"data {args.data}; {os.cpu_count()} cores; load average {os.getloadavg()[0]:.1f} at start")
    server, url = start_server()
    try:
        with tempfile.TemporaryDirectory(prefix="bench-pipeline-") as tmp:
            startup = generate(args.data, url, 1, Path(tmp), args)
            print(f"start-up (N=1): {startup.wall_s:.1f} s wall, {startup.cpu_s:.1f} s CPU, "
                  f"{startup.peak_rss_mb:.0f} MB\n\n{HEADER}")
            results = {}
            for n in args.size_list:
                results[n] = generate(args.data, url, n, Path(tmp), args)
                print(line(n, results[n]), flush=True)
    finally:
        server.terminate()
        server.wait()
    if len(results) > 1:
        low, high = min(results), max(results)
        ratio = results[high].run_cpu_s / high / (results[low].run_cpu_s / low)
        print(f"\nCPU per row at N={high:,} is {ratio:.2f} x that at N={low:,}")
    print(f"load average {os.getloadavg()[0]:.1f} at the end (other work on this machine slows every figure)")


if __name__ == "__main__":
    main()
