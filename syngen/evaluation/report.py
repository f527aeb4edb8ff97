"""The quality report: properties with their scores and metrics, the row counts, and the calibration."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from syngen import __version__
from syngen.errors import OutputError
from syngen.evaluation.calibration import Calibration
from syngen.evaluation.context import EvalContext
from syngen.evaluation.inputs import SyntheticInput
from syngen.evaluation.results import PropertyResult
from syngen.evaluation.utility import UtilityResult


@dataclass
class Report:
    real_source: str
    synthetic: SyntheticInput
    properties: dict[str, PropertyResult]
    context: EvalContext  # what was measured, for the plots; not serialised
    calibration: Calibration | None = None
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)
    utility: UtilityResult | None = None  # ML utility, when a category column was named

    @property
    def rows(self) -> int:
        return len(self.synthetic.frame)

    @property
    def valid_rows(self) -> int:
        return int(self.properties["validity"].details.get("valid_rows", 0))

    @property
    def score(self) -> float | None:
        scores = [p.score for p in self.properties.values() if p.score is not None]
        return sum(scores) / len(scores) if scores else None

    def to_dict(self) -> dict[str, Any]:
        score = self.score
        return {
            "syngen_version": __version__,
            "real": self.real_source,
            "synthetic": self.synthetic.source,
            "input_format": self.synthetic.format,
            "rows": self.rows,
            "valid_rows": self.valid_rows,
            "expected_rows": self.synthetic.expected_rows,
            "expected_rows_source": self.synthetic.expected_source,
            "unusable_rows": self.synthetic.unusable,
            "score": None if score is None else round(score, 4),
            "properties": {name: prop.to_dict() for name, prop in self.properties.items()},
            "calibration": self.calibration.to_dict() if self.calibration else None,
            "utility": self.utility.to_dict() if self.utility else None,
            "seconds": round(self.seconds, 2),
            "notes": self.notes + self.synthetic.notes,
        }

    def write_json(self, path: str | Path) -> Path:
        return write_text(Path(path), json.dumps(self.to_dict(), indent=2, ensure_ascii=False))


def write_text(path: Path, text: str) -> Path:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror}", "Choose a writable folder") from exc
    return path
