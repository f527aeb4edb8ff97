"""Reading real tables from disk: encodings, delimiters, limits."""

from syngen.data.loader import Table, load_table, read_table_bytes

__all__ = ["Table", "load_table", "read_table_bytes"]
