"""Where accepted rows go as they are made. The in-memory sink is the default; a durable sink (resume)
implements the same three methods."""

from __future__ import annotations


class MemorySink:
    def __init__(self) -> None:
        self.rows: dict[int, dict[str, str]] = {}
        self.next_position = 0

    def add(self, position: int, row: dict[str, str]) -> None:
        self.rows[position] = row

    def advance(self, position: int) -> None:
        """Record that every plan position below `position` has been tried."""
        self.next_position = max(self.next_position, position)

    def close(self) -> None:
        """Nothing to flush in memory."""
