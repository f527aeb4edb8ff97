"""Runs the Ray executor on a simulated cluster (`ray.cluster_utils.Cluster`: a head that runs nothing and two
worker nodes, on this machine), in a process of its own: `python cluster_run.py CONFIG.json`. A Ray driver
whose raylet is lost ends its process at once (exit 1, nothing on stdout), and in the test process that took
the whole suite down. Here it fails one test, with Ray's own words on stderr.

Two runs share one cluster: `spread`, then `lost` (a worker node removed, as a machine lost, once the run has
a quarter of its rows). Writes summary.json beside the spec: the worker node ids, the lost node, the rows at the
kill, and each run's outcomes by node."""

from __future__ import annotations

import json
import os
import sys
import threading
import time
from pathlib import Path

# Run as a script, the repository root is not on the path; the tests' helpers need it.
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from syngen.generation.config import GenerationConfig  # noqa: E402
from syngen.generation.engine import run_generation  # noqa: E402
from syngen.runs.executors.ray_executor import settle_streams  # noqa: E402
from tests.scale.helpers import read_shard_records  # noqa: E402

# Lost nodes are noticed within about five seconds instead of Ray's default fifteen. Not faster: the head's
# raylet is checked alike, and a loaded machine that misses its checks for a second loses the driver with it.
HEALTH = {"health_check_period_ms": 1000, "health_check_failure_threshold": 5}


def main(spec_path: str) -> None:
    import ray
    from ray.cluster_utils import Cluster

    spec = json.loads(Path(spec_path).read_text())
    cluster = Cluster(initialize_head=True, head_node_args={"num_cpus": 0, "include_dashboard": False,
                                                            "_system_config": HEALTH})
    workers = [cluster.add_node(num_cpus=2) for _ in range(2)]
    cluster.wait_for_nodes()
    ray.init(address=cluster.address, logging_level="ERROR", log_to_driver=False)
    try:
        summary = {"workers": [worker.node_id for worker in workers], "lost": workers[1].node_id,
                   "spread": run(spec, Path(spec["folders"]["spread"])),
                   "at_kill": [], "after_loss": None}
        folder = Path(spec["folders"]["lost"])
        killer = threading.Thread(target=remove_when_rows_arrive,
                                  args=(cluster, workers[1], folder / "run", spec["rows"], summary["at_kill"]))
        killer.start()
        try:
            summary["after_loss"] = run(spec, folder)
        finally:
            killer.join()
        Path(spec_path).with_name("summary.json").write_text(json.dumps(summary))  # stdout also gets Ray's lines
    finally:
        settle_streams()
        ray.shutdown()
        cluster.shutdown()


def run(spec: dict, folder: Path) -> dict:
    """The executor's record in the sidecar: outcomes by node, streams restarted."""
    config = GenerationConfig(**spec["config"], out=str(folder / "rows.csv"), run_dir=str(folder / "run"))
    return run_generation(config).sidecar["executor"]


def remove_when_rows_arrive(cluster, node, run_dir: Path, rows_asked: int, at_kill: list[int],
                            timeout: float = 120.0) -> None:
    """Take `node` away (its raylet and workers killed) once the run has a quarter of its rows."""
    deadline, rows = time.monotonic() + timeout, 0
    while time.monotonic() < deadline and rows < rows_asked // 4:
        time.sleep(0.05)
        rows = len(read_shard_records(run_dir)) if (run_dir / "shards").exists() else 0
    cluster.remove_node(node, allow_graceful=False)
    at_kill.append(rows)


if __name__ == "__main__":
    os.environ.pop("RAY_ADDRESS", None)  # this script makes its own cluster
    main(sys.argv[1])
