"""Whether synthetic text can be trusted as text: it agrees with its row's labels as real text does, it
carries no prompt fragments, and it does not stop mid-sentence where real texts end theirs."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any

from syngen.evaluation.metrics.base import Goal, Metric, clip01

EXCESS_WEIGHT = 5.0  # each point of broken texts above the real share costs five points of score


class LabelAgreement(Metric):
    """Balanced accuracy of a classifier trained on real text, predicting each synthetic row's own label from
    its text, against the same figure on real rows: 1 when synthetic text supports its labels as well as
    real text does, 0 when no better than chance."""

    name = "label_agreement"
    goal = Goal.MAXIMIZE

    def __init__(self, chance: float, real_accuracy: float) -> None:
        self.chance = chance
        self.real_accuracy = real_accuracy

    def compute_breakdown(self, real: Sequence[Any], synthetic: Sequence[Any]) -> dict[str, Any]:
        """`synthetic`: (true classes, predicted classes); `real` is unused (its figure came with the check)."""
        from sklearn.metrics import balanced_accuracy_score

        truth, predicted = synthetic
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # a class predicted but absent from the rows is not an error here
            accuracy = float(balanced_accuracy_score(truth, predicted))
        # Over the classes the rows hold: rows of 3 of 5 ratings are judged on those 3, so the report says so.
        return {"raw": accuracy, "real": self.real_accuracy, "chance": self.chance, "rows": len(truth),
                "classes_present": len(set(truth))}

    def normalize(self, raw: float) -> float:
        return clip01((raw - self.chance) / max(1e-9, self.real_accuracy - self.chance))


class ExcessShare(Metric):
    """The share of synthetic texts with a flaw (a prompt fragment, a cut sentence), scored by how far it
    exceeds the real share: a few percent of broken texts already make a column untrustworthy."""

    goal = Goal.MINIMIZE

    def __init__(self, name: str, real_share: float) -> None:
        self.name = name
        self.real_share = real_share

    def compute_breakdown(self, real: Sequence[bool], synthetic: Sequence[bool]) -> dict[str, Any]:
        """`synthetic`: one flag per text; `real` unused (the real share came with the constructor)."""
        share = sum(synthetic) / len(synthetic) if synthetic else 0.0
        return {"raw": share, "real": self.real_share, "count": int(sum(synthetic)), "texts": len(synthetic)}

    def normalize(self, raw: float) -> float:
        return clip01(1.0 - EXCESS_WEIGHT * max(0.0, raw - self.real_share))
