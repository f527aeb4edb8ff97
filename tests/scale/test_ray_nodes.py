"""The Ray executor on a simulated cluster of several nodes (`ray.cluster_utils.Cluster`: a head that runs
nothing and two worker nodes, on this machine): actors spread over the nodes, and a node lost mid-run costs
no row: the run ends with exactly N rows, each once, the rows of an uninterrupted run. Answers come from the
pipeline benchmark's instant server, each a function of its request alone, so no model time is counted."""

from __future__ import annotations

import importlib.util
import os
import random
import threading
import time
from pathlib import Path

import pytest

from syngen.generation.config import GenerationConfig
from syngen.generation.engine import run_generation
from tests.scale.helpers import read_rows, read_shard_records

ray = pytest.importorskip("ray")
pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings("ignore::DeprecationWarning")]

SERVER = Path(__file__).resolve().parents[2] / "benchmarks" / "instant_server.py"
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


@pytest.fixture(scope="module")
def cluster():
    from ray.cluster_utils import Cluster

    # Lost nodes are noticed within about a second instead of Ray's default fifteen.
    system = {"health_check_period_ms": 200, "health_check_failure_threshold": 5}
    made = Cluster(initialize_head=True, head_node_args={"num_cpus": 0, "include_dashboard": False,
                                                                 "_system_config": system})
    workers = [made.add_node(num_cpus=2) for _ in range(2)]
    made.wait_for_nodes()
    before = os.environ.get("RAY_ADDRESS")
    ray.init(address=made.address, logging_level="ERROR", log_to_driver=False)
    yield made, workers
    ray.shutdown()
    made.shutdown()
    # ray.init leaves RAY_ADDRESS behind: a later `--executor ray` subprocess would join this dead cluster
    os.environ.pop("RAY_ADDRESS", None) if before is None else os.environ.update(RAY_ADDRESS=before)


def config(table: Path, url: str, folder: Path, **extra) -> GenerationConfig:
    return GenerationConfig(data=str(table), model="openai", base_url=url, num_samples=ROWS, seed=3,
                            concurrency=CONCURRENCY, kinds={"note": "text"}, out=str(folder / "rows.csv"),
                            run_dir=str(folder / "run"), topic_check=False, **extra)  # the server answers word salad


@pytest.fixture(scope="module")
def reference(table, servers, tmp_path_factory) -> list[dict[str, str]]:
    """The rows of an uninterrupted run with the local executor."""
    folder = tmp_path_factory.mktemp("reference")
    run_generation(config(table, servers[0], folder))
    return read_rows(folder / "rows.csv")


def ray_config(table: Path, url: str, folder: Path) -> GenerationConfig:
    return config(table, url, folder, executor="ray", ray_actors=4, ray_cpus_per_actor=0.5)


def test_actors_spread_over_the_nodes_and_make_the_local_executors_rows(cluster, table, servers, reference,
                                                                      tmp_path):
    _, workers = cluster
    # The slow server: with instant answers the actors of the node that started first could make every chunk
    # before the other node's actors were up (seen once in a loaded CI), which says nothing about placement.
    result = run_generation(ray_config(table, servers[1], tmp_path))
    assert read_rows(tmp_path / "rows.csv") == reference
    made_on = result.sidecar["executor"]["outcomes_by_node"]
    assert set(made_on) == {worker.node_id for worker in workers}, "both worker nodes made rows, the head none"


def test_a_node_lost_mid_run_costs_no_row(cluster, table, servers, reference, tmp_path):
    made, workers = cluster
    lost = workers[1]
    at_kill: list[int] = []
    killer = threading.Thread(target=remove_when_rows_arrive, args=(made, lost, tmp_path / "run", at_kill))
    killer.start()
    try:
        result = run_generation(ray_config(table, servers[1], tmp_path))
    finally:
        killer.join()
    assert at_kill and ROWS // 4 <= at_kill[0] < ROWS, "the node was lost mid-run"
    records = read_shard_records(tmp_path / "run")
    assert len(records) == ROWS == len({r["position"] for r in records}), "exactly N rows, none twice"
    assert read_rows(tmp_path / "rows.csv") == reference, "the rows of an uninterrupted run"
    made_on = result.sidecar["executor"]["outcomes_by_node"]
    assert made_on[lost.node_id] < ROWS and made_on[workers[0].node_id] > 0


def remove_when_rows_arrive(cluster, node, run_dir: Path, at_kill: list[int], timeout: float = 120.0) -> None:
    """Take `node` away (its raylet and workers killed, as a machine lost) once the run has a quarter of its
    rows; `at_kill` gets the rows it had then."""
    deadline, rows = time.monotonic() + timeout, 0
    while time.monotonic() < deadline and rows < ROWS // 4:
        time.sleep(0.05)
        rows = len(read_shard_records(run_dir)) if (run_dir / "shards").exists() else 0
    cluster.remove_node(node, allow_graceful=False)
    at_kill.append(rows)
