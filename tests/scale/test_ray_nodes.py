"""The Ray executor on a simulated cluster of several nodes (`ray.cluster_utils.Cluster`: a head that runs
nothing and two worker nodes, on this machine, made by cluster_run.py in a process of its own): actors spread
over the nodes, and a node lost mid-run costs no row: the run ends with exactly N rows, each once, the rows of
an uninterrupted run. Answers come from the
pipeline benchmark's instant server, each a function of its request alone, so no model time is counted."""

from __future__ import annotations

import importlib.util
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from syngen.generation.config import GenerationConfig
from syngen.generation.engine import run_generation
from tests.scale.helpers import read_rows, read_shard_records

ray = pytest.importorskip("ray")
pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings("ignore::DeprecationWarning")]

SERVER = Path(__file__).resolve().parents[2] / "benchmarks" / "instant_server.py"
CLUSTER_RUN = Path(__file__).with_name("cluster_run.py")
ROWS = 96
CONCURRENCY = 4  # the chunk size: 24 chunks, spread over 4 actors on 2 nodes
WORDS = ["oak", "pine", "river", "stone", "cedar", "meadow", "copper", "lantern", "harbor", "thistle", "ember",
         "willow", "granite", "fjord", "saffron", "quartz", "bramble", "juniper", "tundra", "cobalt", "marble"]


def instant_server():
    spec = importlib.util.spec_from_file_location("instant_server", SERVER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def table(tmp_path_factory) -> Path:
    """A small table of our own: a free text, a short name and a category."""
    import pandas as pd

    rng = random.Random(5)
    rows = [{"name": " ".join(rng.sample(WORDS, 2)), "note": " ".join(rng.choices(WORDS, k=rng.randint(10, 24))
                                                                    ).capitalize() + ".",
             "kind": rng.choice(["north", "south", "east"])} for _ in range(60)]
    path = tmp_path_factory.mktemp("table") / "places.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    return path


@pytest.fixture(scope="module")
def servers():
    """Two instant servers answering alike: one at once (the reference run), one slowly enough (0.3 s an
    answer) that a node can be taken away while rows are still being made."""
    module = instant_server()
    quick, slow = module.serve(share_words=False), module.serve(delay=0.3, share_words=False)
    yield module.base_url(quick), module.base_url(slow)
    quick.shutdown()
    slow.shutdown()


def config(table: Path, url: str, folder: Path | None = None, **extra) -> dict:
    """The run's settings, as GenerationConfig fields (the cluster's runs take them as JSON)."""
    fields = dict(data=str(table), model="openai", base_url=url, num_samples=ROWS, seed=3, concurrency=CONCURRENCY,
                  kinds={"note": "text"}, topic_check=False, **extra)  # the server answers word salad
    if folder:
        fields.update(out=str(folder / "rows.csv"), run_dir=str(folder / "run"))
    return fields


@pytest.fixture(scope="module")
def reference(table, servers, tmp_path_factory) -> list[dict[str, str]]:
    """The rows of an uninterrupted run with the local executor."""
    folder = tmp_path_factory.mktemp("reference")
    run_generation(GenerationConfig(**config(table, servers[0], folder)))
    return read_rows(folder / "rows.csv")


@pytest.fixture(scope="module")
def cluster_runs(table, servers, tmp_path_factory) -> tuple[dict, Path]:
    """Both cluster runs, made by tests/scale/cluster_run.py in a process of its own, on the slow server: with
    instant answers the actors of the node that started first could make every chunk before the other node's
    actors were up (seen once in a loaded CI), which says nothing about placement."""
    folder = tmp_path_factory.mktemp("cluster")
    spec = {"rows": ROWS, "folders": {name: str(folder / name) for name in ("spread", "lost")},
            "config": config(table, servers[1], executor="ray", ray_actors=4, ray_cpus_per_actor=0.5)}
    (folder / "spec.json").write_text(json.dumps(spec))
    # A Ray temp folder of its own: the test cluster writes its address there, where no later local Ray reads it.
    ray_tmp = tempfile.mkdtemp(prefix="ray", dir="/tmp")  # short: Ray's socket paths must stay under 108 bytes
    env = {key: value for key, value in os.environ.items() if key != "RAY_ADDRESS"} | {"RAY_TMPDIR": ray_tmp}
    try:
        done = subprocess.run([sys.executable, str(CLUSTER_RUN), str(folder / "spec.json")], capture_output=True,
                              text=True, timeout=600, env=env)
    finally:
        shutil.rmtree(ray_tmp, ignore_errors=True)
    assert done.returncode == 0, f"the cluster run failed ({done.returncode}):\n{done.stderr[-3000:]}"
    return json.loads((folder / "summary.json").read_text()), folder


def test_actors_spread_over_the_nodes_and_make_the_local_executors_rows(cluster_runs, reference):
    summary, folder = cluster_runs
    assert read_rows(folder / "spread" / "rows.csv") == reference
    assert set(summary["spread"]["outcomes_by_node"]) == set(summary["workers"]), "both worker nodes, the head none"
    assert summary["spread"]["streams_restarted"] == 0


def test_a_node_lost_mid_run_costs_no_row(cluster_runs, reference):
    summary, folder = cluster_runs
    at_kill = summary["at_kill"]
    assert at_kill and ROWS // 4 <= at_kill[0] < ROWS, "the node was lost mid-run"
    records = read_shard_records(folder / "lost" / "run")
    assert len(records) == ROWS == len({r["position"] for r in records}), "exactly N rows, none twice"
    assert read_rows(folder / "lost" / "rows.csv") == reference, "the rows of an uninterrupted run"
    print("streams restarted after the loss:", summary["after_loss"]["streams_restarted"])
    made_on = summary["after_loss"]["outcomes_by_node"]
    kept = next(node for node in summary["workers"] if node != summary["lost"])
    assert made_on.get(summary["lost"], 0) < ROWS and made_on[kept] > 0
