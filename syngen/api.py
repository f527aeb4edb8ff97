"""SynGen from Python: `generate`, `evaluate` and `profile` on a path or a pandas DataFrame.

Each call is what the matching `syngen` command does (the same configuration, the same `open_run()`, so the
same rows for the same seed), with its results as objects instead of files: nothing is written unless
`out=` is given or a result is saved. Errors are the SynGenError tree, their fix in the message.
"""

from __future__ import annotations

import io
import tempfile
import warnings
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
from pydantic import ValidationError

from syngen import events
from syngen.api_results import EvaluationReport, GenerationResult, Profile, RealData
from syngen.data.loader import Table, load_table, read_table_bytes
from syngen.errors import ConfigError
from syngen.events import Event, EventBus
from syngen.generation.config import GenerationConfig
from syngen.profiling import load_catalogue, profile_table
from syngen.profiling.overrides import kinds_from_config

if TYPE_CHECKING:
    from syngen.generation.engine import RunResult
    from syngen.generation.session import Session
    from syngen.runs.audit import AuditTrail
    from syngen.runs.preview import Preview

Data = str | Path | pd.DataFrame
FRAME_SOURCE = "dataframe"  # a DataFrame's name where a file's would be (topic "the data", unless `topic=` is given)


def generate(data: Data, *, num_samples: int = 5, products: str | Path | None = None, model: str = "local",
             prompt_type: str = "base", seed: int = 0, where: Mapping[str, list[str]] | None = None,
             distribution: Mapping[str, Mapping[str, float]] | None = None, kinds: Mapping[str, Any] | None = None,
             on_event: Callable[[Event], None] | None = None, progress: bool = True,
             **options: Any) -> GenerationResult:
    """Make `num_samples` rows like `data` (a CSV/TSV path or a DataFrame). `options` are the other
    `syngen generate` settings by their Python names (temperature, model_path, topic, balance, ...);
    `out=PATH` also writes the output with its sidecar (and, for a path, a run directory to resume)."""
    table = _table(data)
    values = _values(data, table, num_samples=num_samples, products=products, model=model, prompt_type=prompt_type,
                     seed=seed, where=where, distribution=distribution, kinds=kinds, **options)
    if table is not None and values.get("run_dir"):
        raise ConfigError("a run directory needs the data as a file (its contents are part of the run's identity)",
                          "Save the DataFrame as CSV and pass its path, or drop run_dir")
    with tempfile.TemporaryDirectory(prefix="syngen-") as scratch:
        if not values.get("out"):  # the engine writes its output atomically; here it is read and let go
            values.pop("format", None)
            values["out"] = str(Path(scratch) / "rows.csv")
        result, session, audit = _run(_config(values), table, _bus(on_event, progress, num_samples))
    real = RealData(session.table, session.profile, session.catalogue)
    sidecar = result.sidecar if options.get("out") else {**result.sidecar, "output": None}
    return GenerationResult(result.rows, sidecar, real, seed=seed, audit=audit)


def preview(data: Data, *, num_samples: int = 3, products: str | Path | None = None, model: str = "local",
            prompt_type: str = "base", seed: int = 0, where: Mapping[str, list[str]] | None = None,
            distribution: Mapping[str, Mapping[str, float]] | None = None, kinds: Mapping[str, Any] | None = None,
            **options: Any) -> Preview:
    """Make 3 rows (fewer if `num_samples` is smaller) as `generate` would, and return each row's prompt, every
    raw answer with its verdict, and the row kept (`.rows`); nothing is written. Options as for `generate`."""
    from syngen.runs.preview import make_preview

    table = _table(data)
    values = _values(data, table, num_samples=num_samples, products=products, model=model, prompt_type=prompt_type,
                     seed=seed, where=where, distribution=distribution, kinds=kinds, **options)
    for name in ("out", "run_dir", "audit"):  # nothing is written, and every answer is shown anyway
        values.pop(name, None)
    return make_preview(_config(values), table=table)


def read_audit(run_dir: str | Path) -> AuditTrail:
    """The audit trail of a run made with audit on: `.position(N)` (or a row id, s0p3) and `.row(i)` (the
    output's i-th row) give the record of one row: its prompts, raw answers, verdicts and row."""
    from syngen.runs.audit import read_audit as read

    return read(run_dir)


