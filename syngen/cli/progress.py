"""Render engine events on a terminal: a progress bar on a TTY, nothing when output is piped."""

from __future__ import annotations

import sys
from collections import Counter

import click

from syngen import events
from syngen.events import Event


class TerminalProgress:
    def __init__(self, total: int, enabled: bool | None = None) -> None:
        self.enabled = sys.stderr.isatty() if enabled is None else enabled
        self.total = total
        self.rejected: Counter = Counter()
        self._bar = None

    def __call__(self, event: Event) -> None:
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
