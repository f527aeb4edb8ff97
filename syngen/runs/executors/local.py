"""This process as the executor: each chunk goes to the backend as one `make_many` batch (the embedded model
decodes its requests together, an HTTP backend sends them from its own pool of threads)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from syngen.generation.rows import RowMaker, RowOutcome


class LocalExecutor:
    def __init__(self, maker: RowMaker) -> None:
        self.maker = maker

    def chunks(self, positions: range, size: int) -> Iterator[list[RowOutcome]]:
        for start in range(positions.start, positions.stop, size):
            yield self.maker.make_many(range(start, min(start + size, positions.stop)))

    def describe(self) -> dict[str, Any]:
        return {"name": "local"}

    def close(self) -> None:
        """Nothing to release: the backend belongs to the session."""
