"""The models x prompt types grid (syngen.evaluation.experiment) in a background thread, cell by cell.

`run_grid` runs a whole grid and has no way to stop it part-way; calling it once per cell lets the page
show each cell as it ends and stop between cells, keeping the cells already done. The cost is a model
load and a real-vs-real calibration per cell instead of per grid: seconds for the embedded model.
"""

from __future__ import annotations

import logging
import threading
import traceback
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from syngen.app.workers import worker
from syngen.errors import SynGenError

if TYPE_CHECKING:
    from syngen.evaluation.experiment import Cell, GridSpec

log = logging.getLogger(__name__)


class GridJob:
    def __init__(self, spec: GridSpec, wanted: Callable[[], bool] | None = None) -> None:
        """`spec` describes the whole grid; `wanted` says whether its page is still open."""
        self.spec = spec
        self.wanted = wanted or (lambda: True)
        self.cells: list[Cell] = []
        self.reference: dict[str, float | None] = {}
        self.real_rows = 0
        self.lines: list[str] = []
        self.error: str | None = None
        self.stop = threading.Event()
        self._lock = threading.Lock()
        self._thread = worker(self._work, "syngen-grid", stop=self.stop.set)

    @property
    def total(self) -> int:
        return len(self.spec.models) * len(self.spec.prompt_types)

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    def start(self) -> GridJob:
        self._thread.start()
        return self

    def join(self, timeout: float | None = None) -> None:
        self._thread.join(timeout)

    def _say(self, line: str) -> None:
        with self._lock:
            self.lines.append(line)

    def _work(self) -> None:
        from syngen.evaluation.experiment import run_grid

        try:
            for model in self.spec.models:
                for prompt_type in self.spec.prompt_types:
                    if self.stop.is_set() or not self.wanted():
                        self._say("stopped before the remaining cells")
                        return
                    grid = run_grid(replace(self.spec, models=[model], prompt_types=[prompt_type]), say=self._say)
                    with self._lock:
                        self.cells += grid.cells
                        self.reference = self.reference or grid.reference
                        self.real_rows = grid.real_rows
        except SynGenError as exc:
            self.error = exc.one_line()
        except Exception as exc:  # the page must say why the grid ended early; its cells so far stay
            log.error("grid failed:\n%s", traceback.format_exc())
            self.error = f"the grid stopped on an unexpected error: {type(exc).__name__}: {exc}"

    def table(self) -> pd.DataFrame | None:
        """The comparison table of the cells done so far (with the real-vs-real row), or None."""
        from syngen.evaluation.comparison import comparison_frame
        from syngen.evaluation.experiment import Grid

        with self._lock:
            if not self.cells:
                return None
            grid = Grid(list(self.cells), dict(self.reference), self.real_rows)
        return comparison_frame(grid)


def grid_data_file(table_frame: pd.DataFrame, folder: Path) -> Path:
    """The grid reads its real data from a file; an upload is written under a fixed name, values as read."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "data.csv"
    table_frame.to_csv(path, index=False, lineterminator="\n")
    return path
