"""The Ray side of the Ray executor: one actor holds one backend (an in-process model is loaded once per
actor) and turns chunks of plan positions into RowOutcomes, each chunk made together as the local executor
makes it. It never decides acceptance: the driver does, in plan order, so the rows are the same as the
local executor's for the same seed.

Outcomes travel as JSON strings in an object column, which every Ray Data block format carries as is.
"""

from __future__ import annotations

import json
from dataclasses import asdict, replace
from typing import Any

import numpy as np

from syngen.errors import BackendError, TransientBackendError
from syngen.generation.config import GenerationConfig
from syngen.generation.rows import Attempt, RowMaker, RowOutcome
from syngen.generation.session import build_backend

FATAL = "fatal"  # key of an outcome whose error stops the run, as it would in the local executor


def actor_config(config: GenerationConfig, cpus_per_actor: float, actors: int) -> GenerationConfig:
    """The configuration an actor builds its backend from: an in-process model gets the actor's CPUs as
    threads (not every core of the node), and a request rate limit is shared out between the actors."""
    update: dict[str, Any] = {}
    if config.rpm:
        update["rpm"] = config.rpm / actors
    options = dict(config.backend_options)
    if "threads" in _option_names(config) and "threads" not in options:
        options["threads"] = max(1, int(cpus_per_actor))
        update["backend_options"] = options
    return config.model_copy(update=update)


def _option_names(config: GenerationConfig) -> set[str]:
    from syngen.backends.registry import get_backend_class

    return set(get_backend_class(config.model).Options.model_fields)


class RowActor:
    """map_batches callable class: constructed once per actor, called once per batch of positions."""

    def __init__(self, maker_ref: list, config: dict[str, Any]) -> None:
        import ray

        # The driver's RowMaker without its backend: data, profile and prompts are prepared once, on the
        # driver, so only the model file has to exist on every node.
        maker: RowMaker = ray.get(maker_ref[0])
        backend = build_backend(GenerationConfig(**config))
        backend.load()
        self.maker = replace(maker, backend=backend)
        self.node = ray.get_runtime_context().get_node_id()  # where the rows were made, for the sidecar

    def __call__(self, batch: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        """One item is one chunk [start, stop): made together, as the local executor makes it."""
        records = [record for start, stop in zip(batch["start"], batch["stop"], strict=True)
                   for record in self._make(range(int(start), int(stop)))]
        positions = [record["position"] for record in records]
        texts = [json.dumps(record, ensure_ascii=False) for record in records]
        return {"position": np.array(positions, dtype=np.int64), "outcome": np.array(texts, dtype=object),
                "node": np.array([self.node] * len(records), dtype=object)}

    def _make(self, positions: range) -> list[dict[str, Any]]:
        try:
            return [asdict(outcome) for outcome in self.maker.make_many(positions)]
        except TransientBackendError as exc:  # its retries ran out on this chunk only: reject it, top up
            return [error_record(p, "backend_error", exc) for p in positions]
        except BackendError as exc:  # the backend cannot work at all: every row would fail the same way
            return [{**error_record(p, "backend_error", exc), FATAL: [exc.message, exc.hint]} for p in positions]
        except Exception as exc:  # noqa: BLE001 - one bad chunk must never fail its block; the reason is kept
            return [error_record(p, f"error_{type(exc).__name__}", exc) for p in positions]


def error_record(position: int, reason: str, exc: BaseException) -> dict[str, Any]:
    return asdict(RowOutcome(position, reasons=[reason], last_output=f"{type(exc).__name__}: {exc}"))


def decode(text: str) -> RowOutcome:
    """An actor's JSON back to a RowOutcome; raises BackendError when the actor reported a fatal one."""
    record = json.loads(text)
    fatal = record.pop(FATAL, None)
    if fatal:
        raise BackendError(fatal[0], fatal[1])
    record["attempts"] = [Attempt(**attempt) for attempt in record.get("attempts", [])]
    return RowOutcome(**record)
