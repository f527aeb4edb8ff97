"""Click options read from GenerationConfig's fields: a field's choices and default are stated once, in
syngen/generation/config.py, and `syngen generate --help` shows them from there.

An option's value is None unless it is given, so the configuration's own default applies (and a run file or
a resumed run's saved value is not overridden by a default). Bounds stay the model's to check: its error names
the option and the value (config_from_options), as one line.
"""

from __future__ import annotations

import types
from collections.abc import Callable
from typing import Any, Literal, Union, get_args, get_origin

import click
from pydantic import ValidationError
from pydantic.fields import FieldInfo

from syngen.errors import ConfigError
from syngen.generation.config import GenerationConfig


def config_option(field: str, *decls: str, **attrs: Any) -> Callable:
    """A click option for the GenerationConfig field `field`: --field-name, its type (a Literal's values as
    choices, a bool as a flag) and its default in the help (unless the help states it); `decls` and `attrs` as
    click.option takes them."""
    info = GenerationConfig.model_fields[field]
    kind = click_type(info)
    if kind is bool:
        attrs.setdefault("is_flag", True)
    else:
        attrs.setdefault("type", kind)
    shown = None if info.is_required() else info.get_default(call_default_factory=True)
    if shown is not None and shown is not False and "[default:" not in attrs.get("help", ""):
        attrs["help"] = f"{attrs.get('help', '')} [default: {shown}]".strip()
    return click.option(*(decls or (f"--{field.replace('_', '-')}",)), default=None, **attrs)


def click_type(info: FieldInfo) -> Any:
    """bool, int, float, str, or click.Choice of a Literal's values (None in a union is the unset value)."""
    annotation = info.annotation
    if get_origin(annotation) in (Union, types.UnionType):
        annotation = next(a for a in get_args(annotation) if a is not type(None))
    if get_origin(annotation) is Literal:
        return click.Choice([str(value) for value in get_args(annotation)])
    if annotation in (bool, int, float):
        return annotation
    return str


def config_from_options(options: dict) -> GenerationConfig:
    """Build the configuration, turning pydantic's report into one line that names the option and its value."""
    try:
        return GenerationConfig(**{k: v for k, v in options.items() if v is not None})
    except ValidationError as exc:
        first = exc.errors()[0]
        name = "--" + str(first["loc"][0]).replace("_", "-") if first["loc"] else "an option"
        given = first.get("input")
        value = f" {given}" if first["loc"] and isinstance(given, int | float | str) and given != "" else ""
        raise ConfigError(f"{name}{value}: {first['msg']}", "See syngen generate --help") from exc
