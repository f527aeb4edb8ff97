"""Evaluate synthetic rows against the real table: load, measure every property, calibrate."""

from __future__ import annotations

import time
from pathlib import Path

import pandas as pd

from syngen.data.loader import Table, load_table
from syngen.errors import ConfigError, DataError
from syngen.evaluation.calibration import calibrate
from syngen.evaluation.context import EvalContext
from syngen.evaluation.inputs import SyntheticInput, from_frame, load_synthetic, read_sidecar
from syngen.evaluation.properties import measure_all
from syngen.evaluation.report import Report
from syngen.evaluation.utility import UtilityResult
from syngen.profiling import Catalogue, DatasetProfile, load_catalogue, profile_table

MIN_REAL_ROWS = 2


def evaluate_files(real: str | Path, synthetic: str | Path, products: str | Path | None = None, seed: int = 0,
                   embeddings: bool = True, calibration: bool = True, utility: str | None = None,
                   utility_text: str | None = None) -> Report:
    table = load_table(real)
    check_enough_rows(table, "--real")
    catalogue = load_catalogue(products, table) if products else None
    profile = profile_table(table, catalogue)
    rows = load_rows(Path(synthetic), profile)
    return evaluate_input(table, profile, rows, catalogue, seed=seed, embeddings=embeddings, calibration=calibration,
                          utility=utility, utility_text=utility_text)


def evaluate_input(table: Table, profile: DatasetProfile, synthetic: SyntheticInput,
                   catalogue: Catalogue | None = None, seed: int = 0, embeddings: bool = True,
                   calibration: bool = True, embedder=None, utility: str | None = None,
                   utility_text: str | None = None) -> Report:
    """Evaluate rows already loaded; `embedder` overrides the process-wide one (tests, benchmarks).
    `utility` names a category column to score ML utility on (syngen.evaluation.utility)."""
    check_enough_rows(table, "the real table")
    if not len(synthetic.frame) and not synthetic.unusable:  # only unusable records: scored, validity 0
        raise DataError(f"{synthetic.source} holds no rows to score", "Pass a file with generated rows")
    started = time.perf_counter()
    synthetic.frame = table.as_read(synthetic.frame)  # "NA" an empty cell where the real column writes it so
    useful = _utility(table, profile, synthetic, utility, utility_text, seed)  # first: its errors come at once
    if embeddings and embedder is None:
        from syngen.evaluation.embeddings import default_embedder

        embedder = default_embedder()
    few_shot, notes = _few_shot(table.frame, synthetic)
    ctx = EvalContext(real=table.frame, synthetic=synthetic.frame, profile=profile,
                      embedder=embedder if embeddings else None, topic=profile.topic,
                      expected_rows=synthetic.expected_rows, unusable=synthetic.unusable, few_shot=few_shot,
                      seed=seed)
    properties = measure_all(ctx)
    reference = calibrate(ctx, catalogue) if calibration else None
    if reference:
        for name, prop in properties.items():
            prop.reference = reference.scores.get(name)
    if not embeddings:
        notes.append("sentence embeddings were off: no semantic diversity, drift or closeness metrics")
    return Report(table.source, synthetic, properties, ctx, reference, time.perf_counter() - started, notes,
                  utility=useful)


def _utility(table: Table, profile: DatasetProfile, synthetic: SyntheticInput, label: str | None,
             text: str | None, seed: int) -> UtilityResult | None:
    if label is None:
        if text is not None:
            raise ConfigError("--utility-text needs --utility (the category the classifier learns)",
                              "Add --utility COLUMN, or drop --utility-text")
        return None
    from syngen.evaluation.utility import measure_utility  # noqa: I001 (sklearn loads inside, when used)

    return measure_utility(table.frame, synthetic.frame, profile, label, text, seed=seed)


def load_rows(path: Path, profile: DatasetProfile) -> SyntheticInput:
    """A synthetic file, or the dataset folder `syngen generate --format hf` wrote."""
    from syngen.output.formats import is_saved_dataset, read_hf_dataset

    if not is_saved_dataset(path):
        return load_synthetic(path, profile.names, [c.name for c in profile.text_columns])
    rows = from_frame(read_hf_dataset(path), profile.names, str(path), sidecar=read_sidecar(path))
    rows.format = "hf"
    return rows


def check_enough_rows(table: Table, option: str) -> None:
    """The reference score compares two halves of the real rows, so one real row cannot be scored."""
    if len(table.frame) < MIN_REAL_ROWS:
        raise DataError(f"{table.source} has {len(table.frame)} row; scoring needs at least {MIN_REAL_ROWS} real rows "
                        "(the real rows are split in two halves for the reference score)",
                        f"Give {option} the real table the synthetic rows imitate, with its rows")


def _few_shot(real: pd.DataFrame, synthetic: SyntheticInput) -> tuple[pd.DataFrame | None, list[str]]:
    rows = synthetic.few_shot_rows
    if rows is None:
        return None, []
    if any(i < 0 or i >= len(real) for i in rows):
        return None, [f"the sidecar's few_shot_rows do not fit the {len(real)} real rows; few-shot copies "
                      "not checked (was the output generated from another file?)"]
    return real.iloc[rows].reset_index(drop=True), []
