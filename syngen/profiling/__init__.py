"""Profiling: learn what each column of a real table is and how its values are distributed."""

from syngen.profiling.catalogue import Catalogue, load_catalogue
from syngen.profiling.infer import profile_table
from syngen.profiling.model import ColumnKind, ColumnProfile, DatasetProfile

__all__ = ["Catalogue", "ColumnKind", "ColumnProfile", "DatasetProfile", "load_catalogue", "profile_table"]