def _values(data: Data, table: Table | None, *, products: str | Path | None, where: Mapping[str, list[str]] | None,
            distribution: Mapping[str, Mapping[str, float]] | None, kinds: Mapping[str, Any] | None,
            **options: Any) -> dict[str, Any]:
    """The configuration's values from the API's arguments (a DataFrame's data named FRAME_SOURCE)."""
    return {"data": FRAME_SOURCE if table else str(data), "products": str(products) if products else None,
            "where": dict(where or {}), "distribution": {k: dict(v) for k, v in (distribution or {}).items()},
            "kinds": {c: str(getattr(k, "value", k)) for c, k in (kinds or {}).items()}, **options}


def evaluate(real: Data, synthetic: Data | GenerationResult, *, products: str | Path | None = None, seed: int = 0,
             utility: str | None = None, utility_text: str | None = None,
             embeddings: bool = True) -> EvaluationReport:
    """Score synthetic rows against the real table, as `syngen evaluate` does; `utility` names a category
    column to score ML utility on (a classifier trained on the synthetic rows, tested on real ones)."""
    table = _table(real) or load_table(real)
    catalogue = load_catalogue(str(products), table) if products else None
    facts = RealData(table, profile_table(table, catalogue), catalogue)
    return facts.evaluate(_synthetic_input(synthetic, facts), seed=seed, utility=utility,
                          utility_text=utility_text, embeddings=embeddings)


def profile(data: Data, products: str | Path | None = None, kinds: Mapping[str, Any] | None = None) -> Profile:
    """What SynGen learns about each column of `data`: kind, format, empty share and why."""
    table = _table(data) or load_table(data)
    catalogue = load_catalogue(str(products), table) if products else None
    overrides = kinds_from_config({c: str(getattr(k, "value", k)) for c, k in (kinds or {}).items()})
    return Profile(profile_table(table, catalogue, overrides, require_text=False))


def _table(data: Any) -> Table | None:
    """A DataFrame as the loader reads a file: written as CSV and read back, every cell a string, so a frame
    read from a file gives the rows that file gives (read it with dtype=str, keep_default_na=False)."""
    if isinstance(data, pd.DataFrame):
        buffer = io.StringIO()
        data.to_csv(buffer, index=False)
        return read_table_bytes(buffer.getvalue().encode("utf-8"), source=FRAME_SOURCE, header=True)
    if not isinstance(data, str | Path):
        raise ConfigError(f"data must be a path or a pandas DataFrame, not {type(data).__name__}",
                          "Pass the CSV file's path, or pd.read_csv(path, dtype=str, keep_default_na=False)")
    return None


def _config(values: dict[str, Any]) -> GenerationConfig:
    """The configuration, pydantic's report turned into one line naming the argument."""
    try:
        return GenerationConfig(**{k: v for k, v in values.items() if v is not None})
    except ValidationError as exc:
        first = exc.errors()[0]
        name = str(first["loc"][0]) if first["loc"] else "an argument"
        raise ConfigError(f"{name}: {first['msg']}", "See help(syngen.generate) for the arguments") from exc


def _bus(on_event: Callable[[Event], None] | None, progress: bool, asked: int) -> EventBus:
    bus = EventBus()
    if progress:
        from syngen.api_results import ProgressBar

        bus.subscribe(ProgressBar(asked))
    bus.subscribe(_warn_labels_short)
    if on_event is not None:
        bus.subscribe(on_event)
    return bus


def _warn_labels_short(event: Event) -> None:
    """A label delivered short of the plan's share is worth a warning in a notebook, as on the CLI."""
    if event.name == events.LABELS_SHORT:
        from syngen.generation.quotas import shortfall_note

        warnings.warn(shortfall_note(event.data) or "", UserWarning, stacklevel=2)


def _run(config: GenerationConfig, table: Table | None,
         bus: EventBus) -> tuple[RunResult, Session, AuditTrail | None]:
    from syngen.runs import open_run

    with open_run(config, bus=bus, table=table) as run:
        return run.execute(), run.session, run.audit.trail()


def _synthetic_input(synthetic: Data | GenerationResult, real: RealData):
    from syngen.evaluation.inputs import from_frame

    if isinstance(synthetic, GenerationResult):
        return from_frame(synthetic.rows, real.profile.names, "generated rows", sidecar=synthetic.sidecar)
    if isinstance(synthetic, pd.DataFrame):
        return from_frame(synthetic.fillna("").astype(str), real.profile.names, FRAME_SOURCE)
    from syngen.evaluation.runner import load_rows

    return load_rows(Path(synthetic), real.profile)
