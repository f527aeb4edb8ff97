"""The Ray executor on a local Ray instance with the embedded model: the same rows as the local executor
for the same seed, from scratch and when resuming a run the local executor started."""

import json
import os
import subprocess
import sys

import pytest

from syngen.backends.omp import set_thread_wait
from syngen.generation.config import GenerationConfig
from syngen.generation.engine import run_generation
from tests.scale.conftest import MODEL_BATCH, MODEL_ROWS, MODEL_SEED
from tests.scale.helpers import read_rows, read_shard_records

pytest.importorskip("ray")
# Ray Data reads its own deprecated settings when it copies its context; nothing SynGen can change.
pytestmark = [pytest.mark.model, pytest.mark.slow, pytest.mark.filterwarnings("ignore::DeprecationWarning")]


def test_ray_from_the_cli_makes_the_local_executors_rows(model_args, reference_csv, tmp_path):
    rows = MODEL_ROWS  # the reference's size: label quotas choose which rows are written by N
    command = [sys.executable, "-m", "syngen.cli.main", "generate", *model_args, "--num-samples", str(rows),
               "--out", "ray.csv", "--executor", "ray"]
    done = subprocess.run(command, cwd=tmp_path, env=set_thread_wait(dict(os.environ)),
                          capture_output=True, text=True, timeout=400)
    assert done.returncode == 0, done.stderr
    assert read_rows(tmp_path / "ray.csv") == read_rows(reference_csv)
    executor = json.loads((tmp_path / "ray.csv.syngen.json").read_text())["executor"]
    assert executor["name"] == "ray" and executor["cluster"] == "local"
    assert executor["actors"] == max(1, (os.cpu_count() or 2) - 1) and executor["cpus_per_actor"] == 1.0
    said = ("note: ", "text check: ", "first rows (", "  ")  # SynGen's own lines, the rows' preview among them
    foreign = [line for line in done.stderr.splitlines() if not line.startswith(said)]
    assert not foreign, "Ray's own notices should not reach the user"


def test_ray_resumes_a_run_the_local_executor_started(demo_paths, reference_csv, tmp_path):
    reviews, products = demo_paths
    config = GenerationConfig(data=str(reviews), products=str(products), seed=MODEL_SEED,
                              num_samples=2 * MODEL_BATCH, out=str(tmp_path / "part.csv"),
                              run_dir=str(tmp_path / "run"), backend_options={"batch_size": MODEL_BATCH})
    run_generation(config)
    local = read_shard_records(tmp_path / "run")
    result = run_generation(config.model_copy(update={
        "num_samples": MODEL_ROWS, "executor": "ray", "out": str(tmp_path / "all.csv")}))
    assert result.sidecar["run"]["rows_restored"] == len(local) and result.sidecar["chunk_size"] == 2 * MODEL_BATCH
    records = read_shard_records(tmp_path / "run")
    assert records[: len(local)] == local and len({r["position"] for r in records}) == len(records) >= MODEL_ROWS
    assert read_rows(tmp_path / "all.csv") == read_rows(reference_csv)
    reference = json.loads(reference_csv.with_name(reference_csv.name + ".syngen.json").read_text())
    assert result.sidecar["few_shot_rows"] == reference["few_shot_rows"]
    assert result.sidecar["executor"]["name"] == "ray"
    import ray

    assert not ray.is_initialized(), "the executor shuts down the local Ray it started"
