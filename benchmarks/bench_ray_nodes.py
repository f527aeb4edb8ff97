"""What a Ray node costs before its first row, on a simulated cluster on this machine (`ray.cluster_utils`):
a head that runs nothing, then NODES worker nodes added one at a time, each with one actor pinned to it (a
custom resource per node) that imports SynGen and loads the embedded model, as the Ray executor's actors do.

    nice -n 19 python benchmarks/bench_ray_nodes.py --nodes 2

Per node it prints: the node's start (its raylet, until the cluster lists it), the actor's start (a Ray
worker process scheduled on the node, until it answers), SynGen's import in it, and the model's load
(llama.cpp, one thread). On a real cluster a node's start is the machine's own; the rest is what each node
pays again before its first row, every time a run starts (an actor lives as long as the run).
"""

from __future__ import annotations

import argparse
import os
import time

from syngen.backends.omp import set_thread_wait  # noqa: E402 - light: no llama_cpp yet

set_thread_wait()  # before anything imports llama_cpp


def probe_class(ray):
    @ray.remote
    class Probe:
        def node(self) -> str:
            return ray.get_runtime_context().get_node_id()

        def import_syngen(self) -> float:
            started = time.perf_counter()
            import syngen.generation.rows  # noqa: F401 - what RowActor imports
            import syngen.generation.session  # noqa: F401
            return time.perf_counter() - started

        def load_model(self, config: dict) -> float:
            from syngen.generation.config import GenerationConfig
            from syngen.generation.session import build_backend

            started = time.perf_counter()
            build_backend(GenerationConfig(**config)).load()
            return time.perf_counter() - started

    return Probe


def measure_node(ray, cluster, probe, index: int, config: dict) -> dict[str, float]:
    resource = f"bench_node_{index}"
    started = time.monotonic()
    cluster.add_node(num_cpus=1, resources={resource: 1})
    cluster.wait_for_nodes()
    figures = {"node start": time.monotonic() - started}
    started = time.monotonic()
    actor = probe.options(num_cpus=1, resources={resource: 1}).remote()
    ray.get(actor.node.remote())
    figures["actor start"] = time.monotonic() - started
    figures["SynGen import"] = ray.get(actor.import_syngen.remote())
    figures["model load"] = ray.get(actor.load_model.remote(config))
    ray.kill(actor)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--nodes", type=int, default=2)
    args = parser.parse_args()
    import ray
    from ray.cluster_utils import Cluster

    print(f"Ray {ray.__version__}; {os.cpu_count()} cores; load average {os.getloadavg()[0]:.1f} at start")
    started = time.monotonic()
    cluster = Cluster(initialize_head=True, head_node_args={"num_cpus": 0, "include_dashboard": False})
    ray.init(address=cluster.address, logging_level="ERROR", log_to_driver=False)
    print(f"head (GCS, raylet, driver connected): {time.monotonic() - started:.1f} s\n")
    config = {"data": "unused.csv", "backend_options": {"threads": 1}}  # the embedded model, as an actor gets it
    probe = probe_class(ray)
    print(f"{'node':>4} {'node start s':>13} {'actor start s':>14} {'SynGen import s':>16} {'model load s':>13} "
          f"{'before first row s':>19}")
    try:
        for index in range(args.nodes):
            f = measure_node(ray, cluster, probe, index, config)
            before = f["actor start"] + f["SynGen import"] + f["model load"]
            print(f"{index + 1:>4} {f['node start']:>13.1f} {f['actor start']:>14.1f} {f['SynGen import']:>16.1f} "
                  f"{f['model load']:>13.1f} {before:>19.1f}", flush=True)
    finally:
        ray.shutdown()
        cluster.shutdown()
    print(f"\nload average {os.getloadavg()[0]:.1f} at the end (other work on this machine slows every figure)")


if __name__ == "__main__":
    main()
