"""Make a run's rows on Ray: the plan's positions become a Ray Data dataset of many small blocks, mapped by
an actor pool (`map_batches` with one backend per actor), streamed back to the driver in plan order.

The driver keeps everything that decides acceptance (duplicate checks, top-ups, the run directory), so the
same seed gives the same rows as the local executor, and resume works through the same manifest. One
streaming execution serves the whole run: when the engine asks for the next positions (a top-up) they are
already on their way, and the actors, with their loaded models, stay up. Positions still in flight when
the run has its N rows are dropped, never accepted.

Without RAY_ADDRESS the run starts a Ray of its own, with one CPU fewer than the machine has (at least one):
Ray stalls when actors hold every core. With RAY_ADDRESS set it joins that cluster instead.
"""

from __future__ import annotations

import gc
import logging
import os
import threading
import time
import warnings
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from syngen.errors import BackendError, ConfigError
from syngen.generation.rows import RowOutcome
from syngen.runs.executors.ray_actor import RowActor, actor_config, decode

WINDOW = 20_000  # positions per streaming execution (whole chunks): bounds the driver's block list on huge runs
MAX_BLOCKS = 2_000  # per window; small blocks keep every actor busy and results flowing in order
HTTP_CPUS = 0.25  # an HTTP backend's actor mostly waits on the network
RESTARTS = 3  # on a cluster: restarts of an actor (its node lost) and retries of its chunk, each bounded


def import_ray():
    try:
        import ray
        import ray.data  # noqa: F401
    except ImportError as exc:
        raise ConfigError("--executor ray needs Ray, which is not installed",
                          "Install it with: pip install 'syngen[ray]'") from exc
    return ray


def local_cpus() -> int:
    return max(1, (os.cpu_count() or 2) - 1)


def connect(ray) -> bool:
    """Join RAY_ADDRESS's cluster, or start a local Ray; True when this call connected (so close() must
    disconnect), False when the caller had already initialised Ray itself."""
    if ray.is_initialized():
        return False
    # Ray's start-up notices and the "actor killed" lines of in-flight work dropped at the end would bury
    # the CLI's own output; worker logs stay in Ray's session folder (and the dashboard on a cluster).
    quiet = {"logging_level": logging.ERROR, "log_to_driver": False}
    logging.getLogger("ray.data").setLevel(logging.ERROR)
    address = os.environ.get("RAY_ADDRESS")
    if address:
        ray.init(address=address, **quiet)
    else:
        # "local", not None: without an address Ray joins the cluster named in /tmp/ray/ray_current_cluster,
        # which `ray start` and Ray's test clusters leave behind, and then refuses num_cpus.
        ray.init(address="local", num_cpus=local_cpus(), include_dashboard=False, **quiet)
    return True


HTTP_DEFAULT_ACTORS = 4


