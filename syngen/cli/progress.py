"""Render engine events on a terminal: a progress bar on a TTY, a line a minute when output is piped."""

from __future__ import annotations

import sys
import time
from collections import Counter

import click

from syngen import events
from syngen.events import Event

LINE_SECONDS = 60.0


class TerminalProgress:
    """`enabled` None: a bar on a terminal, and piped (a log of a long run) a line every LINE_SECONDS."""

    def __init__(self, total: int, enabled: bool | None = None) -> None:
        self.lines = enabled is None and not sys.stderr.isatty()
        self.enabled = sys.stderr.isatty() if enabled is None else enabled
        self.total = total
        self.rejected: Counter = Counter()
        self._bar = None
        self._said = time.monotonic()

    def __call__(self, event: Event) -> None:
        if self.lines:
            self._line(event)
        if not self.enabled:
            return
        if event.name == events.RUN_STARTED:
            self._bar = click.progressbar(length=self.total, label="generating", file=sys.stderr,
                                          show_pos=True, show_eta=True)
            self._bar.__enter__()
        elif event.name == events.ROW_ACCEPTED and self._bar is not None:
            self._bar.update(1)
        elif event.name == events.ROW_REJECTED:
            self.rejected[event.data.get("reason", "?")] += 1
            if self._bar is not None:
                self._bar.label = f"generating ({sum(self.rejected.values())} rejected)"
        elif event.name in (events.RUN_FINISHED, events.RUN_CANCELLED) and self._bar is not None:
            self._bar.__exit__(None, None, None)
            self._bar = None

    def _line(self, event: Event) -> None:
        """Piped, a 27-minute run said nothing until its end: now a line now and then."""
        if event.name == events.ROW_REJECTED:
            self.rejected[event.data.get("reason", "?")] += 1
        elif event.name == events.ROW_ACCEPTED and time.monotonic() - self._said >= LINE_SECONDS:
            self._said = time.monotonic()
            click.echo(f"generating: {event.data.get('accepted', 0)}/{self.total} rows; answers rejected so far: "
                       f"{sum(self.rejected.values())}", err=True)
