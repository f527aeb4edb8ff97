"""What the Python API returns: generated rows, an evaluation report and a profile, each readable in a
notebook (`_repr_html_`) and savable, and the progress bar of a run (tqdm.auto: a widget in a notebook,
text in a terminal)."""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from syngen import events
from syngen.data.loader import Table
from syngen.events import Event
from syngen.profiling.model import DatasetProfile

if TYPE_CHECKING:
    from syngen.evaluation.inputs import SyntheticInput
    from syngen.evaluation.report import Report
    from syngen.profiling.catalogue import Catalogue
    from syngen.runs.audit import AuditTrail


@dataclass
class RealData:
    """The real table a result was made from, kept to evaluate against it without reading it again."""

    table: Table
    profile: DatasetProfile
    catalogue: Catalogue | None = None

    def evaluate(self, synthetic: SyntheticInput, seed: int = 0, utility: str | None = None,
                 utility_text: str | None = None, embeddings: bool = True) -> EvaluationReport:
        from syngen.evaluation.runner import evaluate_input

        return EvaluationReport(evaluate_input(self.table, self.profile, synthetic, self.catalogue, seed=seed,
                                               embeddings=embeddings, utility=utility, utility_text=utility_text))


@dataclass
class GenerationResult:
    rows: pd.DataFrame
    sidecar: dict[str, Any]  # the run's record, as `syngen generate` writes it beside its output
    real: RealData = field(repr=False)
    seed: int = 0
    audit: AuditTrail | None = field(default=None, repr=False)  # with audit=True: each row's prompts and answers

    def save(self, path: str | Path, format: str | None = None, force: bool = False) -> Path:  # noqa: A002
        """Write the rows (csv, tsv, jsonl, parquet, xlsx or hf, from `format` or the extension) and the sidecar
        beside them; an existing file is replaced only with `force`."""
        from syngen.errors import OutputError
        from syngen.output import output_format, sidecar_path, write_sidecar, write_table
        from syngen.output.writer import writable_encoding

        target = Path(path)
        fmt = output_format(str(target), format)
        if target.exists() and not force:
            raise OutputError(f"{target} already exists", "Pass force=True to replace it, or choose another path")
        encoding = writable_encoding(self.rows, self.real.table.encoding)
        write_table(self.rows, target, fmt, replace=force, delimiter=self.real.table.delimiter,
                    header=self.real.table.header_row(list(self.rows.columns)), encoding=encoding,
                    line_end=self.real.table.line_end)
        write_sidecar(sidecar_path(target), {**self.sidecar, "output": str(target), "output_encoding": encoding},
                      replace=force)
        return target

    def evaluate(self, utility: str | None = None, utility_text: str | None = None,
                 embeddings: bool = True) -> EvaluationReport:
        """Score these rows against the real table they were made from (see syngen.evaluate)."""
        from syngen.evaluation.inputs import from_frame

        rows = from_frame(self.rows, self.real.profile.names, "generated rows", sidecar=self.sidecar)
        return self.real.evaluate(rows, seed=self.seed, utility=utility, utility_text=utility_text,
                                  embeddings=embeddings)

    def to_hf(self):
        """The rows as a Hugging Face `datasets.Dataset` (needs the hf-datasets extra)."""
        from syngen.output.formats import require_datasets

        require_datasets()
        import datasets

        return datasets.Dataset.from_pandas(self.rows, preserve_index=False)

    def __repr__(self) -> str:
        return (f"GenerationResult({len(self.rows)} of {self.sidecar.get('rows_asked')} rows, "
                f"columns {list(self.rows.columns)}, {self.sidecar.get('rows_per_minute')} rows/min)")

    def _repr_html_(self) -> str:
        return f"<p>{html.escape(repr(self))}</p>" + self.rows.head(10).to_html(index=False)


@dataclass
class EvaluationReport:
    report: Report

    @property
    def scores(self) -> dict[str, float | None]:
        """{property: score in [0, 1]} (None where a property could not be measured)."""
        return {name: prop.score for name, prop in self.report.properties.items()}

    @property
    def reference(self) -> dict[str, float | None]:
        """What the real data scores against itself (half against half), per property."""
        calibration = self.report.calibration
        return dict(calibration.scores) if calibration else {}

    @property
    def utility(self):
        return self.report.utility

    def to_dict(self) -> dict[str, Any]:
        return self.report.to_dict()

    def to_json(self, path: str | Path | None = None) -> str:
        """The full report as JSON; also written to `path` when one is given."""
        text = json.dumps(self.report.to_dict(), indent=2, ensure_ascii=False)
        if path is not None:
            self.report.write_json(path)
        return text

    def to_html(self, path: str | Path) -> Path:
        """The HTML report `syngen evaluate --report` writes (plots included, one file)."""
        from syngen.evaluation.html_report import write_html

        return write_html(self.report, path)

    def __repr__(self) -> str:
        scores = ", ".join(f"{name} {_fmt(score)}" for name, score in self.scores.items())
        return f"EvaluationReport({self.report.rows} rows: {scores})"

    def _repr_html_(self) -> str:
        reference = self.reference
        rows = "".join(f"<tr><td>{html.escape(name)}</td><td>{_fmt(score)}</td><td>{_fmt(reference.get(name))}</td>"
                       "</tr>" for name, score in self.scores.items())
        return (f"<p>{self.report.rows} synthetic rows against {html.escape(self.report.real_source)}</p>"
                f"<table><tr><th>property</th><th>score</th><th>real vs real</th></tr>{rows}</table>")


@dataclass
class Profile:
    profile: DatasetProfile

    @property
    def columns(self) -> list[dict[str, Any]]:
        """One record per column: kind, format, empty share, what it follows and why (as `syngen profile`)."""
        from syngen.profiling.describe import profile_rows

        return profile_rows(self.profile)

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.columns)

    def __repr__(self) -> str:
        lines = [f"Profile of {self.profile.source}: {self.profile.n_rows:,} rows, {len(self.columns)} columns"]
        for row in self.columns:
            detail = f" ({row['format']})" if row["format"] else ""
            lines.append(f"  {row['column']}: {row['kind']}{detail}, empty {row['empty_share']:.1%}")
        return "\n".join(lines + [f"  note: {note}" for note in self.profile.notes])

    def _repr_html_(self) -> str:
        return self.to_frame().to_html(index=False)


class ProgressBar:
    """Accepted rows against the rows asked, with the rejections so far (tqdm.auto picks the notebook widget)."""

    def __init__(self, asked: int) -> None:
        self.asked = asked
        self.bar = None
        self.rejected = 0

    def __call__(self, event: Event) -> None:
        if event.name == events.RUN_STARTED:
            from tqdm.auto import tqdm

            self.bar = tqdm(total=self.asked, unit="row", desc="syngen")
        elif self.bar is None:
            return
        elif event.name == events.ROW_ACCEPTED:
            self.bar.update(int(event.data["accepted"]) - self.bar.n)
        elif event.name == events.ROW_REJECTED:
            self.rejected += 1
            self.bar.set_postfix(rejected=self.rejected)
        elif event.name in (events.RUN_FINISHED, events.RUN_CANCELLED):
            self.bar.close()


def _fmt(score: float | None) -> str:
    return "n/a" if score is None else f"{score:.3f}"
