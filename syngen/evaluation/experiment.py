"""The study's grid as one run: generate and evaluate every (model x prompt type) cell.

A backend that cannot run here (extra missing, no key, server down) is skipped with its reason rather
than failing the grid; a cell whose model fails mid-run is recorded as failed with the error's message,
and one that stops early is evaluated on the rows it kept. Configuration errors still stop everything:
they would fail every cell the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from syngen.data.loader import Table, load_table
from syngen.errors import BackendError, GenerationIncomplete, SynGenError
from syngen.evaluation.inputs import from_frame, load_synthetic
from syngen.evaluation.report import Report
from syngen.evaluation.runner import evaluate_input
from syngen.profiling import Catalogue, DatasetProfile, load_catalogue, profile_table


@dataclass
class ModelSpec:
    """`name[:model]`: a backend and optionally its model id (or GGUF path for `local`)."""

    backend: str
    model: str | None = None

    @classmethod
    def parse(cls, text: str) -> ModelSpec:
        backend, _, model = text.strip().partition(":")
        return cls(backend, model or None)

    @property
    def label(self) -> str:
        return f"{self.backend}:{self.model}" if self.model else self.backend

    def options(self) -> dict[str, Any]:
        if not self.model:
            return {}
        return {"model_path": self.model} if self.backend == "local" else {"model_name": self.model}


@dataclass
class GridSpec:
    data: str
    models: list[ModelSpec]
    prompt_types: list[str]
    num_samples: int
    out: Path
    products: str | None = None
    seed: int = 0
    force: bool = False
    generation_options: dict[str, Any] = field(default_factory=dict)  # temperature, base_url, ...
    utility: str | None = None  # a category column: each cell's report scores ML utility on it


@dataclass
class Cell:
    model: str
    prompt_type: str
    status: str  # done | incomplete | failed | skipped
    reason: str = ""
    output: str | None = None
    sidecar: dict[str, Any] | None = None
    report: Report | None = None


@dataclass
class Grid:
    cells: list[Cell]
    reference: dict[str, float | None]  # real half vs real half at the grid's row count
    real_rows: int


class _RealData:
    def __init__(self, spec: GridSpec) -> None:
        self.table: Table = load_table(spec.data)
        self.catalogue: Catalogue | None = load_catalogue(spec.products, self.table) if spec.products else None
        self.profile: DatasetProfile = profile_table(self.table, self.catalogue)
        # Every cell asks for the same number of rows, so one real-vs-real reference serves the grid.
        self.calibrated = False
        self.utility = spec.utility
        if spec.utility:  # a column that cannot be measured stops the grid before any cell is generated
            from syngen.evaluation.utility import check_utility

            check_utility(self.table.frame, self.profile, spec.utility)


def run_grid(spec: GridSpec, say: Callable[[str], None] = print) -> Grid:
    real = _RealData(spec)
    cells: list[Cell] = []
    for model in spec.models:
        reason = not_ready_reason(model)
        if reason:
            say(f"{model.label}: skipped ({reason})")
            cells += [Cell(model.label, p, "skipped", reason) for p in spec.prompt_types]
            continue
        cells += _model_cells(spec, model, real, say)
    return Grid(cells, _reference(cells), len(real.table.frame))


def not_ready_reason(model: ModelSpec) -> str | None:
    """Why this backend cannot run here, or None when it can (the check `syngen models` makes)."""
    from syngen.backends.registry import get_backend_class

    try:
        backend = get_backend_class(model.backend)
        options = backend.Options(**{k: v for k, v in model.options().items() if k in backend.Options.model_fields})
        status = backend.status(options)
    except SynGenError as exc:
        return exc.one_line()
    except ImportError as exc:  # a broken plugin is one skipped backend, not a failed grid
        return f"cannot import it: {exc}"
    return None if status.ready else f"{status.state.value}: {status.detail}".rstrip(": ")


def _model_cells(spec: GridSpec, model: ModelSpec, real: _RealData, say: Callable[[str], None]) -> list[Cell]:
    from syngen.generation.session import build_backend

    backend = None
    cells = []
    try:
        for prompt_type in spec.prompt_types:
            config = _config(spec, model, prompt_type)
            backend = backend or build_backend(config)  # one loaded model serves every prompt type
            say(f"{model.label} x {prompt_type}: generating {spec.num_samples} rows")
            cell = _run_cell(config, model, real, backend)
            say(f"{model.label} x {prompt_type}: {cell.status}"
                + (f" ({cell.reason})" if cell.reason else f", {cell.report.rows} rows scored"))
            cells.append(cell)
    finally:
        if backend is not None:
            backend.close()
    return cells


def _config(spec: GridSpec, model: ModelSpec, prompt_type: str):
    from syngen.generation.config import GenerationConfig

    label = model.label.replace(":", "-").replace("/", "_")
    out = spec.out / f"{Path(spec.data).stem}_{prompt_type}_{label}_{spec.num_samples}_output.csv"
    return GenerationConfig(data=spec.data, products=spec.products, prompt_type=prompt_type, model=model.backend,
                            num_samples=spec.num_samples, seed=spec.seed, out=str(out), force=spec.force,
                            **model.options(), **spec.generation_options)


def _run_cell(config, model: ModelSpec, real: _RealData, backend) -> Cell:
    from syngen.runs import open_run

    cell = Cell(model.label, config.prompt_type, "done")
    try:
        with open_run(config, backend=backend, table=real.table, profile=real.profile) as run:
            result = run.execute()
        rows = from_frame(result.rows, real.profile.names, str(result.output_path), sidecar=result.sidecar)
    except GenerationIncomplete as exc:
        cell.status, cell.reason = "incomplete", exc.one_line()
        if not exc.delivered or not exc.partial_path:
            return cell  # nothing to evaluate
        rows = load_synthetic(exc.partial_path, real.profile.names, [c.name for c in real.profile.text_columns])
    except BackendError as exc:
        cell.status, cell.reason = "failed", exc.one_line()
        return cell
    cell.output, cell.sidecar = rows.source, rows.sidecar
    cell.report = evaluate_input(real.table, real.profile, rows, real.catalogue, seed=config.seed,
                                 calibration=not real.calibrated, utility=real.utility)
    real.calibrated = True
    return cell


def _reference(cells: list[Cell]) -> dict[str, float | None]:
    for cell in cells:
        if cell.report is not None and cell.report.calibration is not None:
            return dict(cell.report.calibration.scores)
    return {}
