"""Which backends the page can offer, in what state, and the backend instance a run uses.

Backend modules are written independently of the app and may be missing, half-installed or unable to
import their SDK; every such case becomes a state shown beside the backend's name, never an error page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from syngen.backends.base import Backend, BackendStatus, ReadyState
from syngen.backends.registry import available_backends, get_backend_class
from syngen.errors import ConfigError
from syngen.generation.config import GenerationConfig
from syngen.generation.session import build_backend
from syngen.redact import mask_urls

KEY_OPTION = "api_key"
NOT_AVAILABLE = "not available"
CHECK_FAILED = "status check failed"


@dataclass(frozen=True)
class BackendInfo:
    name: str
    state: str
    detail: str = ""
    description: str = ""
    needs_key: bool = False
    key_env_var: str | None = None
    accepts_key: bool = False  # its options have an api_key field the page can fill
    fields: tuple[str, ...] = ()
    default_model: str | None = None

    @property
    def ready(self) -> bool:
        return self.state == ReadyState.READY.value

    @property
    def key_missing(self) -> bool:
        return self.state == ReadyState.KEY_MISSING.value

    @property
    def label(self) -> str:
        return f"{self.name} ({self.state})"


def backend_names() -> list[str]:
    """Registered backends, the embedded one first because it needs nothing."""
    return sorted(available_backends(), key=lambda name: (name != "local", name))


def backend_info(name: str, options: dict[str, Any] | None = None) -> BackendInfo:
    """The state of one backend with these options (model, server, key...); unknown options are ignored."""
    try:
        cls = get_backend_class(name)
    except ConfigError as exc:
        return BackendInfo(name, NOT_AVAILABLE, exc.one_line())
    except ImportError as exc:
        missing = exc.name or "a package"
        return BackendInfo(name, ReadyState.EXTRA_MISSING.value,
                           f"its module needs {missing}: pip install 'syngen[{name}]'")
    except AttributeError as exc:
        return BackendInfo(name, NOT_AVAILABLE, f"its module is incomplete in this version ({exc})")
    fields = tuple(cls.Options.model_fields)
    given = {k: v for k, v in (options or {}).items() if k in fields and v not in (None, "")}
    state, detail = _status(cls, given)
    default = cls.Options.model_fields["model_name"].default if "model_name" in fields else None
    return BackendInfo(
        name, state, detail, getattr(cls, "description", ""), bool(getattr(cls, "needs_key", False)),
        getattr(cls, "key_env_var", None), KEY_OPTION in fields, fields, default,
    )


def _status(cls: type[Backend], given: dict[str, Any]) -> tuple[str, str]:
    try:
        status: BackendStatus = cls.status(cls.Options(**given) if given else None)
    except Exception as exc:  # a probe of someone else's backend (or a bad value) must not take the page down
        return CHECK_FAILED, mask_urls(f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}")
    if given.get(KEY_OPTION) and status.state is ReadyState.KEY_MISSING:
        # The backend looks only in the environment; the key typed on the page is passed in its options.
        return ReadyState.READY.value, "using the key entered on this page"
    return ReadyState(status.state).value, mask_urls(status.detail)  # a server URL may carry a password


def backend_options(info: BackendInfo, api_key: str | None) -> dict[str, Any]:
    """The per-run options the page adds: only the key, only when typed, only where the backend takes one."""
    return {KEY_OPTION: api_key} if api_key and info.accepts_key else {}


class BackendHolder:
    """Keeps the session's last backend so a loaded model is reused by the next run with the same settings.

    A backend given a typed key is never kept: the key then lives only as long as its run.
    """

    def __init__(self) -> None:
        self._key: tuple | None = None
        self._backend: Backend | None = None

    def get(self, config: GenerationConfig) -> tuple[Backend, bool]:
        """(backend, owned by the run): an owned backend is closed when its run ends."""
        if KEY_OPTION in config.backend_options:
            return build_backend(config), True
        key = _identity(config)
        if self._backend is None or key != self._key:
            backend = build_backend(config)
            self.close()
            self._backend, self._key = backend, key
        return self._backend, False

    def close(self) -> None:
        if self._backend is not None:
            self._backend.close()
        self._backend, self._key = None, None


def _identity(config: GenerationConfig) -> tuple:
    """Everything build_backend reads: a change in any of them needs a new instance."""
    return (config.model, config.model_path, config.model_name, config.base_url, config.temperature,
            config.concurrency, config.rpm, tuple(sorted(config.backend_options.items())))
