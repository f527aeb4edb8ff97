"""A run as a YAML file: `syngen generate --config run.yaml` reads every generate option from it (options
given on the command line win), and every output gets its resolved configuration beside it (OUT.config.yaml)
so that `syngen generate --config OUT.config.yaml` makes the same rows again.

The file holds GenerationConfig's fields by name, and a `columns:` section with what is set per column:

    data: reviews.csv            # paths are relative to this file's folder
    num_samples: 300
    columns:
      rating: {values: ["1", "2"]}           # --where rating=1,2
      verified_purchase: {distribution: {"True": 0.5, "False": 0.5}}
      helpful_vote: {range: [0, 10]}         # numbers drawn within it
      category: {balance: true}              # --balance category
      location: {kind: short_text}           # --kind location=short_text
      summary: {derived: "{{ title }} ({{ rating }} stars)"}   # --derive: computed from each row (Jinja2)
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from syngen.errors import ConfigError
from syngen.generation.config import GenerationConfig
from syngen.output.paths import run_file_path
from syngen.output.writer import write_text
from syngen.redact import was_masked

PER_COLUMN = ("kinds", "where", "distribution", "balance", "ranges", "derive")  # written under `columns:`
NOT_SAVED = frozenset({"force", "new_run", "raw_export", "run_dir"})  # how one command ran, not which rows
PATHS = ("data", "products", "model_path", "out", "run_dir")
HEADER = "# A SynGen run, resolved. Make the same rows again with: syngen generate --config {name}\n" \
         "# (paths are relative to this file's folder; API keys are never written here)\n"


class ColumnSettings(BaseModel):
    """What the `columns:` section may set for one column."""

    model_config = ConfigDict(extra="forbid")

    kind: str | None = None
    values: list[str] | None = None
    distribution: dict[str, float] | None = None
    balance: bool = False
    range: tuple[float, float] | None = None
    derived: str | None = None  # a Jinja2 template over the row's other columns (syngen/generation/derived.py)


def read_run_file(path: str | Path) -> dict[str, Any]:
    """The options a run file sets, by GenerationConfig field name, its relative paths made relative to here."""
    path = Path(path)
    text = _read(path)
    data = _parse(path, text)
    fields = set(GenerationConfig.model_fields) - set(PER_COLUMN)
    options = {str(key).replace("-", "_"): value for key, value in data.items()}
    unknown = sorted(set(options) - fields - {"columns"})
    if unknown:
        raise ConfigError(f"{path}: '{unknown[0]}' is not a generate option",
                          f"Use one of: {', '.join(sorted(fields))}, or columns: for per-column settings")
    options.update(_per_column(path, options.pop("columns", None) or {}, _column_texts(text)))
    for name in PATHS:
        if isinstance(options.get(name), str):
            options[name] = _from_file(path, options[name])
    return options


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"--config {path} does not exist", "Give the path of a run file (YAML)") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"--config {path} cannot be read ({exc})", "Give a YAML text file") from None


def _parse(path: Path, text: str) -> dict:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        where = getattr(exc, "problem_mark", None)
        line = f" at line {where.line + 1}" if where else ""
        raise ConfigError(f"--config {path} is not valid YAML{line}", "Fix the file (a key: value a line)") from None
    if not isinstance(data, dict):
        raise ConfigError(f"--config {path} does not hold options (key: value lines)", "See syngen generate --help")
    return data


def _column_texts(text: str) -> dict[str, dict[str, list[str]]]:
    """Each column's values and distribution keys as written in the file. YAML would read `01` as 1, `yes`
    as true and `1.50` as 1.5, but they must match the data's text as it is."""
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    texts: dict[str, dict[str, list[str]]] = {}
    for column, settings in _pairs(dict(_pairs(root)).get("columns")):
        for key, node in _pairs(settings):
            items = node.value if key == "values" and isinstance(node, yaml.SequenceNode) else \
                [k for k, _ in node.value] if key == "distribution" and isinstance(node, yaml.MappingNode) else []
            if items and all(isinstance(item, yaml.ScalarNode) for item in items):
                texts.setdefault(column, {})[key] = [item.value for item in items]
    return texts


def _pairs(node: Any) -> list[tuple[str, Any]]:
    if not isinstance(node, yaml.MappingNode):
        return []
    return [(k.value, v) for k, v in node.value if isinstance(k, yaml.ScalarNode)]


