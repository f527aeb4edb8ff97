"""The report's properties, in report order. Each module's `measure(ctx)` returns a PropertyResult."""

from __future__ import annotations

from collections.abc import Callable

from syngen.evaluation.context import EvalContext
from syngen.evaluation.properties import (
    complexity,
    consistency,
    diversity,
    drift,
    fidelity,
    length,
    privacy,
    validity,
)
from syngen.evaluation.results import PropertyResult

PROPERTIES: dict[str, Callable[[EvalContext], PropertyResult]] = {
    module.NAME: module.measure for module in (validity, fidelity, length, complexity, diversity, consistency, drift,
                                            privacy)
}


def measure_all(ctx: EvalContext) -> dict[str, PropertyResult]:
    return {name: measure(ctx) for name, measure in PROPERTIES.items()}
