"""Writing results: tables in csv/jsonl/parquet/xlsx, atomically, with a JSON sidecar beside them, never over
an input or another run's output."""

from syngen.output.formats import count_formula_like, neutralise_formulas, output_format
from syngen.output.paths import check_writable, claim_output, partial_path, sidecar_path
from syngen.output.writer import write_sidecar, write_table

__all__ = ["check_writable", "claim_output", "count_formula_like", "neutralise_formulas", "output_format",
           "partial_path", "sidecar_path", "write_sidecar", "write_table"]
