"""Find backends through the `syngen.backends` entry points, built-in and third-party alike."""

from __future__ import annotations

from importlib import import_module
from importlib.metadata import entry_points

from syngen.backends.base import Backend
from syngen.errors import ConfigError

GROUP = "syngen.backends"
# Used when SynGen runs from a source tree that was never pip-installed (no entry points registered).
_BUILT_IN = {
    "local": "syngen.backends.local:LocalBackend",
    "hf": "syngen.backends.hf:HFBackend",
    "ollama": "syngen.backends.ollama:OllamaBackend",
    "cohere": "syngen.backends.cohere:CohereBackend",
    "openai": "syngen.backends.openai_compat:OpenAICompatBackend",
}


def available_backends() -> dict[str, str]:
    """Backend name -> 'module:Class' for every registered backend."""
    found = dict(_BUILT_IN)
    found.update({ep.name: ep.value for ep in entry_points(group=GROUP)})
    return found


def get_backend_class(name: str) -> type[Backend]:
    targets = available_backends()
    if name not in targets:
        raise ConfigError(f"unknown model backend '{name}'", f"Choose one of: {', '.join(sorted(targets))}")
    module_name, _, class_name = targets[name].partition(":")
    try:
        module = import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.startswith("syngen"):
            raise ConfigError(
                f"the '{name}' backend is not yet available in this version of SynGen",
                "Use --model local (the embedded model) for now",
            ) from exc
        raise
    return getattr(module, class_name)
