"""Where a run's rows are made: this process (`LocalExecutor`) or a Ray cluster (`RayExecutor`), behind one
`Executor` protocol. Ray is imported only when a run asks for it, so plain runs never import it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Protocol

from syngen.errors import ConfigError
from syngen.generation.rows import RowOutcome
from syngen.runs.executors.local import LocalExecutor

__all__ = ["Executor", "LocalExecutor", "open_executor"]


class Executor(Protocol):
    def chunks(self, positions: range, size: int) -> Iterator[list[RowOutcome]]:
        """The outcomes of `positions` (whole chunks of `size`, aligned to multiples of it), one list per
        chunk, in plan order. Each row depends only on its chunk, so executors give the same rows."""
        ...

    def describe(self) -> dict[str, Any]:
        """Where the rows were made, for the sidecar."""
        ...

    def close(self) -> None:
        """Release what the executor holds (a Ray instance it started)."""
        ...


def open_executor(session) -> Executor:
    """The executor `session.config.executor` names, ready to make rows for the run."""
    name = session.config.executor
    if name == "local":
        return LocalExecutor(session.maker)
    if name == "ray":
        from syngen.runs.executors.ray_executor import RayExecutor

        return RayExecutor(session)
    raise ConfigError(f"unknown executor '{name}'", "Choose --executor local or --executor ray")
