"""The Ray executor's parts that need no Ray cluster: per-row error capture in the actor, what travels
back to the driver, how the actor pool is sized, and the one-line error when Ray is not installed."""

import subprocess
import sys

import numpy as np
import pytest

from syngen.errors import BackendError, BackendUnavailable, ConfigError, TransientBackendError
from syngen.generation.config import GenerationConfig
from syngen.generation.executors import ray_executor
from syngen.generation.executors.ray_actor import RowActor, actor_config, decode
from syngen.generation.rows import RowOutcome


class Maker:
    """Stands in for RowMaker: a row for most positions, a chosen failure for some."""

    failures = {1: ValueError("bad parse"), 2: TransientBackendError("timed out"),
                3: BackendUnavailable("server down", "start it")}

    def make(self, position: int) -> RowOutcome:
        if position in self.failures:
            raise self.failures[position]
        return RowOutcome(position, row={"text": f"row {position}"}, tokens_out=3, examples=[5])


def actor() -> RowActor:
    made = object.__new__(RowActor)  # without __init__: no Ray, no model
    made.maker = Maker()
    return made


def test_one_bad_row_never_fails_its_batch():
    out = actor()({"position": np.array([0, 1, 2, 4])})
    assert list(out["position"]) == [0, 1, 2, 4]
    outcomes = [decode(text) for text in out["outcome"]]
    assert outcomes[0].row == {"text": "row 0"} and outcomes[0].examples == [5]
    assert outcomes[1].row is None and outcomes[1].reasons == ["error_ValueError"]
    assert "bad parse" in outcomes[1].last_output
    assert outcomes[2].row is None and outcomes[2].reasons == ["backend_error"]
    assert outcomes[3].row == {"text": "row 4"}


def test_a_backend_that_cannot_work_stops_the_run_like_the_local_executor():
    out = actor()({"position": np.array([3])})
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
