"""Progress events: the engine emits them, the CLI and the app render them.

The engine never imports a UI; a UI subscribes a handler to the bus it passes in.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Event:
    """Something that happened during a run. `name` is one of the constants below."""

    name: str
    data: dict[str, Any] = field(default_factory=dict)


RUN_STARTED = "run:started"  # data: rows_asked, backend, model
ROW_ACCEPTED = "row:accepted"  # data: index, accepted, asked, tokens_in, tokens_out
ROW_REJECTED = "row:rejected"  # data: index, reason, detail
REQUEST_RETRIED = "request:retried"  # data: attempt, error, wait_s
LABELS_SHORT = "labels:short"  # data: column, texts, short {class: {asked, written}}: quotas the budget could not meet
RUN_FINISHED = "run:finished"  # data: delivered, asked, seconds
RUN_CANCELLED = "run:cancelled"  # data: delivered

Handler = Callable[[Event], None]


class EventBus:
    """A list of handlers called in order for every event emitted."""

    def __init__(self) -> None:
        self._handlers: list[Handler] = []

    def subscribe(self, handler: Handler) -> None:
        self._handlers.append(handler)

    def emit(self, name: str, **data: Any) -> None:
        event = Event(name, data)
        for handler in self._handlers:
            handler(event)
