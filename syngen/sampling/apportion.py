"""A column's planned values when a target distribution is asked for (--where, --distribution, --balance).

Every prefix of the plan is apportioned: among the first n positions each value appears floor(p*n) or
ceil(p*n) times, for every n. So the N rows asked hold the target exactly (up to the one row rounding
needs), and the top-ups that replace rejected rows, which are the positions after N, keep it too. The
sequence depends on the seed and the position alone, never on N, so a resumed run asked for more rows plans
the same values at the same positions.

The rule is earliest-deadline-first (Tijdeman's chairman assignment): value v is due for its (c+1)-th
place by position (c+1)/p_v; among the values not ahead of their share, the one due first goes next, ties
broken at random by the seed. Written by hand: no library apportions an unbounded sequence.
"""

from __future__ import annotations

import numpy as np

_TIE = 1e-12


class Apportioned:
    """The value at each plan position, drawn so that every prefix holds the shares."""

    def __init__(self, shares: dict[str, float], seed: int, stream: int) -> None:
        kept = {value: share for value, share in shares.items() if share > 0}
        self.values = list(kept)
        self.shares = np.array(list(kept.values()), dtype=float)
        self.shares /= self.shares.sum()
        self._rng = np.random.default_rng([seed, stream, 13])
        self._counts = np.zeros(len(self.values))
        self._planned: list[int] = []

    def value(self, position: int) -> str:
        while len(self._planned) <= position:
            self._plan_next()
        return self.values[self._planned[position]]

    def _plan_next(self) -> None:
        n = len(self._planned) + 1
        eligible = self.shares * n - self._counts > -_TIE
        deadlines = np.where(eligible, (self._counts + 1) / self.shares, np.inf)
        due = np.flatnonzero(deadlines <= deadlines.min() + _TIE)
        chosen = int(due[0] if len(due) == 1 else self._rng.choice(due))
        self._counts[chosen] += 1
        self._planned.append(chosen)
