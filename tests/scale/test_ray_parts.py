"""The Ray executor's parts that need no Ray cluster: per-row error capture in the actor, what travels
back to the driver, how the actor pool is sized, and the one-line error when Ray is not installed."""

import os
import shutil
import subprocess
import sys

import numpy as np
import pytest

from syngen.errors import BackendError, BackendUnavailable, ConfigError, TransientBackendError
from syngen.generation.config import GenerationConfig
from syngen.generation.rows import RowOutcome
from syngen.runs.executors import ray_executor
from syngen.runs.executors.ray_actor import RowActor, actor_config, decode


class Maker:
    """Stands in for RowMaker: a chunk of rows, or a chosen failure for a chunk holding some positions."""

    failures = {4: ValueError("bad parse"), 8: TransientBackendError("timed out"),
                12: BackendUnavailable("server down", "start it")}

    def make_many(self, positions: range) -> list[RowOutcome]:
        for position in positions:
            if position in self.failures:
                raise self.failures[position]
        return [RowOutcome(p, row={"text": f"row {p}"}, tokens_out=3, examples=[5]) for p in positions]


def actor() -> RowActor:
    made = object.__new__(RowActor)  # without __init__: no Ray, no model
    made.maker = Maker()
    made.node = "node-a"
    return made


def chunks(*starts: int, size: int = 2) -> dict[str, np.ndarray]:
    return {"start": np.array(starts), "stop": np.array([s + size for s in starts])}


def test_an_actor_makes_whole_chunks_and_one_bad_chunk_never_fails_its_block():
    out = actor()(chunks(0, 4, 8))
    assert list(out["position"]) == [0, 1, 4, 5, 8, 9] and set(out["node"]) == {"node-a"}
    outcomes = [decode(text) for text in out["outcome"]]
    assert [o.row for o in outcomes[:2]] == [{"text": "row 0"}, {"text": "row 1"}] and outcomes[0].examples == [5]
    assert all(o.row is None and o.reasons == ["error_ValueError"] for o in outcomes[2:4])
    assert "bad parse" in outcomes[2].last_output
    assert all(o.row is None and o.reasons == ["backend_error"] for o in outcomes[4:])


def test_a_backend_that_cannot_work_stops_the_run_like_the_local_executor():
    out = actor()(chunks(12))
    with pytest.raises(BackendError) as caught:
        decode(out["outcome"][0])
    assert caught.value.message == "server down" and caught.value.hint == "start it"


def test_actors_get_threads_for_their_cpus_and_a_share_of_the_rate_limit(demo_paths):
    config = GenerationConfig(data=str(demo_paths[0]), rpm=60)
    worker = actor_config(config, cpus_per_actor=2.0, actors=4)
    assert worker.backend_options["threads"] == 2 and worker.rpm == 15
    chosen = config.model_copy(update={"backend_options": {"threads": 3}})
    assert actor_config(chosen, 1.0, 1).backend_options["threads"] == 3, "a user's choice is kept"


def test_pool_size_fits_the_cluster():
    config = GenerationConfig(data="x.csv", concurrency=8)
    assert ray_executor.pool_size(config, http=False, cluster_cpus=7) == (7, 1.0)
    assert ray_executor.pool_size(config, http=True, cluster_cpus=7) == (8, 0.25)
    fixed = config.model_copy(update={"ray_actors": 3, "ray_cpus_per_actor": 2.0})
    assert ray_executor.pool_size(fixed, http=False, cluster_cpus=64) == (3, 2.0)


def test_local_ray_leaves_a_cpu_free(monkeypatch):
    monkeypatch.setattr(ray_executor.os, "cpu_count", lambda: 2)
    assert ray_executor.local_cpus() == 1
    monkeypatch.setattr(ray_executor.os, "cpu_count", lambda: 1)
    assert ray_executor.local_cpus() == 1


def test_without_ray_the_error_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "ray", None)  # what an environment without the extra looks like
    with pytest.raises(ConfigError) as caught:
        ray_executor.import_ray()
    assert "pip install 'syngen[ray]'" in caught.value.one_line()


def test_plain_runs_never_import_ray():
    code = ("import sys; import syngen.generation.engine, syngen.cli.generate; "
            "print('ray' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.stdout.strip() == "False", done.stderr


def _executor(on_cluster: bool) -> tuple[ray_executor.RayExecutor, list[int]]:
    """A RayExecutor without __init__ (no Ray started) whose reopened streams are recorded, not started."""
    import ray

    made = object.__new__(ray_executor.RayExecutor)
    made.ray, made._reopened, opened = ray, 0, []
    made._on_cluster = lambda: on_cluster
    made._open = lambda start, size: opened.append(start)
    return made, opened


def test_a_stream_broken_by_a_lost_node_is_streamed_again_from_its_chunk_a_bounded_number_of_times():
    import ray

    made, opened = _executor(on_cluster=True)
    lost = ray.exceptions.ActorUnavailableError("The actor is temporarily unavailable", b"\x00" * 16)
    for _ in range(ray_executor.RESTARTS):
        made._reopen_after(lost, position=13, size=4)
    assert opened == [12] * ray_executor.RESTARTS, "from the start of the chunk in hand"
    with pytest.raises(BackendError, match="the Ray executor failed"):
        made._reopen_after(lost, position=13, size=4)


def test_other_ray_errors_and_one_machine_stop_the_run_at_once():
    import ray

    made, opened = _executor(on_cluster=True)
    with pytest.raises(BackendError):
        made._reopen_after(ray.exceptions.RaySystemError("bad"), position=4, size=4)
    alone, opened_alone = _executor(on_cluster=False)
    with pytest.raises(BackendError):
        alone._reopen_after(ray.exceptions.ActorDiedError(), position=4, size=4)
    assert opened == opened_alone == []


STALE_CLUSTER = """
import os, sys
from pathlib import Path
import ray
from syngen.runs.executors.ray_executor import connect, local_cpus
Path(os.environ["RAY_TMPDIR"], "ray").mkdir()
Path(os.environ["RAY_TMPDIR"], "ray", "ray_current_cluster").write_text("127.0.0.1:9")  # a cluster long gone
assert connect(ray)
print(ray.cluster_resources()["CPU"] == local_cpus())
ray.shutdown()
"""


def test_a_local_run_starts_its_own_ray_even_where_a_cluster_left_its_address(tmp_path):
    """`ray start` and Ray's test clusters leave /tmp/ray/ray_current_cluster behind; a bare ray.init() joins
    that address (a dead cluster) and refuses num_cpus, which stopped `--executor ray` in CI."""
    pytest.importorskip("ray")
    import tempfile

    short = tempfile.mkdtemp(prefix="ray", dir="/tmp")  # Ray's socket paths must stay under 108 bytes
    env = {key: value for key, value in os.environ.items() if key != "RAY_ADDRESS"} | {"RAY_TMPDIR": short}
    done = subprocess.run([sys.executable, "-c", STALE_CLUSTER], capture_output=True, text=True, env=env,
                          timeout=300)
    shutil.rmtree(short, ignore_errors=True)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().splitlines()[-1] == "True"
