"""Executors other than this process's own threads. Each is imported only when a run asks for it, so
plain runs never import Ray."""

from __future__ import annotations

from syngen.errors import ConfigError


def open_executor(session):
    """The executor `session.config.executor` names, ready to make rows for the run."""
    name = session.config.executor
    if name == "ray":
        from syngen.generation.executors.ray_executor import RayExecutor

        return RayExecutor(session)
    raise ConfigError(f"unknown executor '{name}'", "Choose --executor local or --executor ray")
