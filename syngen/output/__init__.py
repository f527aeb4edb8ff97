"""Writing results: tables in csv/jsonl/parquet, atomically, with a JSON sidecar beside them."""

from syngen.output.writer import check_writable, neutralise_formulas, sidecar_path, write_sidecar, write_table

__all__ = ["check_writable", "neutralise_formulas", "sidecar_path", "write_sidecar", "write_table"]
