"""Label quotas: the rows delivered keep the plan's share of each value of the label the text predicts best, and
of the rows whose texts the plan writes or leaves empty.

A row whose label is hard to write (a 2-star review) is given up more often than an easy one. Topping up with
fresh plan positions alone delivers easy labels in its place: 40 demo rows came out 75% 5-star against 55% in
the plan and the real data. So a run delivers, in plan order, the rows whose label still has room in its quota
(the label's count among the plan's first N positions), tries further positions until every quota is met or the
quota budget (`GenerationConfig.quota_budget`) is spent, and only then fills what is left with the other rows,
in plan order. It stops earlier when the rows it has would already deliver the plan's shares within
QUOTA_TOLERANCE (or one row, on a small run): chasing the last rare 2-star rows of a long run costs more time
than it is worth. Which rows are delivered depends only on the rows made, position by position, so a resumed,
grown or Ray run delivers those of an uninterrupted one.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial

import numpy as np

from syngen.profiling.labels import Labeler
from syngen.sampling.planner import RowPlanner, Skeleton

QUOTA_TOLERANCE = 0.03  # total variation distance from the plan's label counts: under the benchmark's 0.05 for ratings,
# which the plan's own sampling from the real shares adds to (0.0501 against real at 0.05 here)
EXACT_PLAN_ROWS = 4096  # larger runs scale the label shares of this many plan positions (a skeleton is ~0.3 ms)


@dataclass
class LabelQuota:
    """How many delivered rows each class is owed: a class is a row's value of one label column and, where the plan
    leaves some texts of a column empty, whether its row has one ("1; with replyContent")."""

    column: str  # the label column; "" where the classes are only which texts are written
    class_of: Callable[[Mapping[str, str]], str]  # a row's values -> its class
    owed: Counter
    texts: tuple[str, ...] = ()  # text columns the plan writes in some rows and leaves empty in others
    exact: bool = False  # the user's own shares (--distribution, --balance): no tolerance

    @classmethod
    def of_plan(cls, labeler: Labeler | None, texts: Sequence[str], planner: RowPlanner,
                rows: int, exact: bool = False) -> LabelQuota | None:
        sample = min(rows, EXACT_PLAN_ROWS)
        planned = [_as_written(planner.skeleton(p)) for p in range(sample)]
        # A text the model fails to write is given up more often than a row without one: a table of complaints whose
        # narratives are 36% of its rows came out with none, each such position replaced by one planned without.
        sometimes = tuple(name for name in texts if 0 < sum(1 for row in planned if row.get(name)) < sample)
        if labeler is None and not sometimes:
            return None
        class_of = partial(_row_class, labeler, sometimes)
        return cls(labeler.column if labeler else "", class_of, _scaled(Counter(map(class_of, planned)), rows),
                   sometimes, exact and labeler is not None)


def _as_written(skeleton: Skeleton) -> dict[str, str]:
    """A planned row's values as its made row will hold them: a text the model is to write is not empty."""
    return {**skeleton.values, **{name: "…" for name in skeleton.text_targets}}


def _row_class(labeler: Labeler | None, texts: tuple[str, ...], row: Mapping[str, str]) -> str:
    parts = [labeler.class_of(row.get(labeler.column, ""))] if labeler is not None else []
    parts += [f"{'with' if str(row.get(name, '')).strip() else 'without'} {name}" for name in texts]
    return "; ".join(parts)


@dataclass
class QuotaSelection:
    """The delivered rows, chosen as rows arrive in plan order: `add` says whether a row takes a quota place."""

    quota: LabelQuota | None
    rows: int
    chosen: list[int] = field(default_factory=list)
    spare: list[int] = field(default_factory=list)  # accepted rows past their label's quota, in plan order
    spare_labels: list[str] = field(default_factory=list)
    room: Counter = field(default_factory=Counter)

    def __post_init__(self) -> None:
        self.room = Counter(self.quota.owed) if self.quota else Counter()

    def add(self, position: int, row: dict[str, str]) -> bool:
        label = self.quota.class_of(row) if self.quota else ""
        if len(self.chosen) < self.rows and (self.quota is None or self.room[label] > 0):
            if self.quota is not None:
                self.room[label] -= 1
            self.chosen.append(position)
            return True
        self.spare.append(position)
        self.spare_labels.append(label)
        return False

    @property
    def settled(self) -> bool:
        """Every quota met, or enough rows whose delivered label shares are within tolerance of the plan's."""
        if len(self.chosen) >= self.rows:
            return True
        tolerance = 0.0 if self.quota is not None and self.quota.exact else max(QUOTA_TOLERANCE, 1 / self.rows)
        return self.available >= self.rows and self._distance() <= tolerance

    def written(self) -> Counter:
        """The label counts of the rows delivered: the quota's within tolerance, not always equal to it."""
        assert self.quota is not None  # without a quota every row is chosen
        delivered = self.quota.owed - self.room
        delivered.update(self.spare_labels[: self.rows - len(self.chosen)])
        return delivered

    def _distance(self) -> float:
        """Total variation distance between the delivered rows' label counts and the quota."""
        delivered = self.written()
        labels = set(delivered) | set(self.quota.owed)
        return sum(abs(delivered[label] - self.quota.owed[label]) for label in labels) / (2 * self.rows)

    @property
    def available(self) -> int:
        return len(self.chosen) + len(self.spare)

    def filled(self) -> list[int]:
        """The spare rows that take the places quotas could not fill, in plan order."""
        return self.spare[: max(0, self.rows - len(self.chosen))]

    def delivered(self) -> list[int]:
        """The positions written: the chosen ones, then spare ones in plan order where quotas could not be met."""
        return sorted(self.chosen + self.filled())

    def shortfall(self) -> dict[str, dict[str, int]]:
        """Classes delivered short of their quota, when the budget ran out before the shares were within tolerance:
        class -> {"asked", "written"}."""
        if self.quota is None or self.settled or self.available < self.rows:
            return {}
        return {label: {"asked": owed, "written": owed - self.room[label]}
                for label, owed in self.quota.owed.items() if self.room[label] > 0}


def _scaled(counts: Counter, rows: int) -> Counter:
    """Counts summing to `rows` in the proportions of `counts` (largest remainders): exact when nothing scales."""
    total = sum(counts.values())
    if total == rows or total == 0:
        return Counter(counts)
    labels = list(counts)
    exact = np.array([counts[label] * rows / total for label in labels])
    whole = np.floor(exact).astype(int)
    for index in np.argsort(-(exact - whole))[: rows - int(whole.sum())]:
        whole[index] += 1
    return Counter({label: int(n) for label, n in zip(labels, whole, strict=True)})


def shortfall_note(record: dict | None) -> str | None:
    """The sidecar's quota record as a sentence, when a class was delivered short of its plan share."""
    if not record or not record.get("short"):
        return None
    column = record["column"]
    parts = [f"{s['written']} of {s['asked']} {_described(column, label)}" for label, s in record["short"].items()]
    shares = [f"'{column}'"] if column else []
    shares += [f"rows with '{text}'" for text in record.get("texts", [])]
    return (f"the model wrote only {', '.join(parts)} within the attempt budget: other rows take their places, so "
            f"the shares of {' and of '.join(shares)} differ from the plan's")


def _described(column: str, label: str) -> str:
    """A class as the note reads it: "with rating 1", "with Product Mortgage and with narrative"."""
    parts = label.split("; ")
    if column:
        parts[0] = f"with {column} {parts[0]}"
    return " and ".join(parts)
