"""A run's life outside the engine: its run directory (manifest, shards), the sink its accepted rows go
to, and the executor that makes them, all opened by one `open_run()` (the CLI, the app, `syngen
experiment` and the Python API use it). Loaded lazily: `import syngen.runs` imports nothing heavy."""

from __future__ import annotations

from typing import Any

__all__ = ["PreparedRun", "open_run"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from syngen.runs import opening

        return getattr(opening, name)
    raise AttributeError(f"module 'syngen.runs' has no attribute {name!r}")