def pool_size(config, http: bool, cluster_cpus: float) -> tuple[int, float]:
    """(actors, CPUs per actor): an in-process model gets a whole CPU per actor and as many actors as the
    cluster has CPUs; an HTTP backend gets a quarter CPU and one actor per concurrent request."""
    cpus = config.ray_cpus_per_actor or (HTTP_CPUS if http else 1.0)
    if config.ray_actors:
        return config.ray_actors, cpus
    if http:
        return config.workers(HTTP_DEFAULT_ACTORS, 64), cpus
    return max(1, int(cluster_cpus // cpus)), cpus


class RayExecutor:
    def __init__(self, session) -> None:
        self.ray = import_ray()  # fail before the run starts if Ray is missing
        self.session = session
        self.config = session.config
        self.actors: int | None = None
        self.cpus: float | None = None
        self._connected = False
        self._maker_ref = None
        self._rows: Iterator[dict[str, Any]] | None = None
        self._ready: dict[int, RowOutcome] = {}
        self._end = 0
        self._reopened = 0  # streams started again after a lost node, bounded by RESTARTS
        self.outcomes_by_node: Counter[str] = Counter()  # answers (outcomes) taken from each Ray node, for the sidecar

    def _start(self) -> None:
        """Connect and size the pool on the first row asked for: a resumed run that already has all its
        rows never pays Ray's start-up."""
        self._connected = connect(self.ray)
        http = self.session.backend.max_concurrency > 1
        self.actors, self.cpus = pool_size(self.config, http, self.ray.cluster_resources().get("CPU", 1))
        self._worker_config = actor_config(self.config, self.cpus, self.actors).model_dump()
        # The prepared RowMaker minus its backend goes to the object store once, for every actor.
        self._maker_ref = self.ray.put(replace(self.session.maker, backend=None))
        self._configure_data()

    def _configure_data(self) -> None:
        context = self.ray.data.DataContext.get_current()
        context.execution_options.preserve_order = True  # outcomes reach the driver in plan order
        context.enable_progress_bars = False  # the CLI draws its own progress bar from engine events
        context.print_on_execution_start = False

    def chunks(self, positions: range, size: int) -> Iterator[list[RowOutcome]]:
        for start in range(positions.start, positions.stop, size):
            yield [self._pull(p, size) for p in range(start, min(start + size, positions.stop))]

    def _pull(self, position: int, size: int) -> RowOutcome:
        if position not in self._ready and (self._rows is None or position >= self._end):
            self._open(position, size)
        while position not in self._ready:
            try:
                item = next(self._rows)
            except StopIteration:
                self._open(position, size)
                continue
            except self.ray.exceptions.RayError as exc:
                self._reopen_after(exc, position, size)
                continue
            outcome = decode(item["outcome"])
            if outcome.position >= position:  # earlier ones belong to a window the engine moved past
                self._ready[outcome.position] = outcome
                self.outcomes_by_node[item["node"]] += 1
        outcome = self._ready.pop(position)
        self.session.picker.shown.update(outcome.examples)  # the sidecar's record of real rows shown
        return outcome

    def _reopen_after(self, exc: Exception, position: int, size: int) -> None:
        """A node lost on a cluster breaks the stream (its actors unreachable until Ray marks the node dead,
        fifteen seconds by default): stream again from the chunk in hand, a bounded number of times. A row
        depends only on its position, so a chunk made twice gives the same rows. Anything else stops the run."""
        lost = (self.ray.exceptions.RayActorError, self.ray.exceptions.NodeDiedError,
                self.ray.exceptions.ObjectLostError)
        if not isinstance(exc, lost) or not self._on_cluster() or self._reopened >= RESTARTS:
            raise BackendError(f"the Ray executor failed: {_first_line(exc)}",
                               "Check that the model file and SynGen are installed on every Ray node") from exc
        self._reopened += 1
        self._open(position - position % size, size)

    def _open(self, start: int, size: int) -> None:
        """Stream the chunks of [start, start + WINDOW) through the actor pool, cut at the attempt budget;
        `start` is a chunk's first position, and one item (one block) is one chunk."""
        if self._maker_ref is None:
            self._start()
        budget = -(-self.config.attempt_budget() // size) * size  # the engine's budget, in whole chunks
        self._end = min(budget, start + max(size, WINDOW // size * size))
        if self._end <= start or start % size:  # the engine asks whole chunks inside the budget: a bug if not
            raise RuntimeError(f"plan position {start} is not a chunk start inside the attempt budget {self._end}")
        self._rows = None  # drops any earlier execution before starting the next
        self._ready.clear()
        items = [{"start": p, "stop": p + size} for p in range(start, self._end, size)]
        blocks = min(len(items), MAX_BLOCKS)
        with warnings.catch_warnings():
            # Ray 2.5x marks map_batches' extra actor options deprecated, yet names `max_restarts=0` as the
            # way to turn restarts off; there is no other way to pass it.
            warnings.simplefilter("ignore", DeprecationWarning)
            dataset = self.ray.data.from_items(items, override_num_blocks=blocks).map_batches(
                RowActor, batch_size=1, fn_constructor_kwargs={"maker_ref": [self._maker_ref],
                                                               "config": self._worker_config},
                compute=self.ray.data.ActorPoolStrategy(size=self.actors), num_cpus=self.cpus,
                **self._restarts(),
            )
        self._rows = iter(dataset.iter_rows())

    def _restarts(self) -> dict[str, int]:
        """On one machine a crashed actor would crash again, and the run resumes from its run directory
        anyway, so Ray's restarts (and its warning about them) are turned off. On a cluster a lost node takes
        its actors and their chunks in flight: the actors start again on the nodes left and make those
        chunks again (the same rows: a row depends only on its chunk), a bounded number of times."""
        if self._on_cluster():
            return {"max_restarts": RESTARTS, "max_task_retries": RESTARTS}
        return {"max_restarts": 0}

    def _on_cluster(self) -> bool:
        return bool(os.environ.get("RAY_ADDRESS")) or sum(node["Alive"] for node in self.ray.nodes()) > 1

    def describe(self) -> dict[str, Any]:
        return {"name": "ray", "ray_version": self.ray.__version__, "actors": self.actors,
                "cpus_per_actor": self.cpus, "cluster": os.environ.get("RAY_ADDRESS") or "local",
                "outcomes_by_node": dict(self.outcomes_by_node), "streams_restarted": self._reopened}

    def close(self) -> None:
        self._rows = None
        self._ready.clear()
        settle_streams()
        if self._connected and self.ray.is_initialized():
            self.ray.shutdown()
            self._connected = False


def settle_streams(timeout: float = 10.0) -> None:
    """Wait, bounded, for the executions of dropped streams to end. Ray Data stops a dropped execution's
    thread asynchronously; a thread still calling into Ray when Ray shuts down ends the whole process with
    exit 1 ("The core worker has already been shutdown"), seen after a node was lost mid-run."""
    gc.collect()  # a dropped stream's executor stops from its __del__
    deadline = time.monotonic() + timeout
    for thread in threading.enumerate():
        if thread.name.startswith("StreamingExecutor-"):  # Ray Data's name for an execution's thread
            thread.join(max(0.0, deadline - time.monotonic()))


def _first_line(exc: BaseException) -> str:
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    return lines[-1][:300] if lines else type(exc).__name__
