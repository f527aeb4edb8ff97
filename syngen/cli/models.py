"""`syngen models`: every model backend and whether it can run on this machine, and what to do if not."""

from __future__ import annotations

import json
from typing import Any

import click
from pydantic import ValidationError

from syngen.backends.base import Backend, BackendStatus, ReadyState
from syngen.backends.registry import available_backends, get_backend_class
from syngen.errors import ConfigError, SynGenError
from syngen.redact import mask_urls


def backend_row(name: str, overrides: dict[str, Any]) -> dict[str, Any]:
    """One backend's facts; a backend that cannot even be imported is reported, not raised."""
    try:
        backend = get_backend_class(name)
        options = backend.Options(**{k: v for k, v in overrides.items() if k in backend.Options.model_fields})
        status = backend.status(options)
    except ValidationError as exc:
        raise ConfigError(f"{name}: {exc.errors()[0]['msg']}", "See syngen models --help") from exc
    except SynGenError as exc:
        return {"backend": name, "state": "unavailable", "detail": exc.one_line(), "model": ""}
    except ImportError as exc:  # a broken third-party plugin must not hide the other backends
        return {"backend": name, "state": "unavailable", "detail": f"cannot import it: {exc}", "model": ""}
    return _row(name, backend, options, status)


def _row(name: str, backend: type[Backend], options: Any, status: BackendStatus) -> dict[str, Any]:
    return {
        "backend": name,
        "state": status.state.value,
        "model": getattr(options, "model_name", None) or getattr(options, "model_path", None) or "(default)",
        "detail": mask_urls(status.detail),  # a server address may carry a user and password
        "description": backend.description,
        "schema": backend.supports_schema,
        "max_concurrency": backend.max_concurrency,
        "key_env_var": backend.key_env_var,
        "extra": backend.extra,
    }


def render(rows: list[dict[str, Any]]) -> str:
    widths = {key: max(len(key), *(len(str(r[key])) for r in rows)) for key in ("backend", "state", "model")}
    header = "  ".join(key.upper().ljust(widths[key]) for key in widths) + "  DETAIL"
    lines = [header]
    for row in rows:
        cells = "  ".join(str(row[key]).ljust(widths[key]) for key in widths)
        lines.append(f"{cells}  {row['detail']}".rstrip())
    return "\n".join(lines)


@click.command()
@click.argument("names", nargs=-1)
@click.option("--model-name", help="Check this model id instead of each backend's default.")
@click.option("--model-path", help="Check this GGUF file for the local backend.")
@click.option("--base-url", help="Check this server address (ollama, openai).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def models(names: tuple[str, ...], model_name: str | None, model_path: str | None, base_url: str | None,
           as_json: bool) -> None:
    """List the model backends (or only NAMES) and their state here: ready, extra missing, key missing,
    server unreachable or model missing, with what to do about it."""
    known = list(available_backends())  # the default (local) first, then the registry's order
    unknown = [n for n in names if n not in known]
    if unknown:
        raise ConfigError(f"unknown model backend '{unknown[0]}'", f"Choose from: {', '.join(known)}")
    overrides = {"model_name": model_name, "model_path": model_path, "base_url": base_url}
    overrides = {k: v for k, v in overrides.items() if v is not None}
    rows = [backend_row(name, overrides) for name in (names or known)]
    click.echo(json.dumps(rows, indent=2) if as_json else render(rows))
    ready = sum(row["state"] == ReadyState.READY.value for row in rows)
    if not as_json:
        click.echo(f"\n{ready} of {len(rows)} ready. Use one with: syngen generate --model NAME ...")
