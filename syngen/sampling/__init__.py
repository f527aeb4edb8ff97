"""Column samplers: draw the structured part of each new row from the learned profile."""

from syngen.sampling.planner import RowPlanner, Skeleton

__all__ = ["RowPlanner", "Skeleton"]
