"""One exception tree for SynGen.

Core code raises these; only the edges (CLI, app) turn them into messages. Every error carries a
`hint` that tells the user how to fix the problem, so the edge can print one line: what and how.
"""

from __future__ import annotations

from typing import Any

from syngen.redact import mask_urls


class SynGenError(Exception):
    """Root of every error SynGen raises on purpose."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        # Every message reaches a user somewhere (terminal, app, log): URL credentials never do.
        message, hint = mask_urls(message), (mask_urls(hint) if hint else hint)
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.one_line()

    def one_line(self) -> str:
        """The message a user sees: the problem, then the fix."""
        text = self.message.rstrip(".")
        if self.hint:
            text += f". {self.hint.rstrip('.')}"
        return " ".join((text + ".").split())


class ConfigError(SynGenError):
    """The user asked for something that cannot be done as asked (bad option, bad value)."""


class DataError(SynGenError):
    """An input file cannot be used: missing, not a table, no usable column, wrong encoding."""


class OutputError(SynGenError):
    """The output cannot be written where asked (exists without --force, not writable)."""


class BackendError(SynGenError):
    """A model backend failed: not installed, not reachable, key missing, or the model misbehaved."""


class BackendUnavailable(BackendError):
    """The backend cannot run on this machine as configured (extra missing, server down, no key)."""


class TransientBackendError(BackendError):
    """A failure worth retrying: timeout, dropped connection, 429, 5xx."""

    def __init__(self, message: str, hint: str | None = None, retry_after: float | None = None) -> None:
        super().__init__(message, hint)
        self.retry_after = retry_after


class ParseError(SynGenError):
    """A model answer could not be turned into a valid row after the allowed attempts."""

    def __init__(self, message: str, hint: str | None = None, last_output: str = "", attempts: int = 0) -> None:
        super().__init__(message, hint)
        self.last_output = last_output
        self.attempts = attempts


class GenerationIncomplete(SynGenError):
    """The run stopped before delivering every row asked for; what passed was kept."""

    def __init__(self, message: str, hint: str | None = None, delivered: int = 0, partial_path: Any = None):
        super().__init__(message, hint)
        self.delivered = delivered
        self.partial_path = partial_path


class MetricError(SynGenError):
    """A metric cannot be computed on the data given (for example no text column in common)."""


class ContextOverflow(BackendError):
    """A request's prompt plus its longest answer does not fit the model's context window."""
