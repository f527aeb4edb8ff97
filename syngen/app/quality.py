"""The quality report of a run, computed in a background thread by the evaluation package.

Evaluating embeds every real text once (cached on disk afterwards), which can take a minute on a small
machine the first time; a thread keeps the page usable meanwhile. No metric is computed here: this
module only feeds a run's rows to `syngen.evaluation` and keeps what it returns.
"""

from __future__ import annotations

import logging
import time
import traceback
from typing import Any

from syngen.app.jobs import GenerationJob
from syngen.app.report_charts import Chart, chart_groups
from syngen.app.state import ReportPhase
from syngen.app.workers import worker
from syngen.errors import SynGenError

log = logging.getLogger(__name__)


class QualityJob:
    """Evaluate one generation job's rows against the real table it learned from."""

    def __init__(self, job: GenerationJob, embeddings: bool = True) -> None:
        self.job = job
        self.embeddings = embeddings
        self.report: Any = None  # syngen.evaluation.report.Report
        self.charts: dict[str, list[Chart]] = {}
        self.error: str | None = None
        self.started = time.monotonic()
        self.seconds = 0.0
        self._thread = worker(self._work, "syngen-quality")

    def start(self) -> QualityJob:
        _import_before_the_thread()
        self._thread.start()
        return self

    def join(self, timeout: float | None = None) -> None:
        self._thread.join(timeout)

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    @property
    def phase(self) -> ReportPhase:
        if not self.running:
            return ReportPhase.DONE
        return ReportPhase.MEASURING if self.report is None else ReportPhase.DRAWING

    def _work(self) -> None:
        from syngen.evaluation import evaluate_input
        from syngen.evaluation.inputs import from_frame

        inputs = self.job.inputs
        try:
            rows = from_frame(self.job.rows, inputs.profile.names, str(self.job.output_path), self.job.sidecar)
            self.report = evaluate_input(inputs.table, inputs.profile, rows, inputs.catalogue,
                                         seed=inputs.config.seed, embeddings=self.embeddings)
            # Drawn here once, not on every rerun; the page shows the scorecard while they are drawn.
            self.charts = chart_groups(self.report)
        except SynGenError as exc:
            self.error = exc.one_line()
        except Exception as exc:  # the page must say the report failed; the rows stay usable
            log.error("quality report failed:\n%s", traceback.format_exc())
            self.error = f"the quality report failed: {type(exc).__name__}: {exc}"
        finally:
            self.seconds = time.monotonic() - self.started


def _import_before_the_thread() -> None:
    """A first import made by two threads at once can fail (Python's import locks detect a deadlock), and a
    failed import of matplotlib leaves its submodules behind bound to the dead module: every later chart in the
    process then fails ("module 'matplotlib' has no attribute 'get_data_path'", seen in CI). So the page's
    thread imports what the report needs before the report's thread starts."""
    from syngen.evaluation import evaluate_input, plots  # noqa: F401

    plots.load()
