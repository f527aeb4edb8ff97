"""A preview before the run (DataDesigner's `preview()`): a few rows made as a run makes them, shown with
the prompt of each attempt, every raw answer the model gave and the verdict on it, and the row kept.
Nothing is written: no output, no sidecar, no run directory.

The preview's rows are made as one chunk of their own, so with a model whose answers shift with the batch
they are decoded in (the embedded one) they can differ a little from the first rows of the run."""

from __future__ import annotations

import html
from dataclasses import dataclass

import pandas as pd

from syngen.backends.base import Backend
from syngen.data.loader import Table
from syngen.events import EventBus
from syngen.generation.config import GenerationConfig
from syngen.generation.session import prepare_session
from syngen.profiling.model import DatasetProfile
from syngen.runs.audit import AuditRecord
from syngen.runs.audit_view import record_html, record_text

PREVIEW_ROWS = 3


@dataclass
class Preview:
    """The previewed positions in plan order, each with its prompts, answers, verdicts and row."""

    records: list[AuditRecord]
    columns: list[str]
    about: str  # what was previewed: data, backend, model, prompt type, seed

    @property
    def rows(self) -> pd.DataFrame:
        """The rows kept (a position whose every answer was rejected has none)."""
        return pd.DataFrame([r.row for r in self.records if r.row is not None], columns=self.columns)

    def text(self) -> str:
        kept = sum(r.accepted for r in self.records)
        head = (f"Preview of {len(self.records)} row{'s' if len(self.records) != 1 else ''} {self.about}: "
                f"{kept} kept; nothing was written.")
        sections = [record_text(r, f"Row {n}") for n, r in enumerate(self.records, start=1)]
        return "\n\n".join([head, *sections])

    def __repr__(self) -> str:
        return self.text()

    def _repr_html_(self) -> str:
        kept = sum(r.accepted for r in self.records)
        head = f"<p>Preview of {len(self.records)} rows {html.escape(self.about)}: {kept} kept.</p>"
        return head + "".join(record_html(r, f"Row {n}") for n, r in enumerate(self.records, start=1))


def make_preview(config: GenerationConfig, *, table: Table | None = None, profile: DatasetProfile | None = None,
                 backend: Backend | None = None, bus: EventBus | None = None) -> Preview:
    """Make min(3, num_samples) rows of `config` with every attempt recorded, and write nothing."""
    session = prepare_session(config, backend=backend, table=table, profile=profile, bus=bus)
    session.maker.record_attempts = True
    outcomes = session.maker.make_many(range(min(PREVIEW_ROWS, config.num_samples)))
    records = [AuditRecord.of(outcome, outcome.row, config.seed) for outcome in outcomes]
    model = session.backend.describe().get("model")
    about = (f"like {config.data} ({config.model} backend{f', {model}' if model else ''}, prompt type "
             f"{config.prompt_type}, seed {config.seed})")
    return Preview(records, list(session.profile.names), about)