def _per_column(path: Path, columns: Any, texts: dict[str, dict[str, list[str]]]) -> dict[str, Any]:
    if not isinstance(columns, dict):
        raise ConfigError(f"{path}: columns: must map column names to settings", "Write e.g. rating: {values: [1]}")
    flat: dict[str, Any] = {"kinds": {}, "where": {}, "distribution": {}, "balance": [], "ranges": {}, "derive": {}}
    for name, raw in columns.items():
        settings = _settings(path, str(name), _as_text(raw, texts.get(str(name), {})))
        if settings.kind:
            flat["kinds"][str(name)] = settings.kind
        if settings.values is not None:
            flat["where"][str(name)] = settings.values
        if settings.distribution is not None:
            flat["distribution"][str(name)] = settings.distribution
        if settings.balance:
            flat["balance"].append(str(name))
        if settings.range is not None:
            flat["ranges"][str(name)] = settings.range
        if settings.derived is not None:
            flat["derive"][str(name)] = settings.derived
    return {key: value for key, value in flat.items() if value}


def _settings(path: Path, name: str, raw: Any) -> ColumnSettings:
    try:
        return ColumnSettings.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise ConfigError(f"{path}: columns: {name}: {where}: {first['msg']}",
                          "A column takes kind, values, distribution, balance, range or derived") from None


def _as_text(raw: Any, texts: dict[str, list[str]]) -> Any:
    """A column's settings with its values and distribution keys as written (see _column_texts)."""
    if not isinstance(raw, dict):
        return raw
    settings = dict(raw)
    if "values" in texts:
        settings["values"] = texts["values"]
    if "distribution" in texts and isinstance(settings.get("distribution"), dict):
        settings["distribution"] = dict(zip(texts["distribution"], settings["distribution"].values(), strict=False))
    return settings


def _from_file(path: Path, value: str) -> str:
    expanded = os.path.expanduser(value)
    return expanded if os.path.isabs(expanded) else os.path.normpath(os.path.join(path.parent, expanded))


def _to_file(path: Path, value: str) -> str:
    """A path as the run file writes it: relative to the file's folder when it lies within (the folder can
    then move as a whole), else absolute."""
    absolute = os.path.abspath(value)
    relative = os.path.relpath(absolute, os.path.abspath(path.parent))
    return absolute if relative == os.pardir or relative.startswith(os.pardir + os.sep) else relative


def merge_run_file(from_file: dict[str, Any], options: dict[str, Any], given: set[str]) -> dict[str, Any]:
    """The run file's options with the command line's on top. Per-column settings merge column by column:
    a condition given on the command line replaces the file's conditions on that column."""
    merged = {**from_file, **{k: v for k, v in options.items() if k in given and k not in PER_COLUMN}}
    if "out" in given and "format" not in given:
        merged.pop("format", None)  # the new --out's extension decides
    from_cli = {key: options.get(key) or _nothing(key) for key in PER_COLUMN if key in given}
    conditioned = {column for key, value in from_cli.items() if key != "kinds" for column in value}
    for key in PER_COLUMN:
        kept = from_file.get(key) or _nothing(key)
        if key != "kinds":
            kept = [c for c in kept if c not in conditioned] if key == "balance" else \
                {c: v for c, v in kept.items() if c not in conditioned}
        added = from_cli.get(key, _nothing(key))
        merged[key] = [*kept, *added] if key == "balance" else {**kept, **added}
    if was_masked(merged.get("base_url")) and "base_url" not in given:  # credentials are never saved
        raise ConfigError("the run file's base_url had a user and password, which are not saved",
                          "Give the same --base-url again")
    return merged


def _nothing(key: str) -> list | dict:
    return [] if key == "balance" else {}


def write_run_file(config: GenerationConfig, output: Path) -> Path:
    """Write the run's configuration beside its output (OUT.config.yaml), atomically. It replaces an older
    one: it describes OUT, which this run has just written (the checks before the run allowed that)."""
    path = run_file_path(output)
    write_text(path, dump_run_file(config, path))
    return path


def dump_run_file(config: GenerationConfig, path: Path) -> str:
    """The configuration as a run file at `path`: its paths relative to the file, per-column settings by column."""
    public = config.public_dict()
    data = {k: v for k, v in public.items() if k not in NOT_SAVED and k not in PER_COLUMN and v not in (None, {})}
    for name in PATHS:
        if isinstance(data.get(name), str):
            data[name] = _to_file(path, data[name])
    columns = _columns_section(config)
    if columns:
        data["columns"] = columns
    body = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, default_flow_style=None)
    return HEADER.format(name=path.name) + body


def _columns_section(config: GenerationConfig) -> dict[str, dict[str, Any]]:
    columns: dict[str, dict[str, Any]] = {}
    for name, kind in config.kinds.items():
        columns.setdefault(name, {})["kind"] = kind
    for name, values in config.where.items():
        columns.setdefault(name, {})["values"] = list(values)
    for name, shares in config.distribution.items():
        columns.setdefault(name, {})["distribution"] = dict(shares)
    for name in config.balance:
        columns.setdefault(name, {})["balance"] = True
    for name, (low, high) in config.ranges.items():
        columns.setdefault(name, {})["range"] = [low, high]
    for name, template in config.derive.items():  # in their order: a template may use the ones before it
        columns.setdefault(name, {})["derived"] = template
    return columns
